// The environment of a wg-siem child process started by a test.

/**
 * This process's environment without WG_SIEM_* (a developer's own settings must not reach the child: it is
 * configured by the test alone) and without NODE_TEST_CONTEXT (a node child that inherits it takes itself for a
 * test runner's worker and reports to it), with `layers` over it, later ones winning.
 */
export function childEnv(...layers: readonly Readonly<Record<string, string>>[]): Record<string, string> {
  const base: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('WG_SIEM_') && k !== 'NODE_TEST_CONTEXT') base[k] = v;
  for (const layer of layers) Object.assign(base, layer);
  return base;
}
