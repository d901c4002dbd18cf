// What a WireGuard log line means for the tunnel diagnosis. The catalog already gives every line an
// event.action shared by all implementations; this table folds those actions into the few facts the root-cause
// table reasons about, so the same rule covers the kernel, wireguard-go, WireGuardNT and boringtun.

export type Signal =
  // initiator (client) side
  | 'initiation-sent'
  | 'retry'
  | 'gave-up'
  | 'response-received'
  | 'response-invalid'
  | 'cookie-received'
  // responder (server) side
  | 'initiation-received'
  | 'response-sent'
  | 'mac-invalid'
  | 'initiation-invalid'
  | 'replay'
  | 'cookie-sent'
  | 'dropped'
  | 'suppressed'
  | 'mac-burst'
  | 'source-not-allowed'
  // either side
  | 'session'
  | 'keepalive';

export interface SignalDef {
  readonly id: Signal;
  /** event.action values (see src/parse/catalog/messages) that carry this signal. */
  readonly actions: readonly string[];
  /** Plain words, plural, for evidence sentences ("handshakes with an invalid MAC"). */
  readonly label: string;
  /**
   * About the whole interface rather than one tunnel: load shows in the lines of other sources too, so these
   * are counted over every line of the host instead of the lines of the peer in question.
   */
  readonly hostWide?: boolean;
}

export const SIGNALS: readonly SignalDef[] = [
  { id: 'initiation-sent', actions: ['wireguard-handshake-initiation-sent'], label: 'handshake initiations sent' },
  { id: 'retry', actions: ['wireguard-handshake-timeout-retry'], label: 'handshake retries' },
  { id: 'gave-up', actions: ['wireguard-handshake-timeout-giving-up'], label: '"giving up" lines' },
  { id: 'response-received', actions: ['wireguard-handshake-response-received'], label: 'valid handshake responses received' },
  { id: 'response-invalid', actions: ['wireguard-handshake-response-invalid'], label: 'rejected handshake responses' },
  { id: 'cookie-received', actions: ['wireguard-cookie-reply-received'], label: 'cookie replies received (the server asked it to slow down)' },
  { id: 'initiation-received', actions: ['wireguard-handshake-initiation-received'], label: 'accepted handshake initiations' },
  { id: 'response-sent', actions: ['wireguard-handshake-response-sent'], label: 'handshake responses sent' },
  { id: 'mac-invalid', actions: ['wireguard-handshake-mac-invalid'], label: 'handshakes with an invalid MAC' },
  { id: 'initiation-invalid', actions: ['wireguard-handshake-initiation-invalid'], label: 'rejected handshake initiations' },
  { id: 'replay', actions: ['wireguard-handshake-initiation-replay', 'wireguard-handshake-initiation-flood'], label: 'handshake replay or flood lines' },
  { id: 'cookie-sent', actions: ['wireguard-cookie-reply-sent'], label: 'cookie replies sent (handshake load)', hostWide: true },
  { id: 'dropped', actions: ['wireguard-handshake-dropped-overload'], label: 'handshakes dropped for overload', hostWide: true },
  { id: 'suppressed', actions: ['wireguard-log-suppressed'], label: 'notices of suppressed log lines', hostWide: true },
  // Derived, not logged: see BURST_PER_SECOND in tunnel.ts.
  { id: 'mac-burst', actions: [], label: 'seconds with a burst of invalid-MAC handshakes from one source', hostWide: true },
  { id: 'source-not-allowed', actions: ['wireguard-packet-source-not-allowed'], label: 'packets with a source address outside AllowedIPs' },
  { id: 'session', actions: ['wireguard-session-established'], label: 'new sessions' },
  { id: 'keepalive', actions: ['wireguard-keepalive-received', 'wireguard-keepalive-sent'], label: 'keepalives' },
];

const BY_ACTION: ReadonlyMap<string, Signal> = new Map(SIGNALS.flatMap((s) => s.actions.map((a) => [a, s.id] as const)));
const BY_ID: ReadonlyMap<Signal, SignalDef> = new Map(SIGNALS.map((s) => [s.id, s]));

export function signalOf(action: string | undefined): Signal | undefined {
  return action === undefined ? undefined : BY_ACTION.get(action);
}

export function signalDef(id: Signal): SignalDef {
  const d = BY_ID.get(id);
  if (!d) throw new Error(`unknown signal ${id}`);
  return d;
}

// Groups the root-cause table and the counterpart search share.
/** The initiator tried: each of these marks one handshake attempt. */
export const TRIED: readonly Signal[] = ['initiation-sent', 'retry'];
/** The initiator got an answer it could use. */
export const ANSWERED: readonly Signal[] = ['response-received', 'session'];
/** The responder took the initiation and answered it. */
export const ACCEPTED: readonly Signal[] = ['initiation-received', 'response-sent', 'session'];
/** The responder saw the initiation and refused it. */
export const REJECTED: readonly Signal[] = ['mac-invalid', 'initiation-invalid', 'replay'];
/** Any responder line that proves an initiation arrived: what the timing match looks for on the other host. */
export const HEARD: readonly Signal[] = ['mac-invalid', 'initiation-invalid', 'replay', 'initiation-received'];
/** The responder is shedding handshake load. */
export const LOAD: readonly Signal[] = ['cookie-sent', 'dropped', 'suppressed', 'mac-burst'];

/** Words for the groups above, so evidence reads "no handshake responses or new sessions", not a list of signals. */
const GROUP_LABELS: readonly (readonly [readonly Signal[], string])[] = [
  [TRIED, 'handshake initiations'],
  [ANSWERED, 'handshake responses or new sessions'],
  [[...ANSWERED, 'keepalive'], 'handshake responses, sessions or keepalives'],
  [ACCEPTED, 'accepted handshakes'],
  [HEARD, 'handshake lines of any kind'],
  [LOAD, 'signs of handshake load (cookie replies, dropped handshakes, suppressed log lines, invalid-MAC bursts)'],
  [['response-invalid', 'cookie-received'], 'rejected responses or cookie replies'],
];

const sameSet = (a: readonly Signal[], b: readonly Signal[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

export function labelOf(signals: readonly Signal[]): string {
  const group = GROUP_LABELS.find(([g]) => sameSet(g, signals));
  if (group) return group[1];
  const words = signals.map((x) => signalDef(x).label);
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words.at(-1) ?? ''}`;
}
