// npm run corpus [-- --misses]
// The real-world corpus (test/corpus/real-world/) through the parser: the per-class table docs/parsing.md
// quotes, and with --misses every line that is not recognised right, with what came out instead.
import { loadCorpus, score, scoreTable } from '../test/helpers/corpus.ts';

const s = score(loadCorpus('test/corpus/real-world'));
process.stdout.write(`${scoreTable(s)}\n`);
if (process.argv.includes('--misses')) {
  for (const v of s.verdicts) {
    const bad = v.record.expect === null ? v.doc !== undefined : !v.actionRight || v.wrongFields.length > 0;
    if (!bad) continue;
    const got = v.doc ? v.doc.event.action : (v.why ?? '?');
    process.stdout.write(`\n${v.record.at} [${v.record.format}] want ${v.record.expect?.action ?? 'nothing'}, got ${got}${v.wrongFields.length ? `\n  ${v.wrongFields.join('\n  ')}` : ''}\n  ${v.record.line}\n`);
  }
}
