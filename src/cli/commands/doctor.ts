import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { detectCapabilities } from '../../elasticsearch/capabilities.ts';
import { waitKafkaReady } from '../../kafka/client.ts';
import { explainKafkaError } from '../../kafka/explain-error.ts';
import { resolveEs, resolveKafka } from '../targets.ts';

/** Checks that the configured (or local) Kafka and Elasticsearch answer; exit 1 naming what does not. */
export function registerDoctor(program: Command): void {
  program.command('doctor')
    .description('validate the configuration and check that Kafka and Elasticsearch answer (exit 1 if not)')
    .option('--timeout <seconds>', 'how long to wait for each', '15')
    .action(async (o: { timeout: string }) => {
      const c = loadConfig();
      const ms = Number(o.timeout) * 1000;
      const problems: string[] = [];
      try {
        const k = resolveKafka(c);
        await waitKafkaReady(k, ms);
        process.stdout.write(`kafka          ok  ${k.brokers.join(',')}\n`);
      } catch (e) {
        const hint = explainKafkaError((e as Error).cause ?? e, c);
        problems.push(`kafka: ${(e as Error).message}${hint ? `\n  what to fix: ${hint}` : ''}`);
      }
      try {
        const es = resolveEs(c);
        try {
          const caps = await detectCapabilities(es);
          process.stdout.write(`elasticsearch  ok  version ${caps.version}${caps.missingFieldTypes.length ? `, lacks ${caps.missingFieldTypes.join(', ')}` : ''}\n`);
        } finally { await es.close(); }
      } catch (e) { problems.push(`elasticsearch: ${(e as Error).message}`); }
      for (const p of problems) process.stderr.write(`${p}\n`);
      process.exitCode = problems.length ? 1 : 0;
    });
}
