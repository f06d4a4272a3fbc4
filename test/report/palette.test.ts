/** The figures' colours survive greyscale where colour alone carries a category, and keep orange/blue for the sign. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as d3 from 'd3';
import { interpolateGain, SERIES_COLOR, VERDICT_COLOR } from '../../src/report/draw/palette.js';

const lightness = (c: string): number => d3.lab(c).l;

test('verdict colours differ by at least 15 in CIE lightness (they stay apart in greyscale)', () => {
  const shades = ['helps', 'no evidence', 'hurts'].map((v) => lightness(VERDICT_COLOR[v])).sort((a, b) => a - b);
  for (let k = 1; k < shades.length; k++) assert.ok(shades[k] - shades[k - 1] >= 15, `${shades.join(', ')}`);
  assert.ok(Math.abs(lightness(SERIES_COLOR.predicted) - lightness(SERIES_COLOR.measured)) >= 15);
});

test('the gain ramp runs from orange (hurts) through white to blue (helps)', () => {
  const [hurts, zero, helps] = [0, 0.5, 1].map((t) => d3.hsl(interpolateGain(t)));
  assert.ok(hurts.h > 20 && hurts.h < 45, `hurts hue ${hurts.h}`);
  assert.ok(helps.h > 195 && helps.h < 225, `helps hue ${helps.h}`);
  assert.ok(lightness(d3.rgb(zero).formatHex()) > 93, 'zero is near white');
});
