// Pages people about alerts: PagerDuty (Events API v2) and/or a generic webhook. notify() only decides and
// queues, so the event pipeline never waits on a paging service; delivery happens per target in the background.
//
// Decisions, in order, for a trigger: below notify.minSeverity → not paged; already paged and not yet resolved
// → not re-paged; past notify.stormMaxPages in the current window → folded into the window's one aggregated
// page. A resolve is forwarded only where its trigger went. Alert ids are remembered in a bounded LRU, so an
// alert forgotten after ALERT_MEMORY newer ones loses its resolve (and a re-trigger of it would page again).
import type { Logger } from 'pino';
import type { FoldReason } from './aggregate.ts';
import type { Outgoing } from './outgoing.ts';
import { BoundedLru } from './lru.ts';
import { pagerDutyFormat } from './pagerduty.ts';
import { DEFAULT_BACKOFF } from './retry.ts';
import { Sender } from './sender.ts';
import { StormWindows } from './storm.ts';
import { webhookFormat } from './webhook.ts';
import { ALERT_MEMORY, NO_NOTIFIER_HOOKS, SEVERITY_RANK } from './types.ts';
import type { AlertNotification, Backoff, FailReason, NotifierConfig, NotifierHooks, NotifyTarget } from './types.ts';

export { NO_NOTIFIER_HOOKS } from './types.ts';
export type { AlertNotification, AlertSeverity, NotifierConfig, NotifierHooks, NotifyTarget, SuppressReason } from './types.ts';

export interface NotifierDeps {
  readonly log: Logger;
  readonly hooks?: NotifierHooks;
  /** The clock the storm windows are aligned to. */
  readonly now?: () => number;
  readonly backoff?: Backoff;
}

/** paged: its trigger went to the targets; stormed: it is in an aggregate, so its resolve has nowhere to go. */
type AlertState = 'paged' | 'stormed';

/** Checks for ended storm windows no later than this often, whatever the window, so a clock jump is noticed. */
const MAX_TIMER_MS = 60_000;

export class Notifier {
  private readonly log: Logger;
  private readonly hooks: NotifierHooks;
  private readonly now: () => number;
  private readonly minRank: number;
  private readonly windowMs: number;
  private readonly senders: readonly Sender[];
  private readonly targets: readonly NotifyTarget[];
  private readonly alerts = new BoundedLru<string, AlertState>(ALERT_MEMORY);
  private readonly storm: StormWindows;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private warnedClosed = false;

  constructor(config: NotifierConfig, deps: NotifierDeps) {
    this.log = deps.log;
    this.hooks = deps.hooks ?? NO_NOTIFIER_HOOKS;
    this.now = deps.now ?? Date.now;
    this.minRank = SEVERITY_RANK[config['notify.minSeverity']];
    this.windowMs = config['notify.stormWindowMs'];
    this.storm = new StormWindows({ windowMs: this.windowMs, maxPages: config['notify.stormMaxPages'], now: this.now });
    const kibanaUrl = config['kibana.url'];
    const secrets = [config['notify.pagerduty.routingKey'], config['notify.webhook.token']].filter((s): s is string => !!s);
    const common = {
      secrets,
      queueSize: config['notify.queueSize'],
      maxAttempts: config['notify.maxAttempts'],
      timeoutMs: config['notify.timeoutMs'],
      backoff: deps.backoff ?? DEFAULT_BACKOFF,
      log: this.log,
      hooks: this.hooks,
      now: this.now,
      onDepth: () => this.reportDepth(),
    };
    const senders: Sender[] = [];
    const routingKey = config['notify.pagerduty.routingKey'];
    if (routingKey) {
      senders.push(new Sender({ ...common, target: 'pagerduty', url: config['notify.pagerduty.url'], format: pagerDutyFormat({ routingKey, kibanaUrl }) }));
    }
    const webhookUrl = config['notify.webhook.url'];
    if (webhookUrl) {
      senders.push(new Sender({ ...common, target: 'webhook', url: webhookUrl, format: webhookFormat({ token: config['notify.webhook.token'], kibanaUrl }) }));
    }
    this.senders = senders;
    this.targets = senders.map((s) => s.target);
    if (senders.length === 0) this.log.info('no paging target configured (notify.pagerduty.routingKey, notify.webhook.url): alerts are not paged');
  }

  /** Decides and queues; never throws, never waits. */
  notify(n: AlertNotification): void {
    try {
      if (this.closed) {
        if (!this.warnedClosed) this.log.warn({ alert_id: n.alertId }, 'notification after shutdown; not paged');
        this.warnedClosed = true;
        return;
      }
      this.flushEnded();
      if (n.action === 'trigger') this.trigger(n);
      else this.resolve(n);
    } catch (e) {
      this.log.error({ alert_id: n.alertId, err: String(e) }, 'notification not handled');
    }
  }

  /**
   * Shutdown: sends the pending storm aggregates and whatever is queued, then stops — when all is delivered or
   * after timeoutMs, whichever comes first; what is left then is reported as failed ('shutdown').
   */
  async drain(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.enqueueAggregates(true);
    let deadline: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      Promise.all(this.senders.map((s) => s.idle())).then(() => false),
      new Promise<boolean>((resolve) => { deadline = setTimeout(() => resolve(true), timeoutMs); }),
    ]);
    clearTimeout(deadline);
    for (const s of this.senders) {
      const left = s.close();
      for (let i = 0; i < left.length; i++) this.hooks.failed(s.target, 'shutdown' satisfies FailReason);
      if (left.length > 0) this.log.warn({ target: s.target, abandoned: left.length }, 'pages not delivered by shutdown; given up');
    }
    if (timedOut) this.log.warn({ timeoutMs }, 'paging drain timed out');
    this.reportDepth();
  }

  private trigger(n: AlertNotification): void {
    if (SEVERITY_RANK[n.severity] < this.minRank) {
      this.hooks.suppressed('severity');
      return;
    }
    if (this.alerts.has(n.alertId)) {
      this.hooks.suppressed('duplicate');
      return;
    }
    if (!this.storm.admit()) {
      this.alerts.set(n.alertId, 'stormed');
      this.fold(n, 'storm', this.targets);
      this.hooks.suppressed('storm');
      return;
    }
    this.alerts.set(n.alertId, 'paged');
    for (const s of this.senders) this.enqueue(s, { kind: 'trigger', n });
    this.reportDepth();
  }

  private resolve(n: AlertNotification): void {
    const state = this.alerts.get(n.alertId);
    this.alerts.delete(n.alertId);
    if (state === undefined) {
      this.hooks.suppressed('not-triggered');
      return;
    }
    if (state === 'stormed') {
      this.hooks.suppressed('storm');
      return;
    }
    for (const s of this.senders) this.enqueue(s, { kind: 'resolve', n });
    this.reportDepth();
  }

  private enqueue(s: Sender, x: Outgoing): void {
    const dropped = s.enqueue(x);
    if (dropped === undefined) return;
    // Dropped but not lost: the target's aggregate for this window counts it and lists it among the samples.
    this.hooks.suppressed('queue-full');
    s.markUnsent(dropped.n.alertId, 'queue-full');
    this.fold(dropped.n, 'queue-full', [s.target]);
  }

  private fold(n: AlertNotification, reason: FoldReason, targets: readonly NotifyTarget[]): void {
    this.storm.fold(n, reason, targets);
    this.armTimer();
  }

  /**
   * The aggregate is deliberately never resolved automatically: it stands for alerts whose own resolves are not
   * forwarded, so nothing here knows when the storm is really over. Someone looks at Kibana and resolves it.
   */
  private enqueueAggregates(all: boolean): void {
    for (const { target, aggregate } of this.storm.close(all)) {
      const s = this.senders.find((x) => x.target === target);
      if (s) this.enqueue(s, { kind: 'aggregate', agg: aggregate });
    }
    this.reportDepth();
  }

  private flushEnded(): void {
    const end = this.storm.nextEnd();
    if (end !== undefined && end <= this.now()) this.enqueueAggregates(false);
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.closed) return;
    const end = this.storm.nextEnd();
    if (end === undefined) return;
    const delay = Math.min(Math.max(end - this.now(), 10), this.windowMs, MAX_TIMER_MS);
    // Unref'd: a pending aggregate alone must not keep the process alive; drain() sends it at shutdown.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flushEnded();
      } catch (e) {
        this.log.error({ err: String(e) }, 'storm aggregate not queued');
      }
      this.armTimer();
    }, delay);
    this.timer.unref();
  }

  private reportDepth(): void {
    let n = 0;
    for (const s of this.senders) n += s.waiting;
    this.hooks.queueDepth(n);
  }
}
