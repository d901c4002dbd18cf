import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { capabilitiesReport, detectCapabilities } from '../../elasticsearch/capabilities.ts';
import { stackUp } from '../../stack/stack.ts';
import { resolveEs } from '../targets.ts';

/**
 * The README's first command. For now it brings the local stack up and shows what it runs and what the
 * Elasticsearch build supports; later stages (pipeline, lab scenarios, alerts) extend it.
 */
export function registerDemo(program: Command): void {
  program.command('demo')
    .description('bring up the local stack and show what runs where (the README\'s first command)')
    .action(async () => {
      const c = loadConfig();
      const out = process.stdout;
      out.write('wg-siem demo: starting the local Kafka + Elasticsearch stack (first run downloads them from Maven Central, then cached)\n');
      const r = await stackUp(c);
      out.write(`  ready in ${r.seconds.total} s${r.downloaded.length ? ` (downloaded ${r.downloaded.join(', ')})` : ''}${r.alreadyRunning.length ? ` (already running: ${r.alreadyRunning.join(', ')})` : ''}\n`);
      out.write(`  Kafka ${r.status.kafka.version}: ${r.status.kafka.brokers.join(',')}\n`);
      out.write(`  Elasticsearch ${r.status.elasticsearch.version}: ${r.status.elasticsearch.url} (health ${r.status.elasticsearch.health})\n`);
      const es = resolveEs(c);
      try {
        const caps = capabilitiesReport(await detectCapabilities(es));
        out.write(`  Elasticsearch build: ILM ${caps.ilm ? 'yes' : 'no'}, ingest processors ${(caps.ingestProcessors as string[]).length}, `
          + `missing field types: ${(caps.missingFieldTypes as string[]).join(', ') || 'none'}\n`);
      } finally {
        await es.close();
      }
      out.write(`\nThe stack keeps running for you to explore:\n  curl '${r.status.elasticsearch.url}/_cluster/health?pretty'\n`
        + '  bin/wg-siem stack status      bin/wg-siem stack down\n');
    });
}
