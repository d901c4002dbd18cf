import type { Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { detectCapabilities } from '../../sinks/elasticsearch/capabilities.ts';
import { waitKafkaReady } from '../../source/kafka/client.ts';
import { explainKafkaError } from '../../source/kafka/explain-error.ts';
import { resolveEs, resolveKafka } from '../targets.ts';
import { describeKafkaCluster, kafkaClusterReport } from '../../source/kafka/cluster-report.ts';
import { describeEsCluster, esClusterReport } from '../../sinks/elasticsearch/cluster-report.ts';

/** Checks that the configured (or local) Kafka and Elasticsearch answer; exit 1 naming what does not. */
export function registerDoctor(program: Command): void {
  program.command('doctor')
    .description('validate the configuration, check that Kafka and Elasticsearch answer and report both clusters: brokers, ISR of wg-siem\'s topics, nodes, shard health (exit 1 on a problem)')
    .option('--timeout <seconds>', 'how long to wait for each', '15')
    .action(async (o: { timeout: string }) => {
      const c = loadConfig();
      const ms = Number(o.timeout) * 1000;
      const problems: string[] = [];
      const warnings: string[] = [];
      const report = (r: { lines: string[]; problems: string[]; warnings: string[] }): void => {
        for (const l of r.lines) process.stdout.write(`${l}\n`);
        problems.push(...r.problems);
        warnings.push(...r.warnings);
      };
      try {
        const k = resolveKafka(c);
        await waitKafkaReady(k, ms);
        process.stdout.write(`kafka          ok  ${k.brokers.join(',')}\n`);
        const topics = [...c['kafka.topics'], c['kafka.dlqTopic'], ...(c['correlate.enabled'] ? [c['kafka.correlationTopic']] : [])];
        try { report(describeKafkaCluster(await kafkaClusterReport(k, topics))); } catch (e) { warnings.push(`kafka: could not describe the cluster: ${(e as Error).message}`); }
      } catch (e) {
        const hint = explainKafkaError((e as Error).cause ?? e, c);
        problems.push(`kafka: ${(e as Error).message}${hint ? `\n  what to fix: ${hint}` : ''}`);
      }
      try {
        const es = resolveEs(c);
        try {
          const caps = await detectCapabilities(es);
          process.stdout.write(`elasticsearch  ok  version ${caps.version}${caps.missingFieldTypes.length ? `, lacks ${caps.missingFieldTypes.join(', ')}` : ''}\n`);
          try { report(describeEsCluster(await esClusterReport(es))); } catch (e) { warnings.push(`elasticsearch: could not describe the cluster: ${(e as Error).message}`); }
        } finally { await es.close(); }
      } catch (e) { problems.push(`elasticsearch: ${(e as Error).message}`); }
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      for (const p of problems) process.stderr.write(`${p}\n`);
      process.exitCode = problems.length ? 1 : 0;
    });
}
