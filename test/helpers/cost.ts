// Cost checks that hold on any machine, loaded or not: work is timed against a reference measured on the same
// machine at the same moment (a linear scan of the same input), so the machine's speed cancels out of the ratio.
// Absolute budgets (milliseconds, lines per second) are benchmarks, not tests: `npm run bench:budgets`.
//
// What the ratio catches is the failure these tests exist for: backtracking or rescanning that grows with the
// square (or worse) of the input. On a 20,000-character input that is thousands of scans' worth of work, and
// even a pattern bounded at 2,000 characters that backtracks over its own bound costs hundreds.

/** Milliseconds per call: the best of `samples`, each repeating fn for at least a millisecond so the timer's grain does not count. */
export function perCall(fn: () => void, samples = 5): number {
  let best = Infinity;
  for (let s = 0; s < samples; s++) {
    let calls = 0;
    let elapsed: number;
    const t = performance.now();
    do { fn(); calls++; elapsed = performance.now() - t; } while (elapsed < 1);
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

// One state, no backtracking: V8 runs it as a loop over the characters. NUL is the one character no input
// here holds, so the scan always reaches the end.
// eslint-disable-next-line no-control-regex
const SCAN = /^[^\u0000]*$/u;

/** The reference: one pass over each input, the least any parser has to do with it. */
export function scanOf(inputs: readonly string[]): () => void {
  return () => { for (const s of inputs) SCAN.test(s); };
}

export interface CostCase {
  readonly name: string;
  readonly run: () => void;
  /** Work proportional to the input `run` is given; scanOf(inputs) unless the input is not text. */
  readonly reference: () => void;
}

/**
 * The cases whose work costs more than `limit` times their reference, with the ratios measured. Each case is
 * screened with one sample; one over the limit is measured again best-of-5, and only counts if three such
 * measurements in a row say so (a burst of load on a shared machine can land on any one of them).
 */
export function costlierThanReference(cases: readonly CostCase[], limit: number): string[] {
  const ratio = (c: CostCase, samples: number): number => perCall(c.run, samples) / perCall(c.reference, samples);
  const over: string[] = [];
  for (const c of cases) {
    if (ratio(c, 1) <= limit) continue;
    const seen: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const r = ratio(c, 5);
      if (r <= limit) break;
      seen.push(r);
    }
    if (seen.length === 3) over.push(`${c.name}: ${seen.map((r) => `×${r.toFixed(0)}`).join(', ')} the cost of one scan of its input (limit ×${limit})`);
  }
  return over;
}

/**
 * For regular expressions and parsers of one line. Healthy ones measured at most ×25 (a decoder on 20,000 escaped
 * quotes, a catalog pattern on an almost-matching line), most below ×1; quadratic work measured ×250 to ×1,400.
 */
export const COST_LIMIT = 100;
