// Builds the importable Kibana objects from their readable source (mappings/kibana/*.yaml) into
// mappings/kibana/wg-siem.ndjson, and the detection-rule exports from alerts/ into
// mappings/kibana/detection-rules.ndjson. `--check` only compares, for tests and CI.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { kibanaArtifacts } from '../src/sinks/kibana/artifacts.ts';

const check = process.argv.includes('--check');
let stale = 0;
for (const a of kibanaArtifacts()) {
  const current = existsSync(a.path) ? readFileSync(a.path, 'utf8') : '';
  if (current === a.content) continue;
  if (check) {
    process.stderr.write(`${a.path} is out of date: run npm run kibana\n`);
    stale++;
  } else {
    writeFileSync(a.path, a.content);
    process.stdout.write(`wrote ${a.path} (${a.count} objects)\n`);
  }
}
process.exit(stale > 0 ? 1 : 0);
