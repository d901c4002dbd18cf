import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { detectCapabilities, type EsCapabilities } from '../../sinks/elasticsearch/capabilities.ts';
import { applySetup, checkSetup, planSetup, type ApplyOutcome, type ObjectDifferences, type PathDifference, type SetupPlan } from '../../sinks/elasticsearch/setup.ts';
import { resolveEs } from '../targets.ts';
import type { Config } from '../../shared/config/keys.ts';
import { buildSavedObjects } from '../../sinks/kibana/build.ts';
import { WG_SIEM_ROLES } from '../../sinks/elasticsearch/roles.ts';
import { importSavedObjects, type KibanaAuth, type KibanaImportReport } from '../../sinks/kibana/import.ts';

const out = (s: string): void => { process.stdout.write(`${s}\n`); };
const yesNo = (b: boolean): string => (b ? 'yes' : 'no');
const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const version = (v: number | null): string => (v === null ? 'no version' : `v${v}`);

function lifecycleText(plan: SetupPlan): string {
  const l = plan.lifecycle;
  switch (l.kind) {
    case 'ilm': return `ILM policy ${l.policy}: rollover at 30 days or 50 GB per primary shard, delete ${l.retentionDays} days after rollover`;
    case 'data_stream_lifecycle': return `data-stream lifecycle: data_retention ${l.dataRetention}`;
    case 'none': return `none: the server has neither ILM nor the data-stream lifecycle, so elasticsearch.retentionDays (${l.retentionDays}) is not enforced and data is kept until deleted`;
  }
}

/** The capabilities that decide the plan, and the plan's consequences. */
function printServer(caps: EsCapabilities, plan: SetupPlan): void {
  out(`elasticsearch          ${caps.version}`);
  out(`ILM                    ${yesNo(caps.ilm)}`);
  out(`data-stream lifecycle  ${yesNo(caps.dataStreamLifecycle)}`);
  out(`retention              ${lifecycleText(plan)}`);
  const st = plan.storage;
  out(`storage                data streams in ${st.dataStreamMode} mode, ${st.source} _source, codec ${st.codec} (logsdb ${yesNo(caps.logsdb)}, synthetic _source ${yesNo(caps.syntheticSource)}, best_compression ${yesNo(caps.bestCompression)})`);
  out(`diagnoses index        wireguard-diagnoses in ${st.diagnosesMode} mode (lookup index mode ${yesNo(caps.lookupIndexMode)}, ES|QL ${yesNo(caps.esql)}, enrich ${yesNo(caps.enrich)}${st.diagnosesMode === 'lookup' && caps.esql ? ': LOOKUP JOIN wireguard-diagnoses ON wireguard.diagnosis.id' : ''})`);
  if (plan.substitutions.length === 0) { out('field types            all available, none substituted'); return; }
  const lacking = [...new Set(plan.substitutions.map((s) => s.from))].join(', ');
  out(`field types            ${plan.substitutions.length} substituted (the server lacks ${lacking}):`);
  const w = Math.max(...plan.substitutions.map((s) => s.template.length));
  const f = Math.max(...plan.substitutions.map((s) => s.field.length));
  for (const s of plan.substitutions) out(`  ${s.template.padEnd(w)}  ${s.field.padEnd(f)}  ${s.from} → ${s.to}`);
}

function outcomeLine(o: ApplyOutcome): string {
  const v = o.previousVersion !== null && o.previousVersion !== o.version
    ? `${version(o.previousVersion)} → ${version(o.version)}${o.version !== null && o.previousVersion > o.version ? ' (the installed one was newer: downgraded)' : ''}`
    : version(o.version);
  const paths = o.status === 'updated' ? `, ${o.differences.length} path${o.differences.length === 1 ? '' : 's'} changed` : '';
  return `  ${o.kind.padEnd(18)}  ${o.name.padEnd(28)}  ${o.status.padEnd(9)}  ${v}${paths}`;
}

function differenceLine(d: PathDifference): string {
  switch (d.change) {
    case 'missing': return `    ${d.path}: missing (expected ${show(d.expected)})`;
    case 'unexpected': return `    ${d.path}: not expected (installed ${show(d.installed)})`;
    case 'changed': return `    ${d.path}: expected ${show(d.expected)}, installed ${show(d.installed)}`;
  }
}

function printDifferences(diffs: readonly ObjectDifferences[]): void {
  if (diffs.length === 0) { out('in sync: every object is installed as planned'); return; }
  for (const o of diffs) {
    if (!o.installed) { out(`${o.kind} ${o.name}: not installed`); continue; }
    const v = o.installedVersion !== o.version ? ` (installed ${version(o.installedVersion)}, planned ${version(o.version)})` : '';
    out(`${o.kind} ${o.name}${v}:`);
    for (const d of o.differences) out(differenceLine(d));
  }
}

function serverJson(caps: EsCapabilities): Record<string, unknown> {
  return {
    version: caps.version, ilm: caps.ilm, dataStreamLifecycle: caps.dataStreamLifecycle, missingFieldTypes: caps.missingFieldTypes,
    logsdb: caps.logsdb, syntheticSource: caps.syntheticSource, bestCompression: caps.bestCompression, lookupIndexMode: caps.lookupIndexMode, esql: caps.esql, enrich: caps.enrich,
  };
}

/** Kibana's own API key, else the Elasticsearch credentials (Kibana authenticates against the same cluster). */
function kibanaAuth(config: Config): KibanaAuth {
  const apiKey = config['kibana.apiKey'] ?? config['elasticsearch.apiKey'];
  if (apiKey) return { apiKey };
  const username = config['elasticsearch.username'];
  const password = config['elasticsearch.password'];
  return username && password ? { username, password } : null;
}

function printKibana(r: KibanaImportReport): void {
  out(`kibana ${r.kibanaVersion}, space ${r.space}: ${r.objects.length} objects imported`);
  for (const x of r.objects) out(`  ${x.type.padEnd(18)}  ${x.id.padEnd(34)}  ${x.outcome.padEnd(11)}  ${x.title}`);
}

/** The roles as a cluster admin applies them: one PUT per role, bodies as Elasticsearch takes them. */
function printRoles(): void {
  out('# wg-siem\'s Elasticsearch roles. Give `wg-siem run` a user or API key with wg-siem-writer, and `wg-siem setup`');
  out('# one with wg-siem-setup (for an API key, pass the role as its role_descriptors). Kibana Dev Tools or curl:');
  for (const [name, role] of Object.entries(WG_SIEM_ROLES)) {
    out(`PUT _security/role/${name}`);
    out(JSON.stringify(role, null, 2));
    out('');
  }
}

export function registerSetup(program: Command): void {
  program.command('setup')
    .description('install the ILM policy or data-stream lifecycle and the index templates for the target Elasticsearch (idempotent)')
    .option('--check', 'install nothing: print how the server differs from what setup would install (exit 1 if it does)')
    .option('--kibana [url]', 'also import the dashboards, data views and saved searches into Kibana (default URL: kibana.url)')
    .option('--print-role', 'print the least-privilege Elasticsearch roles of wg-siem (run and setup) for a cluster admin, and exit')
    .option('--json', 'print JSON')
    .action(async (o: { check?: boolean; json?: boolean; kibana?: string | true; printRole?: boolean }, cmd: Command) => {
      if (o.printRole) { printRoles(); return; }
      const config = loadConfig();
      const kibanaUrl = o.kibana === undefined ? undefined : o.kibana === true ? config['kibana.url'] : o.kibana;
      if (o.kibana !== undefined && (kibanaUrl === null || kibanaUrl === undefined)) cmd.error('error: --kibana needs a URL: give one, or set kibana.url (WG_SIEM_KIBANA_URL)', { exitCode: 2 });
      if (o.kibana !== undefined && o.check) cmd.error('error: --check compares Elasticsearch only: run it without --kibana', { exitCode: 2 });
      const es = resolveEs(config);
      try {
        const caps = await detectCapabilities(es);
        const plan = planSetup(caps, config);
        const head = { elasticsearch: serverJson(caps), lifecycle: plan.lifecycle, storage: plan.storage, substitutions: plan.substitutions };
        if (!o.json) printServer(caps, plan);
        if (o.check) {
          const diffs = await checkSetup(es, plan);
          if (o.json) out(JSON.stringify({ ...head, inSync: diffs.length === 0, differences: diffs }));
          else printDifferences(diffs);
          process.exitCode = diffs.length === 0 ? 0 : 1;
          return;
        }
        if (!o.json) out('objects, in install order:');
        const outcomes = await applySetup(es, plan, { onOutcome: o.json ? undefined : (r) => out(outcomeLine(r)) });
        const kibana = kibanaUrl ? await importSavedObjects(buildSavedObjects(), {
          url: kibanaUrl, space: config['kibana.space'], auth: kibanaAuth(config), readyTimeoutMs: config['kibana.readyTimeoutMs'],
          log: (line) => process.stderr.write(`${line}\n`),
        }) : undefined;
        if (o.json) out(JSON.stringify({ ...head, objects: outcomes, ...(kibana ? { kibana } : {}) }));
        else if (kibana) printKibana(kibana);
      } finally {
        await es.close();
      }
    });
}
