// wg-siem's own logs: ECS JSON on stderr, so they can be shipped into the same Elasticsearch as the events they
// are about, and stdout stays free for command output (`normalize` writes documents there).
//
// Secrets are kept out by one mechanism: every argument and binding is sanitized before pino sees it
// (sanitize.ts): credential-named fields censored at any depth, and the configuration's secret values scrubbed
// from every string, which catches what no field name can: a password inside an error message or a URL. pino's
// own `redact` is not used: its paths reach a fixed depth only, so it could never be the only layer, and as a
// second one its wildcard paths cost time on every line for nothing the walk does not already cover.
import { ecsFormat } from '@elastic/ecs-pino-format';
import { pino } from 'pino';
import type { Bindings, ChildLoggerOptions, DestinationStream, LevelWithSilent, LogFn, Logger } from 'pino';
import type { Config } from '../config/keys.ts';
import { VERSION } from '../version.ts';
import { logError } from './errors.ts';
import { sanitize } from './sanitize.ts';
import { registerSecrets, secretValues } from './secrets.ts';

export { logError } from './errors.ts';
export type { EcsError } from './errors.ts';

export const SERVICE_NAME = 'wg-siem';

export interface CreateLoggerOptions {
  /** Where the JSON lines go. Default: stderr, written synchronously. */
  readonly destination?: DestinationStream;
  /** Overrides `log.level` of the configuration. */
  readonly level?: LevelWithSilent;
  /** `service.version`; default: the version in package.json. */
  readonly version?: string;
}

export function createLogger(config: Pick<Config, 'log.level'> & Partial<Config>, opts: CreateLoggerOptions = {}): Logger {
  registerSecrets(secretValues(config));
  const ecs = ecsFormat({
    serviceName: SERVICE_NAME,
    serviceVersion: opts.version ?? VERSION,
    // Data-stream dataset names may not contain '-'.
    eventDataset: 'wg_siem.log',
    // No Elastic APM agent is part of wg-siem; skip the require() probing for one.
    apmIntegration: false,
  });
  const ecsBindings = ecs.formatters?.bindings;
  const ecsLog = ecs.formatters?.log;
  if (ecsBindings === undefined || ecsLog === undefined) {
    throw new Error('@elastic/ecs-pino-format no longer provides bindings/log formatters; check its version');
  }
  // Synchronous: the last lines before a crash or process.exit() are the ones that explain it.
  const destination = opts.destination ?? pino.destination({ dest: 2, sync: true });
  const logger = pino({
    ...ecs,
    level: opts.level ?? config['log.level'],
    formatters: {
      ...ecs.formatters,
      bindings: (b) => ecsBindings(sanitize(b)),
      // The same error.* fields whether a caller logs { err } or logError(err): type, message, stack with causes,
      // code (ecs-pino-format alone drops the code and the causes).
      log: (o) => {
        const err = o['err'];
        if (!(err instanceof Error)) return ecsLog(o);
        const { err: _err, ...rest } = o;
        return ecsLog({ ...rest, ...logError(err) });
      },
    },
    hooks: {
      // Before pino formats anything: the message, interpolation arguments, objects and errors are all here,
      // including the error whose message pino would otherwise copy into `message` unscrubbed.
      logMethod(args, method) {
        method.apply(this, args.map((a: unknown) => sanitize(a)) as Parameters<LogFn>);
      },
    },
  }, destination);
  sanitizeChildBindings(logger);
  return logger;
}

/**
 * pino formats a child's bindings once, when the child is made, and not through the root's bindings formatter;
 * so `child()` and `setBindings()` sanitize them first. Children are made with Object.create(parent), so
 * overriding them on the root covers every descendant.
 */
function sanitizeChildBindings(logger: Logger): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the right `this`
  const child: (this: Logger, bindings: Bindings, options?: ChildLoggerOptions<never>) => Logger = logger.child;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the right `this`
  const setBindings = logger.setBindings;
  Object.defineProperties(logger, {
    child: {
      value: function sanitizedChild(this: Logger, bindings: Bindings, options?: ChildLoggerOptions<never>): Logger {
        return child.call(this, sanitize(bindings), options);
      },
    },
    setBindings: {
      value: function sanitizedSetBindings(this: Logger, bindings: Bindings): void {
        setBindings.call(this, sanitize(bindings));
      },
    },
  });
}

/** The logger of one part of the pipeline; its lines carry `component` (consumer, indexer, alerter, http, …). */
export function componentLogger(log: Logger, component: string, bindings: Bindings = {}): Logger {
  return log.child({ ...bindings, component });
}
