// Pages people about alerts: PagerDuty (Events API v2), a generic webhook and/or Prometheus Alertmanager.
// notify() only decides and queues, so the event pipeline never waits on a paging service; delivery happens per
// target in the background.
//
// Decisions, in order, for a trigger: below notify.minSeverity → not paged; already paged and not yet resolved
// → not re-paged; past notify.stormMaxPages in the current window → folded into the window's aggregated page.
// A resolve is forwarded only where its trigger went; an aggregate is resolved once all it stands for has.
//
// What was decided is kept per scope (the correlation partition an alert belongs to) in a PagingLedger, which the
// correlation stage saves with the partition's state and hands to the next owner (restorePaging), so a resolve
// is forwarded after a kill -9, a restart or a rebalance too. Alert ids are remembered per scope in a bounded
// LRU (ALERT_MEMORY).
//
// Alertmanager expires alerts that are not re-posted: every notify.alertmanager.repeatMs the open pages of every
// owned scope are posted again. That uses an unref'd interval timer, not node-cron: the period is a number of
// milliseconds (any value, 1 s in the tests), not a wall-clock schedule a cron expression could state, and a
// pending re-post must never keep a stopping process alive.
import type { Logger } from 'pino';
import type { FoldReason } from './aggregate.ts';
import { alertmanagerAlertsUrl, alertmanagerFormat } from './alertmanager.ts';
import { PagingLedger } from './ledger.ts';
import type { LedgerJson, SealedAggregate } from './ledger.ts';
import type { OpenPage, Outgoing } from './outgoing.ts';
import { pagerDutyFormat } from './pagerduty.ts';
import { DEFAULT_BACKOFF } from './retry.ts';
import { Sender } from './sender.ts';
import { PageCap } from './storm.ts';
import { webhookFormat } from './webhook.ts';
import { NO_NOTIFIER_HOOKS, SEVERITY_RANK } from './types.ts';
import type { AlertNotification, Backoff, FailReason, NotifierConfig, NotifierHooks, NotifyTarget, PageInfo } from './types.ts';

export { NO_NOTIFIER_HOOKS } from './types.ts';
export type { LedgerJson } from './ledger.ts';
export type { AlertNotification, AlertSeverity, NotifierConfig, NotifierHooks, NotifyTarget, SuppressReason } from './types.ts';

export interface NotifierDeps {
  readonly log: Logger;
  readonly hooks?: NotifierHooks;
  /** The clock the storm windows are aligned to. */
  readonly now?: () => number;
  readonly backoff?: Backoff;
}

/** Checks for ended storm windows no later than this often, whatever the window, so a clock jump is noticed. */
const MAX_TIMER_MS = 60_000;
/** Alerts per Alertmanager re-post request. */
const REFRESH_CHUNK = 500;

/** What a page remembers of its alert (see PageInfo): the notification without its bulky details. */
export function pageInfo(n: AlertNotification): PageInfo {
  const d = n.details as { start?: unknown; diagnosis?: { title?: unknown; summary?: unknown; settle?: unknown } };
  const start = typeof d.start === 'string' && !Number.isNaN(Date.parse(d.start)) ? d.start : n.timestamp;
  const cause = typeof d.diagnosis?.title === 'string' ? d.diagnosis.title : undefined;
  const said = typeof d.diagnosis?.summary === 'string' ? d.diagnosis.summary : undefined;
  // An ambiguous diagnosis: the one fact that settles it belongs in the page (its summary usually ends with it).
  const summary = said !== undefined && typeof d.diagnosis?.settle === 'string' && !said.includes(d.diagnosis.settle) ? `${said} ${d.diagnosis.settle}` : said;
  return {
    alertId: n.alertId, rule: n.rule, severity: n.severity, riskScore: n.riskScore, title: n.title,
    ...(n.host !== undefined ? { host: n.host } : {}), ...(n.component !== undefined ? { component: n.component } : {}),
    group: n.group, startsAt: start, timestamp: n.timestamp, ...(n.url !== undefined ? { url: n.url } : {}),
    ...(cause !== undefined ? { cause } : {}), ...(summary !== undefined ? { summary } : {}),
  };
}

export class Notifier {
  private readonly log: Logger;
  private readonly hooks: NotifierHooks;
  private readonly now: () => number;
  private readonly minRank: number;
  private readonly windowMs: number;
  private readonly senders: readonly Sender[];
  private readonly targets: readonly NotifyTarget[];
  private readonly ledgers = new Map<string, PagingLedger>();
  private readonly cap: PageCap;
  private readonly am: Sender | undefined;
  private timer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshSoon = false;
  private closed = false;
  private warnedClosed = false;

  constructor(config: NotifierConfig, deps: NotifierDeps) {
    this.log = deps.log;
    this.hooks = deps.hooks ?? NO_NOTIFIER_HOOKS;
    this.now = deps.now ?? Date.now;
    this.minRank = SEVERITY_RANK[config['notify.minSeverity']];
    this.windowMs = config['notify.stormWindowMs'];
    this.cap = new PageCap({ windowMs: this.windowMs, maxPages: config['notify.stormMaxPages'], now: this.now });
    const kibanaUrl = config['kibana.url'];
    const secrets = [config['notify.pagerduty.routingKey'], config['notify.webhook.token'], config['notify.alertmanager.password']]
      .filter((s): s is string => !!s);
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
    const amUrl = config['notify.alertmanager.url'];
    if (amUrl) {
      const repeatMs = config['notify.alertmanager.repeatMs'];
      this.am = new Sender({
        ...common, target: 'alertmanager', url: alertmanagerAlertsUrl(amUrl),
        format: alertmanagerFormat({ repeatMs, kibanaUrl, username: config['notify.alertmanager.username'], password: config['notify.alertmanager.password'] }),
      });
      senders.push(this.am);
      this.refreshTimer = setInterval(() => { this.refresh(); }, repeatMs);
      this.refreshTimer.unref();
    }
    this.senders = senders;
    this.targets = senders.map((s) => s.target);
    if (senders.length === 0) {
      this.log.info('no paging target configured (notify.pagerduty.routingKey, notify.webhook.url, notify.alertmanager.url): alerts are not paged');
    }
  }

  /** The paging state of a scope, as saved with its partition's state; undefined when there is nothing to keep. */
  pagingState(scope: string): LedgerJson | undefined {
    const l = this.ledgers.get(scope);
    return l ? l.toJSON() : undefined;
  }

  /**
   * Takes over a scope (its partition was assigned here, or reloaded): its saved paging state replaces whatever
   * this notifier held for it. Aggregates whose window ended meanwhile are sent, those whose members all resolved
   * are resolved, and Alertmanager is told at once that the scope's open alerts still fire.
   */
  restorePaging(scope: string, state: LedgerJson | undefined): void {
    try {
      this.ledgers.set(scope, state ? PagingLedger.fromJSON(scope, this.windowMs, state) : new PagingLedger(scope, this.windowMs));
      if (this.closed) return;
      this.flushEnded();
      this.settle(this.ledger(scope));
      this.armTimer();
      if (state && state.alerts.length + state.aggs.length > 0) this.refreshNow();
    } catch (e) {
      this.log.error({ scope, err: String(e) }, 'paging state not restored; resolves of its open pages will not be sent');
    }
  }

  /** The scope moved to another owner: forgets it here (what is queued is still delivered). */
  releasePaging(scope: string): void {
    this.ledgers.delete(scope);
  }

  /**
   * Graceful stop of a scope, before its state is saved for the last time: its pending aggregates are sent now
   * (and recorded as sent), so the next owner resolves them rather than sending them again.
   */
  flushPaging(scope: string): void {
    const l = this.ledgers.get(scope);
    if (!l || this.closed) return;
    this.enqueueAggregates(l.seal(this.now(), true));
    this.settle(l);
  }

  /**
   * Queues a digest of the pages still open in every owned scope for the webhook (notify.digestSchedule);
   * returns how many it lists. Nothing is sent when none is open or there is no webhook.
   */
  digest(): number {
    const s = this.senders.find((x) => x.target === 'webhook');
    if (!s || this.closed) return 0;
    const open: OpenPage[] = [];
    const scopes: string[] = [];
    for (const [scope, l] of this.ledgers) {
      const pages = l.openPages(s.target, (id) => s.isUnsent(id));
      if (pages.length === 0) continue;
      scopes.push(scope);
      open.push(...pages);
    }
    if (open.length === 0) return 0;
    s.enqueue({ kind: 'digest', open, scopes: scopes.sort(), atMs: this.now() });
    this.reportDepth();
    return open.length;
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
    clearTimeout(this.timer);
    this.timer = undefined;
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    for (const l of this.ledgers.values()) {
      this.enqueueAggregates(l.seal(this.now(), true));
      this.settle(l);
    }
    this.closed = true;
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

  private ledger(scope: string): PagingLedger {
    let l = this.ledgers.get(scope);
    if (!l) {
      l = new PagingLedger(scope, this.windowMs);
      this.ledgers.set(scope, l);
    }
    return l;
  }

  private trigger(n: AlertNotification): void {
    if (SEVERITY_RANK[n.severity] < this.minRank) {
      this.hooks.suppressed('severity');
      return;
    }
    const l = this.ledger(n.scope ?? '');
    if (l.get(n.alertId) !== undefined) {
      this.hooks.suppressed('duplicate');
      return;
    }
    if (!this.cap.admit()) {
      l.set(n.alertId, { s: 'stormed' });
      this.fold(l, n, 'storm', this.targets);
      this.hooks.suppressed('storm');
      return;
    }
    const page = pageInfo(n);
    l.set(n.alertId, { s: 'paged', page });
    for (const s of this.senders) this.enqueue(s, { kind: 'trigger', n, page });
    this.reportDepth();
  }

  private resolve(n: AlertNotification): void {
    const l = this.ledger(n.scope ?? '');
    const e = l.remove(n.alertId);
    if (e === undefined) {
      this.hooks.suppressed('not-triggered');
      return;
    }
    if (e.s === 'stormed') {
      this.hooks.suppressed('storm');
    } else {
      for (const s of this.senders) this.enqueue(s, { kind: 'resolve', n, page: e.page });
    }
    this.settle(l);
    this.reportDepth();
  }

  private enqueue(s: Sender, x: Outgoing): void {
    const dropped = s.enqueue(x);
    if (dropped === undefined) return;
    // Dropped but not lost: the target's aggregate for this window counts it and lists it among the samples.
    this.hooks.suppressed('queue-full');
    s.markUnsent(dropped.n.alertId, 'queue-full');
    this.fold(this.ledger(dropped.n.scope ?? ''), dropped.n, 'queue-full', [s.target]);
  }

  private fold(l: PagingLedger, n: AlertNotification, reason: FoldReason, targets: readonly NotifyTarget[]): void {
    l.fold(n, reason, targets, this.now());
    this.armTimer();
  }

  private enqueueAggregates(sealed: readonly SealedAggregate[]): void {
    for (const { target, agg } of sealed) {
      const s = this.senders.find((x) => x.target === target);
      if (s) this.enqueue(s, { kind: 'aggregate', agg });
    }
    this.reportDepth();
  }

  /** Resolves the sent aggregates of a scope whose members have all resolved. */
  private settle(l: PagingLedger): void {
    for (const { target, agg } of l.resolvable()) {
      const s = this.senders.find((x) => x.target === target);
      if (s) this.enqueue(s, { kind: 'aggregate-resolve', agg });
    }
  }

  /** Alertmanager: every open page of every scope posted again, unless the previous re-post is still waiting. */
  private refresh(): void {
    const s = this.am;
    if (!s || this.closed) return;
    try {
      if (s.waitingOf('refresh') > 0) return;
      const open: OpenPage[] = [];
      for (const l of this.ledgers.values()) open.push(...l.openPages(s.target, (id) => s.isUnsent(id)));
      for (let i = 0; i < open.length; i += REFRESH_CHUNK) s.enqueue({ kind: 'refresh', open: open.slice(i, i + REFRESH_CHUNK) });
      this.reportDepth();
    } catch (e) {
      this.log.error({ err: String(e) }, 'Alertmanager re-post not queued');
    }
  }

  private refreshNow(): void {
    if (!this.am || this.refreshSoon) return;
    this.refreshSoon = true;
    setImmediate(() => {
      this.refreshSoon = false;
      this.refresh();
    });
  }

  private nextEnd(): number | undefined {
    let end: number | undefined;
    for (const l of this.ledgers.values()) {
      const e = l.nextEnd();
      if (e !== undefined && (end === undefined || e < end)) end = e;
    }
    return end;
  }

  private flushEnded(): void {
    const now = this.now();
    const end = this.nextEnd();
    if (end === undefined || end > now) return;
    for (const l of this.ledgers.values()) {
      this.enqueueAggregates(l.seal(now, false));
      this.settle(l);
    }
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.closed) return;
    const end = this.nextEnd();
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
