import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Level, Logger } from 'pino';
import type { Config } from '../../../../src/shared/config/keys.ts';
import { SECRET_KEYS } from '../../../../src/shared/config/keys.ts';
import { loadConfig, redactedConfig } from '../../../../src/shared/config/load.ts';
import { componentLogger, createLogger, logError } from '../../../../src/shared/telemetry/logger.ts';
import { sanitize } from '../../../../src/shared/telemetry/sanitize.ts';

const dir = mkdtempSync(join(tmpdir(), 'wg-siem-logger-'));
const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const VERSION = (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

// Characters that JSON escapes, URLs encode and regular expressions treat specially, so that a secret hidden
// only in its raw form but visible in an encoded one is caught.
const SECRETS = {
  kafkaPassword: 'kafka-Pa$$w0rd/"quoted"\\back+slash',
  esPassword: 'es.pass(word)?*[x]{2}|^end',
  esApiKey: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==',
} as const;

function secretFile(name: string, value: string): string {
  const f = join(dir, name);
  writeFileSync(f, `${value}\n`);
  return f;
}

/** The same secrets twice: straight from the environment, and through the *_FILE variables. */
const CONFIGS: ReadonlyArray<{ readonly name: string; readonly config: Config }> = [
  {
    name: 'environment',
    config: loadConfig({
      WG_SIEM_LOG_LEVEL: 'trace',
      WG_SIEM_KAFKA_BROKERS: 'kafka-1:9093', WG_SIEM_KAFKA_SASL_MECHANISM: 'scram-sha-512', WG_SIEM_KAFKA_SASL_USERNAME: 'wg-siem',
      WG_SIEM_KAFKA_SASL_PASSWORD: SECRETS.kafkaPassword,
      WG_SIEM_ES_NODES: 'https://es-1:9200', WG_SIEM_ES_USERNAME: 'elastic', WG_SIEM_ES_PASSWORD: SECRETS.esPassword,
      WG_SIEM_ES_API_KEY: SECRETS.esApiKey,
    }),
  },
  {
    name: '*_FILE',
    config: loadConfig({
      WG_SIEM_LOG_LEVEL: 'trace',
      WG_SIEM_KAFKA_SASL_MECHANISM: 'plain', WG_SIEM_KAFKA_SASL_USERNAME: 'wg-siem',
      WG_SIEM_KAFKA_SASL_PASSWORD_FILE: secretFile('kafka-pw', SECRETS.kafkaPassword),
      WG_SIEM_ES_USERNAME: 'elastic', WG_SIEM_ES_PASSWORD_FILE: secretFile('es-pw', SECRETS.esPassword),
      WG_SIEM_ES_API_KEY_FILE: secretFile('es-key', SECRETS.esApiKey),
    }),
  },
];

// Credentials that are not in the configuration: only the path-based redaction can hide them.
const FIELD_SECRETS = {
  password: 'field-password-1f9c',
  apiKey: 'field-apikey-77ab',
  api_key: 'field-api_key-03de',
  authorization: 'Bearer field-token-5e21',
  privateKey: 'aGVsbG8tcHJpdmF0ZS1rZXktZmllbGQtMDAwMDAwMDA=',
  presharedKey: 'cHJlc2hhcmVkLWtleS1maWVsZC0wMDAwMDAwMDAwMDA=',
  private_key: 'field-private_key-9911',
  preshared_key: 'field-preshared_key-2288',
} as const;

/** Every form in which a secret could show up in a JSON line. */
function forms(secret: string): string[] {
  const out = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  return [...out];
}

function capture(config: Config): { readonly log: Logger; readonly lines: () => string[]; readonly text: () => string } {
  const chunks: string[] = [];
  const log = createLogger(config, { destination: { write: (s: string) => { chunks.push(s); } } });
  const text = (): string => chunks.join('');
  return { log, text, lines: () => text().split('\n').filter((l) => l !== '') };
}

function assertNoSecrets(text: string, secrets: Iterable<string>): void {
  for (const s of secrets) {
    for (const f of forms(s)) assert.ok(!text.includes(f), `secret ${JSON.stringify(f)} written:\n${text}`);
  }
}

function parseLines(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.map((l) => {
    const o: unknown = JSON.parse(l);
    assert.ok(o !== null && typeof o === 'object' && !Array.isArray(o), l);
    return o as Record<string, unknown>;
  });
}

/** Everything a careless caller might log, at one level. */
function logEverything(log: Logger, level: Level, config: Config): number {
  const fn = log[level].bind(log);
  const kafka = config['kafka.sasl.password'] ?? '';
  const es = config['elasticsearch.password'] ?? '';
  fn({ config }, 'configuration (flat keys, nested under config)');
  fn(config, 'configuration (flat keys at the top)');
  fn({ settings: { loaded: config } }, 'configuration two levels down');
  fn({ kafka: { brokers: ['k:9092'], sasl: { mechanism: 'plain', username: 'u', password: kafka } } }, 'client config, nested');
  fn({ elasticsearch: { auth: { username: 'elastic', password: es, apiKey: config['elasticsearch.apiKey'] } } }, 'es auth');
  fn({ ...FIELD_SECRETS }, 'credential fields at the top');
  fn({ request: { headers: { authorization: FIELD_SECRETS.authorization }, auth: { ...FIELD_SECRETS } } }, 'request');
  fn({ headers: { authorization: FIELD_SECRETS.authorization } }, 'headers');
  fn({ peer: { public_key: 'PUBLIC', privateKey: FIELD_SECRETS.privateKey, presharedKey: FIELD_SECRETS.presharedKey } }, 'peer');
  fn({ sasl: { password: FIELD_SECRETS.password } }, 'sasl');
  fn({ err: { meta: { headers: { authorization: FIELD_SECRETS.authorization } } } }, 'deep header');
  fn(`connecting to https://elastic:${encodeURIComponent(es)}@es-1:9200 with ${kafka}`);
  fn('interpolated %s and %j', kafka, { password: es });
  fn({ url: `https://u:${es}@host/`, list: [kafka, { deeper: [es] }] }, 'secret values in arbitrary fields');
  fn({ headers: { Authorization: `Basic ${Buffer.from(`elastic:${es}`).toString('base64')}` } }, 'basic auth header');
  fn(new Error(`authentication failed for ${kafka}`));
  fn({ err: new Error(`bulk failed: ${es}`, { cause: new Error(`inner ${kafka}`) }) }, 'with err');
  fn(logError(new TypeError(`bad api key ${config['elasticsearch.apiKey'] ?? ''}`)), 'with logError');
  componentLogger(log, 'consumer', { broker: `user:${kafka}@k:9092` }).child({ nested: { password: es } })[level]('from a child');
  return 19;
}

function allSecrets(config: Config): string[] {
  const out: string[] = Object.values(FIELD_SECRETS);
  for (const k of SECRET_KEYS) {
    const v = config[k];
    if (typeof v === 'string') out.push(v);
  }
  out.push(Buffer.from(`elastic:${config['elasticsearch.password'] ?? ''}`).toString('base64'));
  return out;
}

for (const { name, config } of CONFIGS) {
  test(`no secret is ever written, at any level (secrets from ${name})`, () => {
    assert.equal(config['kafka.sasl.password'], SECRETS.kafkaPassword);
    assert.equal(config['elasticsearch.password'], SECRETS.esPassword);
    assert.equal(config['elasticsearch.apiKey'], SECRETS.esApiKey);
    const { log, lines, text } = capture(config);
    let expected = 0;
    for (const level of LEVELS) expected += logEverything(log, level, config);
    assert.equal(lines().length, expected, 'one line per call, at every level');
    assertNoSecrets(text(), allSecrets(config));
    assert.ok(text().includes('[redacted]'));
    // What is not secret stays readable.
    const parsed = parseLines(lines());
    assert.ok(parsed.some((l) => (l['peer'] as { public_key?: string } | undefined)?.public_key === 'PUBLIC'));
    assert.ok(parsed.some((l) => (l['config'] as Record<string, unknown> | undefined)?.['kafka.sasl.username'] === 'wg-siem'));
  });
}

test('every line is ECS JSON: @timestamp, log.level, message, ecs.version, service.*', () => {
  const config = CONFIGS[0]?.config;
  assert.ok(config);
  const { log, lines } = capture(config);
  for (const level of LEVELS) log[level]({ config: redactedConfig(config), labels: { n: 1 } }, `a ${level} message`);
  const parsed = parseLines(lines());
  assert.equal(parsed.length, LEVELS.length);
  parsed.forEach((l, i) => {
    assert.equal(typeof l['@timestamp'], 'string');
    assert.ok(!Number.isNaN(Date.parse(l['@timestamp'] as string)), String(l['@timestamp']));
    assert.match(l['@timestamp'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(l['log.level'], LEVELS[i]);
    assert.equal(l['message'], `a ${LEVELS[i] ?? ''} message`);
    assert.match(l['ecs.version'] as string, /^\d+\.\d+\.\d+$/);
    assert.equal(l['service.name'], 'wg-siem');
    assert.equal(l['service.version'], VERSION);
    assert.equal(l['event.dataset'], 'wg_siem.log');
  });
});

test('the level comes from log.level; "silent" writes nothing', () => {
  const base = CONFIGS[0]?.config;
  assert.ok(base);
  const warn = capture({ ...base, 'log.level': 'warn' });
  for (const level of LEVELS) warn.log[level]('x');
  assert.deepEqual(parseLines(warn.lines()).map((l) => l['log.level']), ['warn', 'error', 'fatal']);
  const silent = capture({ ...base, 'log.level': 'silent' });
  for (const level of LEVELS) silent.log[level]('x');
  assert.equal(silent.text(), '');
});

test('componentLogger tags every line with its component, grandchildren included', () => {
  const config = CONFIGS[0]?.config;
  assert.ok(config);
  const { log, lines } = capture(config);
  const consumer = componentLogger(log, 'consumer', { groupId: 'g' });
  consumer.info('one');
  consumer.child({ partition: 3 }).warn('two');
  const [one, two] = parseLines(lines());
  assert.equal(one?.['component'], 'consumer');
  assert.equal(one?.['groupId'], 'g');
  assert.equal(two?.['component'], 'consumer');
  assert.equal(two?.['partition'], 3);
});

test('logError: ECS error.* fields, secret values scrubbed from message, stack and causes', () => {
  const config = CONFIGS[1]?.config;
  assert.ok(config);
  createLogger(config, { destination: { write: () => undefined } });
  const err = Object.assign(
    new Error(`SASL authentication failed: password ${SECRETS.kafkaPassword} rejected`, { cause: new Error(`token ${SECRETS.esApiKey}`) }),
    { code: 'SASL_AUTHENTICATION_FAILED' },
  );
  const { error } = logError(err);
  assert.equal(error.type, 'Error');
  assert.equal(error.message, 'SASL authentication failed: password [redacted] rejected');
  assert.equal(error.code, 'SASL_AUTHENTICATION_FAILED');
  assert.ok(error.stack_trace?.startsWith('Error: SASL authentication failed: password [redacted] rejected\n    at '), error.stack_trace);
  assert.ok(error.stack_trace?.includes('Caused by: Error: token [redacted]'), error.stack_trace);
  assertNoSecrets(JSON.stringify(error), Object.values(SECRETS));
  // The original error is left as it was.
  assert.ok(err.message.includes(SECRETS.kafkaPassword));
});

test('logError: subclasses keep their type; empty AggregateErrors explain themselves; non-errors too', () => {
  class BulkError extends Error {}
  assert.equal(logError(new BulkError('x')).error.type, 'BulkError');
  const refused = new AggregateError([new Error('connect ECONNREFUSED ::1:9200'), new Error('connect ECONNREFUSED 127.0.0.1:9200')], '');
  assert.equal(logError(refused).error.message, 'connect ECONNREFUSED ::1:9200; connect ECONNREFUSED 127.0.0.1:9200');
  assert.deepEqual(logError(`plain ${SECRETS.esPassword}`), { error: { type: 'string', message: 'plain [redacted]' } });
  assert.deepEqual(logError({ message: 'shaped like an error' }), { error: { type: 'Object', message: 'shaped like an error' } });
  assert.deepEqual(logError(undefined), { error: { type: 'undefined', message: 'undefined' } });
});

test('an error whose message contains a secret is scrubbed in the line, however it is logged', () => {
  const config = CONFIGS[0]?.config;
  assert.ok(config);
  const { log, lines, text } = capture(config);
  const err = new Error(`login to https://elastic:${SECRETS.esPassword}@es-1:9200 failed`);
  log.error(err);
  log.error({ err }, 'es unreachable');
  log.error(logError(err), 'es unreachable');
  assertNoSecrets(text(), Object.values(SECRETS));
  const parsed = parseLines(lines());
  assert.equal(parsed[0]?.['message'], 'login to https://elastic:[redacted]@es-1:9200 failed');
  for (const l of parsed) {
    const e = l['error'] as { type?: string; message?: string; stack_trace?: string } | undefined;
    assert.equal(e?.type, 'Error');
    assert.equal(e.message, 'login to https://elastic:[redacted]@es-1:9200 failed');
    assert.ok(e.stack_trace?.includes('[redacted]'));
    assert.equal(l['err'], undefined);
  }
});

test('field names alone hide every secret key of the configuration table, flat and nested at any depth, and the generic fields', () => {
  // Values never registered as secrets, so only where they sit can hide them.
  const hidden = (key: string): string => `by-name-only-${key}`;
  const nestedAt = (segments: readonly string[], value: string): unknown => segments.reduceRight<unknown>((inner, k) => ({ [k]: inner }), value);
  for (const k of SECRET_KEYS) {
    const v = hidden(k);
    const segs = k.split('.');
    for (const doc of [{ [k]: v }, { config: { [k]: v } }, { a: { b: { [k]: v } } }, nestedAt(segs, v), { client: nestedAt(segs, v) },
      { deep: { er: nestedAt(segs, v) } }, { [segs.slice(0, -1).join('.')]: { [segs.at(-1) ?? '']: v } }]) {
      assert.ok(!JSON.stringify(sanitize(doc)).includes(v), `${k}: ${JSON.stringify(doc)}`);
    }
  }
  const docs = [{ ...FIELD_SECRETS }, { x: { y: { ...FIELD_SECRETS } } }, { req: { headers: { authorization: FIELD_SECRETS.authorization } } },
    { kafkaOpts: { sasl: { password: FIELD_SECRETS.password } } }];
  assertNoSecrets(JSON.stringify(sanitize(docs)), Object.values(FIELD_SECRETS));
  // Only fields that say they hold a secret: a WireGuard public key and an ordinary token-less field stay.
  assert.deepEqual(sanitize({ publicKey: 'pub', token_count: 3 }), { publicKey: 'pub', token_count: 3 });
});

test('by default the logger writes to stderr, never stdout', () => {
  const script = `
    import { createLogger } from ${JSON.stringify(new URL('../../../../src/shared/telemetry/logger.ts', import.meta.url).href)};
    createLogger({ 'log.level': 'info' }).info('to stderr');
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const line = parseLines(r.stderr.split('\n').filter((l) => l.startsWith('{')))[0];
  assert.equal(line?.['message'], 'to stderr');
});
