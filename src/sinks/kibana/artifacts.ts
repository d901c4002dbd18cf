// The generated files under mappings/kibana/ and what they must contain (scripts/kibana.ts writes or checks them).
import { join } from 'node:path';
import { loadRules, SHIPPED_RULES_DIR } from '../../correlate/rules/load-rules.ts';
import { buildSavedObjects, toNdjson } from './build.ts';
import { detectionRulesNdjson } from './detection-rules.ts';
import { KIBANA_SOURCE_DIR } from './source.ts';

export const SAVED_OBJECTS_FILE = join(KIBANA_SOURCE_DIR, 'wg-siem.ndjson');
export const DETECTION_RULES_FILE = join(KIBANA_SOURCE_DIR, 'detection-rules.ndjson');

export interface Artifact {
  readonly path: string;
  readonly content: string;
  readonly count: number;
}

export function kibanaArtifacts(): Artifact[] {
  const objects = buildSavedObjects();
  const loaded = loadRules(SHIPPED_RULES_DIR);
  if (!loaded.ok) throw new Error(`alerts/ has errors: ${loaded.errors.map((e) => `${e.file}${e.path}: ${e.message}`).join('; ')}`);
  return [
    { path: SAVED_OBJECTS_FILE, content: toNdjson(objects), count: objects.length },
    { path: DETECTION_RULES_FILE, content: detectionRulesNdjson(loaded.rules), count: loaded.rules.length },
  ];
}
