// The root causes a failing tunnel can have, and the log evidence that points to each, as data. The diagnosis
// (tunnel.ts) computes facts from both ends' lines and takes the first entry with a pattern that holds, so the
// order below is the priority when evidence overlaps. Each pattern lists what must hold; the one that needs
// both ends gives 'confirmed', one end alone 'probable'.
//
// Texts may name the ends: {initiator} / {responder} become host names ("the client" / "the server" when
// unknown), {initiatorIface} / {responderIface} interface names (`<iface>` when unknown), {remote} the client's
// address as the server saw it ("the client's address" when unknown), {inner} the inner source addresses of packets outside AllowedIPs.
import type { Signal } from './signals.ts';
import { ACCEPTED, ANSWERED, HEARD, LOAD, TRIED } from './signals.ts';

/** Every {name} the texts below may use. */
export const PLACEHOLDERS = ['initiator', 'responder', 'initiatorIface', 'responderIface', 'remote', 'inner'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

export type Role = 'initiator' | 'responder';
export type Confidence = 'confirmed' | 'probable' | 'possible';

export interface Condition {
  /** Whose log the condition reads. */
  readonly end: Role;
  /** Lines carrying any of these signals; 'any' is any WireGuard line (the end ships its logs at all). */
  readonly signals: readonly Signal[] | 'any';
  /**
   * 'attempts': how many of the handshake attempts (the initiator's initiations, or on a responder-side alert
   * the responder's failing lines) have such a line within the clock-skew tolerance. 'period': how many such
   * lines the end logged around the alert.
   */
  readonly scope: 'attempts' | 'period';
  /**
   * 'most': at least 60 % of the attempts, and more than chance explains; 'some': at least one (and, per attempt,
   * more than chance); 'none': not one, and the end's log was available.
   */
  readonly test: 'most' | 'some' | 'none';
}

export interface Pattern {
  readonly confidence: Confidence;
  readonly all: readonly Condition[];
}

/** A text that differs depending on which end raised the alert. */
export type BySide<T> = T | { readonly initiator: T; readonly responder: T };

export interface RootCause {
  readonly id: string;
  /** A few words, for a list of the causes that remain ("wrong server key"). */
  readonly short: string;
  readonly title: string;
  readonly summary: BySide<string>;
  readonly checks: BySide<readonly string[]>;
  /** Tried in order; the first that holds gives the confidence. */
  readonly patterns: readonly Pattern[];
}

const at = (test: Condition['test']) => (end: Role, signals: Condition['signals']): Condition => ({ end, signals, scope: 'attempts', test });
const during = (test: Condition['test']) => (end: Role, signals: Condition['signals']): Condition => ({ end, signals, scope: 'period', test });
const mostAt = at('most');
const someAt = at('some');
const noneAt = at('none');
const someDuring = during('some');
const noneDuring = during('none');

/** The initiator's own log shows the attempts (trivially so when it raised the alert). */
const CLIENT_TRIED = mostAt('initiator', TRIED);
const CLIENT_UNANSWERED = noneAt('initiator', ANSWERED);

const SNIFF = 'On {responder}: `tcpdump -ni any udp port $(wg show {responderIface} listen-port)` while {initiator} retries';

export const ROOT_CAUSES: readonly RootCause[] = [
  {
    id: 'responder-under-load',
    short: 'the server is under handshake load',
    title: '{responder} is under handshake load and throttles handshakes',
    summary:
      '{responder} receives more handshakes than it wants to process, so it answers with cookies, drops handshake packets or rate-limits them. '
      + 'On the Linux kernel a throttled but valid handshake is logged as "Invalid MAC", which looks like a key problem but is not. '
      + 'Legitimate clients get through after a retry once the load drops; a flood keeps them out.',
    checks: [
      `${SNIFF}: a few sources sending many packets per second is a flood, many sources at a low rate a scan or a fleet reconnecting at once.`,
      'Block or rate-limit the flooding sources upstream (firewall or provider), not on the WireGuard port for everyone.',
      '`net_ratelimit: N callbacks suppressed` means the kernel dropped log lines: every count in other alerts from {responder} is a minimum.',
    ],
    patterns: [
      { confidence: 'confirmed', all: [someDuring('responder', LOAD), someDuring('initiator', ['cookie-received'])] },
      { confidence: 'probable', all: [someDuring('responder', LOAD)] },
      { confidence: 'probable', all: [someDuring('initiator', ['cookie-received'])] },
    ],
  },
  {
    id: 'replay-or-clock',
    short: 'replayed handshakes (a clock set back, or one key on two devices)',
    title: '{responder} rejects {initiator}\'s handshakes as replays: its clock went back, or its key is on two devices',
    summary:
      'Every handshake carries the sender\'s clock, and the server only accepts one newer than the last it accepted from that key. '
      + '{responder} logged its handshakes from {initiator} as replays: {initiator}\'s clock was set back (NTP step, dead clock battery, restored VM snapshot), '
      + 'or a second device uses the same private key and handshakes with an older clock.',
    checks: [
      'On {initiator}: `timedatectl` and `chronyc tracking` (or `journalctl -u systemd-timesyncd -u chronyd`): was the clock stepped back, is it wrong now?',
      'Is the same key on a second device? Run `wg show {initiatorIface} public-key` on each suspect device; give every device its own key pair.',
      'Once the clock is right the handshakes resume by themselves when it passes the last accepted time; to clear it now, remove and re-add the peer on {responder} (`wg set {responderIface} peer <key> remove`, then add it back).',
    ],
    patterns: [
      { confidence: 'confirmed', all: [someAt('responder', ['replay']), CLIENT_TRIED] },
      { confidence: 'probable', all: [someAt('responder', ['replay'])] },
    ],
  },
  {
    id: 'initiator-key-unknown',
    short: 'the server lacks the client\'s key',
    title: '{responder} does not know {initiator}\'s public key',
    summary:
      '{responder} receives {initiator}\'s handshakes and rejects each as an invalid initiation: the packet was addressed to the right server key, '
      + 'but the key it comes from is not one of {responder}\'s peers (never added, mistyped, removed, or {initiator} generated a new key). '
      + 'No replay line came before the rejections, so a clock problem is unlikely (the Linux kernel does not print replay lines, so on a kernel server a clock step looks the same).',
    checks: [
      'On {initiator}: `wg show {initiatorIface} public-key`. On {responder}: `wg show {responderIface} peers` must list exactly that key.',
      'If it is missing or different, fix the [Peer] PublicKey on {responder} (`wg set {responderIface} peer <client-key> allowed-ips <tunnel-address>/32`, and in the config file so it survives a restart).',
      'If the key is listed: check {initiator}\'s clock (`timedatectl`), and whether several servers share one address or port forward so {initiator} reaches the wrong one.',
    ],
    patterns: [
      { confidence: 'confirmed', all: [mostAt('responder', ['initiation-invalid']), noneAt('responder', ['replay']), CLIENT_TRIED, CLIENT_UNANSWERED] },
      { confidence: 'probable', all: [mostAt('responder', ['initiation-invalid']), noneAt('responder', ['replay'])] },
    ],
  },
  {
    id: 'wrong-responder-key',
    short: 'wrong server key',
    title: '{initiator} has the wrong public key for {responder}',
    summary:
      '{initiator}\'s handshakes reach {responder}, but fail the very first check, which is keyed with the server\'s public key: '
      + '{initiator} is configured with a different public key for {responder} than the one {responder} has (a rotated or restored server key, a typo, keys of two servers swapped). '
      + '{responder} is not under load, so this is not the kernel\'s throttling message.',
    checks: [
      'On {responder}: `wg show {responderIface} public-key`. On {initiator}: `wg show {initiatorIface} peers` (or PublicKey in the [Peer] section for {responder}): the two must be identical.',
      'If {responder}\'s key was changed on purpose, update PublicKey on every client; otherwise put the old private key back on {responder}.',
      '`wg show {responderIface} private-key` on {responder} must not print `(none)`: an interface without a key rejects every handshake the same way.',
    ],
    patterns: [
      { confidence: 'confirmed', all: [mostAt('responder', ['mac-invalid']), noneDuring('responder', LOAD), CLIENT_TRIED, CLIENT_UNANSWERED] },
      { confidence: 'probable', all: [mostAt('responder', ['mac-invalid']), noneDuring('responder', LOAD)] },
    ],
  },
  {
    id: 'psk-mismatch',
    short: 'the preshared keys differ',
    title: 'The preshared keys of {initiator} and {responder} differ',
    summary:
      '{initiator} rejects the handshake response it gets after each initiation. The preshared key only enters the handshake in the response, '
      + 'so the server cannot notice: it accepts the initiation and answers as if all were well. '
      + 'The PresharedKey of this peer differs between the two ends, or only one end has one.',
    checks: [
      'Compare `wg show {initiatorIface} preshared-keys` on {initiator} with `wg show {responderIface} preshared-keys` on {responder}: the values for this peer must be identical, or `(none)` on both.',
      'Look in both config files for a PresharedKey line present on one side only, or copied from another peer.',
    ],
    patterns: [
      { confidence: 'confirmed', all: [mostAt('initiator', ['response-invalid']), mostAt('responder', ACCEPTED)] },
      { confidence: 'probable', all: [mostAt('initiator', ['response-invalid'])] },
    ],
  },
  {
    id: 'return-path-lost',
    short: 'the server\'s answers are lost on the way back',
    title: '{responder} answers, but its answers never reach {initiator}',
    summary:
      '{responder} accepts {initiator}\'s handshakes and sends a response to each, yet {initiator} logs no response at all, valid or not, and keeps retrying. '
      + 'The keys are fine; the way back is broken: a firewall or security group that lets requests in but drops the replies, '
      + 'replies leaving {responder} from another address or interface, or a NAT mapping on the client side that no longer exists.',
    checks: [
      `${SNIFF}: the responses should leave towards {remote}; the same capture on {initiator} shows whether they arrive.`,
      'On a server with several addresses, the reply must leave from the address the client sent to (`ip route get <client-address>` on {responder}).',
      'Check the firewall rules: outbound UDP on {responder}, inbound UDP (and NAT timeouts) on {initiator}\'s network.',
    ],
    patterns: [
      {
        confidence: 'confirmed',
        all: [mostAt('responder', ['response-sent']), CLIENT_TRIED, CLIENT_UNANSWERED, noneDuring('initiator', ['response-invalid', 'cookie-received'])],
      },
    ],
  },
  {
    id: 'unreachable',
    short: 'the handshakes never reach the server',
    title: '{initiator}\'s handshakes never reach {responder}',
    summary:
      '{initiator} keeps sending handshake initiations, and {responder}, which does log WireGuard lines, logged nothing at those moments: '
      + 'not even a rejection. The packets are lost on the way: wrong Endpoint address or port, a firewall or port forward that drops UDP, '
      + 'a NAT or ISP problem, or {responder}\'s interface is down.',
    checks: [
      'On {initiator}: `wg show {initiatorIface} endpoints` must be {responder}\'s current public address and its listen port (`wg show {responderIface} listen-port`).',
      `${SNIFF}: no packets at all means they are dropped before the server.`,
      'Check the firewall, security group and port forward in front of {responder} for UDP to the listen port, and whether {initiator}\'s network blocks UDP.',
      '`ip -br link show {responderIface}` on {responder}: is the interface up?',
    ],
    patterns: [
      { confidence: 'probable', all: [CLIENT_TRIED, CLIENT_UNANSWERED, someDuring('responder', 'any'), noneAt('responder', HEARD)] },
    ],
  },
  {
    id: 'allowedips-mismatch',
    short: 'source addresses outside AllowedIPs',
    title: 'Traffic from {initiator} uses source addresses outside its AllowedIPs on {responder}',
    summary:
      'The tunnel is up, but {responder} drops packets from {initiator} because their inner source address ({inner}) is not in the AllowedIPs {responder} has for that peer. '
      + 'Either {initiator} sends from an address it was not given (wrong Address, or traffic from a LAN behind it), or {responder}\'s AllowedIPs for it are too narrow.',
    checks: [
      'On {responder}: `wg show {responderIface} allowed-ips`: the line for this peer must cover the inner source addresses in the evidence.',
      'On {initiator}: `ip -br addr show {initiatorIface}`: the tunnel address must be the one {responder} expects; fix the client\'s Address or widen the server\'s AllowedIPs.',
      'Traffic from a network behind {initiator}: add that subnet to its AllowedIPs on {responder} (and route it), or NAT it on {initiator}.',
      'Sources that are IPv6 link-local (fe80::/10) or `::` are the client operating system\'s own multicast chatter, not users: harmless; `sysctl -w net.ipv6.conf.{initiatorIface}.disable_ipv6=1` silences them on a Linux client.',
    ],
    patterns: [
      { confidence: 'confirmed', all: [someDuring('responder', ['source-not-allowed']), someDuring('initiator', [...ANSWERED, 'keepalive'])] },
      { confidence: 'probable', all: [someDuring('responder', ['source-not-allowed'])] },
    ],
  },
  {
    id: 'handshake-ok',
    short: 'the handshake works',
    title: 'The handshake between {initiator} and {responder} works',
    summary:
      '{initiator}\'s handshakes get valid responses, so keys, preshared key and reachability are fine. '
      + 'If traffic still does not flow, the problem is above WireGuard: routes, AllowedIPs on the sending side, MTU or a firewall on the tunnel interface.',
    checks: [
      '`wg show all latest-handshakes` on both ends: a recent time confirms the handshake.',
      '`ip route get <tunnel-address>` on the sender and `wg show {initiatorIface} allowed-ips`: the destination must be routed into the tunnel and covered by the peer\'s AllowedIPs.',
      'MTU: `ping -M do -s 1372 <tunnel-address>` through the tunnel; firewall rules on the tunnel interfaces ({initiatorIface} on {initiator}, {responderIface} on {responder}).',
    ],
    patterns: [
      { confidence: 'confirmed', all: [mostAt('initiator', ANSWERED), mostAt('responder', ACCEPTED)] },
      { confidence: 'probable', all: [mostAt('initiator', ANSWERED)] },
    ],
  },
  {
    id: 'one-sided',
    short: 'packets never reach the server, or it does not ship its log',
    title: 'Cannot tell the cause from one end alone: the other end\'s logs are missing',
    summary: {
      initiator:
        'Only {initiator}\'s side of the tunnel could be used. It sends handshake initiations and gets no answer, and from the client alone three causes look exactly the same: '
        + '(1) {initiator} has the wrong public key for the server, (2) the server does not know {initiator}\'s public key, '
        + '(3) the packets never reach the server (wrong endpoint or port, firewall, NAT, ISP). Only the server\'s log tells them apart: '
        + 'ship the server\'s WireGuard logs to wg-siem (or name it in the peer inventory) and look again.',
      responder:
        'Only {responder}\'s own log could be used, and it does not name a cause. A preshared-key mismatch and answers lost on the way back both look healthy on the server '
        + 'and show only in the client\'s log: ship the client\'s WireGuard logs to wg-siem (or name it in the peer inventory) and look again.',
    },
    checks: {
      initiator: [
        'Ship the server\'s logs: Linux kernel `echo "module wireguard +p" > /sys/kernel/debug/dynamic_debug/control`; wireguard-go `LOG_LEVEL=verbose`.',
        'By hand meanwhile: `wg show {initiatorIface} peers` on {initiator} against `wg show <iface> public-key` on the server (cause 1), and `wg show {initiatorIface} public-key` against `wg show <iface> peers` on the server (cause 2).',
        'Reachability (cause 3): `tcpdump -ni any udp port <listen-port>` on the server while {initiator} retries.',
      ],
      responder: [
        'Ship the client\'s logs: Linux kernel `echo "module wireguard +p" > /sys/kernel/debug/dynamic_debug/control`; wireguard-go `LOG_LEVEL=verbose`.',
        'By hand meanwhile: compare `wg show <iface> preshared-keys` on both ends, and watch `tcpdump -ni any udp port $(wg show {responderIface} listen-port)` on {responder} for responses leaving.',
      ],
    },
    // Always holds: the fallback when nothing above does.
    patterns: [{ confidence: 'possible', all: [] }],
  },
];
