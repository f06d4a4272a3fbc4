/**
 * The heatmap's matrices as the page embeds them: gains rounded to 1e-4 (0.01 percentage points; the page shows one
 * decimal of a percent), p-values to three significant digits, and each row's verdicts as one character per cell.
 * At 174 tasks this takes the page from 3.0 MB to about 1 MB; affinity.json keeps the full values. Above
 * PAGE_BOUNDS_UP_TO tasks (views/heatmap.ts) each interval is one character too: whether it excludes zero.
 */

const CODES: Record<string, string> = { helps: 'h', hurts: 'x', 'no evidence': 'n' };
const VERDICTS: Record<string, string> = { h: 'helps', x: 'hurts', n: 'no evidence' };

/** A row of verdicts as a string: h helps, x hurts, n no evidence, '-' none. */
export const encodeVerdicts = (rows: readonly (readonly (string | null)[])[]): string[] =>
  rows.map((row) => row.map((v) => (v === null ? '-' : (CODES[v] ?? 'n'))).join(''));

/** The verdict of cell (i, j) of encoded rows; null where there is none. */
export const verdictAt = (rows: readonly string[] | undefined, i: number, j: number): string | null =>
  VERDICTS[rows?.[i]?.[j] ?? '-'] ?? null;

const SOURCE_CODES: Record<string, string> = { measured: 'm', approximated: 'a', predicted: 'p' };
const SOURCES: Record<string, string> = { m: 'measured', a: 'approximated', p: 'predicted' };

/**
 * A row of cell sources (an allocation that trained only some pairs) as a string: m measured, a approximated,
 * p predicted, '-' none.
 */
export const encodeSources = (rows: readonly (readonly (string | null)[])[]): string[] =>
  rows.map((row) => row.map((v) => (v === null ? '-' : (SOURCE_CODES[v] ?? '-'))).join(''));

/** The source of cell (i, j) of encoded rows; null where there is none. */
export const sourceAt = (rows: readonly string[] | undefined, i: number, j: number): string | null =>
  SOURCES[rows?.[i]?.[j] ?? '-'] ?? null;

/** A value rounded to `decimals` (null, NaN and ±Infinity: null). */
export const roundValue = (v: number | null, decimals: number): number | null =>
  v === null || !Number.isFinite(v) ? null : Number(v.toFixed(decimals));

/** A matrix rounded to `decimals` (null stays null). */
export const roundMatrix = (m: readonly (readonly (number | null)[])[], decimals: number): (number | null)[][] =>
  m.map((row) => row.map((v) => roundValue(v, decimals)));

/** p-values to three significant digits. */
export const roundPValues = (m: readonly (readonly (number | null)[])[]): (number | null)[][] =>
  m.map((row) => row.map((v) => (v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(3)))));

/**
 * Each row's intervals as one character per cell, without their bounds: '+' above zero, '-' below zero, '0' includes
 * zero, '?' unknown (a bound missing).
 */
export const encodeIntervals = (
  low: readonly (readonly (number | null)[])[],
  high: readonly (readonly (number | null)[])[],
): string[] =>
  low.map((row, i) =>
    row
      .map((l, j) => {
        const h = high[i]?.[j];
        if (l === null || h === null || h === undefined || !Number.isFinite(l) || !Number.isFinite(h)) return '?';
        return l > 0 ? '+' : h < 0 ? '-' : '0';
      })
      .join(''),
  );

/** Whether the interval of cell (i, j) of encoded rows excludes zero; null where it is unknown. */
export function excludesZeroAt(rows: readonly string[], i: number, j: number): boolean | null {
  const code = rows[i]?.[j];
  return code === '+' || code === '-' ? true : code === '0' ? false : null;
}
