// The alert transitions of a partition made public: attributed to a peer, diagnosed (tunnel rules), written as
// alert documents to Elasticsearch, and only then paged, so that a page never announces an alert Elasticsearch
// does not have. Tunnel alerts without a confirmed diagnosis are handed to the rechecks.
import type { Client } from '@elastic/elasticsearch';
import type { Logger } from 'pino';
import type { Config } from '../../shared/config/keys.ts';
import type { Rule } from '../rules/rule-types.ts';
import type { AlertTransition } from '../rules/types.ts';
import { BulkIndexer, type BulkControl } from '../../sinks/elasticsearch/bulk.ts';
import type { IndexAction } from '../../indexing/record.ts';
import { validateAlert } from '../../shared/schema/validate.ts';
import type { WgAlertDoc } from '../../shared/schema/generated/alert.ts';
import { alertsIndex, buildAlertDoc, type AlertAttribution, type AlertDiagnosis } from '../../sinks/elasticsearch/alert-doc.ts';
import { attributeAlert, counterpartHints } from './attribute.ts';
import { pagingScope, type AlertDiagnoser, type CorrelationHooks, type PagingSink } from './correlation-ports.ts';
import type { PartitionState } from './partition-states.ts';
import type { Rechecks } from './rechecks.ts';

/** For writes outside a consumer batch (ticks, rechecks, stop): nothing to heartbeat, never aborted. */
export const ALWAYS: BulkControl = { heartbeat: () => Promise.resolve(), isRunning: () => true };
/** Cross-host diagnoses per emitted batch: beyond it alerts keep their rule's generic diagnosis (alert storms). */
const MAX_DIAGNOSES_PER_BATCH = 20;
/** Revisions of one alert state's document: its external version is state version × this + revision. */
const REVISIONS = 8;

export interface AlertEmitterOptions {
  readonly config: Config;
  readonly es: Client;
  readonly log: Logger;
  readonly rules: readonly Rule[];
  readonly diagnoser?: AlertDiagnoser;
  readonly pager?: PagingSink;
  readonly hooks: CorrelationHooks;
  readonly rechecks: Rechecks;
}

/** A later diagnosis of an alert state already written. */
export interface Rediagnosis {
  readonly attribution: AlertAttribution | undefined;
  readonly diagnosis: AlertDiagnosis;
  /** How many times it was asked again: the document's revision within the alert's state. */
  readonly revision: number;
  readonly nowMs: number;
}

export class AlertEmitter {
  readonly #o: AlertEmitterOptions;
  readonly #bulk: BulkIndexer;
  readonly #rulesById: ReadonlyMap<string, Rule>;

  constructor(o: AlertEmitterOptions) {
    this.#o = o;
    const c = o.config;
    this.#rulesById = new Map(o.rules.map((r) => [r.id, r]));
    this.#bulk = new BulkIndexer(o.es, {
      maxBytes: c['pipeline.bulkMaxBytes'], maxDocs: c['pipeline.batchSize'], concurrency: 1, initialBackoffMs: 200, maxBackoffMs: 30_000,
      onRetry: (cause, waitMs, detail) => o.log.warn({ cause, waitMs: Math.round(waitMs), detail }, 'alert bulk failed; retrying'),
    });
  }

  /** Alert documents to Elasticsearch, then pages. */
  async emit(st: PartitionState, transitions: readonly AlertTransition[], ctl: BulkControl): Promise<void> {
    if (transitions.length === 0) return;
    const c = this.#o.config;
    const nowMs = Date.now();
    let diagnoses = 0;
    // A burst processed in one batch moves an alert through several states at once: only the newest is written
    // (Elasticsearch would keep only it anyway), and an opening among them still pages.
    const latest = new Map<string, AlertTransition>();
    const openedHere = new Set<string>();
    for (const t of transitions) {
      if (t.kind === 'opened') openedHere.add(t.alert.id);
      latest.set(t.alert.id, t);
    }
    const built = await Promise.all([...latest.values()].map(async (t) => {
      const rule = this.#rulesById.get(t.alert.rule.id);
      if (!rule) throw new Error(`transition of unknown rule ${t.alert.rule.id}`);
      const attribution = attributeAlert(st.peers, t.alert);
      let diagnosis: AlertDiagnosis | undefined;
      if (rule.tunnel && this.#o.diagnoser && diagnoses++ < MAX_DIAGNOSES_PER_BATCH) {
        diagnosis = await this.#o.diagnoser.diagnose(rule, t.alert, attribution, counterpartHints(st.peers, t.alert)).catch((e: unknown) => {
          this.#o.log.warn({ err: e, rule: rule.id, alert: t.alert.id }, 'cross-host diagnosis failed; the alert keeps its rule\'s diagnosis');
          return undefined;
        });
      }
      const doc = buildAlertDoc(t, rule, { namespace: c['namespace'], nowMs, ...(attribution ? { attribution } : {}), ...(diagnosis ? { diagnosis } : {}) });
      const v = validateAlert(doc);
      if (!v.ok) this.#o.log.error({ rule: rule.id, alert: t.alert.id, errors: v.errors }, 'alert document does not match the schema');
      if (rule.tunnel && t.kind !== 'resolved' && diagnosis?.confidence !== 'confirmed') this.#o.rechecks.schedule(st.partition, t, rule, diagnosis, 0, nowMs);
      if (t.kind === 'resolved') this.#o.rechecks.forget(t.alert.id);
      return { t, rule, doc };
    }));
    const res = await this.#bulk.index(built.map(({ t, doc }) => this.#action(st, t, doc, 0, t.kind)), ctl);
    const refused = new Set(res.rejected.map((r) => r.action.id));
    for (const r of res.rejected) {
      this.#o.hooks.alertRejected(r.action.action);
      this.#o.log.error({ alert: r.action.id, status: r.status, reason: r.reason }, 'Elasticsearch refused an alert document');
    }
    for (const { t, rule, doc } of built) {
      if (refused.has(t.alert.id)) continue;
      const opened = openedHere.has(t.alert.id);
      if (opened) this.#o.hooks.transition(rule.id, 'opened', t.alert);
      if (t.kind !== 'opened') this.#o.hooks.transition(rule.id, t.kind, t.alert);
      if (opened) this.#page(st, 'trigger', t, rule, doc);
      if (t.kind === 'resolved') this.#page(st, 'resolve', t, rule, doc);
    }
  }

  /** Rewrites an alert state's document with a diagnosis that changed since it was written. */
  async rediagnosed(st: PartitionState, t: AlertTransition, rule: Rule, r: Rediagnosis): Promise<void> {
    const doc = buildAlertDoc(t, rule, { namespace: this.#o.config['namespace'], nowMs: r.nowMs, ...(r.attribution ? { attribution: r.attribution } : {}), diagnosis: r.diagnosis });
    await this.#bulk.index([this.#action(st, t, doc, Math.min(r.revision, REVISIONS - 1), 'rediagnosed')], ALWAYS);
  }

  #action(st: PartitionState, t: AlertTransition, doc: WgAlertDoc, revision: number, action: string): IndexAction {
    const c = this.#o.config;
    return {
      index: alertsIndex(c['namespace']), id: t.alert.id, doc, version: t.alert.version * REVISIONS + revision, action,
      source: { topic: c['kafka.correlationTopic'], partition: st.partition, offset: st.applied.toString(), line: 0 },
    };
  }

  #page(st: PartitionState, action: 'trigger' | 'resolve', t: AlertTransition, rule: Rule, doc: WgAlertDoc): void {
    this.#o.pager?.notify({
      action,
      alertId: t.alert.id,
      rule: { id: rule.id, name: rule.name },
      severity: rule.severity,
      riskScore: rule.riskScore,
      title: doc.message,
      scope: pagingScope(st.partition),
      ...(doc.host?.name !== undefined ? { host: doc.host.name } : {}),
      ...(t.alert.group['observer.ingress.interface.name'] !== undefined ? { component: t.alert.group['observer.ingress.interface.name'] } : {}),
      timestamp: doc['@timestamp'],
      group: t.alert.group,
      details: {
        count: t.alert.count,
        ...(t.alert.distinct !== undefined ? { distinct: t.alert.distinct } : {}),
        start: doc.event.start, end: doc.event.end,
        ...(doc.wireguard?.diagnosis ? { diagnosis: doc.wireguard.diagnosis } : {}),
        ...(doc.wireguard?.attribution ? { attribution: doc.wireguard.attribution } : {}),
      },
    });
  }
}
