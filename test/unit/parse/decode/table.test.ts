// Properties of the envelope table that keep decoding cheap and bounded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BY_FIRST_CHAR, JSON_ENVELOPES, TEXT_ENVELOPES } from '../../../../src/parse/decode/envelopes.ts';

test('every text envelope regex is anchored and stateless', () => {
  for (const e of TEXT_ENVELOPES) {
    assert.ok(e.re.source.startsWith('^'), e.variant);
    assert.ok(!e.re.global && !e.re.sticky, `${e.variant}: exec must not depend on lastIndex`);
    assert.ok(!e.re.source.endsWith('$'), `${e.variant}: matches the prefix only`);
    assert.ok(e.first.length > 0, e.variant);
  }
});

test('no regex has a nested unbounded quantifier (the classic catastrophic-backtracking shape)', () => {
  for (const e of TEXT_ENVELOPES) {
    assert.doesNotMatch(e.re.source, /\((?:[^()]|\\\(|\\\))*[+*]\)[+*{]/, e.variant);
  }
});

test('candidate lists keep table order and hold only envelopes whose first characters match', () => {
  for (let c = 0; c < 128; c++) {
    const list = BY_FIRST_CHAR[c] ?? [];
    const expected = TEXT_ENVELOPES.filter((e) => e.first.includes(String.fromCharCode(c)));
    assert.deepEqual(list, expected, `first char ${c}`);
  }
  assert.deepEqual(BY_FIRST_CHAR[128], TEXT_ENVELOPES.filter((e) => e.nonAscii === true));
  // The hot kern.log path tries syslog first.
  assert.equal(BY_FIRST_CHAR['M'.charCodeAt(0)]?.[0]?.id, 'syslog-rfc3164');
  assert.equal(BY_FIRST_CHAR['['.charCodeAt(0)]?.[0]?.id, 'dmesg');
});

test('JSON envelopes are told apart by keys, most specific first', () => {
  assert.deepEqual(JSON_ENVELOPES.map((e) => e.id), ['vector-json', 'journald-json', 'filebeat-json', 'vector-json', 'filebeat-json', 'logtail-json']);
});
