/**
 * Text widths without a browser: the advance widths of DejaVu Sans (the figures' first font; wider than Liberation Sans,
 * Arial and Helvetica, so a layout that fits with it fits with them), in thousandths of an em, measured in Chromium by
 * scripts/report/font-widths.mjs. The paper's figures are laid out with these, so their SVG is the same with or without
 * Chromium.
 */
const CHARS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~−…→←ρ·×–—†‡±⁰¹²³⁴⁵⁶⁷⁸⁹⁻≤≥éèüöä ';
const REGULAR = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
  748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
  615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
  337, 636, 838, 838, 1000, 838, 838, 635, 318, 838, 500, 1000, 500, 500, 838, 401, 401, 401, 401, 401, 401, 401, 401,
  401, 401, 528, 838, 838, 615, 615, 634, 612, 613, 200,
];
const BOLD = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995,
  837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716,
  678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712,
  365, 712, 838, 838, 1000, 838, 838, 716, 380, 838, 500, 1000, 500, 500, 838, 438, 438, 438, 438, 438, 438, 438, 438,
  438, 438, 528, 838, 838, 678, 678, 712, 687, 675, 200,
];
/** Ascent and descent of the font box, in thousandths of an em. */
export const ASCENT = 928;
export const DESCENT = 236;

const WIDTH = new Map<string, [number, number]>([...CHARS].map((c, k) => [c, [REGULAR[k], BOLD[k]]]));
/** A character missing from the table counts as wide as 'M' (wider than most, so layouts stay clear). */
const FALLBACK = WIDTH.get('M')!;

/** The font stack of the figures: the measured font first. */
export const FIGURE_FONT = '"DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif';

/** The width in pixels of `text` at `size` pixels. */
export function textWidth(text: string, size: number, bold = false): number {
  let total = 0;
  for (const c of text) total += (WIDTH.get(c) ?? FALLBACK)[bold ? 1 : 0];
  return (total * size) / 1000;
}

/** The height in pixels of a line of text at `size` pixels (ascent plus descent). */
export const lineHeight = (size: number): number => ((ASCENT + DESCENT) * size) / 1000;

/** `text` cut with an ellipsis to at most `width` pixels at `size` (the full text stays in tables). */
export function fitText(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && textWidth(`${chars.join('')}\u2026`, size, bold) > width) chars.pop();
  return `${chars.join('')}\u2026`;
}
