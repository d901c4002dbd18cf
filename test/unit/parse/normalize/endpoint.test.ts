import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { canonicalIp, parseEndpoint } from '../../../../src/parse/normalize/endpoint.ts';

test('every endpoint form the implementations print', () => {
  assert.deepEqual(parseEndpoint('198.51.100.23:51820'), { ip: '198.51.100.23', port: 51820, family: 'ipv4' });
  assert.deepEqual(parseEndpoint('[2001:db8:1::5]:51820/0%0'), { ip: '2001:db8:1::5', port: 51820, family: 'ipv6' });
  assert.deepEqual(parseEndpoint('[fe80::1]:51820/0%3'), { ip: 'fe80::1', port: 51820, family: 'ipv6', zone: '3' });
  assert.deepEqual(parseEndpoint('[fe80::1%eth0]:51820'), { ip: 'fe80::1', port: 51820, family: 'ipv6', zone: 'eth0' });
  assert.deepEqual(parseEndpoint('[fe80::1%12]:51820'), { ip: 'fe80::1', port: 51820, family: 'ipv6', zone: '12' });
  assert.deepEqual(parseEndpoint('[2001:DB8::5]:1'), { ip: '2001:db8::5', port: 1, family: 'ipv6' });
  assert.deepEqual(parseEndpoint('[::ffff:192.0.2.1]:51820'), { ip: '::ffff:c000:201', port: 51820, family: 'ipv6' });
  for (const none of ['(einval)', 'no address', '', '1.2.3.4', '1.2.3.4:', '1.2.3.4:99999', '256.1.1.1:5', '[zz::1]:5', '[::1]5', 'host:51820']) {
    assert.equal(parseEndpoint(none), null, none);
  }
});

test('the kernel\'s uncompressed %pI6 and every other spelling of one address become the same string', () => {
  assert.equal(canonicalIp('fd00:0066:0000:0000:0000:0000:0000:0009'), 'fd00:66::9');
  assert.equal(canonicalIp('FD00:66::9'), 'fd00:66::9');
  assert.equal(canonicalIp('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
  assert.equal(canonicalIp('0:0:0:0:0:0:0:0'), '::');
  assert.equal(canonicalIp('0:0:0:0:0:0:0:1'), '::1');
  assert.equal(canonicalIp('1:0:0:0:0:0:0:0'), '1::');
  assert.equal(canonicalIp('2001:db8:1:1:1:1:1:1'), '2001:db8:1:1:1:1:1:1');
  assert.equal(canonicalIp('2001:0:1:1:1:1:1:1'), '2001:0:1:1:1:1:1:1');
  assert.equal(canonicalIp('fe80::1%eth0'), 'fe80::1');
  assert.equal(canonicalIp('10.0.0.1'), '10.0.0.1');
  assert.equal(canonicalIp('nonsense'), null);
});

const hex4 = fc.integer({ min: 0, max: 0xffff });

test('property: any IPv6 written fully expanded round-trips to the same canonical form as its compressed self', () => {
  fc.assert(fc.property(fc.array(hex4, { minLength: 8, maxLength: 8 }), (g) => {
    const full = g.map((x) => x.toString(16).padStart(4, '0')).join(':');
    const c = canonicalIp(full);
    assert.ok(c !== null);
    assert.equal(canonicalIp(c), c, 'idempotent');
    assert.equal(canonicalIp(full.toUpperCase()), c);
    // Same 128-bit value: expand both and compare.
    const expand = (s: string): string => new URL(`http://[${s}]/`).hostname;
    assert.equal(expand(c), expand(full));
  }));
});

test('property: endpoints built from any address and port parse back to them', () => {
  fc.assert(fc.property(fc.ipV4(), fc.integer({ min: 0, max: 65535 }), (ip, port) => {
    assert.deepEqual(parseEndpoint(`${ip}:${port}`), { ip, port, family: 'ipv4' });
  }));
  fc.assert(fc.property(fc.ipV6(), fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 99 }), (ip, port, scope) => {
    const k = parseEndpoint(`[${ip}]:${port}/0%${scope}`);
    const g = parseEndpoint(`[${ip}]:${port}`);
    assert.ok(k && g);
    assert.equal(k.ip, g.ip);
    assert.equal(k.port, port);
    assert.equal(k.zone, scope === 0 ? undefined : String(scope));
  }));
});

test('property: parseEndpoint never throws and returns null or a valid endpoint for any string', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
    const e = parseEndpoint(s);
    if (e !== null) assert.ok(e.port >= 0 && e.port <= 65535 && canonicalIp(e.ip) === e.ip);
  }), { numRuns: 2000 });
});

test('property: canonicalIp accepts exactly what node:net accepts', () => {
  const hexy = fc.string({ unit: fc.constantFrom('0', '1', 'a', 'F', ':', '.', '9', 'g', '2', '5'), maxLength: 40 });
  fc.assert(fc.property(fc.oneof(hexy, fc.ipV6(), fc.ipV4(), fc.string({ maxLength: 40 })), (s) => {
    assert.equal(canonicalIp(s) !== null, isIP(s) !== 0, s);
  }), { numRuns: 20000 });
});
