// HyperLogLog (Flajolet et al. 2007) with 2^12 one-byte registers (4 KiB): standard error 1.04/sqrt(4096) ≈ 1.6 %,
// so a flood of millions of spoofed sources is counted in constant memory. 64-bit FNV-1a of the value, then a
// murmur3-style finaliser: FNV alone mixes short, similar strings (consecutive IPs) too little for HLL.

export const HLL_P = 12;
export const HLL_M = 1 << HLL_P;
const ALPHA = 0.7213 / (1 + 1.079 / HLL_M);

function fmix32(h: number): number {
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * 64-bit FNV-1a as [high 32, low 32], computed in 16-bit limbs so every product stays exact in a double. Bytes
 * are the code units' low bytes, preceded by the high byte for code units above 0xff (IPs and ids are ASCII).
 */
export function hash64(s: string): [number, number] {
  // offset basis 0xcbf29ce484222325, prime 2^40 + 0x1b3
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  const step = (byte: number): void => {
    h0 ^= byte;
    const r0 = h0 * 0x1b3;
    const r1 = h1 * 0x1b3;
    const r2 = h2 * 0x1b3 + h0 * 0x100;
    const r3 = h3 * 0x1b3 + h1 * 0x100;
    h0 = r0 & 0xffff;
    const c1 = r1 + Math.floor(r0 / 0x10000);
    h1 = c1 & 0xffff;
    const c2 = r2 + Math.floor(c1 / 0x10000);
    h2 = c2 & 0xffff;
    h3 = (r3 + Math.floor(c2 / 0x10000)) & 0xffff;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) step(c >>> 8);
    step(c & 0xff);
  }
  const hi = ((h3 << 16) | h2) >>> 0;
  const lo = ((h1 << 16) | h0) >>> 0;
  return [fmix32(hi ^ Math.imul(lo, 0x9e3779b1)), fmix32(lo ^ hi)];
}

/** Register index (top 12 bits) and rank (1 + leading zeros of the remaining 52 bits) of a value. */
export function hllPoint(value: string): [number, number] {
  const [hi, lo] = hash64(value);
  const index = hi >>> (32 - HLL_P);
  const rest = (hi << HLL_P) >>> 0; // 20 bits left in hi, then 32 in lo
  const rank = rest !== 0 ? Math.clz32(rest) + 1 : lo !== 0 ? 20 + Math.clz32(lo) + 1 : 53;
  return [index, rank];
}

/** Registers plus the running sum of 2^-register and the zero count, so the estimate is O(1) after each add. */
export class Hll {
  readonly registers: Uint8Array;
  private sum: number;
  private zeros: number;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(HLL_M);
    this.sum = 0; this.zeros = 0;
    for (const r of this.registers) { this.sum += 2 ** -r; if (r === 0) this.zeros++; }
  }

  /** Raises register `index` to `rank`; true when it changed. */
  set(index: number, rank: number): boolean {
    const old = this.registers[index] ?? 0;
    if (rank <= old) return false;
    this.registers[index] = rank;
    this.sum += 2 ** -rank - 2 ** -old;
    if (old === 0) this.zeros--;
    return true;
  }

  add(value: string): boolean {
    const [i, r] = hllPoint(value);
    return this.set(i, r);
  }

  /** Register-wise max: the sketch of the union. */
  merge(other: Hll): void {
    other.registers.forEach((r, i) => { this.set(i, r); });
  }

  estimate(): number {
    const raw = (ALPHA * HLL_M * HLL_M) / this.sum;
    // Linear counting below 2.5 m, where raw HLL is biased; no large-range correction is needed with 64-bit hashes.
    if (raw <= 2.5 * HLL_M && this.zeros > 0) return HLL_M * Math.log(HLL_M / this.zeros);
    return raw;
  }
}
