// Re-diagnosis of tunnel alerts. When one opens, the other end's lines may still be on their way (another
// partition, another instance, the index refresh): its root cause is asked again after a few delays until the
// diagnoser confirms one, and the alert document is rewritten whenever the answer changed.
import type { Rule } from '../rules/rule-types.ts';
import type { AlertTransition } from '../rules/types.ts';
import type { AlertDiagnosis } from '../../sinks/elasticsearch/alert-doc.ts';
import type { AlertEmitter } from './alert-emission.ts';
import { attributeAlert, counterpartHints } from './attribute.ts';
import type { AlertDiagnoser } from './correlation-ports.ts';
import type { PartitionState } from './partition-states.ts';

const RECHECK_AFTER_MS = [5_000, 15_000, 45_000];
const MAX_RECHECKS = 1000;

interface Recheck {
  readonly partition: number;
  readonly t: AlertTransition;
  readonly rule: Rule;
  readonly last: string;
  readonly tries: number;
  readonly dueMs: number;
}

const diagnosisKey = (d: AlertDiagnosis | undefined): string => (d ? `${d.id}/${d.confidence}/${d.counterpart?.host ?? ''}` : '');

export class Rechecks {
  /** Alert id → its next ask; insertion order is age, so the oldest goes first when the bound is reached. */
  readonly #due = new Map<string, Recheck>();

  /** Asks again later about an alert whose diagnosis is not confirmed yet (`tries` asks so far); gives up after the last delay. */
  schedule(partition: number, t: AlertTransition, rule: Rule, d: AlertDiagnosis | undefined, tries: number, nowMs: number): void {
    const have = this.#due.get(t.alert.id);
    // Only the alert's newest state may be rewritten: an older one would be refused as a lower version.
    if (have && have.t.alert.version > t.alert.version) return;
    const after = RECHECK_AFTER_MS[tries];
    if (after === undefined) { this.#due.delete(t.alert.id); return; }
    this.#due.delete(t.alert.id);
    if (this.#due.size >= MAX_RECHECKS) {
      const oldest = this.#due.keys().next();
      if (oldest.done !== true) this.#due.delete(oldest.value);
    }
    this.#due.set(t.alert.id, { partition, t, rule, last: diagnosisKey(d), tries, dueMs: nowMs + after });
  }

  /** The alert resolved: nothing left to diagnose. */
  forget(alertId: string): void {
    this.#due.delete(alertId);
  }

  /**
   * Asks again for the root cause of the alerts that are due; rewrites them if it changed. An alert whose partition
   * is no longer owned here is dropped: its new owner has its own rechecks.
   */
  async runDue(nowMs: number, diagnoser: AlertDiagnoser | undefined, partition: (p: number) => PartitionState | undefined, emitter: AlertEmitter): Promise<void> {
    for (const [id, r] of [...this.#due]) {
      if (r.dueMs > nowMs) continue;
      const st = partition(r.partition);
      if (!st || !diagnoser) { this.#due.delete(id); continue; }
      const attribution = attributeAlert(st.peers, r.t.alert);
      const d = await diagnoser.diagnose(r.rule, r.t.alert, attribution, counterpartHints(st.peers, r.t.alert)).catch(() => undefined);
      const tries = r.tries + 1;
      if (d && diagnosisKey(d) !== r.last) await emitter.rediagnosed(st, r.t, r.rule, { attribution, diagnosis: d, revision: tries, nowMs });
      if (d?.confidence === 'confirmed') this.#due.delete(id);
      else this.schedule(r.partition, r.t, r.rule, d, tries, nowMs);
    }
  }
}
