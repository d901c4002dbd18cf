// Every shipped rule fires on a realistic sequence and stays quiet on a near miss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Correlator, type CorrelatorEvent } from '../../../../src/correlate/rules/correlator.ts';
import type { AlertTransition } from '../../../../src/correlate/rules/types.ts';
import { T0, ev, invalidInit, rule } from './helpers.ts';

function run(ruleId: string, events: CorrelatorEvent[], tickAt?: number): AlertTransition[] {
  const c = new Correlator([rule(ruleId)]);
  const out: AlertTransition[] = [];
  for (const e of events) out.push(...c.observe(e, Date.parse(e['@timestamp'])));
  if (tickAt !== undefined) out.push(...c.tick(tickAt));
  return out;
}
const opened = (ts: AlertTransition[]): AlertTransition[] => ts.filter((t) => t.kind === 'opened');
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

const mac = (atMs: number, src: string): CorrelatorEvent =>
  ev({ action: 'wireguard-handshake-mac-invalid', msgId: 'kernel.handshake.invalid_mac', atMs, src, rateLimited: true });
const sent = (atMs: number, dst: string, peerId = '7'): CorrelatorEvent =>
  ev({ action: 'wireguard-handshake-initiation-sent', msgId: 'kernel.handshake.initiation_sent', outcome: 'unknown', atMs, dst, peerId, rateLimited: true });
const respInvalid = (atMs: number, src: string): CorrelatorEvent =>
  ev({ action: 'wireguard-handshake-response-invalid', msgId: 'kernel.handshake.response_invalid', atMs, src, rateLimited: true });
const retry = (atMs: number, peerId = '7'): CorrelatorEvent =>
  ev({ action: 'wireguard-handshake-timeout-retry', msgId: 'kernel.timer.handshake_retry', atMs, dst: '198.51.100.23', peerId });
const keepalive = (atMs: number, peerId: string): CorrelatorEvent =>
  ev({ action: 'wireguard-keepalive-received', msgId: 'kernel.data.keepalive_received', outcome: 'success', atMs, src: '198.51.100.23', peerId, rateLimited: true });

test('invalid-initiation-burst: 10 in a minute from one source fires, 9 (or spread out) does not', () => {
  const pos = opened(run('invalid-initiation-burst', range(10).map((i) => invalidInit(T0 + i * 5000, '192.0.2.44'))));
  assert.equal(pos.length, 1);
  assert.deepEqual(pos[0]?.alert.group, { 'host.name': 'gw1', 'observer.ingress.interface.name': 'wg0', 'source.ip': '192.0.2.44' });
  assert.equal(pos[0]?.alert.count, 10);
  assert.equal(opened(run('invalid-initiation-burst', range(9).map((i) => invalidInit(T0 + i * 5000, '192.0.2.44')))).length, 0);
  assert.equal(opened(run('invalid-initiation-burst', range(10).map((i) => invalidInit(T0 + i * 10_000, '192.0.2.44')))).length, 0);
  assert.equal(opened(run('invalid-initiation-burst', range(10).map((i) => invalidInit(T0 + i * 1000, `192.0.2.${i}`)))).length, 0);
});

test('invalid-mac-burst: per source', () => {
  assert.equal(opened(run('invalid-mac-burst', range(12).map((i) => mac(T0 + i * 1000, '203.0.113.77')))).length, 1);
  assert.equal(opened(run('invalid-mac-burst', range(12).map((i) => invalidInit(T0 + i * 1000, '203.0.113.77')))).length, 0);
});

test('handshake-given-up: one giving-up line per peer fires; a retry does not', () => {
  const gaveUp = ev({ action: 'wireguard-handshake-timeout-giving-up', msgId: 'kernel.timer.handshake_giving_up', atMs: T0, dst: '198.51.100.23', peerId: '7' });
  const pos = opened(run('handshake-given-up', [gaveUp]));
  assert.equal(pos.length, 1);
  assert.equal(pos[0]?.alert.group['peer'], '7');
  assert.equal(opened(run('handshake-given-up', [retry(T0)])).length, 0);
});

test('distributed-invalid-initiations: 20 distinct sources in 2 minutes fire, 19 sources repeated do not', () => {
  const pos = opened(run('distributed-invalid-initiations', range(20).map((i) => (i % 2 ? mac : invalidInit)(T0 + i * 3000, `198.18.0.${i}`))));
  assert.equal(pos.length, 1);
  assert.equal(pos[0]?.alert.distinct, 20);
  assert.equal(opened(run('distributed-invalid-initiations', range(200).map((i) => invalidInit(T0 + i * 500, `198.18.0.${i % 19}`)))).length, 0);
});

test('unallowed-source-ip: 3 per peer fire, 2 do not', () => {
  const un = (atMs: number): CorrelatorEvent => ev({ action: 'wireguard-packet-source-not-allowed', msgId: 'kernel.data.unallowed_src_ip', atMs, src: '198.51.100.23', peerId: '3', rateLimited: true });
  assert.equal(opened(run('unallowed-source-ip', [un(T0), un(T0 + 10_000), un(T0 + 20_000)])).length, 1);
  assert.equal(opened(run('unallowed-source-ip', [un(T0), un(T0 + 10_000)])).length, 0);
});

test('psk-mismatch: initiation → invalid response three times fires; answered handshakes do not', () => {
  const ep = '198.51.100.23';
  const pos = range(3).flatMap((i) => [sent(T0 + i * 5000, ep), respInvalid(T0 + i * 5000 + 40, ep)]);
  const p = opened(run('psk-mismatch', pos));
  assert.equal(p.length, 1);
  assert.equal(p[0]?.alert.group['observer.ingress.interface.name'], 'wg0');
  const ok = (atMs: number): CorrelatorEvent => ev({ action: 'wireguard-handshake-response-received', msgId: 'kernel.handshake.response_received', outcome: 'success', atMs, src: ep, rateLimited: true });
  const neg = range(3).flatMap((i) => [sent(T0 + i * 5000, ep), ok(T0 + i * 5000 + 40)]);
  assert.equal(opened(run('psk-mismatch', neg)).length, 0);
  // invalid responses nobody asked for (no initiation sent before them): no sequence
  assert.equal(opened(run('psk-mismatch', range(3).map((i) => respInvalid(T0 + i * 5000 + 40, ep)))).length, 0);
});

test('rate-limited-logging: suppression after a rate-limited WireGuard line fires; alone it does not', () => {
  const supp = (atMs: number): CorrelatorEvent => ev({ action: 'wireguard-log-suppressed', msgId: 'kernel.support.net_ratelimit_suppressed', outcome: 'unknown', atMs });
  assert.equal(opened(run('rate-limited-logging', [invalidInit(T0, '192.0.2.1'), supp(T0 + 1000)])).length, 1);
  assert.equal(opened(run('rate-limited-logging', [supp(T0 + 1000)])).length, 0);
  assert.equal(opened(run('rate-limited-logging', [invalidInit(T0, '192.0.2.1'), supp(T0 + 120_000)])).length, 0);
});

test('handshake-unanswered: initiation and retry, then nothing for a minute fires on tick; a response cancels it', () => {
  // The host logs nothing more: its clock runs on, and the minute plus the 30 s allowed lateness decide.
  assert.equal(opened(run('handshake-unanswered', [sent(T0, '198.51.100.23'), retry(T0 + 5000)], T0 + 5000 + 89_000)).length, 0);
  const pos = run('handshake-unanswered', [sent(T0, '198.51.100.23'), retry(T0 + 5000)], T0 + 5000 + 90_000);
  assert.equal(opened(pos).length, 1);
  const answered = ev({ action: 'wireguard-handshake-response-received', msgId: 'kernel.handshake.response_received', outcome: 'success', atMs: T0 + 7000, src: '198.51.100.23', peerId: '7' });
  assert.equal(opened(run('handshake-unanswered', [sent(T0, '198.51.100.23'), retry(T0 + 5000), answered], T0 + 70_000)).length, 0);
});

test('stale-peer: a peer silent longer than 10 minutes opens on tick, resolves when heard again', () => {
  const c = new Correlator([rule('stale-peer')]);
  c.observe(keepalive(T0, '4'), T0);
  assert.equal(c.tick(T0 + 9 * 60_000).length, 0);
  const o = c.tick(T0 + 11 * 60_000);
  assert.equal(o.length, 1);
  assert.equal(o[0]?.kind, 'opened');
  assert.equal(c.tick(T0 + 12 * 60_000).length, 0, 'opened once');
  const r = c.observe(keepalive(T0 + 13 * 60_000, '4'), T0 + 13 * 60_000);
  assert.equal(r[0]?.kind, 'resolved');
  assert.equal(r[0]?.alert.id, o[0]?.alert.id);
  // a peer never seen cannot be stale
  assert.equal(new Correlator([rule('stale-peer')]).tick(T0 + 60 * 60_000).length, 0);
});

test('handshake-unanswered: retries that keep coming do not push the minute on; event time alone opens it', () => {
  // An initiation and a retry every 5 s for 100 s, as a client does while it has traffic for a silent server.
  const events = range(20).flatMap((i) => [sent(T0 + i * 5000, '198.51.100.23'), retry(T0 + i * 5000 + 4900)]);
  // Ticking at the last event's own time: no wall-clock minute has passed, only event time has.
  const out = run('handshake-unanswered', events, T0 + 19 * 5000 + 4900);
  assert.equal(opened(out).length, 1);
});
