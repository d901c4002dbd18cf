// Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST", optionally followed by a monotonic
// reading " m=+1.23". wireguard-go prints the initiator's claimed handshake time this way in replay lines.
const GO_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? ([+-])(\d\d)(\d\d)(?: [A-Za-z0-9+-]{1,8})?(?: m=[+-]\d+\.\d+)?$/;

/** Epoch milliseconds, or null when the text is not a Go time. */
export function parseGoTime(s: string): number | null {
  const m = GO_TIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (Number.isNaN(base)) return null;
  const ms = frac ? Math.floor(Number(frac.padEnd(9, '0')) / 1e6) : 0;
  const offset = (Number(oh) * 60 + Number(om)) * 60_000 * (sign === '-' ? -1 : 1);
  return base + ms - offset;
}
