import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { generate, targetFor } from '../../../../src/shared/schema/gen/generate.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

describe('generated schema and types', () => {
  it('are up to date with the mappings (regenerated in memory)', () => {
    const files = generate();
    assert.ok(files.length >= 2);
    for (const f of files) {
      assert.equal(readFileSync(`${repoRoot}${f.path}`, 'utf8'), f.content, `${f.path} is stale: run node_modules/.bin/node scripts/gen-schema.ts`);
    }
    assert.deepEqual(readdirSync(`${repoRoot}src/shared/schema/generated`).sort(), files.map((f) => f.path.split('/').at(-1)).sort(), 'generated/ holds a file no template produces');
  });

  it('are generated for one template when asked, with the fields its family shares', () => {
    assert.deepEqual(generate(['logs-wireguard.log']).map((f) => f.path), ['src/shared/schema/generated/common.ts', 'src/shared/schema/generated/event.schema.json', 'src/shared/schema/generated/event.ts']);
    assert.deepEqual(generate(['wireguard-diagnoses']).map((f) => f.path), ['src/shared/schema/generated/diagnosis.schema.json', 'src/shared/schema/generated/diagnosis.ts']);
  });

  it('emit the shared fields once and only the differences per data stream', () => {
    const byPath = new Map(generate().map((f) => [f.path, f.content]));
    assert.match(byPath.get('src/shared/schema/generated/common.ts') ?? '', /export interface WgCommonFields \{\n {2}\/\*\* Date\/time/);
    assert.equal(byPath.get('src/shared/schema/generated/event.ts')?.includes("'@timestamp'"), false);
    assert.match(byPath.get('src/shared/schema/generated/event.ts') ?? '', /export type WgEventDoc = WgCommonFields & \{\n {2}data_stream: \{\n.*\n {4}dataset: 'wireguard\.log';/);
  });

  it('name the files and types after the template', () => {
    assert.deepEqual(targetFor('logs-wireguard.log'), { template: 'logs-wireguard.log', file: 'event', typeName: 'WgEventDoc' });
    assert.deepEqual(targetFor('logs-wireguard.alert'), { template: 'logs-wireguard.alert', file: 'alert', typeName: 'WgAlertDoc' });
    assert.throws(() => targetFor('metrics-other'), /cannot derive/);
  });

  it('gen-schema --check passes', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-schema.ts', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('close every object except labels', () => {
    const schema: unknown = JSON.parse(readFileSync(`${repoRoot}src/shared/schema/generated/event.schema.json`, 'utf8'));
    const open: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const n = node as { type?: string; additionalProperties?: unknown; properties?: Record<string, unknown>; items?: unknown };
      if (n.type === 'object' && n.additionalProperties !== false) open.push(path);
      for (const [k, v] of Object.entries(n.properties ?? {})) visit(v, path ? `${path}.${k}` : k);
    };
    visit(schema, '');
    assert.deepEqual(open, ['labels']);
  });
});
