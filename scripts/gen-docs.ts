// Regenerates the documents that are derived from code. `--check` exits 1 when one is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigReference } from '../src/shared/config/docs.ts';

const targets: Record<string, string> = { 'docs/configuration.md': renderConfigReference() };
let stale = 0;
for (const [path, text] of Object.entries(targets)) {
  let current = '';
  try { current = readFileSync(path, 'utf8'); } catch { /* new */ }
  if (current === text) continue;
  if (process.argv.includes('--check')) { process.stderr.write(`${path} is stale: run npm run docs\n`); stale++; }
  else { writeFileSync(path, text); process.stderr.write(`wrote ${path}\n`); }
}
process.exit(stale ? 1 : 0);
