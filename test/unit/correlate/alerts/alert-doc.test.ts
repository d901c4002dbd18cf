// Alert documents: every shipped rule's alert is a valid ECS document with a readable title, Elastic Security's
// severity scale, the rule's explanation, and attribution and cross-host diagnosis when they are known.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAlertDoc, SEVERITY_SCORE } from '../../../../src/sinks/elasticsearch/alert-doc.ts';
import { fillTitle } from '../../../../src/correlate/alerts/title.ts';
import type { Alert, AlertTransition } from '../../../../src/correlate/rules/types.ts';
import { validateAlert } from '../../../../src/shared/schema/validate.ts';
import { shippedRules, T0 } from '../rules/helpers.ts';

function alertFor(ruleId: string, group: Record<string, string>, count = 12): Alert {
  return {
    id: 'a'.repeat(32), rule: { id: ruleId, name: ruleId, version: 1 }, group, start: T0, end: T0 + 30_000, count,
    sampleEventIds: ['t:0:1:0', 't:0:2:0'], severity: 'medium', riskScore: 47, openedAt: T0 + 31_000, version: 2 * (count + 1),
  };
}

const GROUP_VALUES: Record<string, string> = {
  'host.name': 'vpn-gw-1', 'observer.ingress.interface.name': 'wg0', 'source.ip': '203.0.113.7', peer: 'HsGB…G/WY', remote: '198.51.100.23',
};

test('every shipped rule: valid document, filled title, severity on the 21/47/73/99 scale, an explanation', () => {
  for (const rule of shippedRules()) {
    const group = Object.fromEntries(rule.groupBy.map((g) => [g.name, GROUP_VALUES[g.name] ?? 'x']));
    for (const kind of ['opened', 'updated', 'resolved'] as const) {
      const t: AlertTransition = { kind, alert: alertFor(rule.id, group) };
      const doc = buildAlertDoc(t, rule, { namespace: 'default', nowMs: T0 + 60_000 });
      assert.deepEqual(validateAlert(doc), { ok: true }, `${rule.id} ${kind}`);
      assert.equal(doc.event.kind, 'alert');
      assert.equal(doc.event.severity, SEVERITY_SCORE[rule.severity]);
      assert.equal(doc.event.risk_score, rule.riskScore);
      assert.equal(doc.rule?.id, rule.id);
      assert.doesNotMatch(doc.message, /\{|\}/, `${rule.id}: every placeholder filled`);
      assert.equal(doc.wireguard?.alert?.status, kind === 'resolved' ? 'resolved' : 'open');
      if (kind === 'resolved') assert.match(doc.message, /^Resolved: /);
      if (rule.diagnosis) assert.ok(doc.wireguard?.diagnosis?.summary, `${rule.id} carries its catalog diagnosis`);
    }
  }
});

test('title placeholders: counts with separators, the window in words, group values', () => {
  const rule = shippedRules().find((r) => r.id === 'distributed-invalid-initiations');
  assert.ok(rule);
  const a = { ...alertFor(rule.id, { 'host.name': 'gw', 'observer.ingress.interface.name': 'wg0' }, 1_000_000), distinct: 987_654 };
  assert.equal(fillTitle(rule, a), 'Invalid handshakes from 987,654 sources within 2 min on gw wg0: scan or spoofed flood');
});

test('attribution: the peer last seen at the address, and when, is in the title and the fields', () => {
  const rule = shippedRules().find((r) => r.id === 'invalid-initiation-burst');
  assert.ok(rule);
  const t: AlertTransition = { kind: 'opened', alert: alertFor(rule.id, { 'host.name': 'gw', 'observer.ingress.interface.name': 'wg0', 'source.ip': '203.0.113.7' }) };
  const doc = buildAlertDoc(t, rule, {
    namespace: 'default', nowMs: T0,
    attribution: { method: 'address', peerId: '3', name: 'alice-laptop', owner: 'alice@example.com', endpoint: '203.0.113.7:51820', lastSeen: T0 - 3_600_000 },
  });
  assert.equal(doc.message, '12 invalid handshake initiations from 203.0.113.7 on gw wg0; last seen as alice-laptop (alice@example.com) from 203.0.113.7:51820 at 2025-05-22 13:00:00 UTC');
  assert.equal(doc.wireguard?.attribution?.peer_name, 'alice-laptop');
  assert.equal(doc.wireguard?.attribution?.last_seen, new Date(T0 - 3_600_000).toISOString());
  assert.equal(doc.wireguard?.peer?.owner, 'alice@example.com');
  assert.deepEqual(validateAlert(doc), { ok: true });
});

test('a cross-host diagnosis replaces the generic one and names the other end', () => {
  const rule = shippedRules().find((r) => r.id === 'handshake-unanswered');
  assert.ok(rule);
  const t: AlertTransition = { kind: 'opened', alert: alertFor(rule.id, { 'host.name': 'laptop', 'observer.ingress.interface.name': 'wg0', peer: 'HsGB…G/WY' }, 6) };
  const doc = buildAlertDoc(t, rule, {
    namespace: 'default', nowMs: T0,
    diagnosis: {
      id: 'wrong-responder-key', title: 'The client has the wrong server public key', summary: 's', checks: ['c'], confidence: 'confirmed',
      counterpart: { host: 'vpn-gw', iface: 'wg0', method: 'timing' }, evidence: ['e'],
    },
  });
  assert.match(doc.message, / — The client has the wrong server public key$/);
  assert.equal(doc.wireguard?.diagnosis?.id, 'wrong-responder-key');
  assert.equal(doc.wireguard?.diagnosis?.counterpart?.host, 'vpn-gw');
  assert.equal(doc.wireguard?.diagnosis?.confidence, 'confirmed');
  assert.deepEqual(validateAlert(doc), { ok: true });
});

test('an ambiguous diagnosis carries the narrowed list (each cause with the other end it assumes) and the fact that settles it', () => {
  const rule = shippedRules().find((r) => r.id === 'handshake-unanswered');
  assert.ok(rule);
  const t: AlertTransition = { kind: 'opened', alert: alertFor(rule.id, { 'host.name': 'laptop', 'observer.ingress.interface.name': 'wg0', peer: 'HsGB…G/WY' }, 6) };
  const settle = 'One fact settles it: which host laptop sends its handshakes to (`wg show wg0 endpoints` on laptop): srv-a → wrong server key; srv-b → server lacks the client\'s key.';
  const doc = buildAlertDoc(t, rule, {
    namespace: 'default', nowMs: T0,
    diagnosis: {
      id: 'ambiguous', title: 'Cannot tell which host is laptop\'s other end', summary: 's', checks: [settle], confidence: 'possible', evidence: ['e'],
      alternatives: [
        { id: 'wrong-responder-key', host: 'srv-a', text: 'wrong server key if srv-a\'s lines that name no peer or address are this tunnel\'s' },
        { id: 'initiator-key-unknown', host: 'srv-b', text: 'server lacks the client\'s key if srv-b\'s lines about address 10.0.0.2 are this tunnel\'s' },
        { id: 'unreachable', text: 'packets never arrive if none of those hosts is the other end' },
      ],
      settle,
    },
  });
  assert.deepEqual(doc.wireguard?.diagnosis?.alternatives?.map((a) => `${a.id}@${a.host ?? '-'}`), ['wrong-responder-key@srv-a', 'initiator-key-unknown@srv-b', 'unreachable@-']);
  assert.equal(doc.wireguard?.diagnosis?.settle, settle);
  assert.deepEqual(validateAlert(doc), { ok: true });
});
