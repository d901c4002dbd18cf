// Shared pieces of the notifier tests: configuration, alerts, hooks that count, a logger that keeps lines, and
// local HTTP servers standing in for PagerDuty, webhooks and Alertmanager.
import { after } from 'node:test';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { HttpRecorder } from '../../../helpers/http-recorder.ts';
import { Notifier } from '../../../../src/sinks/notify/notifier.ts';
import type { AlertNotification, NotifierConfig, NotifierHooks, NotifyTarget, SuppressReason } from '../../../../src/sinks/notify/notifier.ts';

export const ROUTING_KEY = 'R0ut1ngKey-0123456789abcdef0123';
export const TOKEN = 'w3bh00k-T0ken-secret';
/** Windows aligned at multiples of their length start here, for any window length dividing 10^3 s. */
export const T0 = Date.parse('2025-05-22T14:00:00.000Z');

export const FAST_BACKOFF = { initialMs: 10, maxMs: 40 };

export function config(o: Partial<NotifierConfig> = {}): NotifierConfig {
  return {
    'notify.pagerduty.routingKey': null,
    'notify.pagerduty.url': 'http://127.0.0.1:9/v2/enqueue',
    'notify.webhook.url': null,
    'notify.webhook.token': null,
    'notify.minSeverity': 'medium',
    'notify.stormMaxPages': 100,
    'notify.stormWindowMs': 600_000,
    'notify.maxAttempts': 4,
    'notify.timeoutMs': 2000,
    'notify.queueSize': 1000,
    'notify.alertmanager.url': null,
    'notify.alertmanager.repeatMs': 60_000,
    'notify.alertmanager.username': null,
    'notify.alertmanager.password': null,
    'kibana.url': null,
    ...o,
  };
}

export const idOf = (i: number): string => i.toString(16).padStart(32, '0');

export function alert(i: number, o: Partial<AlertNotification> = {}): AlertNotification {
  return {
    action: 'trigger',
    alertId: idOf(i),
    rule: { id: 'invalid-initiation-burst', name: 'Burst of invalid handshake initiations' },
    severity: 'high',
    riskScore: 73,
    title: `Invalid handshake initiations from 203.0.113.${i % 250}`,
    host: 'gw1',
    component: 'wg0',
    timestamp: '2025-05-22T13:59:30.000Z',
    group: { 'source.ip': `203.0.113.${i % 250}` },
    details: { count: 42 },
    ...o,
  };
}

export const resolveOf = (n: AlertNotification): AlertNotification => ({ ...n, action: 'resolve' });

export interface CountingHooks extends NotifierHooks {
  readonly sentLog: { target: NotifyTarget; action: string }[];
  readonly failedLog: { target: NotifyTarget; reason: string }[];
  readonly suppressedBy: Map<SuppressReason, number>;
  readonly depths: number[];
}

export function countingHooks(): CountingHooks {
  const h: CountingHooks = {
    sentLog: [], failedLog: [], suppressedBy: new Map(), depths: [],
    sent: (target, action) => { h.sentLog.push({ target, action }); },
    failed: (target, reason) => { h.failedLog.push({ target, reason }); },
    suppressed: (reason) => { h.suppressedBy.set(reason, (h.suppressedBy.get(reason) ?? 0) + 1); },
    queueDepth: (n) => { h.depths.push(n); },
  };
  return h;
}

export const silent: Logger = pino({ level: 'silent' });

/** A debug logger whose lines a test can search (for secrets, for instance). */
export function capturingLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: pino({ level: 'debug' }, { write: (s: string) => { lines.push(s); } }), lines };
}

export interface PdEvent {
  routing_key: string;
  event_action: string;
  dedup_key: string;
  payload?: {
    summary: string; source: string; severity: string; timestamp?: string; component?: string; group?: string; class?: string;
    custom_details: Record<string, unknown>;
  };
  links?: { href: string; text: string }[];
  client?: string;
  client_url?: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts local HTTP recorders on demand; every one started is closed when the calling test file ends. */
export function recorders(): () => Promise<HttpRecorder> {
  const started: HttpRecorder[] = [];
  after(async () => { await Promise.all(started.map((s) => s.close())); });
  return async () => {
    const r = await HttpRecorder.start();
    started.push(r);
    return r;
  };
}

/**
 * A notifier whose target is a local recorder of its own (closed when the calling test file ends): `settings`
 * points the configuration at the recorder's URL. `recorder` comes from recorders(), called once per file.
 */
export async function recordingNotifier(
  recorder: () => Promise<HttpRecorder>,
  settings: (r: HttpRecorder) => Partial<NotifierConfig>,
  deps: { readonly now: () => number; readonly backoff?: { initialMs: number; maxMs: number } },
): Promise<{ rec: HttpRecorder; notifier: Notifier; hooks: CountingHooks }> {
  const rec = await recorder();
  const hooks = countingHooks();
  const notifier = new Notifier(config(settings(rec)), { log: silent, hooks, ...deps });
  return { rec, notifier, hooks };
}
