/** The largest finite float32: training runs in float32, so a larger magnitude becomes Infinity there. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A plain decimal number (sign, digits, point, exponent): no hex, binary, octal or `Infinity`, which Number() also takes. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a decimal text spells, or undefined for anything else (hex such as 0x1F, words, empty text). */
export function parseDecimal(text: string): number | undefined {
  const fast = shortDecimal(text);
  if (fast !== undefined) return fast;
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

/** 10^k for k = 0..22: every one is exact in a double. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The value of a plain decimal of at most 15 digits without exponent or spaces (`-0.170975`, `12`, `.5`), the same double
 * Number() gives, or undefined for any other text. Its digits as an integer (below 10^15, so exact) divided by an exact
 * power of ten is one correctly rounded division, which is the correctly rounded value of the decimal, as Number()'s
 * (Clinger's fast path). Four times faster than the regular expression and Number(): a CSV's cells are mostly such
 * numbers (yeast: 283,000 of them, 37 -> 9 ms).
 */
function shortDecimal(text: string): number | undefined {
  const length = text.length;
  let i = 0;
  let sign = 1;
  const first = text.charCodeAt(0);
  if (first === 45 /* - */ || first === 43 /* + */) {
    sign = first === 45 ? -1 : 1;
    i = 1;
  }
  let digits = 0;
  let fraction = -1; // digits after the point, once there is one
  let value = 0;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      value = value * 10 + (code - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (code === 46 /* . */ && fraction < 0) fraction = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  return (sign * value) / EXACT_POWERS_OF_TEN[Math.max(fraction, 0)];
}

/** A finite value that stays finite (and not a silent 0 for a tiny non-zero) once stored as float32. */
export const fitsFloat32 = (value: number): boolean => Number.isFinite(value) && Math.abs(value) <= FLOAT32_MAX;

/**
 * The range of a loss tra reads (imported files, Standley tables, journals): a normal float64 from LOSS_MIN to
 * LOSS_MAX, so that every gain 1 - L_pair / L_single and every difference of losses stays finite. A subnormal such as
 * 5e-324 would make gains -Infinity; 0 passes only where the reader allows it (a journal of tra's own training).
 */
export const LOSS_MIN = 1e-100;
export const LOSS_MAX = 1e100;

/** Why `value` is not a loss tra can compute with, or undefined when it is one. */
export function lossProblem(value: number, allowZero = false): string | undefined {
  if (!Number.isFinite(value)) return `expected a finite number, got ${value}`;
  if (value < 0)
    return allowZero ? `a loss cannot be negative, got ${value}` : `expected a positive loss, got ${value}`;
  if (value === 0) return allowZero ? undefined : `expected a positive loss, got 0`;
  if (value < LOSS_MIN || value > LOSS_MAX)
    return `a loss must lie between ${LOSS_MIN} and ${LOSS_MAX} (so that ratios of losses stay finite), got ${value}`;
  return undefined;
}

/** The largest seed, fold or epoch a journal holds (a safe integer: larger ones would not read back as written). */
export const MAX_INDEX = Number.MAX_SAFE_INTEGER;

/** A JSON number, or a number written as plain decimal text (no hex, binary or words); NaN for anything else. */
export const decimalOf = (value: unknown): number =>
  typeof value === 'number' ? value : typeof value === 'string' ? (parseDecimal(value) ?? NaN) : NaN;
