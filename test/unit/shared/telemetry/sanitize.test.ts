import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitize } from '../../../../src/shared/telemetry/sanitize.ts';
import { registerSecrets, scrubText, secretValues } from '../../../../src/shared/telemetry/secrets.ts';

const SECRET = 'sanitize-Secret.Value*1';
registerSecrets([SECRET]);

test('credential-named fields are censored at any depth, whatever their case; null stays null', () => {
  const input = {
    a: { b: { c: { d: { e: { f: { password: 'deep', Authorization: 'Basic x', PRIVATE_KEY: 'k' } } } } } },
    list: [{ apiKey: 'k1' }, { api_key: ['k2'] }],
    'elasticsearch.password': 'flat',
    kafka: { sasl: { password: null, username: 'wg-siem' } },
    public_key: 'peer public key stays',
  };
  assert.deepEqual(sanitize(input), {
    a: { b: { c: { d: { e: { f: { password: '[redacted]', Authorization: '[redacted]', PRIVATE_KEY: '[redacted]' } } } } } },
    list: [{ apiKey: '[redacted]' }, { api_key: '[redacted]' }],
    'elasticsearch.password': '[redacted]',
    kafka: { sasl: { password: null, username: 'wg-siem' } },
    public_key: 'peer public key stays',
  });
  assert.equal(input.a.b.c.d.e.f.password, 'deep', 'the caller\'s object is not modified');
});

test('known secret values are scrubbed from every string; what needs no change is returned as is', () => {
  const clean = { a: [1, 'two', { three: true }], d: new Date(0) };
  assert.equal(sanitize(clean), clean);
  assert.equal(sanitize('plain'), 'plain');
  assert.deepEqual(sanitize({ url: `https://u:${SECRET}@h`, n: [`x${SECRET}y`] }), { url: 'https://u:[redacted]@h', n: ['x[redacted]y'] });
  assert.equal(scrubText(`${SECRET}${SECRET}`), '[redacted][redacted]');
  // Regular-expression characters in a secret are taken literally.
  assert.equal(scrubText('sanitize-SecretXValue*1'), 'sanitize-SecretXValue*1');
});

test('errors keep their prototype and non-enumerable fields; class instances are sanitized as JSON writes them', () => {
  class KafkaJSError extends Error {}
  const err = new KafkaJSError(`bad ${SECRET}`, { cause: new Error(`inner ${SECRET}`) });
  const out = sanitize(err);
  assert.ok(out instanceof KafkaJSError);
  assert.notEqual(out, err);
  assert.equal(out.message, 'bad [redacted]');
  assert.ok(out.stack?.includes('bad [redacted]'));
  assert.equal((out.cause as Error).message, 'inner [redacted]');
  assert.equal(Object.keys(out).length, 0, 'message, stack and cause stay non-enumerable');
  assert.equal(err.message, `bad ${SECRET}`);
  class Url { toJSON(): string { return `https://u:${SECRET}@h`; } }
  assert.equal(sanitize({ u: new Url() }).u, 'https://u:[redacted]@h');
});

test('cycles end in "[Circular]", shared objects are sanitized once', () => {
  const shared = { password: 'p' };
  const o: Record<string, unknown> = { s1: shared, s2: shared, text: SECRET };
  o['self'] = o;
  const out = sanitize(o);
  assert.equal(out['self'], '[Circular]');
  assert.deepEqual(out['s1'], { password: '[redacted]' });
  assert.equal(out['s1'], out['s2']);
});

test('secretValues: every secret key of a configuration, plus URL-encoded and basic-auth forms', () => {
  const v = secretValues({ 'kafka.sasl.password': 'a/b', 'elasticsearch.username': 'elastic', 'elasticsearch.password': 'pw', 'elasticsearch.apiKey': null });
  assert.deepEqual(v, ['a/b', 'a%2Fb', 'pw', Buffer.from('elastic:pw').toString('base64')]);
});
