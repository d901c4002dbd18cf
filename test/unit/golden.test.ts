// Every golden input file produces exactly its expected ECS documents (see test/helpers/golden.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goldenFiles, readExpected, runGolden } from '../helpers/golden.ts';

const files = goldenFiles();

test('there are golden files for every implementation and envelope', () => {
  assert.ok(files.length >= 10, `only ${files.length} golden files`);
});

for (const f of files) {
  test(`golden: ${f}`, () => {
    const expected = readExpected(f);
    assert.ok(expected, `${f} has no -expected.json: run npm run golden -- --update ${f} and review it`);
    const actual = runGolden(f);
    assert.equal(actual.length, expected.length, 'line count');
    actual.forEach((doc, i) => assert.deepEqual(doc, expected[i], `${f} line ${i + 1}`));
    assert.ok(actual.every((d) => !('invalid' in d)), 'no document may fail schema validation');
  });
}
