// What a syslog or journal message can still carry at its start once the outer envelope is gone: the kernel's
// "[ 8312.401877] " uptime (rsyslog's imklog keeps it), a whole wireguard-go stdout prefix (wireguard-go run
// by wg-quick or a systemd unit logs into the journal through its stdout), boringtun's tracing line (boringtun
// under systemd), or a wireguard-windows ring-log line forwarded by a Windows syslog agent.
import { applyGoPrefix, BORINGTUN, matchGoPrefix, WINDOWS_RINGLOG } from './app-logs.ts';
import { unwrapEmbedded } from './embedder-logs.ts';
import type { TextEnvelope } from './envelopes.ts';
import { head, rest } from './fields.ts';
import type { Ctx, Out } from './fields.ts';

const UPTIME_RE = /^\[ {0,12}(\d{1,10}\.\d{1,9})\] ?/;

/** Strips a leading "[ 8312.401877] " from the message into uptimeSeconds. */
export function takeUptime(out: Out): void {
  const msg = out.message;
  if (msg.charCodeAt(0) !== 91) return;
  const m = UPTIME_RE.exec(head(msg));
  if (m === null) return;
  out.uptimeSeconds = Number(m[1]);
  out.message = rest(msg, m[0].length);
}

/**
 * Unwraps the inner prefixes. `outerTimeExact` says the outer envelope gave a zoned time (RFC 5424, ISO syslog,
 * the journal's own clock): that beats wireguard-go's zone-less, second-resolution stamp. A classic syslog
 * time has neither zone nor year, so there the inner stamp wins.
 */
export function unwrapMessage(out: Out, ctx: Ctx, outerTimeExact: boolean): Out {
  takeUptime(out);
  const useInnerTime = !outerTimeExact || out.timestampSource !== 'line';
  const g = matchGoPrefix(out.message);
  if (g !== null) {
    applyGoPrefix(out, g, ctx.zone, useInnerTime);
    out.message = rest(out.message, g[0].length);
    return out;
  }
  if (unwrapEmbedded(out, ctx, useInnerTime)) return out;
  const c = out.message.charCodeAt(0);
  if (c >= 48 && c <= 57) for (const env of NESTED_APP_ENVELOPES) if (adopt(out, env, ctx, useInnerTime)) return out;
  if (c === 91 /* [ */) {
    // The ring log's tags without its time: the forwarding agent put its own time in front.
    const m = RINGLOG_TAGS.exec(head(out.message));
    if (m !== null) {
      out.implHint = 'windows';
      out.logger = m[1];
      if (m[2] !== undefined) out.iface = m[2];
      out.message = rest(out.message, m[0].length);
    }
  }
  return out;
}

const NESTED_APP_ENVELOPES: readonly TextEnvelope[] = [BORINGTUN, WINDOWS_RINGLOG];
const RINGLOG_TAGS = /^\[(TUN|MGR)\] (?:\[([\w=+.-]{1,64})\] )?/;

/**
 * Takes over an application envelope found inside the message: its message, level, logger and hint. The
 * envelope id stays the outer one (how the line was shipped).
 */
function adopt(out: Out, env: TextEnvelope, ctx: Ctx, useInnerTime: boolean): boolean {
  const m = env.re.exec(head(out.message));
  const inner = m === null ? undefined : env.extract(m, out.message, ctx);
  if (inner === undefined || inner.implHint === undefined) return false;
  out.implHint = inner.implHint;
  out.message = inner.message;
  if (inner.level !== undefined) out.level = inner.level;
  if (inner.logger !== undefined) out.logger = inner.logger;
  if (inner.iface !== undefined) out.iface = inner.iface;
  if (inner.text !== undefined) out.text = inner.text;
  if (inner.fields !== undefined) out.fields = inner.fields;
  if (useInnerTime && inner.timestampMs !== undefined) { out.timestampMs = inner.timestampMs; out.timestampSource = 'line'; }
  return true;
}
