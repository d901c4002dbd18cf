// Regenerates golden expectations: `npm run golden -- --update [file.log ...]`. Without --update it only lists
// the files whose expectations differ from what the code produces now.
import { writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { expectedPath, goldenFiles, readExpected, runGolden } from '../test/helpers/golden.ts';

const args = process.argv.slice(2);
const update = args.includes('--update');
const files = args.filter((a) => a.endsWith('.log'));
let differing = 0;
for (const f of files.length ? files : goldenFiles()) {
  const actual = runGolden(f);
  if (isDeepStrictEqual(readExpected(f), actual)) continue;
  differing++;
  if (update) {
    writeFileSync(expectedPath(f), `${JSON.stringify({ expected: actual }, null, 2)}\n`);
    process.stderr.write(`updated ${expectedPath(f)}\n`);
  } else {
    process.stderr.write(`differs: ${f}\n`);
  }
}
process.stderr.write(`${differing} golden file(s) ${update ? 'updated' : 'differ'}\n`);
process.exit(!update && differing ? 1 : 0);
