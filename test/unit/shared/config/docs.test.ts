import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderConfigReference } from '../../../../src/shared/config/docs.ts';
import { CONFIG_KEYS } from '../../../../src/shared/config/keys.ts';

test('docs/configuration.md is generated from the key table and up to date (npm run docs)', () => {
  assert.equal(readFileSync('docs/configuration.md', 'utf8'), renderConfigReference());
});

test('every key has a WG_SIEM_ variable of its own and a description', () => {
  const envs = Object.values(CONFIG_KEYS).map((d) => d.env);
  assert.equal(new Set(envs).size, envs.length);
  for (const d of Object.values(CONFIG_KEYS)) {
    assert.match(d.env, /^WG_SIEM_[A-Z0-9_]+$/);
    assert.ok(d.doc.length > 10, d.env);
  }
});
