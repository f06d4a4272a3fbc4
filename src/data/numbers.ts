/** The largest finite float32: training runs in float32, so a larger magnitude becomes Infinity there. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A plain decimal number (sign, digits, point, exponent): no hex, binary, octal or `Infinity`, which Number() also takes. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a decimal text spells, or undefined for anything else (hex such as 0x1F, words, empty text). */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
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
