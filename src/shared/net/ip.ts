// IP address validation and canonical form, written by hand for the hot path (node:net's regexes cost more
// than the rest of the normaliser).

/**
 * An address without port: IPv4 as is; IPv6 compressed per RFC 5952 (the kernel prints %pI6 uncompressed,
 * `fd00:0066:0000:…`, and the same address must join across implementations). Zone removed. Null if invalid.
 * Hand-written: this runs for every endpoint of every line, and node:net's validation regexes alone cost more
 * than the rest of the normaliser.
 */
export function canonicalIp(s: string): string | null {
  const pct = s.indexOf('%');
  const a = pct >= 0 ? s.slice(0, pct) : s;
  if (a.indexOf(':') < 0) return isIPv4Fast(a, 0, a.length) ? a : null;
  return canonicalIPv6(a);
}

export function isIPv4Fast(s: string, from: number, to: number): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255 || ++parts > 4) return false;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      // No leading zeros ("01"), as node:net and Elasticsearch refuse them.
      if (digits === 1 && value === 0) return false;
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return parts === 4;
}

const groups = new Uint16Array(8);

function canonicalIPv6(a: string): string | null {
  if (a.length < 2 || a.length > 45) return null;
  let n = 0;
  let gap = -1;
  let i = 0;
  const len = a.length;
  if (a.charCodeAt(0) === 58) {
    if (a.charCodeAt(1) !== 58) return null;
    gap = 0;
    i = 2;
    if (i === len) { groups.fill(0); return '::'; }
  }
  while (i < len) {
    // An embedded IPv4 tail takes the last two groups.
    let j = i;
    let value = 0;
    let hex = 0;
    let dot = false;
    while (j < len) {
      const c = a.charCodeAt(j);
      if (c === 58) break;
      if (c === 46) { dot = true; break; }
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (v < 0 || ++hex > 4) return null;
      value = value * 16 + v;
      j++;
    }
    if (dot) {
      if (n > 6 || !isIPv4Fast(a, i, len)) return null;
      const o = a.slice(i).split('.').map(Number);
      groups[n++] = ((o[0] ?? 0) << 8) | (o[1] ?? 0);
      groups[n++] = ((o[2] ?? 0) << 8) | (o[3] ?? 0);
      break;
    }
    if (hex === 0 || n >= 8) return null;
    groups[n++] = value;
    if (j === len) break;
    // j is at a colon: "::" marks the gap (once), ":" followed by the end is invalid.
    if (a.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return null;
      gap = n;
      i = j + 2;
    } else {
      if (j + 1 === len) return null;
      i = j + 1;
    }
  }
  if (gap < 0 ? n !== 8 : n > 7) return null;
  if (gap >= 0) {
    const move = n - gap;
    for (let k = 0; k < move; k++) groups[7 - k] = groups[n - 1 - k] ?? 0;
    for (let k = gap; k < 8 - move; k++) groups[k] = 0;
  }
  let bestStart = -1;
  let bestLen = 1;
  for (let k = 0; k < 8;) {
    if (groups[k] !== 0) { k++; continue; }
    let e = k;
    while (e < 8 && groups[e] === 0) e++;
    if (e - k > bestLen) { bestStart = k; bestLen = e - k; }
    k = e;
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) { out += k === 0 ? '::' : ':'; k += bestLen - 1; continue; }
    out += (groups[k] ?? 0).toString(16);
    if (k < 7) out += ':';
  }
  return out;
}
