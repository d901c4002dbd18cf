import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { followFile, inputChunks } from '../../../../src/source/kafka/input.ts';
import { waitFor } from '../../../helpers/wait.ts';

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wg-siem-follow-'));
  try { await fn(dir); } finally { await rm(dir, { recursive: true, force: true }); }
}

/** Follows `path`, collecting what it yields, until `body` is done; then aborts and waits for the end. */
async function following(path: string, body: (text: () => string, notices: string[]) => Promise<void>): Promise<string> {
  const stop = new AbortController();
  const notices: string[] = [];
  let text = '';
  const reader = (async () => {
    for await (const c of followFile(path, { signal: stop.signal, pollMs: 20, onNotice: (m) => notices.push(m) })) text += c.toString();
  })();
  try {
    await body(() => text, notices);
  } finally {
    stop.abort();
    await reader;
  }
  return text;
}

test('a file read once: all of it, then the end', async () => {
  await withDir(async (dir) => {
    const f = join(dir, 'a.log');
    await writeFile(f, 'one\ntwo\n');
    let text = '';
    for await (const c of inputChunks(f)) text += c.toString();
    assert.equal(text, 'one\ntwo\n');
  });
});

test('follow: existing content, then what is appended, and what was written just before the stop', async () => {
  await withDir(async (dir) => {
    const f = join(dir, 'wg.log');
    await writeFile(f, 'first\n');
    const text = await following(f, async (got) => {
      await waitFor('first line', 5000, () => got() === 'first\n', 10);
      await appendFile(f, 'second\nthird (no newline yet)');
      await waitFor('appended lines', 5000, () => got().endsWith('third (no newline yet)'), 10);
      await appendFile(f, '\nlast\n');
    });
    assert.equal(text, 'first\nsecond\nthird (no newline yet)\nlast\n');
  });
});

test('follow: waits for a missing file, restarts after truncation, and finishes the old file on rotation', async () => {
  await withDir(async (dir) => {
    const f = join(dir, 'wg.log');
    const text = await following(f, async (got, notices) => {
      await waitFor('waiting notice', 5000, () => notices.some((n) => n.startsWith('waiting for')), 10);
      await writeFile(f, 'a1\na2\n');
      await waitFor('a lines', 5000, () => got() === 'a1\na2\n', 10);
      // copytruncate: the same file, emptied, written again.
      await truncate(f, 0);
      await waitFor('truncation seen', 5000, () => notices.some((n) => n.includes('truncated')), 10);
      await appendFile(f, 'b1\n');
      await waitFor('b1', 5000, () => got().endsWith('b1\n'), 10);
      // Rotation: the writer still appends to the old file once, then a new file takes the name.
      await rename(f, `${f}.1`);
      await appendFile(`${f}.1`, 'b2 (late, in the rotated file)\n');
      await writeFile(f, 'c1\n');
      await waitFor('c1', 5000, () => got().endsWith('c1\n'), 10);
    });
    assert.equal(text, 'a1\na2\nb1\nb2 (late, in the rotated file)\nc1\n');
  });
});

test('follow: an abort while the file is still missing ends at once with nothing', async () => {
  await withDir(async (dir) => {
    const text = await following(join(dir, 'never.log'), () => sleep(50));
    assert.equal(text, '');
  });
});
