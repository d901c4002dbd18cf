// wg-siem's version, from package.json: the one place it is written. Read rather than imported as JSON because tsc
// refuses an import from outside rootDir; src/shared/version.ts and dist/shared/version.js both sit two levels below the
// package root, so the same relative URL finds it when run from the sources and from the build.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const v = pkg !== null && typeof pkg === 'object' ? (pkg as { version?: unknown }).version : undefined;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    // A bundler or an odd install without package.json beside the code: logs and --version still work.
    return '0.0.0';
  }
}

export const VERSION: string = readVersion();
