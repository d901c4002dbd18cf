import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadRules } from '../../../../src/correlate/rules/load-rules.ts';
import { parseDuration } from '../../../../src/correlate/rules/duration.ts';
import { registerRules } from '../../../../src/cli/commands/rules.ts';
import { CATALOG } from '../../../../src/parse/catalog/catalog.ts';
import { ALERTS_DIR, shippedRules } from './helpers.ts';

const GOOD = readFileSync(join(ALERTS_DIR, 'invalid-initiation-burst.yaml'), 'utf8');

function errorsFor(yaml: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'wg-rules-'));
  writeFileSync(join(dir, 'r.yaml'), yaml);
  const r = loadRules(dir);
  return r.ok ? [] : r.errors.map((e) => `${e.path}: ${e.message}`);
}

test('durations parse', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('2 minutes'), undefined);
});

test('shipped rules load, ids unique, actions and types exist in the catalog', () => {
  const rules = shippedRules();
  assert.equal(rules.length, 9);
  const actions = new Set(CATALOG.map((m) => m.action));
  const text = rules.map((r) => JSON.stringify([r.filter, r.type === 'sequence' ? [r.steps, r.endsWithAbsence] : []])).join();
  for (const m of text.matchAll(/"(wireguard-[a-z-]+)"/g)) assert.ok(actions.has(m[1] ?? ''), `unknown action ${m[1]}`);
  assert.deepEqual(new Set(rules.map((r) => r.type)), new Set(['threshold', 'distinct', 'sequence', 'absence']));
});

const CASES: [string, string, RegExp][] = [
  ['unknown field', GOOD.replace('window: 1m', 'windw: 1m'), /unknown field "windw"/],
  ['missing field', GOOD.replace(/^quiet_period:.*$/m, ''), /missing field "quiet_period"/],
  ['bad duration', GOOD.replace('window: 1m', 'window: 1 minute'), /\/window: must match/],
  ['bad id', GOOD.replace('id: invalid-initiation-burst', 'id: Invalid_Burst'), /\/id: must be kebab-case/],
  ['bad severity', GOOD.replace('severity: medium', 'severity: urgent'), /\/severity: .*allowed values/],
  ['risk score outside the severity band', GOOD.replace('risk_score: 47', 'risk_score: 90'), /\/risk_score: 90 is outside 22–47/],
  ['unknown condition operator', GOOD.replace('{ exists: true }', '{ matches: x }'), /unknown field "matches"/],
  ['two operators in one condition', GOOD.replace('{ exists: true }', '{ exists: true, prefix: "1" }'), /must NOT have more than 1 properties/],
  ['type without its parameters', GOOD.replace('type: threshold', 'type: distinct'), /missing field "distinct"|another rule type/],
  ['unknown type', GOOD.replace('type: threshold', 'type: magic'), /\/type: .*allowed values/],
  ['threshold count not positive', GOOD.replace('count: 10', 'count: 0'), /\/threshold\/count: must be >= 1/],
  ['not YAML', 'id: [unclosed', /not valid YAML/],
];

for (const [name, yaml, re] of CASES) {
  test(`invalid rule: ${name}`, () => {
    const errs = errorsFor(yaml);
    assert.ok(errs.some((e) => re.test(e)), `expected ${String(re)} in ${JSON.stringify(errs)}`);
  });
}

test('duplicate ids across files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wg-rules-'));
  writeFileSync(join(dir, 'a.yaml'), GOOD);
  writeFileSync(join(dir, 'b.yaml'), GOOD);
  const r = loadRules(dir);
  assert.equal(r.ok, false);
  assert.match(JSON.stringify(r.ok ? [] : r.errors), /duplicate id/);
});

async function runCheck(dir: string): Promise<{ out: string; code: number | undefined }> {
  const p = new Command();
  registerRules(p);
  let out = '';
  const orig = process.stdout.write.bind(process.stdout);
  const prev = process.exitCode;
  process.exitCode = undefined;
  process.stdout.write = ((s: string) => { out += s; return true; });
  try { await p.parseAsync(['node', 'wg-siem', 'rules', 'check', dir]); } finally { process.stdout.write = orig; }
  const code = process.exitCode as number | undefined;
  process.exitCode = prev;
  return { out, code };
}

test('wg-siem rules check: OK per rule on the shipped rules, exit 1 with errors otherwise', async () => {
  const ok = await runCheck(ALERTS_DIR);
  assert.equal(ok.code, undefined);
  assert.equal((ok.out.match(/^OK /gm) ?? []).length, 9);
  const dir = mkdtempSync(join(tmpdir(), 'wg-rules-'));
  writeFileSync(join(dir, 'good.yaml'), GOOD);
  writeFileSync(join(dir, 'bad.yaml'), GOOD.replace('id: invalid-initiation-burst', 'id: other').replace('window: 1m', 'windw: 1m'));
  const bad = await runCheck(dir);
  assert.equal(bad.code, 1);
  assert.match(bad.out, /OK +good\.yaml/);
  assert.match(bad.out, /ERROR +bad\.yaml \/: unknown field "windw"/);
});
