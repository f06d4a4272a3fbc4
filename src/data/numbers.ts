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
