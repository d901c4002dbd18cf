// `wg-siem setup`: installs the plan (setup-plan.ts) and checks a server against it. Every object is read
// before it is written, so a run that finds everything in place writes nothing and says so, and a run after an
// upgrade says which objects changed and from which version.
import type { Client } from '@elastic/elasticsearch';
import { compareBodies, type PathDifference, type SetupObjectKind } from './setup-compare.ts';
import { metaVersion, type PlannedObject, type SetupPlan } from './setup-plan.ts';
import { putObject, readInstalled } from './setup-server.ts';
import { readDocuments, writeDocuments } from './diagnoses.ts';

export { planSetup, chooseLifecycle, chooseStorage, ilmPolicy, ILM_POLICY_NAME, ILM_POLICY_VERSION } from './setup-plan.ts';
export type { LifecyclePlan, StoragePlan, PlannedObject, PlannedSubstitution, SetupCapabilities, SetupConfig, SetupPlan, IlmPolicyBody, PlanOptions } from './setup-plan.ts';
export type { PathDifference, SetupObjectKind } from './setup-compare.ts';
export { SetupError } from './setup-server.ts';
import { esReason, SetupError } from './setup-server.ts';

export interface ApplyOutcome {
  readonly kind: SetupObjectKind;
  readonly name: string;
  readonly status: 'created' | 'updated' | 'unchanged';
  /** `_meta.version` before (null: absent or not installed) and after. */
  readonly previousVersion: number | null;
  readonly version: number | null;
  /** What an update changed (empty for created and unchanged). */
  readonly differences: readonly PathDifference[];
}

export interface ObjectDifferences {
  readonly kind: SetupObjectKind;
  readonly name: string;
  readonly installed: boolean;
  readonly installedVersion: number | null;
  readonly version: number | null;
  /** For an object that is not installed: one entry, path '' and change 'missing'. */
  readonly differences: readonly PathDifference[];
}

type Body = Readonly<Record<string, unknown>>;

const bodyOf = (o: PlannedObject): Body => o.body;

/** The installed form of a planned object, null when absent. */
async function installedOf(client: Client, o: PlannedObject): Promise<Body | null> {
  if (o.kind !== 'documents') return readInstalled(client, o.kind, o.name);
  try {
    return await readDocuments(client, o.name);
  } catch (e) {
    throw new SetupError(o.kind, o.name, 'reading', esReason(e), e);
  }
}

async function install(client: Client, o: PlannedObject): Promise<void> {
  if (o.kind !== 'documents') { await putObject(client, o.kind, o.name, bodyOf(o)); return; }
  try {
    await writeDocuments(client, o.name, o.body);
  } catch (e) {
    throw new SetupError(o.kind, o.name, 'installing', esReason(e), e);
  }
}

export interface ApplyOptions {
  /** Called as each object is done, so a caller can show progress before a later object fails. */
  readonly onOutcome?: (o: ApplyOutcome) => void;
}

/**
 * Installs what differs from the plan, in the plan's (dependency) order; stops at the first refusal with a
 * SetupError naming the object and Elasticsearch's reason.
 */
export async function applySetup(client: Client, plan: SetupPlan, options: ApplyOptions = {}): Promise<ApplyOutcome[]> {
  const out: ApplyOutcome[] = [];
  const done = (o: ApplyOutcome): void => { out.push(o); options.onOutcome?.(o); };
  for (const o of plan.objects) {
    const installed = await installedOf(client, o);
    const differences = installed === null ? [] : compareBodies(o.kind, bodyOf(o), installed);
    const previousVersion = installed === null ? null : metaVersion(o.kind, installed);
    const base = { kind: o.kind, name: o.name, previousVersion, version: o.version };
    if (installed !== null && differences.length === 0) {
      done({ ...base, status: 'unchanged', differences: [] });
      continue;
    }
    await install(client, o);
    done({ ...base, status: installed === null ? 'created' : 'updated', differences });
  }
  return out;
}

/** What differs between the server and the plan, per object and path; empty when they agree. */
export async function checkSetup(client: Client, plan: SetupPlan): Promise<ObjectDifferences[]> {
  const out: ObjectDifferences[] = [];
  for (const o of plan.objects) {
    const installed = await installedOf(client, o);
    const base = { kind: o.kind, name: o.name, version: o.version };
    if (installed === null) {
      out.push({ ...base, installed: false, installedVersion: null, differences: [{ path: '', change: 'missing' }] });
      continue;
    }
    const differences = compareBodies(o.kind, bodyOf(o), installed);
    if (differences.length > 0) out.push({ ...base, installed: true, installedVersion: metaVersion(o.kind, installed), differences });
  }
  return out;
}
