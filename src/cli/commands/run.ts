import { Option, type Command } from 'commander';
import { loadConfig } from '../../shared/config/load.ts';
import { explainKafkaError } from '../../source/kafka/explain-error.ts';
import { explainEsError } from '../../sinks/elasticsearch/explain-error.ts';
import { resolveEs, resolveKafka } from '../targets.ts';

/** `wg-siem run`: the pipeline, until SIGTERM/SIGINT; exit 0 after a clean stop, 1 if stopping timed out. */
export function registerRun(program: Command): void {
  program.command('run')
    .description('consume WireGuard logs from Kafka, index ECS events into Elasticsearch, correlate them into alerts and pages (until SIGTERM/SIGINT)')
    .option('--from-latest', 'a new consumer group starts at the end of the topics instead of the beginning')
    .addOption(new Option('--stage <stage>', 'run only one stage: index (Kafka → Elasticsearch and the intermediate topic) or correlate (intermediate topic → alerts and pages)').choices(['all', 'index', 'correlate']).default('all'))
    .action(async (o: { fromLatest?: boolean; stage: 'all' | 'index' | 'correlate' }) => {
      // Signals are caught before anything else starts: a SIGTERM during start-up must still end in a clean stop.
      let onSignal: (signal: string) => void = () => { process.exitCode = 0; };
      let earlySignal: string | undefined;
      const early = (signal: string): void => { earlySignal = signal; onSignal(signal); };
      process.once('SIGTERM', () => early('SIGTERM'));
      process.once('SIGINT', () => early('SIGINT'));
      const config = loadConfig();
      // Loaded here, not at start-up of every command: kafkajs, the catalog and the schemas are not small.
      const [{ Pipeline }, { createLogger }, { createMetrics, pipelineHooks, watchDecoderFailures }, { startHttpServer }, { createCorrelation }, { correlationHooks, notifierHooks }] = await Promise.all([
        import('../../indexing/pipeline.ts'),
        import('../../shared/telemetry/logger.ts'),
        import('../../shared/telemetry/metrics.ts'),
        import('../../shared/telemetry/http.ts'),
        import('../../correlate/alerts/assemble.ts'),
        import('../../shared/telemetry/correlation-hooks.ts'),
      ]);
      const log = createLogger(config);
      const metrics = createMetrics();
      watchDecoderFailures(metrics, log);
      const es = resolveEs(config);
      const kafka = resolveKafka(config);
      // Rules and inventory are checked before anything connects: a bad rule file is a start-up error.
      // A consumer kafkajs will not restart leaves nothing to do: stop cleanly and exit 1 for the supervisor.
      let fatal = false;
      const onFatal = (e: Error): void => {
        if (fatal) return;
        fatal = true;
        const hint = explainKafkaError(e, config) ?? explainEsError(e, config);
        log.fatal({ err: e, ...(hint ? { hint } : {}) }, 'stopping for good; exiting so that the supervisor restarts wg-siem once this is fixed');
        process.stderr.write(`wg-siem: ${e.message}${hint ? `\n  what to fix: ${hint}` : ''}\n`);
        void stop('fatal').then(() => { process.exitCode = 1; });
      };
      const correlation = config['correlate.enabled'] && o.stage !== 'index'
        ? createCorrelation({ config, kafka, es, log, hooks: correlationHooks(metrics), notifierHooks: notifierHooks(metrics), onFatal })
        : undefined;
      const pipeline = o.stage === 'correlate' ? undefined : new Pipeline({ config, kafka, es, log, hooks: pipelineHooks(metrics), fromBeginning: !o.fromLatest, onFatal });
      const http = await startHttpServer({
        host: config['http.host'],
        port: config['http.port'],
        metrics,
        log,
        ready: () => {
          const r = pipeline?.readiness() ?? { ok: true, checks: {} };
          if (!correlation) return Promise.resolve(r);
          const c = correlation.stage.readiness();
          return Promise.resolve({ ok: r.ok && c.ok, checks: { ...r.checks, correlation: c } });
        },
      });
      let stopping: Promise<void> | undefined;
      const stop = (signal: string): Promise<void> => {
        stopping ??= (async () => {
          log.info({ signal }, 'stopping: finishing the batch in progress');
          const timeout = config['pipeline.shutdownTimeoutMs'];
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeout); });
          const stopAll = async (): Promise<'stopped'> => {
            await Promise.all([pipeline?.stop(), correlation?.stage.stop()]);
            await correlation?.notifier.drain(Math.min(5_000, timeout));
            return 'stopped';
          };
          const r = await Promise.race([stopAll(), timedOut]);
          clearTimeout(timer);
          await Promise.allSettled([http.close(), es.close()]);
          if (r === 'timeout') log.error({ timeoutMs: timeout }, 'stop timed out; uncommitted records will be delivered again');
          process.exitCode = r === 'timeout' ? 1 : 0;
          // A stop that timed out leaves Kafka sockets open (a consumer waiting in a rebalance, say), which would keep
          // the process alive for ever: once the work is settled, exit even if something still holds the event loop.
          setTimeout(() => process.exit(), 2000).unref();
        })();
        return stopping;
      };
      onSignal = (signal) => void stop(signal);
      if (earlySignal) { await stop(earlySignal); return; }
      if (o.stage === 'correlate' && !correlation) throw new Error('--stage correlate needs correlate.enabled');
      if (config['correlate.enabled']) {
        // Another deployment's records on the intermediate topic (or state in the state index): refuse to start.
        const { judgeOwnership, sampleOwnership } = await import('../../correlate/alerts/ownership.ts');
        const sample = await sampleOwnership(config, kafka, es).catch((e: unknown) => {
          log.warn({ err: e }, 'could not sample the intermediate topic and the state index for other deployments\' records');
          return undefined;
        });
        const verdict = sample ? judgeOwnership(config, sample) : { problems: [], notes: [] };
        for (const n of verdict.notes) log.warn({}, n);
        if (verdict.problems.length) {
          for (const p of verdict.problems) {
            log.fatal({}, p);
            process.stderr.write(`wg-siem: ${p}\n`);
          }
          await stop('refused');
          process.exitCode = 1;
          return;
        }
      }
      try {
        await Promise.all([pipeline?.start(), correlation?.stage.start()]);
      } catch (e) {
        // One stage may be connected already: stop it too, or its sockets would keep the process alive.
        await stop('start-failed');
        throw e;
      }
      // Returning keeps the process alive on the consumer's sockets until a signal stops it.
    });
}
