/**
 * How numbers read, in the page, in the paper's figures and in its tables: one set of formatters (d3-format; the
 * unicode minus), used in the browser and in Node alike.
 */
import * as d3 from 'd3';

/** A confidence level as a percentage: 0.95 → "95%". */
export const levelText = (level: number): string => `${Math.round(level * 100)}%`;

/** A gain (fraction) as a signed percentage: 0.0234 → "+2.3%"; null → "n/a". */
export function formatPercent(x: number | null | undefined, digits = 1, unit = '%'): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  const text = Math.abs(x * 100).toFixed(digits);
  const zero = Number(text) === 0;
  return `${zero ? '' : x > 0 ? '+' : '\u2212'}${text}${unit}`;
}

/** An interval of gains in percent points without the unit: "[−0.5, +5.1]". */
export function formatInterval(low: number | null | undefined, high: number | null | undefined, digits = 1): string {
  return `[${formatPercent(low, digits, '')}, ${formatPercent(high, digits, '')}]`;
}

/** A loss or score with four significant digits (unicode minus); null → "n/a". */
export function formatNumber(x: number | null | undefined, precision = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return d3.format(`.${precision}~r`)(x);
}

/**
 * Tick labels for a linear axis whose values may be tiny or huge: beyond 10^±3 the ticks are shown in units of a
 * power of ten and `unit` (e.g. " (×10⁻⁵)") goes into the axis title.
 */
export function scaledTicks(domain: number[]): { format: (v: number) => string; unit: string } {
  const largest = Math.max(...domain.map((v) => Math.abs(v)).filter((v) => Number.isFinite(v)), 0);
  const exponent = largest > 0 ? Math.floor(Math.log10(largest)) : 0;
  if (exponent >= -2 && exponent <= 3) return { format: (v) => d3.format('~r')(Number(v.toPrecision(6))), unit: '' };
  const superscript = String(exponent)
    .split('')
    .map((c) => '\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079'['-0123456789'.indexOf(c)])
    .join('');
  const factor = 10 ** exponent;
  return { format: (v) => d3.format('~r')(Number((v / factor).toPrecision(6))), unit: ` (\u00d710${superscript})` };
}

/** A label that fits: longer names are cut with an ellipsis (the full name stays in tooltips and tables). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}\u2026` : text;
}

/** A JSON number that is a real value (NaN and infinities are written as null). */
export function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A number with a fixed count of decimals (unicode minus), e.g. a correlation: 0.2 → "0.20"; null → "n/a". */
export function formatFixed(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return d3.format(`.${digits}f`)(x);
}

/** A loss with its interval at four decimals, as the terminal prints it: "2.5768 [2.5299, 2.6238]"; signed for a
 * difference ("+0.0097 [−0.2814, +0.3009]"). */
export function formatLoss(
  i: { mean: number | null; low?: number | null; high?: number | null },
  signed = false,
): string {
  const f = (x: number | null | undefined): string =>
    `${signed && isFiniteNumber(x) && x > 0 ? '+' : ''}${formatFixed(x, 4)}`;
  return isFiniteNumber(i.low) && isFiniteNumber(i.high) ? `${f(i.mean)} [${f(i.low)}, ${f(i.high)}]` : f(i.mean);
}

/** A difference with its sign: 0.0123 → "+0.0123", −0.04 → "−0.04"; null → "n/a". */
export function formatSigned(x: number | null | undefined, precision = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return `${x > 0 ? '+' : ''}${formatNumber(x, precision)}`;
}

/** A mean and its interval: "2.544 [2.471, 2.617]", signed for differences; unknown bounds are left out. */
export function formatSpan(
  i: { mean: number | null; low: number | null; high: number | null } | null | undefined,
  signed = false,
  precision = 4,
): string {
  if (!i) return 'n/a';
  const f = (x: number | null): string => (signed ? formatSigned(x, precision) : formatNumber(x, precision));
  const bounded = isFiniteNumber(i.low) && isFiniteNumber(i.high);
  return bounded ? `${f(i.mean)} [${f(i.low)}, ${f(i.high)}]` : f(i.mean);
}
