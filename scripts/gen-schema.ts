// Generates src/shared/schema/generated/ (JSON Schema + TypeScript types per index template, and common.ts with the
// types the data streams of one family of component templates have alike) from mappings/.
//   node_modules/.bin/node scripts/gen-schema.ts [--check] [template ...]
//   template   index template names (mappings/index/<name>.json); default: all of them
//   --check    write nothing; exit 1 and name the files that are stale, missing or left over
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, GENERATED_DIR } from '../src/shared/schema/gen/generate.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const unknown = args.filter((a) => a.startsWith('-') && a !== '--check');
if (unknown.length > 0) {
  process.stderr.write(`unknown option ${unknown.join(' ')}\nusage: gen-schema.ts [--check] [template ...]\n`);
  process.exit(2);
}
const templates = args.filter((a) => !a.startsWith('-'));
const files = generate(templates.length > 0 ? templates : undefined);

if (check) {
  const problems = files
    .filter((f) => { const p = join(repoRoot, f.path); return !existsSync(p) || readFileSync(p, 'utf8') !== f.content; })
    .map((f) => `stale or missing: ${f.path}`);
  if (templates.length === 0) {
    // A generated file whose template was removed would otherwise linger and keep compiling.
    const expected = new Set(files.map((f) => f.path));
    const dir = join(repoRoot, GENERATED_DIR);
    const present = existsSync(dir) ? readdirSync(dir).map((n) => `${GENERATED_DIR}/${n}`) : [];
    problems.push(...present.filter((p) => !expected.has(p)).map((p) => `not generated from any template: ${p}`));
  }
  for (const p of problems) process.stderr.write(`${p}\n`);
  if (problems.length > 0) {
    process.stderr.write('run: node_modules/.bin/node scripts/gen-schema.ts\n');
    process.exit(1);
  }
  process.stderr.write(`${files.length} generated files up to date\n`);
} else {
  for (const f of files) {
    const p = join(repoRoot, f.path);
    mkdirSync(dirname(p), { recursive: true });
    const same = existsSync(p) && readFileSync(p, 'utf8') === f.content;
    if (!same) writeFileSync(p, f.content);
    process.stderr.write(`${same ? 'unchanged' : 'wrote'} ${f.path}\n`);
  }
}
