// The tunnel diagnosis' public types and tuning constants (re-exported by tunnel.ts), shared by its parts:
// lines.ts (log lines and the tunnels in them), counterpart.ts (who the other end can be), consistency.ts (which
// of those fit this end's behaviour), cause.ts (the root-cause table applied to both ends), evidence.ts (words).
import type { Confidence } from './root-causes.ts';

export interface TunnelQuery {
  /** Which end raised the alert. */
  readonly side: 'initiator' | 'responder';
  readonly host: string;
  readonly iface?: string;
  readonly peer?: { readonly id?: string; readonly fragment?: string; readonly publicKey?: string };
  /** Responder side: the source address of the failing handshakes. */
  readonly remoteIp?: string;
  /** Alert period, ms since the epoch. */
  readonly start: number;
  readonly end: number;
}

/**
 * What peer-state snapshots (`wg-siem collect`) say about the keys of this end and a counterpart: each fact
 * rules a cause out (true) or in (false); undefined when unknown.
 */
export interface KeyFacts {
  /** The key the initiator has for its peer is the responder's own interface key (else: wrong server key). */
  readonly initiatorHasResponderKey?: boolean;
  /** The responder has the initiator's own interface key among its peers (else: the server lacks the client's key). */
  readonly responderKnowsInitiator?: boolean;
}

/** Addresses a host is known to use: its own (envelope, inventory), those other hosts see it at (snapshots), its listen ports. */
export interface HostAddresses {
  readonly host: string;
  readonly ips?: readonly string[];
  /** UDP ports its handshakes leave from (its listen ports: without NAT, the source port the other end logs). */
  readonly ports?: readonly number[];
}

export interface TunnelHints {
  /**
   * Hosts known to be the other end of this tunnel: from the peer inventory, or from peer-state snapshots (the
   * host whose own interface key is the key this end has for its peer, or that has this end's key as a peer).
   */
  readonly counterparts?: readonly { host: string; iface?: string; source?: 'inventory' | 'snapshot'; keys?: KeyFacts }[];
  readonly skewToleranceMs?: number;
  /**
   * Fewest attempts that may tie another host to this one by timing alone (default 3): with fewer, a chance
   * coincidence is too likely. Inventory and address matches do not need it.
   */
  readonly minInitiations?: number;
  /**
   * Per other host, the tokens (`key:<fragment>`, `ip:<address>`) of its tunnels whose other end is known, from
   * peer-state snapshots, to be some host other than this one: its lines about them cannot be this tunnel's.
   */
  readonly foreign?: readonly { readonly host: string; readonly tokens: readonly string[] }[];
  /** Initiator side: addresses the initiator's handshakes are known to arrive from at the server (its public or NAT address). */
  readonly initiatorAddresses?: readonly string[];
  /**
   * Known addresses and listen ports of hosts (this one and others): an invalid initiation's source address or
   * port pairs it with the host that uses it, without timing; a line from another host's address is that host's.
   */
  readonly addresses?: readonly HostAddresses[];
}

/** One other end that fits this end's lines, and the cause it implies. */
export interface TunnelAlternative {
  readonly id: string;
  /** The cause in a few words ("wrong server key"). */
  readonly cause: string;
  readonly title: string;
  readonly confidence: Confidence;
  /** The other end this alternative assumes; absent for "none of the hosts that logged anything". */
  readonly host?: string;
  readonly iface?: string;
  /** Which of that host's lines: "the invalid initiations from fd99:0:2::2", "its address-less invalid-MAC lines". */
  readonly lines?: string;
  /** One sentence: "wrong server key if srv-b (its address-less invalid-MAC lines) is the other end". */
  readonly text: string;
}

export interface TunnelDiagnosis {
  readonly id: string;
  readonly title: string;
  readonly summary: string;
  readonly checks: readonly string[];
  readonly confidence: Confidence;
  readonly counterpart?: {
    readonly host: string;
    readonly iface?: string;
    readonly method: CounterpartMethod;
    readonly matched?: number;
    readonly of?: number;
  };
  readonly evidence: readonly string[];
  /**
   * When several other ends fit this end's lines: each with the cause it implies (id 'ambiguous' when they
   * differ; the shared cause at most 'probable' when they agree).
   */
  readonly alternatives?: readonly TunnelAlternative[];
  /** The single fact that would settle the ambiguity. */
  readonly settle?: string;
}

/** How the other end was found: listed in the inventory, by key in peer-state snapshots, by address, by timing. */
export type CounterpartMethod = 'inventory' | 'snapshot' | 'address' | 'timing';

export const DEFAULT_SKEW_TOLERANCE_MS = 2000;
export const DEFAULT_MIN_INITIATIONS = 3;
/** What the caller fetches of other hosts around the alert; the same margin applies to the alerting host. */
export const PADDING_MS = 30_000;
/** Share of the attempts a 'most' condition, and a timing match, needs. */
export const MOST_SHARE = 0.6;
/** A second host matching within this share of the attempts of the best one makes a timing match ambiguous. */
export const RIVAL_SHARE = 0.1;
/**
 * Invalid-MAC lines from one source within one second that mean a flood rather than a misconfigured client:
 * a WireGuard initiator sends one initiation per 5 s, and the kernel's per-source budget that makes it print
 * "Invalid MAC" for valid handshakes is 20 per second. Five fits under the kernel's log rate limit (bursts of 10).
 */
export const BURST_PER_SECOND = 5;
/** Share of one tunnel's lines that must fall in the same second as another's for both to be one tunnel logged twice. */
export const COMPANION_SHARE = 0.8;
