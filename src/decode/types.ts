// What an envelope decoder hands to the recogniser: the message text with everything the envelope itself said.

export type Impl = 'linux-kernel' | 'wireguard-go' | 'windows' | 'boringtun';

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
  readonly program?: string;
  readonly pid?: number;
  /** The level as the envelope states it, lower-case ("debug", "error", "warn", ...). */
  readonly level?: string;
  readonly syslog?: { readonly facility?: number; readonly severity?: number };
  /** Set when the envelope alone determines the implementation (ring log → windows, ...). */
  readonly implHint?: Impl;
  /** Interface or tunnel name when the envelope carries it ("(wg0)", "[office]", logcat tag). */
  readonly iface?: string;
  /** Logger name: boringtun tracing target, Windows ring-log tag (TUN/MGR), journald SYSLOG_IDENTIFIER. */
  readonly logger?: string;
  /** log.file.path of shippers that say which file the line came from. */
  readonly filePath?: string;
  /** Kafka/shipper metadata that should survive into the document (agent name, etc.). */
  readonly agent?: { readonly type?: string; readonly name?: string; readonly id?: string; readonly version?: string };
}

export interface DecodeContext {
  /** IANA zone for timestamps that carry none. */
  readonly timezone: string;
  /** The Kafka record's own timestamp (ms), used when the line has none. */
  readonly recordTimestampMs?: number;
  /** "Now" for year-less timestamps (syslog): the year is chosen so the time is not far in the future. */
  readonly nowMs: number;
}
