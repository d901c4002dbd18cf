import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { capabilitiesReport, detectCapabilities } from '../../sinks/elasticsearch/capabilities.ts';
import { resolveEs } from '../targets.ts';

export function registerCapabilities(program: Command): void {
  program.command('capabilities')
    .description('ask the target Elasticsearch what it supports (ingest, ILM, field types, ...) as wg-siem detects it')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const es = resolveEs(loadConfig());
      try {
        const r = capabilitiesReport(await detectCapabilities(es));
        if (o.json) { process.stdout.write(`${JSON.stringify(r)}\n`); return; }
        for (const [k, v] of Object.entries(r)) process.stdout.write(`${k.padEnd(20)} ${Array.isArray(v) ? v.join(', ') || '(none)' : String(v)}\n`);
      } finally {
        await es.close();
      }
    });
}
