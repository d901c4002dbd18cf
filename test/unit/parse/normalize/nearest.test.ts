import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CATALOG } from '../../../../src/parse/catalog/catalog.ts';
import type { MessageDef } from '../../../../src/parse/catalog/types.ts';
import type { Decoded } from '../../../../src/parse/decode/types.ts';
import { corpusRecord, lineWords, looksMasked, nearestMessage, patternText, type Near, type Placement } from '../../../../src/parse/normalize/nearest.ts';

// A small catalog of our own, so that these tests do not move when the real one grows.
const base = { level: 'debug', category: ['network'], type: ['protocol'], outcome: 'unknown', severity: 'info', examples: [] } as const;
const KERNEL_INVALID: MessageDef = {
  ...base, id: 'kernel.handshake.initiation_invalid', impl: 'linux-kernel', format: '%s: Invalid handshake initiation from %pISpfsc\n',
  ifacePrefix: true, pattern: 'Invalid handshake initiation from {endpoint}', family: 'handshake-failure',
  action: 'wireguard-handshake-initiation-invalid', direction: 'inbound', outcome: 'failure', severity: 'warning',
};
const KERNEL_RETRY: MessageDef = {
  ...base, id: 'kernel.timer.handshake_retry', impl: 'linux-kernel',
  format: '%s: Handshake for peer %llu (%pISpfsc) did not complete after %d seconds, retrying (try %u)\n', ifacePrefix: true,
  pattern: String.raw`Handshake for peer {int:peer_id} \({endpoint}\) did not complete after {int:seconds} seconds, retrying \(try {int:attempt}\)`,
  family: 'timer', action: 'wireguard-handshake-timeout-retry', direction: 'outbound',
};
const GO_RECEIVED: MessageDef = {
  ...base, id: 'go.handshake.initiation_received', impl: 'wireguard-go', format: '%v - Received handshake initiation', peerPrefix: true,
  pattern: 'Received handshake initiation', family: 'handshake', action: 'wireguard-handshake-initiation-received', direction: 'inbound',
};
const GO_SHUTDOWN: MessageDef = {
  ...base, id: 'go.main.shutting_down', impl: 'wireguard-go', format: 'Shutting down', pattern: 'Shutting down', family: 'lifecycle',
  action: 'wireguard-device-stopping', direction: 'none',
};
const MINI: readonly MessageDef[] = [KERNEL_INVALID, KERNEL_RETRY, GO_RECEIVED, GO_SHUTDOWN];

const line = (message: string, more: Partial<Decoded> = {}): Decoded => ({ envelope: 'raw', original: message, message, timestampSource: 'none', ...more });

function near(p: Placement): Near {
  assert.equal(p.kind, 'near', JSON.stringify(p));
  return p;
}

test('words of a line: values are not words; words of a pattern: macros and groups are named variables', () => {
  assert.deepEqual(lineWords('wg0: Handshake for peer 7 ([2001:db8::1]:51820/0%0) did not complete').map((w) => w.w || `<${w.text}>`),
    ['wg0', 'handshake', 'for', 'peer', '<7>', '<[2001:db8::1]:51820/0%0>', 'did', 'not', 'complete']);
  assert.deepEqual(lineWords('from x.x.x.x:51820, dropping').map((w) => w.w || `<${w.text}>`), ['from', '<x.x.x.x:51820>', 'dropping']);
  assert.equal(patternText(String.raw`Handshake for peer {int:peer_id} \({endpoint}\) did not`).replace(/\s+/g, ' ').trim(),
    'Handshake for peer %peer_id ( %endpoint ) did not');
  assert.equal(patternText(String.raw`replay @ (?<initiator_time>\d{4}-\d\d)(?: [+-]\d{4})?`).replace(/\s+/g, ' ').trim(), 'replay @ %initiator_time %%');
  assert.equal(patternText(String.raw`peer\(x\u2026y\) - Sending keep ?alive`).replace(/\s+/g, ' ').trim(), 'peer(x\u2026y) - Sending keep alive');
});

test('a misspelt word: the nearest message, where the wording differs, and the values placed by the words around them', () => {
  const p = near(nearestMessage(line('wireguard: wg0: Invalid handshake initation from 192.0.2.7:51820', { implHint: 'linux-kernel', timestampMs: Date.UTC(2024, 0, 2, 3, 4, 5), timestampSource: 'line' }), MINI));
  assert.equal(p.def.id, 'kernel.handshake.initiation_invalid');
  assert.equal(p.similarity, 0.75);
  assert.match(p.reason, /the wording differs: the line has `initation` where the known message has `initiation`/);
  assert.deepEqual(p.fields, {
    '@timestamp': '2024-01-02T03:04:05.000Z', 'observer.ingress.interface.name': 'wg0',
    'wireguard.peer.endpoint': '192.0.2.7:51820', 'source.ip': '192.0.2.7', 'source.port': 51820,
  });
  assert.equal(p.generic, false);
});

test('extra and missing words are both named, with where they are', () => {
  const extra = near(nearestMessage(line('wireguard: wg0: Handshake for peer 3 (192.0.2.1:51820) did not complete after 5 seconds, retrying again (try 2)'), MINI));
  assert.equal(extra.def.id, 'kernel.timer.handshake_retry');
  assert.match(extra.reason, /the line has `again` after `retrying`, which the known message does not/);
  assert.equal(extra.fields['wireguard.handshake.attempt'], 2);
  assert.equal(extra.fields['destination.ip'], '192.0.2.1');
  assert.equal(extra.fields['wireguard.peer.id'], '3');
  const missing = near(nearestMessage(line('wireguard: wg0: Handshake for peer 3 (192.0.2.1:51820) did not complete after 5 seconds (try 2)'), MINI));
  assert.match(missing.reason, /the line lacks `retrying` after `seconds`/);
});

test('the wording matches but a value is not of its kind: which value, and that it looks masked when it does', () => {
  const p = near(nearestMessage(line('wireguard: wg0: Invalid handshake initiation from somewhere'), MINI));
  assert.equal(p.def.id, 'kernel.handshake.initiation_invalid');
  assert.equal(p.reason, 'the text matches kernel.handshake.initiation_invalid except: the address `somewhere` is not an endpoint (ip:port or [ipv6]:port)');
  assert.equal(p.fields['wireguard.peer.endpoint'], 'somewhere');
  assert.equal(p.fields['source.ip'], undefined);
  const peer = near(nearestMessage(line('peer(ab) - Received handshake initiation!'), MINI));
  assert.equal(peer.def.id, 'go.handshake.initiation_received');
  assert.ok(looksMasked('x.x.x.x:51820') && looksMasked('<redacted>') && looksMasked('1.2.x.x:51820') && looksMasked('[REDACTED]'));
  assert.ok(!looksMasked('192.0.2.1:51820') && !looksMasked('wg0') && !looksMasked('[2001:db8::1]:51820'));
});

test('the text is a known message but the line does not say who printed it: which context is missing', () => {
  const noMarker = near(nearestMessage(line('wg0: Invalid handshake initiation from 192.0.2.1:51820', { implHint: 'linux-kernel' }), MINI));
  assert.match(noMarker.reason, /the kernel module's kernel\.handshake\.initiation_invalid, but without the module's "wireguard: " marker/);
  assert.equal(noMarker.fields['source.ip'], '192.0.2.1');
  assert.equal(noMarker.fields['observer.ingress.interface.name'], 'wg0');
  const other = near(nearestMessage(line('Received handshake initiation', { implHint: 'windows', envelope: 'windows-ringlog' }), MINI));
  assert.match(other.reason, /the envelope \(windows-ringlog\) says the line is windows's, and windows prints no such message: the text is wireguard-go's go\.handshake\.initiation_received/);
  const generic = near(nearestMessage(line('Shutting down'), MINI));
  assert.equal(generic.def.id, 'go.main.shutting_down');
  assert.equal(generic.generic, true);
  assert.match(generic.reason, /no envelope named an implementation and the text alone is not specific enough/);
  // A line that names WireGuard is worth the whole answer.
  assert.equal(near(nearestMessage(line('wireguard: Shutting down'), MINI)).generic, false);
});

test('a line that is not WireGuard gets no nearest message; one that mentions WireGuard does', () => {
  for (const text of ['device eth0 entered promiscuous mode', 'IPv6: ADDRCONF(NETDEV_CHANGE): eth0: link becomes ready', 'Accepted publickey for root from 10.0.0.1 port 22 ssh2', '', '12345']) {
    const p = nearestMessage(line(text), MINI);
    assert.equal(p.kind, 'not-wireguard', text);
    assert.equal((p as { mentionsWireGuard: boolean }).mentionsWireGuard, false);
  }
  const named = nearestMessage(line('wg-quick: interface wg7 is in a bad mood'), MINI);
  assert.ok(named.kind === 'near' || named.mentionsWireGuard, JSON.stringify(named));
});

test('the corpus record is one JSON line in the format of test/corpus/real-world/README.md', () => {
  const text = 'wireguard: wg0: Invalid handshake initation from 192.0.2.7:51820';
  const p = near(nearestMessage(line(text), MINI));
  const rec = corpusRecord(text, p);
  assert.ok(!rec.includes('\n'));
  const r = JSON.parse(rec) as Record<string, unknown>;
  assert.deepEqual(Object.keys(r), ['line', 'source', 'program', 'format', 'class', 'expect']);
  assert.equal(r['line'], text);
  assert.deepEqual(r['expect'], { action: 'wireguard-handshake-initiation-invalid', fields: p.fields });
});

test('against the real catalog: a misspelt kernel line finds its message, and formats are near their own entries', () => {
  const p = near(nearestMessage(line('wireguard: wg0: Invalid handshake initation from 192.0.2.7:51820', { implHint: 'linux-kernel', program: 'kernel' }), CATALOG));
  assert.equal(p.def.id, 'kernel.handshake.initiation_invalid');
  // Every example of the catalog is near its own entry (or one with the same text).
  for (const def of CATALOG.slice(0, 40)) {
    const body = def.format.replace(/%[-+ #0]*\d*(?:\.\d+)?(?:ll|l|h|z)?[a-zA-Z]+/g, 'X').replace(/\n$/, '');
    const q = nearestMessage(line(body), CATALOG);
    if (q.kind === 'near') assert.ok(q.similarity > 0.5, `${def.id}: ${q.similarity}`);
  }
});
