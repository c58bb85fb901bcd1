/**
 * How many differing line numbers a text difference lists per side.
 *
 * @example
 * diffText(a, b)!.legacy.firstDifferingLines.length <= MAX_LISTED_LINES; // true
 */
export const MAX_LISTED_LINES = 5;

/** Above this many cells (lines × lines of the differing middle) no LCS is run. */
const MAX_LCS_CELLS = 1_000_000;

/**
 * One side of a text difference.
 *
 * @example
 * const side: TextDiffSide = { lines: 6, differing: 2, firstDifferingLines: [3, 6] };
 */
export interface TextDiffSide {
  /** Number of lines on this side. */
  lines: number;
  /** Lines on this side that are not in the other (removed for legacy, added for candidate). */
  differing: number;
  /** First few of those lines, 1-based. */
  firstDifferingLines: number[];
}

/**
 * Summary of a line diff, or null when the texts are equal.
 *
 * @example
 * const d: TextDiff | null = diffText('a\nb', 'a\nc'); // d.approximate === false
 */
export interface TextDiff {
  legacy: TextDiffSide;
  candidate: TextDiffSide;
  /** True when the texts were too long for an exact diff and the whole differing middle counts. */
  approximate: boolean;
}

/**
 * Line diff of two texts: common leading and trailing lines are trimmed, then a longest
 * common subsequence finds the lines only one side has. Lines split on `\n`, so a CRLF
 * vs LF change shows on every line.
 *
 * @example
 * diffText('a\nb\nc', 'a\nB\nc');
 * // { legacy: { lines: 3, differing: 1, firstDifferingLines: [2] },
 * //   candidate: { lines: 3, differing: 1, firstDifferingLines: [2] }, approximate: false }
 */
export function diffText(legacy: string, candidate: string): TextDiff | null {
  if (legacy === candidate) return null;
  const a = legacy.split('\n');
  const b = candidate.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const n = endA - start;
  const m = endB - start;
  const approximate = n * m > MAX_LCS_CELLS;
  const [onlyA, onlyB] = approximate
    ? [range(start, endA), range(start, endB)]
    : lcsOnly(a.slice(start, endA), b.slice(start, endB), start);
  return {
    legacy: side(a.length, onlyA),
    candidate: side(b.length, onlyB),
    approximate,
  };
}

function side(lines: number, only: number[]): TextDiffSide {
  return { lines, differing: only.length, firstDifferingLines: only.slice(0, MAX_LISTED_LINES).map((i) => i + 1) };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

/** Indices (offset by `base`) of lines not in the longest common subsequence, per side. */
function lcsOnly(a: string[], b: string[], base: number): [number[], number[]] {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const t = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      t[i * w + j] = a[i] === b[j] ? t[(i + 1) * w + j + 1] + 1 : Math.max(t[(i + 1) * w + j], t[i * w + j + 1]);
    }
  }
  const onlyA: number[] = [];
  const onlyB: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      i++;
      j++;
    } else if (t[(i + 1) * w + j] >= t[i * w + j + 1]) onlyA.push(base + i++);
    else onlyB.push(base + j++);
  }
  while (i < n) onlyA.push(base + i++);
  while (j < m) onlyB.push(base + j++);
  return [onlyA, onlyB];
}
