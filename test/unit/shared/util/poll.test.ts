// The one polling loop of wg-siem's code: it stops at the first true answer, and on timeout hands back what the probe
// last said (an exception included), so that the caller's error can tell how far things got.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pollUntil } from '../../../../src/shared/util/poll.ts';

test('pollUntil resolves at the first true answer, asking no more', async () => {
  let asked = 0;
  const last = await pollUntil(() => Promise.resolve(++asked === 3 ? true : `asked ${asked}`), 60_000, 1);
  assert.equal(last, undefined);
  assert.equal(asked, 3);
});

test('pollUntil gives the last answer when time is up, a thrown error as its message', async () => {
  let asked = 0;
  const last = await pollUntil(() => { asked++; return asked % 2 ? Promise.resolve(`saw ${asked}`) : Promise.reject(new Error(`broke ${asked}`)); }, 30, 5);
  assert.ok(asked >= 2, `asked ${asked} times`);
  assert.equal(last, asked % 2 ? `saw ${asked}` : `broke ${asked}`);
});

test('pollUntil asks at least once even with no time at all', async () => {
  let asked = 0;
  assert.equal(await pollUntil(() => { asked++; return Promise.resolve(true as const); }, 0, 5), undefined);
  assert.equal(asked, 1);
});
