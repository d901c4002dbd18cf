import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { detectCapabilities, type EsCapabilities } from '../../elasticsearch/capabilities.ts';
import { applySetup, checkSetup, planSetup, type ApplyOutcome, type ObjectDifferences, type PathDifference, type SetupPlan } from '../../elasticsearch/setup.ts';
import { resolveEs } from '../targets.ts';

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
  return { version: caps.version, ilm: caps.ilm, dataStreamLifecycle: caps.dataStreamLifecycle, missingFieldTypes: caps.missingFieldTypes };
}

export function registerSetup(program: Command): void {
  program.command('setup')
    .description('install the ILM policy or data-stream lifecycle and the index templates for the target Elasticsearch (idempotent)')
    .option('--check', 'install nothing: print how the server differs from what setup would install (exit 1 if it does)')
    .option('--json', 'print JSON')
    .action(async (o: { check?: boolean; json?: boolean }) => {
      const config = loadConfig();
      const es = resolveEs(config);
      try {
        const caps = await detectCapabilities(es);
        const plan = planSetup(caps, config);
        const head = { elasticsearch: serverJson(caps), lifecycle: plan.lifecycle, substitutions: plan.substitutions };
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
        if (o.json) out(JSON.stringify({ ...head, objects: outcomes }));
      } finally {
        await es.close();
      }
    });
}
