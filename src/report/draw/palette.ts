/**
 * The colours of every figure, page and paper: orange for hurts and blue for helps (the pair colour-blind readers
 * tell apart best; ColorBrewer's PuOr and RdBu ends), and lightnesses far enough apart to survive greyscale where
 * colour alone carries a category (test/report/palette.test.ts). The heatmap's sign is also marked in print (+/−),
 * since both ends of a diverging scale are dark.
 */
import * as d3 from 'd3';

/** The gain scale from hurts (orange, −1) through white (0) to helps (blue, +1). */
export const GAIN_RAMP = ['#b35806', '#f1a340', '#fee0b6', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'];

export const interpolateGain = d3.interpolateRgbBasis(GAIN_RAMP);

/** A verdict's colour: blue helps, orange hurts, light grey without evidence (lightness 42, 64, 81). */
export const VERDICT_COLOR: Record<string, string> = {
  helps: '#2166ac',
  hurts: '#e08214',
  'no evidence': '#c8c8c8',
  'no significant help': '#c8c8c8',
};

/** Marks of the budget curve: predicted (blue circles, solid line) and measured on fresh seeds (orange diamonds). */
export const SERIES_COLOR = { predicted: '#2166ac', measured: '#e08214' };

/** Neutral inks. */
export const INK = { text: '#1f2328', muted: '#57606a', rule: '#8c959f', faint: '#d8dee4', diagonal: '#eceff1' };
