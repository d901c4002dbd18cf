// The logging host's addresses from the envelope (Decoded.hostIps → ECS host.ip): Filebeat / Elastic Agent
// host.ip and the syslog input's log.source.address, Vector's source_ip and address-valued host, a syslog
// HOSTNAME that is an address, RFC 5424's origin element; and the JSON scanner's bounded lists they are read with.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decode } from '../../../../src/parse/decode/decode.ts';
import { MAX_HOST_IPS } from '../../../../src/parse/decode/fields.ts';
import { OBJECT, get, jsonList, jsonPath, scanJson } from '../../../../src/parse/decode/json-scan.ts';
import { BERLIN, UTC, expectDecoded, utc } from './support.ts';

const j = (o: unknown): string => JSON.stringify(o);
const ips = (line: string): readonly string[] | undefined => decode(line, BERLIN).hostIps;

const KERN = 'May 22 14:22:07 gw1 kernel: wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)';
const fb = (host: unknown, extra: Record<string, unknown> = {}, message = KERN): string =>
  j({ '@timestamp': '2025-05-22T12:22:08Z', message, log: { file: { path: '/var/log/kern.log' } }, host, agent: { type: 'filebeat' }, ...extra });

test('filebeat host.ip: a list or one string; canonical, de-duplicated, without loopback, link-local, unspecified, junk', () => {
  expectDecoded(fb({ name: 'gw1', ip: ['192.0.2.10', 'fe80::5054:ff:fe12:3456', '2001:DB8:0:0::10', '127.0.0.1', '::1', '169.254.3.4', '0.0.0.0', '::', 'gw1', 7, null, ['192.0.2.99'], { ip: '192.0.2.98' }, '192.0.2.10', '::ffff:198.51.100.4'] }), UTC, {
    envelope: 'filebeat-json', message: 'wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)',
    timestampMs: utc(2025, 5, 22, 14, 22, 7), timestampSource: 'line', host: 'gw1', program: 'kernel', implHint: 'linux-kernel',
    hostIps: ['192.0.2.10', '2001:db8::10', '198.51.100.4'], filePath: '/var/log/kern.log', agent: { type: 'filebeat' },
  });
  assert.deepEqual(ips(fb({ name: 'gw1', ip: '192.0.2.10' })), ['192.0.2.10']);
  // Dotted keys, and the fully qualified name against the line's short one.
  assert.deepEqual(ips(j({ '@timestamp': '2025-05-22T12:22:08Z', message: KERN, 'host.name': 'gw1.example.net', 'host.ip': ['192.0.2.10'], 'agent.type': 'filebeat' })), ['192.0.2.10']);
  assert.deepEqual(ips(fb({ name: 'GW1', ip: ['192.0.2.10'] })), ['192.0.2.10']);
  // A line without a host of its own is the shipper's.
  assert.deepEqual(ips(fb({ name: 'edge2', ip: ['198.51.100.77'] }, {}, 'DEBUG: (wg0) 2025/05/22 14:22:07 Device started')), ['198.51.100.77']);
  for (const none of [[], '', 'fe80::1', ['127.0.1.1'], 42, { v4: '192.0.2.10' }, [[['192.0.2.10']]]]) assert.equal(ips(fb({ name: 'gw1', ip: none })), undefined, j(none));
});

test('filebeat host.ip: at most MAX_HOST_IPS addresses, whatever the list holds', () => {
  const many = Array.from({ length: 1000 }, (_, i) => `10.${i >> 8}.${i & 255}.1`);
  const got = ips(fb({ name: 'gw1', ip: many }));
  assert.deepEqual(got, many.slice(0, MAX_HOST_IPS));
  // Junk first: the bound is on entries read, so the addresses after it are not reached.
  assert.equal(ips(fb({ name: 'gw1', ip: [...Array.from({ length: MAX_HOST_IPS }, () => 'x'), '192.0.2.10'] })), undefined);
});

test('filebeat host.ip is not the logging host\'s when the line names another host (a central server\'s remote logs)', () => {
  const remote = 'May 22 14:22:07 gw7 kernel: wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)';
  assert.equal(ips(fb({ name: 'collector-1', ip: ['192.0.2.200'] }, {}, remote)), undefined);
  assert.equal(ips(fb({ ip: ['192.0.2.200'] }, {}, remote)), undefined, 'no shipper name to compare with');
  assert.equal(ips(fb({ name: 'gw1x', ip: ['192.0.2.200'] })), undefined);
  // The line's HOSTNAME is an address: it is the host's, the collector's host.ip is not.
  const byAddress = 'May 22 14:22:07 203.0.113.5 kernel: wireguard: wg0: Sending handshake initiation to peer 3 (198.51.100.23:51820)';
  assert.deepEqual(ips(fb({ name: 'collector-1', ip: ['192.0.2.200'] }, {}, byAddress)), ['203.0.113.5']);
});

test('filebeat syslog input: the sender is log.source.address and log.syslog.hostname, not the receiver\'s host.*', () => {
  const rec = {
    '@timestamp': '2025-05-22T12:22:09.120Z', message: 'wireguard: wg0: Receiving handshake response from peer 5 (198.51.100.23:51820)',
    input: { type: 'syslog' }, log: { source: { address: '203.0.113.5:46012' }, syslog: { appname: 'kernel', hostname: 'gw2', priority: 7 } },
    host: { name: 'collector-1', ip: ['192.0.2.200'] }, agent: { type: 'filebeat', name: 'collector-1' },
  };
  expectDecoded(j(rec), BERLIN, {
    envelope: 'filebeat-json', message: 'wireguard: wg0: Receiving handshake response from peer 5 (198.51.100.23:51820)',
    timestampMs: utc(2025, 5, 22, 12, 22, 9, 120_000), timestampSource: 'line', host: 'gw2', hostIps: ['203.0.113.5'], program: 'kernel',
    syslog: { severity: 7 }, level: 'debug', agent: { type: 'filebeat', name: 'collector-1' }, implHint: 'linux-kernel',
  });
  // No hostname: the sender's address names it. IPv6 with a port.
  const v6 = { ...rec, log: { source: { address: '[2001:db8::5]:46012' } } };
  assert.deepEqual([decode(j(v6), BERLIN).host, ips(j(v6))], ['2001:db8::5', ['2001:db8::5']]);
  // A local rsyslog forwarding to Filebeat (loopback) or a unix socket: the record's host is the logging host.
  for (const address of ['127.0.0.1:52000', '/run/filebeat.sock']) {
    const local = { ...rec, log: { source: { address } }, host: { name: 'gw2', ip: ['192.0.2.20'] } };
    assert.deepEqual([decode(j(local), BERLIN).host, ips(j(local))], ['gw2', ['192.0.2.20']], address);
  }
});

test('vector: source_ip and an address-valued host are the sender\'s; a host name is not an address', () => {
  const syslog = { appname: 'kernel', facility: 'kern', hostname: 'gw2', message: 'wireguard: wg0: Receiving handshake response from peer 5 (198.51.100.23:51820)', severity: 'debug', source_type: 'syslog', timestamp: '2025-05-22T12:22:09Z' };
  expectDecoded(j({ ...syslog, host: 'gw2', source_ip: '203.0.113.5' }), BERLIN, {
    envelope: 'vector-json', message: 'wireguard: wg0: Receiving handshake response from peer 5 (198.51.100.23:51820)',
    timestampMs: utc(2025, 5, 22, 12, 22, 9), timestampSource: 'line', host: 'gw2', hostIps: ['203.0.113.5'], program: 'kernel',
    syslog: { facility: 0, severity: 7 }, level: 'debug', implHint: 'linux-kernel',
  });
  // The syslog source's host falls back to the peer address; both fields name it once.
  assert.deepEqual(ips(j({ ...syslog, host: '203.0.113.5', source_ip: '203.0.113.5:514' })), ['203.0.113.5']);
  assert.deepEqual(ips(j({ ...syslog, host: '[2001:db8::5]:514' })), ['2001:db8::5']);
  assert.deepEqual(ips(j({ ...syslog, source_ip: '::ffff:203.0.113.5' })), ['203.0.113.5']);
  assert.equal(ips(j({ ...syslog, host: 'collector-1', source_ip: '127.0.0.1' })), undefined);
  assert.equal(ips(j({ file: '/var/log/kern.log', host: 'collector-1', message: KERN, source_type: 'file', timestamp: '2025-05-22T12:22:08Z' })), undefined);
  assert.equal(ips(j({ ...syslog, source_ip: ['203.0.113.5'] })), undefined, 'not a list path');
});

test('syslog: a HOSTNAME that is an address, RFC 5424 origin elements', () => {
  assert.deepEqual(ips('May 22 14:22:07 192.0.2.10 kernel: wireguard: wg0: Interface up'), ['192.0.2.10']);
  assert.deepEqual(ips('<4>May 22 14:22:07 2001:DB8::a kernel: wireguard: wg0: Interface up'), ['2001:db8::a']);
  for (const host of ['gw1', '127.0.0.1', 'fe80::1', '192.0.2.300', '10.0.0']) {
    assert.equal(ips(`May 22 14:22:07 ${host} kernel: wireguard: wg0: Interface up`), undefined, host);
  }
  expectDecoded('<7>1 2025-05-22T14:22:07Z 192.0.2.10 kernel - - [origin ip="203.0.113.5" ip="192.0.2.10" ip="fe80::1" software="rsyslogd"][meta ip="198.51.100.9"] wireguard: wg0: Interface up', UTC, {
    envelope: 'syslog-rfc5424', message: 'wireguard: wg0: Interface up', syslog: { facility: 0, severity: 7 }, level: 'debug',
    timestampMs: utc(2025, 5, 22, 14, 22, 7), timestampSource: 'line', host: '192.0.2.10', hostIps: ['192.0.2.10', '203.0.113.5'], program: 'kernel',
    implHint: 'linux-kernel',
  });
  assert.equal(ips('<7>1 2025-05-22T14:22:07Z gw1 kernel - - [originx ip="203.0.113.5"][x origin="[origin ip=\\"203.0.113.6\\"]"] wireguard: wg0: Interface up'), undefined);
  // Many origin elements: bounded.
  const many = Array.from({ length: 100 }, (_, i) => `[origin ip="10.0.${i}.1"]`).join('');
  assert.equal(ips(`<7>1 2025-05-22T14:22:07Z gw1 kernel - - ${many} wireguard: wg0: Interface up`)?.length, MAX_HOST_IPS);
});

// ---- the scanner's lists ------------------------------------------------------------------------------------

const LIST = jsonList('hipt.list', 4);
const PLAIN = jsonPath('hipt.plain');

test('a list path: the first strings and numbers of an array, everything else skipped; other paths unchanged', () => {
  const r = (v: string): unknown => get(scanJson(`{"hipt":{"list":${v},"plain":${v}}}`) ?? [], LIST);
  assert.deepEqual(r('["a", 1, -2.5e3, "\\u0041\\"b"]'), ['a', 1, -2500, 'A"b']);
  assert.deepEqual(r('[true, null, {"x": "y"}, ["n", ["m"]], "a", false, 2]'), ['a', 2]);
  assert.deepEqual(r('["a","b","c","d","e","f"]'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(r('[ ]'), []);
  assert.deepEqual(r(' [\n"a" ,\t"b" ] '), ['a', 'b']);
  assert.equal(r('"one"'), 'one');
  assert.equal(r('7'), 7);
  assert.equal(r('{"a": ["b"]}'), OBJECT);
  // The plain path still reads an array as JSON.parse does (journald's byte arrays, repeated fields).
  assert.deepEqual(get(scanJson('{"hipt":{"plain":[1,[2,"x"],{"a":null},true]}}') ?? [], PLAIN), [1, [2, 'x'], { a: null }, true]);
  // Dotted and nested spellings alike.
  assert.deepEqual(get(scanJson('{"hipt.list":["a","b"]}') ?? [], LIST), ['a', 'b']);
});

test('a list path rejects a damaged array like any damaged record', () => {
  for (const s of ['{"hipt":{"list":[1,2}}', '{"hipt":{"list":[1,]}}', '{"hipt":{"list":[,1]}}', '{"hipt":{"list":["a" "b"]}}', '{"hipt":{"list":["a"', '{"hipt":{"list":[[1,2]}}', '{"hipt":{"list":["\\"]}}']) {
    assert.equal(scanJson(s), undefined, s);
  }
});

test('a list path on hostile arrays: huge, deeply nested, non-string entries — bounded result, record intact', () => {
  const huge = `{"hipt":{"list":[${Array.from({ length: 300_000 }, (_, i) => String(i)).join(',')}]},"message":"m"}`;
  const r = scanJson(huge);
  assert.ok(r !== undefined);
  assert.deepEqual(get(r, LIST), [0, 1, 2, 3]);
  assert.equal(get(r, jsonPath('message')), 'm');
  const deep = `{"hipt":{"list":[${'['.repeat(100_000)}${']'.repeat(100_000)},"a"]},"message":"m"}`;
  assert.deepEqual(get(scanJson(deep) ?? [], LIST), ['a']);
  const objects = `{"hipt":{"list":[${Array.from({ length: 100_000 }, () => '{"k":["v",{"w":1}]},null,true').join(',')},"z"]}}`;
  assert.deepEqual(get(scanJson(objects) ?? [], LIST), ['z']);
  const longStrings = `{"hipt":{"list":[${Array.from({ length: 10 }, (_, i) => `"${String(i).repeat(100_000)}"`).join(',')}]}}`;
  assert.deepEqual((get(scanJson(longStrings) ?? [], LIST) as string[]).map((s) => s.length), [100_000, 100_000, 100_000, 100_000]);
  // The same kind of array through the decoder: host.ip keeps the first MAX_HOST_IPS strings, and the record
  // still decodes.
  const flood = fb({ name: 'gw1', ip: Array.from({ length: 200_000 }, (_, i) => (i % 2 === 0 ? `192.0.2.${i % 250}` : [[i]])) });
  const d = decode(flood, BERLIN);
  assert.equal(d.envelope, 'filebeat-json');
  assert.deepEqual(d.hostIps, Array.from({ length: MAX_HOST_IPS }, (_, i) => `192.0.2.${i * 2}`));
});

test('a list path reads what JSON.parse would, filtered and bounded, for arbitrary values', () => {
  const value = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null),
      fc.array(tie('v'), { maxLength: 8 }), fc.dictionary(fc.constantFrom('list', 'x', 'hipt'), tie('v'), { maxKeys: 3 })),
  })).v;
  fc.assert(fc.property(value, fc.constantFrom('', ' ', '\n\t'), (v, ws) => {
    const text = JSON.stringify({ hipt: { list: v }, after: 1 }, null, ws === '' ? undefined : ws);
    const r = scanJson(text);
    assert.ok(r !== undefined, text);
    const got = get(r, LIST);
    if (Array.isArray(v)) {
      const want = (JSON.parse(JSON.stringify(v)) as unknown[]).filter((x) => typeof x === 'string' || typeof x === 'number').slice(0, 4);
      assert.deepStrictEqual(got, want, text);
    } else if (typeof v === 'object' && v !== null) {
      assert.equal(got, OBJECT, text);
    } else {
      assert.deepStrictEqual(got, JSON.parse(JSON.stringify(v)), text);
    }
  }), { numRuns: 500 });
});
