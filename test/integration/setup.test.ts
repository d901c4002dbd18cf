// `wg-siem setup` against the real local Elasticsearch: idempotence, drift found and repaired, and the
// installed templates taking every document the normaliser produces — and refusing one it does not know.
// The templates are shared with every other test on this server; each change made here is repaired at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@elastic/elasticsearch';
import type { estypes } from '@elastic/elasticsearch';
import { loadConfig } from '../../src/shared/config/load.ts';
import { detectCapabilities, type EsCapabilities } from '../../src/sinks/elasticsearch/capabilities.ts';
import { applySetup, checkSetup, planSetup, SetupError, type SetupPlan } from '../../src/sinks/elasticsearch/setup.ts';
import { goldenFiles, runGolden, type GoldenEntry } from '../helpers/golden.ts';
import { testStack, uniqueName } from '../helpers/stack.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const EDITED = 'wireguard-fields@mappings';
const EDITED_PATH = 'template.mappings.properties.wireguard.properties.detail.ignore_above';

let es: Client;
let caps: EsCapabilities;
let plan: SetupPlan;
let esUrl: string;

before(async () => {
  esUrl = (await testStack()).esUrl;
  es = new Client({ node: esUrl });
  caps = await detectCapabilities(es);
  plan = planSetup(caps, loadConfig({ WG_SIEM_ES_NODES: esUrl }));
});

after(async () => {
  await es.close();
});

/** Golden documents as the pipeline would send them to namespace `ns`. */
function goldenDocs(ns: string): GoldenEntry[] {
  return goldenFiles().flatMap(runGolden)
    .filter((d) => !('unparsed' in d) && !('invalid' in d))
    .map((d) => ({ ...d, data_stream: { ...(d['data_stream'] as Record<string, unknown>), namespace: ns } }));
}

const itemErrors = (r: estypes.BulkResponse): estypes.ErrorCause[] =>
  r.items.flatMap((i) => (i.create?.error ? [i.create.error] : []));

describe('setup on the local Elasticsearch', () => {
  it('detects what the server lacks and plans accordingly', () => {
    const expected = caps.ilm ? 'ilm' : caps.dataStreamLifecycle ? 'data_stream_lifecycle' : 'none';
    assert.equal(plan.lifecycle.kind, expected);
    assert.equal(plan.objects.some((o) => o.kind === 'ilm_policy'), caps.ilm);
    const lacking = new Set(plan.substitutions.map((s) => s.from));
    for (const t of lacking) assert.ok(caps.missingFieldTypes.includes(t), `${t} substituted though the server has it`);
  });

  it('a second run finds everything in place and changes nothing', async () => {
    const first = await applySetup(es, plan);
    assert.deepEqual(first.map((o) => o.name), plan.objects.map((o) => o.name));
    const second = await applySetup(es, plan);
    assert.deepEqual(second.filter((o) => o.status !== 'unchanged'), [], 'second run');
    assert.ok(second.every((o) => o.previousVersion === o.version));
    assert.deepEqual(await checkSetup(es, plan), []);
  });

  it('finds a component template changed by hand, by object and path, and setup repairs it', async () => {
    const { component_templates: [got] } = await es.cluster.getComponentTemplate({ name: EDITED });
    assert.ok(got);
    const edited = structuredClone(got.component_template) as estypes.ClusterComponentTemplateNode & { created_date_millis?: number; modified_date_millis?: number };
    delete edited.created_date_millis;
    delete edited.modified_date_millis;
    const wg = edited.template.mappings?.properties?.['wireguard'] as { properties: Record<string, { ignore_above?: number }> } | undefined;
    assert.ok(wg?.properties['detail']);
    wg.properties['detail'].ignore_above = 512;
    try {
      await es.cluster.putComponentTemplate({ name: EDITED, ...edited });
      const diffs = await checkSetup(es, plan);
      assert.deepEqual(diffs.map((d) => `${d.kind} ${d.name}`), [`component_template ${EDITED}`]);
      assert.deepEqual(diffs[0]?.differences, [{ path: EDITED_PATH, change: 'changed', expected: 1024, installed: 512 }]);

      const repaired = await applySetup(es, plan);
      assert.deepEqual(repaired.filter((o) => o.status !== 'unchanged').map((o) => [o.name, o.status, o.differences.map((d) => d.path)]), [[EDITED, 'updated', [EDITED_PATH]]]);
      assert.deepEqual(await checkSetup(es, plan), []);
    } finally {
      await applySetup(es, plan);
    }
  });

  it('the data stream takes every golden document (create ops) and refuses an unknown field', async () => {
    await applySetup(es, plan);
    // Data streams cannot be deleted on the minimal build: a namespace of its own (no dashes, as Elastic's naming scheme wants).
    const ns = uniqueName('setup').replace(/-/g, '_');
    const stream = `logs-wireguard.log-${ns}`;
    const docs = goldenDocs(ns);
    assert.ok(docs.length > 100, `only ${docs.length} golden documents`);
    const r = await es.bulk({ operations: docs.flatMap((d) => [{ create: { _index: stream } }, d]), refresh: 'wait_for' });
    assert.deepEqual(itemErrors(r).slice(0, 5), [], 'item errors');
    assert.equal(r.items.length, docs.length);
    assert.equal((await es.count({ index: stream })).count, docs.length);

    // Whatever the server's field types, the stream's mapping is the installed one: strict, wg-siem's fields.
    const mapping = await es.indices.getMapping({ index: stream });
    const m = Object.values(mapping)[0]?.mappings;
    assert.equal(String(m?.dynamic), 'strict');
    assert.ok(m?.properties?.['wireguard']);

    const [sample] = docs;
    assert.ok(sample);
    const unknown = [
      { ...sample, not_a_field: 'x' },
      { ...sample, wireguard: { ...(sample['wireguard'] as Record<string, unknown>), not_a_field: 'x' } },
    ];
    const bad = await es.bulk({ operations: unknown.flatMap((d) => [{ create: { _index: stream } }, d]), refresh: 'wait_for' });
    const errors = itemErrors(bad);
    assert.equal(errors.length, unknown.length, JSON.stringify(bad.items));
    for (const e of errors) assert.match(`${e.type}: ${e.reason ?? ''}`, /strict.*not_a_field|not_a_field.*strict/i);
    assert.equal((await es.count({ index: stream })).count, docs.length);
  });

  it('a template the server refuses: the error names it and gives Elasticsearch\'s reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'wg-siem-setup-'));
    const name = `${uniqueName('wg-siem-test')}@mappings`;
    try {
      mkdirSync(join(root, 'component'));
      mkdirSync(join(root, 'index'));
      writeFileSync(join(root, 'component', `${name}.json`), JSON.stringify({ template: { mappings: { properties: { f: { type: 'no_such_type' } } } }, _meta: { version: 1 } }));
      const broken = planSetup({ ...caps, ilm: false, dataStreamLifecycle: false }, { 'elasticsearch.retentionDays': 1 }, { mappingsRoot: root });
      await assert.rejects(applySetup(es, broken), (e: unknown) => {
        assert.ok(e instanceof SetupError, String(e));
        assert.equal(e.object, name);
        assert.match(e.message, new RegExp(`^installing component_template ${name.replace(/[.@]/g, '\\$&')}: .*no_such_type.*\\[HTTP 400\\]`));
        return true;
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('wg-siem setup --check: in sync after setup, exit 0; human output names the lifecycle and substitutions', () => {
    // main.ts wires commands in; this runs the command through commander the same way, in a child process.
    const script = `
      import { Command } from 'commander';
      import { registerSetup } from './src/cli/commands/setup.ts';
      const p = new Command('wg-siem').exitOverride();
      registerSetup(p);
      await p.parseAsync(process.argv.slice(1), { from: 'user' });`;
    const run = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
      spawnSync(process.execPath, ['--input-type=module', '-e', script, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, WG_SIEM_ES_NODES: esUrl } });
    const check = run(['setup', '--check', '--json']);
    assert.equal(check.status, 0, check.stderr);
    const report = JSON.parse(check.stdout) as { inSync: boolean; lifecycle: { kind: string }; substitutions: unknown[] };
    assert.equal(report.inSync, true);
    assert.equal(report.lifecycle.kind, plan.lifecycle.kind);
    assert.equal(report.substitutions.length, plan.substitutions.length);
    const human = run(['setup']);
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /^ILM {2,}(yes|no)$/m);
    assert.match(human.stdout, /^retention {2,}\S/m);
    for (const o of plan.objects) assert.match(human.stdout, new RegExp(`${o.kind} +${o.name.replace(/[.@]/g, '\\$&')} +unchanged`));
  });
});
