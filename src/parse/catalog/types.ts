// The shape of the WireGuard message catalog. The catalog is data: one MessageDef per log call site (or group
// of identical call sites). The recogniser, the normaliser, the diagnosis and the catalog tests are all built
// from it; nothing about a single message lives in code.
import type { Impl } from '../decode/types.ts';

export type { Impl };

/**
 * Named capture groups a pattern may use, and what each becomes in the ECS document (see
 * src/parse/normalize/fields.ts). A pattern must use only these names, so the same fact lands in the same field
 * whichever implementation printed it.
 */
export const CAPTURE_FIELDS = {
  iface: 'observer.ingress.interface.name (when the interface is inside the message text)',
  endpoint: 'the remote endpoint as printed (ip:port, [v6]:port, kernel [v6]:port/flow%scope, (einval), no address) → source.* or destination.* by direction, wireguard.peer.endpoint',
  local_endpoint: 'a local listen address/port (bind lines) → wireguard.listen.address / wireguard.listen.port',
  peer_id: 'kernel / WireGuardNT internal peer number → wireguard.peer.id (string)',
  peer_key: 'abbreviated key "xTIB…p8Dg" or a full base64 public key → wireguard.peer.key_fragment / wireguard.peer.public_key',
  peer_name: 'a peer\'s name as the platform prints it (Keenetic, RouterOS, Gluon\'s wgpeerselector) → wireguard.peer.name',
  public_key: 'a place where a program prints the whole public key, kept as printed even when masked ("xxxyyy") → wireguard.peer.public_key',
  keypair_id: 'keypair number → wireguard.keypair.id',
  attempt: 'handshake try number or attempts count → wireguard.handshake.attempt',
  seconds: 'a duration in seconds printed by the message → wireguard.seconds',
  inner_src_ip: 'inner (tunnelled) source address → wireguard.inner.source.ip',
  inner_dst_ip: 'inner destination address (kernel prints %pI6 uncompressed) → wireguard.inner.destination.ip',
  errno: 'numeric error code or NTSTATUS → error.code',
  error: 'an error text → error.message',
  count: 'a number of suppressed / swallowed log lines → wireguard.suppressed_count',
  worker: 'worker / routine number → wireguard.worker',
  sender_index: 'handshake sender index (remote_idx) → wireguard.handshake.sender_index',
  receiver_index: 'handshake receiver / local index (local_idx, session) → wireguard.handshake.receiver_index',
  counter: 'packet counter / nonce → wireguard.packet.counter',
  counter_max: 'highest counter seen → wireguard.packet.counter_max',
  mtu: 'MTU → wireguard.mtu',
  state_old: 'device state before → wireguard.device.previous_state',
  state_requested: 'requested device state → wireguard.device.requested_state',
  state_new: 'device state after → wireguard.device.state',
  version: 'version string of the implementation → service.version',
  initiator_time: 'the initiator\'s claimed clock in a replay line (Go time.Time.String()) → wireguard.handshake.initiator_time',
  family: '"v4"/"v6"/"IPv4"/"IPv6" → network.type',
  operation: 'UAPI/IPC operation or config verb → wireguard.config.operation',
  detail: 'any other variable text worth keeping → wireguard.detail',
} as const;

export type CaptureName = keyof typeof CAPTURE_FIELDS;

export type Severity = 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'critical';

/** ECS 9 allowed values (event.category / event.type) that WireGuard messages use. */
export type EcsCategory = 'network' | 'authentication' | 'configuration' | 'host' | 'process' | 'intrusion_detection' | 'driver';
export type EcsType = 'connection' | 'start' | 'end' | 'denied' | 'allowed' | 'info' | 'error' | 'change' | 'creation' | 'deletion' | 'protocol';

/**
 * Where the remote endpoint of a message goes: the remote end of something we *received* is `source.*`, of
 * something we *send* `destination.*`; `none` when the message has no remote endpoint.
 */
export type Direction = 'inbound' | 'outbound' | 'none';

/** Message families, used for dashboards and rules: which part of WireGuard spoke. */
export type Family = 'handshake' | 'handshake-failure' | 'session' | 'data-plane' | 'keepalive' | 'timer' | 'lifecycle' | 'config' | 'internal' | 'meta';

export interface MessageDef {
  /** Stable id, also `wireguard.message.id`: `<impl-short>.<family>.<name>`, e.g. kernel.handshake.initiation_invalid. */
  readonly id: string;
  readonly impl: Impl;
  /** The source's format string, verbatim (documentation and the reason the pattern looks as it does). */
  readonly format: string;
  /**
   * Regular expression source (JavaScript syntax, named groups from CAPTURE_FIELDS only) matched against the
   * message *body*: after the implementation's common prefixes are removed (kernel: optional dynamic-debug
   * decoration, "wireguard: " or a fork's "amneziawg: ", then "<iface>: " when `ifacePrefix`; wireguard-go:
   * "peer(XXXX…YYYY) - " when `peerPrefix`). Anchored with ^…$ by the recogniser; write it without anchors.
   * Linear-time only: no nested quantifiers, no unbounded `.*` before a literal where `[^x]*` will do.
   */
  readonly pattern: string;
  /**
   * Structured-logger fields (tracing's `key=value`) this call site prints, and the capture each becomes. The
   * envelope splits trailing fields off the message (Decoded.text / fields); an entry whose `pattern` names no
   * fields matches that text and takes these from the fields, whatever else the program appended (cid=, ...).
   */
  readonly fields?: Readonly<Record<string, CaptureName>>;
  /**
   * A protocol message whose text is common outside WireGuard ("Scheduling new handshake"): taken only when an
   * envelope, logger or program names the implementation, never from a bare line.
   */
  readonly needsMarker?: boolean;
  /** Kernel: printed without the module's "wireguard: " prefix (net_ratelimit, WARN splats). */
  readonly bare?: boolean;
  /** The kernel/NT body starts with "<iface>: " (captured as the interface). */
  readonly ifacePrefix?: boolean;
  /** The wireguard-go body starts with "peer(XXXX…YYYY) - " (captured as the peer key fragment). */
  readonly peerPrefix?: boolean;
  /** Level the implementation logs it at (debug, info, error, ...). */
  readonly level: string;
  readonly family: Family;
  /** event.action, kebab-case, shared across implementations for the same event (wireguard-handshake-initiation-invalid). */
  readonly action: string;
  readonly category: readonly EcsCategory[];
  readonly type: readonly EcsType[];
  readonly outcome: 'success' | 'failure' | 'unknown';
  readonly severity: Severity;
  readonly direction: Direction;
  /** Id of a diagnosis in the diagnosis table; required when outcome is failure or severity is warning or worse. */
  readonly diagnosis?: string;
  /** Complete example lines as they appear in logs (with their envelope); each must be recognised as this entry. */
  readonly examples: readonly string[];
  /**
   * Printed with no envelope by design (stderr banners, boringtun's stderr, self-test output): recognised on
   * raw lines. Other entries need an envelope or a marker that says which implementation printed the line, so
   * that another program's "Shutting down" is not taken for WireGuard's.
   */
  readonly unenveloped?: boolean;
  /**
   * Another entry prints exactly the same text; without an envelope naming this implementation a line is
   * attributed to that one (its id here), and the catalog test accepts that.
   */
  readonly sameTextAs?: string;
  /** Kernel: line is subject to net_ratelimit (or NT's limiter): its count is a minimum. */
  readonly rateLimited?: boolean;
  /** Versions that print this text when it is not every version. */
  readonly versions?: string;
  /** Texts of older versions or forks that mean the same thing, handled by alternation in `pattern`. */
  readonly notes?: string;
}

export interface Cause {
  readonly text: string;
  readonly likelihood: 'likely' | 'possible' | 'rare';
}

/** An explanation in plain words: what happened, why (ranked), and what to check. */
export interface DiagnosisDef {
  readonly id: string;
  /** One line an on-call engineer understands without knowing WireGuard's internals. */
  readonly summary: string;
  /** Most likely first. */
  readonly causes: readonly Cause[];
  /** Concrete checks: commands to run, places to look. */
  readonly checks: readonly string[];
}
