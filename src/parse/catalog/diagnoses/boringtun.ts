// Diagnoses specific to boringtun (boringtun-cli): its lines name no peer, some routine events are logged at
// ERROR, and packet rejections only appear on stderr. Shared explanations live in common.ts.
import type { DiagnosisDef } from '../types.ts';

export const BORINGTUN_DIAGNOSES = [
  {
    id: 'boringtun-idle-expiry',
    summary: 'boringtun wiped the keys of a peer that has had no new handshake for 9 minutes. It logs this routine cleanup at ERROR level; on its own nothing is broken.',
    causes: [
      { text: 'The peer is simply idle: no traffic and no PersistentKeepalive, so no new handshake was needed.', likelihood: 'likely' },
      { text: 'The peer has been unreachable for a long time: retry lines (HANDSHAKE(REKEY_TIMEOUT), CONNECTION_EXPIRED(REKEY_ATTEMPT_TIME)) come before this one.', likelihood: 'possible' },
    ],
    checks: [
      '`wg show <iface> latest-handshakes` (wg talks to boringtun through /var/run/wireguard/<iface>.sock) to see which peer went quiet; the line itself names none.',
      'If that peer should be passing traffic, read the log from the minutes before for retry lines.',
      'Do not alert on this text by its ERROR level alone.',
    ],
  },
  {
    id: 'boringtun-handshake-unanswered',
    summary: 'boringtun sent a handshake initiation again because the previous one got no valid answer within 5 seconds. The line does not say which peer.',
    causes: [
      { text: 'The initiations never reach the other side: wrong Endpoint or port, a firewall or NAT dropping UDP, the remote interface down.', likelihood: 'likely' },
      { text: 'The other side rejects them (it lacks our public key, or we have the wrong key for it). boringtun shows no reason on this side; the responder\'s log does.', likelihood: 'likely' },
      { text: 'Preshared keys differ: the response arrives but fails to decrypt ("Decapsulate error InvalidAeadTag" on stderr when the connected socket exists).', likelihood: 'possible' },
      { text: 'A single lost packet, when the line appears once and a handshake succeeds right after.', likelihood: 'possible' },
    ],
    checks: [
      '`wg show <iface> latest-handshakes` and `wg show <iface> endpoints`: the peer with a stale or zero handshake is the one retrying.',
      'On the responder, look for our address at the same time (invalid MAC = we use the wrong key for it; invalid initiation = it does not know our key; nothing = packets do not arrive).',
      'Run boringtun with `--foreground` or capture its stderr, where decryption failures are reported.',
      '`tcpdump -ni any udp port <port>` on both ends to see whether initiations leave and arrive.',
    ],
  },
  {
    id: 'boringtun-no-session',
    summary: 'A data packet arrived for a session boringtun no longer has (or never had), so it was dropped.',
    causes: [
      { text: 'boringtun restarted or expired the session while the peer kept using the old keys; the peer starts a new handshake on its own within about two minutes.', likelihood: 'likely' },
      { text: 'The peer resumed sending after a long idle period and its keys outlived ours.', likelihood: 'possible' },
      { text: 'Random or forged datagrams carrying an index that happens to map to an empty slot.', likelihood: 'rare' },
    ],
    checks: [
      'See whether a handshake (Received handshake_initiation / New session) follows within a couple of minutes: then it healed itself.',
      'If it persists for one peer, restart the tunnel on that peer or remove and re-add it here to force a fresh handshake.',
    ],
  },
  {
    id: 'boringtun-decapsulate-error',
    summary: 'boringtun rejected a datagram that came in on a peer\'s connected socket; the word after "Decapsulate error" names the reason.',
    causes: [
      { text: 'NoCurrentSession or WrongIndex: the packet belongs to a session one side has already forgotten, typically after a restart; it heals with the next handshake.', likelihood: 'likely' },
      { text: 'UnexpectedPacket: a handshake response that no pending handshake is waiting for (late, duplicated, or the state was reset).', likelihood: 'possible' },
      { text: 'IncorrectPacketLength, InvalidPacket or WrongPacketType: a malformed or non-WireGuard datagram from the peer\'s address.', likelihood: 'possible' },
      { text: 'InvalidTai64nTimestamp, UnderLoad, ConnectionExpired, LockFailed, DestinationBufferTooSmall: rare internal or malformed-handshake conditions.', likelihood: 'rare' },
    ],
    checks: [
      'These lines go to stderr: they are only visible with `--foreground` or under a supervisor that keeps stderr (systemd: `journalctl -u <unit>`).',
      'Failures on the shared listening socket are not logged at all, so absence of these lines proves nothing.',
      'Correlate with handshake lines at the same time; `wg show <iface>` shows which peer\'s handshake is stale.',
    ],
  },
  {
    id: 'boringtun-decrypt-failed',
    summary: 'A packet from a known peer\'s address failed authenticated decryption. Right after a handshake response this nearly always means the preshared keys differ; on data it means the two sides disagree about the session keys.',
    causes: [
      { text: 'PresharedKey differs between the two ends, or is set on one end only (the line follows "Received handshake_response" and no "Sending keepalive" comes).', likelihood: 'likely' },
      { text: 'A stale session after one side restarted or rekeyed; heals with the next handshake.', likelihood: 'possible' },
      { text: 'Corrupted or forged datagrams sent from the peer\'s address.', likelihood: 'rare' },
    ],
    checks: [
      'Compare `wg show <iface> preshared-keys` on both ends for this peer: identical, or `(none)` on both.',
      'Look at the lines just before: a handshake response without a following "Sending keepalive" confirms the preshared-key case.',
    ],
  },
  {
    id: 'boringtun-counter-rejected',
    summary: 'An authenticated data packet was dropped because its counter was already used or fell outside the replay window: a duplicate, heavy reordering, or a replay.',
    causes: [
      { text: 'The path duplicates packets (layer-2 loop, mirroring, some overlay networks).', likelihood: 'likely' },
      { text: 'Packets reordered far beyond the replay window (per-packet load balancing, bonding).', likelihood: 'possible' },
      { text: 'Deliberate replay of captured packets; they cannot be decrypted into anything new.', likelihood: 'possible' },
    ],
    checks: [
      'Count occurrences: occasional lines are noise, a steady stream is duplication or an attack.',
      '`tcpdump -ni any udp port <port>` to spot identical datagrams arriving twice.',
    ],
  },
  {
    id: 'boringtun-encapsulate-error',
    summary: 'boringtun could not prepare an outgoing packet for a peer (no session yet and the handshake initiation could not be built); the packet did not leave.',
    causes: [
      { text: 'DestinationBufferTooSmall: an internal buffer smaller than the message, which points to an unusual MTU setting or a boringtun bug.', likelihood: 'likely' },
      { text: 'Other internal error names: a bug in this boringtun version.', likelihood: 'rare' },
    ],
    checks: [
      '`ip link show <iface>`: an MTU far from 1420 is suspect; set it back and retry.',
      '`boringtun-cli --version`; search the project\'s issue tracker for the error name and upgrade if fixed.',
    ],
  },
  {
    id: 'boringtun-start-failed',
    summary: 'boringtun did not start: the tunnel device, its sockets or control socket could not be set up, or the background process could not be created.',
    causes: [
      { text: 'Not enough privilege: not run as root or without CAP_NET_ADMIN ("Operation not permitted").', likelihood: 'likely' },
      { text: '/dev/net/tun is missing, typical inside containers that were not given the device ("No such file or directory").', likelihood: 'likely' },
      { text: 'Another instance already uses the interface name, its control socket in /var/run/wireguard, or the listen port.', likelihood: 'possible' },
      { text: 'An interface name the platform refuses (macOS requires utun names).', likelihood: 'rare' },
    ],
    checks: [
      'Run it by hand in the foreground to see the error directly: `boringtun-cli --foreground -v debug <iface>`.',
      '`ls -l /dev/net/tun`; in a container, add the device and CAP_NET_ADMIN.',
      '`ls -l /var/run/wireguard/` and `ss -ulpn` for a leftover instance or port clash.',
      'The background log file is /tmp/boringtun.out unless --log / WG_LOG_FILE says otherwise.',
    ],
  },
  {
    id: 'boringtun-drop-privileges-failed',
    summary: 'boringtun set up the tunnel but could not drop its root privileges afterwards, so it exited on purpose.',
    causes: [
      { text: 'No login user to switch to: started by systemd or another service manager, where getlogin() returns nothing ("NULL from getlogin").', likelihood: 'likely' },
      { text: 'Started from a root login shell rather than via sudo, so the "drop" would stay root ("Failed to permanently drop privileges").', likelihood: 'possible' },
    ],
    checks: [
      'Under a service manager, start it with `--disable-drop-privileges` (or WG_SUDO=1) and restrict it through the unit\'s own sandboxing instead.',
      'Started by hand: use `sudo boringtun-cli …` from a normal user account.',
    ],
  },
  {
    id: 'boringtun-tun-failure',
    summary: 'Reading from the tunnel device failed and boringtun stopped processing traffic for this interface.',
    causes: [
      { text: 'The tunnel device was removed or its file descriptor closed underneath boringtun (interface deleted, container torn down).', likelihood: 'likely' },
      { text: 'A tun descriptor handed over with --tun-fd / WG_TUN_FD that is invalid or in the wrong mode ("File descriptor in bad state").', likelihood: 'possible' },
      { text: 'A kernel or driver error on the tun device.', likelihood: 'rare' },
    ],
    checks: [
      '`ip link show <iface>`: does the interface still exist?',
      'Check whether boringtun is still running (`pgrep -a boringtun`) and restart it; read the surrounding log for what removed the device.',
    ],
  },
] as const satisfies readonly DiagnosisDef[];
