// What an envelope decoder hands to the recogniser: the message text with everything the envelope itself said.
import type { DecoderFailureReport } from './failure.ts';

export type Impl = 'linux-kernel' | 'wireguard-go' | 'windows' | 'boringtun' | 'tunsafe'
  // Rust programs that drive WireGuard through a Rust control crate and log about it themselves (defguard's
  // defguard_wireguard_rs, innernet's wireguard-control); ESPHome's esp_wireguard, the lwIP port of WireGuard.
  | 'wireguard-rs' | 'lwip'
  // FreeBSD's if_wg driver; MikroTik RouterOS; wireguard-tools (wg, wg-quick) printing their own lines; router and
  // firewall firmware that runs WireGuard and logs about it (OPNsense, OpenWrt netifd, Gluon, ASUSWRT-Merlin, Keenetic).
  | 'freebsd' | 'routeros' | 'wireguard-tools' | 'platform';

export type EnvelopeId =
  | 'dmesg'            // [ 8312.401877] wireguard: wg0: ...
  | 'dmesg-human'      // dmesg -T / -H, any locale: [Thu May 22 14:22:07 2025] ..., [May22 14:22] ...
  | 'syslog-rfc3164'   // May 22 14:22:07 gw1 kernel: [ 8312.4] wireguard: ... (kern.log, journalctl short)
  | 'syslog-rfc5424'   // <7>1 2025-05-22T14:22:07.123456+02:00 gw1 kernel - - - wireguard: ...
  | 'journald-json'    // journalctl -o json
  | 'filebeat-json'    // Filebeat / Elastic Agent event JSON
  | 'vector-json'      // Vector's log event JSON
  | 'logread'          // OpenWrt: Thu May 22 14:22:07 2025 kern.debug kernel: [ 8312.4] wireguard: ...
  | 'wireguard-go'     // DEBUG: (wg0) 2025/05/22 14:22:07 ...
  | 'go-stdlog'        // 2025/05/22 14:22:07 ... (Go's standard logger: wireguard-go's conn/winrio, any Go program)
  | 'logcat'           // Android: ... WireGuard/GoBackend/wg0: ...
  | 'windows-ringlog'  // 2025-05-22 14:22:07.123456: [TUN] [office] ...
  | 'boringtun'        // 2025-05-22T14:22:07.123456Z DEBUG boringtun::noise: ...
  | 'apple-ringlog'    // wireguard-apple: 2025-05-22 14:22:07.123456: [NET] ... (log view: no colon, 3 digits; or untimed)
  | 'mullvad-ios'      // [2025-05-22 14:22:07.123][WireGuard][debug] pid=456 ...
  | 'amneziavpn-ne'    // AmneziaVPN's Apple network extension: 2025-05-22 14:22:07 debug NE: WG: ...
  | 'tunsafe'          // TunSafe's log window: [14:22:07] ...
  | 'dated-text'       // a date and time, then the text (eduVPN's Apple log, many others): 2025-05-22 14:22:07.123 ...
  | 'rust-log'        // Rust loggers other than tracing: env_logger, gotatun, defguard, innernet, WARP: [2025-05-22 14:22:07.123] ERROR gotatun::...
  | 'macos-log'       // connlib through os_log: 10:33:01.242070-0700<TAB>snownet::node: ..., Console.app's connlib<TAB>... copy
  | 'esphome'         // ESPHome / ESP-IDF: [22:34:07][D][wireguard:107]: ..., E (7533) esp_wireguard: ...
  | 'sing-box'         // +0800 2025-03-12 23:08:13 DEBUG endpoint/wireguard[warp]: ... (also DEBUG[0000] ...)
  | 'xray'             // 2025/05/25 16:20:43.084629 [Debug] ... (Xray's error log)
  | 'logfmt'           // time=2024-06-05T14:35:56.145+03:30 level=DEBUG msg="..." subsystem=wireguard-go
  | 'coder-slog'       // 2023-05-18 05:11:07.640 [debu]  coderd.tailnet.wgengine: ...
  | 'mullvad'          // [2023-12-19 17:58:26.736][wireguard-go][VERBOSE] ...
  | 'netbird'          // 2026-01-29T13:28:44+01:00 WARN [peer: ...] client/internal/peer/wg_watcher.go:127: ...
  | 'macos-console'    // 53457<TAB>default<TAB>19:54:36.810715-0800<TAB>IPNExtension<TAB>...
  | 'logtail-json'     // {"logtail": {"client_time": ...}, "text": "..."} (Tailscale)
  | 'opnsense-gui'     // OPNsense log view copied from the GUI: 2026-07-02T06:53:13<TAB>Notice<TAB>wireguard<TAB> ... (or 2+ spaces, or " | ")
  | 'keenetic'         // Keenetic NDMS system log: [I] 14:06:12 kernel: ...
  | 'time-only'        // a panel's log view, pasted: 17:49:45 peer(…) - ... (no date)
  | 'raw';             // nothing recognised: the whole line is the message

export interface Decoded {
  readonly envelope: EnvelopeId;
  /** The input exactly as received (for JSON envelopes the whole record text). */
  readonly original: string;
  /** The log message inside the envelope, e.g. "wireguard: wg0: Invalid handshake initiation from ..." */
  readonly message: string;
  /**
   * Epoch milliseconds of the event when the line or record says it; absent otherwise. Sub-millisecond digits
   * the line gave (ring log, RFC 5424, journal microseconds) are kept as the fraction, to microseconds.
   */
  readonly timestampMs?: number;
  /** Where timestampMs came from. */
  readonly timestampSource: 'line' | 'record' | 'none';
  /** Seconds since boot from a dmesg-style "[ 8312.401877]" prefix. */
  readonly uptimeSeconds?: number;
  readonly host?: string;
  /**
   * Addresses of the logging host that the envelope carries (ECS host.ip): Filebeat / Elastic Agent `host.ip`
   * or the syslog input's `log.source.address`, Vector's `source_ip` and an address-valued `host`, a syslog
   * HOSTNAME that is an address. Canonical, de-duplicated, never loopback or link-local; absent when none.
   */
  readonly hostIps?: readonly string[];
  readonly program?: string;
  readonly pid?: number;
  /** The level as the envelope states it, lower-case ("debug", "error", "warn", ...). */
  readonly level?: string;
  readonly syslog?: { readonly facility?: number; readonly severity?: number };
  /** Set when the envelope alone determines the implementation (ring log → windows, ...). */
  readonly implHint?: Impl;
  /** Interface or tunnel name when the envelope carries it ("(wg0)", "[office]", logcat tag). */
  readonly iface?: string;
  /**
   * Structured fields the logger printed with the message, in order: tracing's trailing ` key=value` (and its
   * pretty form's `, key: value`) and the fields of the spans before the target. `message` keeps them as
   * printed; the recogniser matches `text` when the whole message matches nothing.
   */
  readonly fields?: readonly (readonly [string, string])[];
  /** The message without its trailing fields, when the envelope split some off (may be empty). */
  readonly text?: string;
  /** Logger name: boringtun tracing target, Windows ring-log tag (TUN/MGR), journald SYSLOG_IDENTIFIER. */
  readonly logger?: string;
  /** log.file.path of shippers that say which file the line came from. */
  readonly filePath?: string;
  /** Kafka/shipper metadata that should survive into the document (agent name, etc.). */
  readonly agent?: { readonly type?: string; readonly name?: string; readonly id?: string; readonly version?: string };
  /** Set when a decoder threw: the line is "raw" because of a bug, not because it is not WireGuard. */
  readonly failure?: DecoderFailureReport;
}

export interface DecodeContext {
  /** IANA zone for timestamps that carry none. */
  readonly timezone: string;
  /** The Kafka record's own timestamp (ms), used when the line has none. */
  readonly recordTimestampMs?: number;
  /** "Now" for year-less timestamps (syslog): the year is chosen so the time is not far in the future. */
  readonly nowMs: number;
}
