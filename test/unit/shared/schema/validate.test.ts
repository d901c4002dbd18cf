import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEsDateTime, isEsIp, validateAlert, validateEvent, validateUnparsed } from '../../../../src/shared/schema/validate.ts';
import { sampleAlert, sampleEvent } from './sample.ts';

type Doc = Record<string, unknown>;
const doc = (): Doc => sampleEvent() as unknown as Doc;

/** Sets a dotted path (creating objects) on a fresh sample. */
function withField(path: string, value: unknown, base: Doc = doc()): Doc {
  const parts = path.split('.');
  let o: Doc = base;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (typeof next !== 'object' || next === null) o[p] = {};
    o = o[p] as Doc;
  }
  o[parts.at(-1) ?? ''] = value;
  return base;
}

function withoutField(path: string): Doc {
  const base = doc();
  const parts = path.split('.');
  let o = base;
  for (const p of parts.slice(0, -1)) o = o[p] as Doc;
  delete o[parts.at(-1) ?? ''];
  return base;
}

function assertFails(r: ReturnType<typeof validateEvent>, field: string, text: RegExp): void {
  assert.equal(r.ok, false, 'expected the document to be rejected');
  if (r.ok) return;
  assert.equal(r.errors.length, 1);
  const msg = r.errors[0] ?? '';
  assert.ok(msg.startsWith(`field ${field}: `), `message should name ${field}: ${msg}`);
  assert.match(msg, text);
}

describe('validateEvent', () => {
  it('accepts a complete sample document', () => {
    assert.deepEqual(validateEvent(sampleEvent()), { ok: true });
  });

  it('accepts a minimal document with only the required fields', () => {
    const min = { '@timestamp': '2025-01-01T00:00:00Z', ecs: { version: '9.4.0' }, message: 'm', event: { kind: 'event', dataset: 'wireguard.log' }, data_stream: { type: 'logs', dataset: 'wireguard.log', namespace: 'default' } };
    assert.deepEqual(validateEvent(min), { ok: true });
  });

  it('rejects unknown fields at every level, naming them', () => {
    assertFails(validateEvent(withField('foo', 1)), 'foo', /unknown field/);
    assertFails(validateEvent(withField('event.foo', 'x')), 'event.foo', /unknown field/);
    assertFails(validateEvent(withField('wireguard.peer.colour', 'x')), 'wireguard.peer.colour', /unknown field/);
    assertFails(validateEvent(withField('wireguard.new_fact', 'x')), 'wireguard.new_fact', /unknown field/);
  });

  it('rejects wrong types', () => {
    assertFails(validateEvent(withField('source.port', '51820')), 'source.port', /must be integer/);
    assertFails(validateEvent(withField('source.port', 1.5)), 'source.port', /must be integer/);
    assertFails(validateEvent(withField('wireguard.rate_limited', 'true')), 'wireguard.rate_limited', /must be boolean/);
    assertFails(validateEvent(withField('wireguard.peer.id', 7)), 'wireguard.peer.id', /must be string/);
    assertFails(validateEvent(withField('host', 'gw1')), 'host', /must be object/);
    assertFails(validateEvent(withField('labels.n', 1)), 'labels.n', /must be string/);
  });

  it('rejects integers outside the range of an Elasticsearch long', () => {
    assertFails(validateEvent(withField('wireguard.packet.counter', 2 ** 64)), 'wireguard.packet.counter', /must be </);
  });

  it('takes arrays only as arrays, and scalars only as scalars', () => {
    assertFails(validateEvent(withField('event.category', 'network')), 'event.category', /must be array/);
    assertFails(validateEvent(withField('related.ip', '203.0.113.7')), 'related.ip', /must be array/);
    assertFails(validateEvent(withField('wireguard.peer.allowed_ips', '10.0.0.0/24')), 'wireguard.peer.allowed_ips', /must be array/);
    assertFails(validateEvent(withField('event.action', ['a', 'b'])), 'event.action', /must be string/);
  });

  it('rejects bad IP addresses', () => {
    assertFails(validateEvent(withField('source.ip', '203.0.113.256')), 'source.ip', /IP address/);
    assertFails(validateEvent(withField('source.ip', '203.0.113.7:51820')), 'source.ip', /IP address/);
    assertFails(validateEvent(withField('wireguard.inner.source.ip', 'fe80::1%wg0')), 'wireguard.inner.source.ip', /zone index/);
    assertFails(validateEvent(withField('related.ip', ['203.0.113.7', 'nope'])), 'related.ip[1]', /IP address/);
  });

  it('rejects dates that are not RFC 3339 with a zone', () => {
    assertFails(validateEvent(withField('@timestamp', '2025-03-04 05:06:07')), '@timestamp', /date-time/);
    assertFails(validateEvent(withField('@timestamp', '2025-03-04T05:06:07')), '@timestamp', /time zone/);
    assertFails(validateEvent(withField('event.created', 1741064767000)), 'event.created', /must be string/);
  });

  it('rejects values outside the ECS allowed values', () => {
    assertFails(validateEvent(withField('event.kind', 'log')), 'event.kind', /must be one of "alert", .*"event"/);
    assertFails(validateEvent(withField('event.category', ['network', 'networking'])), 'event.category[1]', /must be one of/);
    assertFails(validateEvent(withField('event.type', ['connected'])), 'event.type[0]', /must be one of/);
    assertFails(validateEvent(withField('event.outcome', 'failed')), 'event.outcome', /must be one of "failure", "success", "unknown"/);
  });

  it('rejects a data_stream that is not this data stream', () => {
    assertFails(validateEvent(withField('data_stream.dataset', 'wireguard.alert')), 'data_stream.dataset', /must be "wireguard.log"/);
    assertFails(validateEvent(withField('data_stream.type', 'metrics')), 'data_stream.type', /must be "logs"/);
  });

  it('requires the required fields', () => {
    for (const f of ['@timestamp', 'ecs.version', 'message', 'event.kind', 'event.dataset', 'data_stream.type', 'data_stream.dataset', 'data_stream.namespace']) {
      assertFails(validateEvent(withoutField(f)), f, /is required/);
    }
    assertFails(validateEvent(withoutField('event')), 'event', /is required/);
  });

  it('rejects label names with dots, which Elasticsearch would expand into objects', () => {
    assertFails(validateEvent(withField('labels', { 'a.b': 'x' })), 'labels.a.b', /dot/);
  });

  it('rejects a document that is not an object', () => {
    assertFails(validateEvent('a string'), '(document)', /must be object/);
  });
});

describe('validateAlert / validateUnparsed', () => {
  it('accept documents of their own data stream and refuse the others', () => {
    assert.deepEqual(validateAlert(sampleAlert()), { ok: true });
    assertFails(validateEvent(sampleAlert()), 'data_stream.dataset', /wireguard.log/);
    const unparsed = withField('data_stream.dataset', 'wireguard.unparsed', withField('event', { kind: 'pipeline_error', dataset: 'wireguard.unparsed' }));
    delete unparsed['wireguard'];
    assert.deepEqual(validateUnparsed(unparsed), { ok: true });
  });
});

describe('formats', () => {
  it('ip follows what the Elasticsearch ip type takes', () => {
    for (const ok of ['0.0.0.0', '255.255.255.255', '::', '2001:db8::1', '::ffff:192.0.2.1']) assert.ok(isEsIp(ok), ok);
    for (const bad of ['', '1.2.3', '01.2.3.4.5', 'fe80::1%eth0', '[2001:db8::1]', 'localhost']) assert.ok(!isEsIp(bad), bad);
  });

  it('date-time requires a valid calendar date, a time and a zone', () => {
    for (const ok of ['2024-02-29T23:59:59Z', '2025-01-01T00:00:00.1+05:30', '2025-01-01T00:00:00.123456789-08:00']) assert.ok(isEsDateTime(ok), ok);
    for (const bad of ['2025-02-29T00:00:00Z', '2025-13-01T00:00:00Z', '2025-01-01T24:00:00Z', '2025-01-01T00:00:00', '2025-01-01', '2025-01-01T00:00:00.1234567890Z', '2025-01-01t00:00:00z']) {
      assert.ok(!isEsDateTime(bad), bad);
    }
  });
});
