// Measures DejaVu Sans in Chromium (canvas measureText at 1000 px) and prints the tables of src/report/draw/metrics.ts:
// advance widths of ASCII and the symbols the figures use, regular and bold, and the font box's ascent and descent.
// Run after changing the characters: node scripts/report/font-widths.mjs
import { chromium } from 'playwright-core';

const symbols =
  '\u2212\u2026\u2192\u2190\u03c1\u00b7\u00d7\u2013\u2014\u2020\u2021\u00b1\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b\u2264\u2265\u00e9\u00e8\u00fc\u00f6\u00e4\u2009';
const chars = [...Array.from({ length: 95 }, (_, k) => String.fromCharCode(32 + k)), ...symbols];
const browser = await chromium.launch({
  executablePath: process.env.TRA_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox'],
});
const page = await browser.newPage();
const measured = await page.evaluate((chars) => {
  const context = document.createElement('canvas').getContext('2d');
  const widths = (weight) => {
    context.font = `${weight} 1000px "DejaVu Sans"`;
    return chars.map((c) => Math.round(context.measureText(c).width));
  };
  context.font = '1000px "DejaVu Sans"';
  const box = context.measureText('Hg');
  return {
    regular: widths(400),
    bold: widths(700),
    ascent: Math.round(box.fontBoundingBoxAscent),
    descent: Math.round(box.fontBoundingBoxDescent),
  };
}, chars);
await browser.close();
console.log(`const CHARS = ${JSON.stringify(chars.join(''))};`);
console.log(`const REGULAR = [${measured.regular.join(', ')}];`);
console.log(`const BOLD = [${measured.bold.join(', ')}];`);
console.log(`export const ASCENT = ${measured.ascent};\nexport const DESCENT = ${measured.descent};`);
