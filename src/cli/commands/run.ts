import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { resolveEs, resolveKafka } from '../targets.ts';

/** `wg-siem run`: the pipeline, until SIGTERM/SIGINT; exit 0 after a clean stop, 1 if stopping timed out. */
export function registerRun(program: Command): void {
  program.command('run')
    .description('consume WireGuard logs from Kafka and index ECS events into Elasticsearch (until SIGTERM/SIGINT)')
    .option('--from-latest', 'a new consumer group starts at the end of the topics instead of the beginning')
    .action(async (o: { fromLatest?: boolean }) => {
      // Signals are caught before anything else starts: a SIGTERM during start-up must still end in a clean stop.
      let onSignal: (signal: string) => void = () => { process.exitCode = 0; };
      let earlySignal: string | undefined;
      const early = (signal: string): void => { earlySignal = signal; onSignal(signal); };
      process.once('SIGTERM', () => early('SIGTERM'));
      process.once('SIGINT', () => early('SIGINT'));
      const config = loadConfig();
      // Loaded here, not at start-up of every command: kafkajs, the catalog and the schemas are not small.
      const [{ Pipeline }, { createLogger }, { createMetrics, pipelineHooks }, { startHttpServer }] = await Promise.all([
        import('../../pipeline/pipeline.ts'),
        import('../../telemetry/logger.ts'),
        import('../../telemetry/metrics.ts'),
        import('../../telemetry/http.ts'),
      ]);
      const log = createLogger(config);
      const metrics = createMetrics();
      const es = resolveEs(config);
      const pipeline = new Pipeline({ config, kafka: resolveKafka(config), es, log, hooks: pipelineHooks(metrics), fromBeginning: !o.fromLatest });
      const http = await startHttpServer({
        host: config['http.host'],
        port: config['http.port'],
        metrics,
        log,
        ready: () => Promise.resolve(pipeline.readiness()),
      });
      let stopping: Promise<void> | undefined;
      const stop = (signal: string): Promise<void> => {
        stopping ??= (async () => {
          log.info({ signal }, 'stopping: finishing the batch in progress');
          const timeout = config['pipeline.shutdownTimeoutMs'];
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeout); });
          const r = await Promise.race([pipeline.stop().then(() => 'stopped' as const), timedOut]);
          clearTimeout(timer);
          await Promise.allSettled([http.close(), es.close()]);
          if (r === 'timeout') log.error({ timeoutMs: timeout }, 'stop timed out; uncommitted records will be delivered again');
          process.exitCode = r === 'timeout' ? 1 : 0;
        })();
        return stopping;
      };
      onSignal = (signal) => void stop(signal);
      if (earlySignal) { await stop(earlySignal); return; }
      await pipeline.start();
      // Returning keeps the process alive on the consumer's sockets until a signal stops it.
    });
}
