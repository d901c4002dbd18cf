// The sample files under test/golden/envelopes/ are also golden inputs (test/unit/golden.test.ts); each must hold what its name says.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { decode } from '../../../../src/parse/decode/decode.ts';
import type { EnvelopeId } from '../../../../src/parse/decode/types.ts';
import { BERLIN_WITH_RECORD } from './support.ts';

const DIR = join(import.meta.dirname, '../../../golden/envelopes');

/** Every envelope decode can produce (wireguard-go inside other loggers is found by the recogniser, not here). */
const DECODABLE: readonly EnvelopeId[] = [
  'dmesg', 'dmesg-human', 'syslog-rfc3164', 'syslog-rfc5424', 'journald-json', 'filebeat-json', 'vector-json', 'logread',
  'wireguard-go', 'go-stdlog', 'logcat', 'windows-ringlog', 'boringtun', 'raw',
  'rust-log', 'macos-log', 'esphome',
  'apple-ringlog', 'mullvad-ios', 'amneziavpn-ne', 'tunsafe', 'dated-text',
  'sing-box', 'xray', 'logfmt', 'coder-slog', 'mullvad', 'netbird', 'macos-console', 'logtail-json',
  'time-only',
  'opnsense-gui', 'keenetic',
];

function lines(file: string): string[] {
  return readFileSync(join(DIR, file), 'utf8').split('\n').filter((l) => l !== '');
}

test('there is one sample file per envelope, with 5 to 15 records', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.log')).sort();
  assert.deepEqual(files, [...DECODABLE].map((id) => `${id}.log`).sort());
  for (const f of files) {
    const n = lines(f).length;
    assert.ok(n >= 5 && n <= 15, `${f} has ${n} records`);
  }
});

test('every sample record decodes to the envelope its file is named after', () => {
  for (const id of DECODABLE) {
    for (const line of lines(`${id}.log`)) {
      const d = decode(line, BERLIN_WITH_RECORD);
      assert.equal(d.envelope, id, line);
      assert.equal(d.original, line);
      assert.notEqual(d.message, '', line);
      if (id !== 'raw') assert.notEqual(d.message, line, `the envelope was removed from: ${line}`);
    }
  }
});

test('JSON samples are one valid record per line', () => {
  for (const id of ['journald-json', 'filebeat-json', 'vector-json']) {
    for (const line of lines(`${id}.log`)) {
      const v: unknown = JSON.parse(line);
      assert.ok(typeof v === 'object' && v !== null && !Array.isArray(v), line);
    }
  }
});

test('samples carry no WireGuard private or preshared key', () => {
  for (const f of readdirSync(DIR)) {
    const text = readFileSync(join(DIR, f), 'utf8');
    assert.doesNotMatch(text, /private[_ -]?key\s*[=:]\s*[A-Za-z0-9+/]{42,43}=/i, f);
    assert.doesNotMatch(text, /preshared[_ -]?key\s*[=:]\s*[A-Za-z0-9+/]{42,43}=/i, f);
    // `wg show dump` lines carry keys in tab-separated columns.
    assert.doesNotMatch(text, /\t[A-Za-z0-9+/]{43}=\t[A-Za-z0-9+/]{43}=/, f);
  }
});
