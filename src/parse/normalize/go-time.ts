// Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST", optionally followed by a monotonic
// reading " m=+1.23". wireguard-go prints the initiator's claimed handshake time this way in replay lines.
const GO_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-])(\d\d)(\d\d)(?: [A-Za-z0-9+-]{1,8})?(?: m=[+-]\d+\.\d+)?$/;

/** Epoch milliseconds, or null when the text is not a Go time. */
export function parseGoTime(s: string): number | null {
  if (s.charCodeAt(0) === 91) return parseTai64nBytes(s);
  const m = GO_TIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(base)) return null;
  const ms = frac ? Math.floor(Number(frac.padEnd(9, '0')) / 1e6) : 0;
  const offset = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
  return base + ms - offset;
}

// TAI64N's label for the Unix epoch, as wireguard-go's tai64n package writes it (TAI = UTC + 10 s there).
const TAI64_BASE = 0x400000000000000an;

/**
 * A TAI64N stamp printed as a Go byte array, "[64 0 0 0 96 65 13 207 36 0 0 0]" (wireguard-go before 2020):
 * 8 bytes of seconds, 4 of nanoseconds, big-endian. Epoch ms, or null when it is not one.
 */
function parseTai64nBytes(s: string): number | null {
  const m = /^\[(\d{1,3}(?: \d{1,3}){11})\]$/.exec(s);
  if (!m) return null;
  const b = (m[1] ?? '').split(' ').map(Number);
  if (b.some((x) => x > 255)) return null;
  let secs = 0n;
  for (let i = 0; i < 8; i++) secs = (secs << 8n) | BigInt(b[i] ?? 0);
  const nanos = (((b[8] ?? 0) * 256 + (b[9] ?? 0)) * 256 + (b[10] ?? 0)) * 256 + (b[11] ?? 0);
  const unix = secs - TAI64_BASE;
  if (unix < 0n || unix > 253402300799n || nanos > 999_999_999) return null;
  return Number(unix) * 1000 + Math.floor(nanos / 1e6);
}
