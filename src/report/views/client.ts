import { axisTitle, createSvg, dataTable, describe, formatFixed, formatInterval, formatNumber, formatPercent, formatSigned, formatSpan, isFiniteNumber, legendItem, measureTexts, scaledTicks, sizeSvg, tooltip, truncate, viewHeading, viewNote } from './common.js';
import { drawAuxiliary, drawHeuristics } from './auxiliary.js';
import { drawBaselines } from './baselines.js';
import { drawBudget, drawGrouping } from './budget.js';
import { drawGroupingChecks } from './groupingChecks.js';
import { drawHeatmap } from './heatmap.js';
import { drawProxies, drawProxyGrouping } from './proxies.js';
import { drawTaxonomy, layoutTaxonomy } from './taxonomy.js';
import type { ViewKey } from './types.js';

/** Every function the page needs, inlined by source text (so each must be self-contained; see common.ts). */
const CLIENT_FUNCTIONS: ((...args: never[]) => unknown)[] = [
  formatPercent,
  formatInterval,
  formatNumber,
  formatFixed,
  formatSigned,
  formatSpan,
  isFiniteNumber,
  scaledTicks,
  truncate,
  measureTexts,
  createSvg,
  sizeSvg,
  tooltip,
  describe,
  legendItem,
  axisTitle,
  viewHeading,
  viewNote,
  dataTable,
  drawHeatmap,
  drawGrouping,
  drawBudget,
  drawGroupingChecks,
  drawAuxiliary,
  drawHeuristics,
  layoutTaxonomy,
  drawTaxonomy,
  drawProxies,
  drawProxyGrouping,
  drawBaselines,
];

/** View key → the function drawing it into `#view-<key>`. */
const DRAWERS: Record<ViewKey, string> = {
  heatmap: drawHeatmap.name,
  grouping: drawGrouping.name,
  auxiliary: drawAuxiliary.name,
  taxonomy: drawTaxonomy.name,
  proxies: drawProxies.name,
  baselines: drawBaselines.name,
};

/**
 * The page's script: reads the embedded JSON (`#report-data`) and draws each present view with d3. A view that fails
 * logs the error and says so in its place; the others are still drawn.
 */
export function clientScript(dataElementId: string): string {
  const functions = CLIENT_FUNCTIONS.map((f) => f.toString()).join('\n');
  const table = Object.entries(DRAWERS)
    .map(([key, fn]) => `[${JSON.stringify(key)}, ${fn}]`)
    .join(', ');
  return `(function () {
'use strict';
${functions}
const data = JSON.parse(document.getElementById(${JSON.stringify(dataElementId)}).textContent);
for (const [key, draw] of [${table}]) {
  const place = document.getElementById('view-' + key);
  if (!data[key] || !place) continue;
  try {
    draw(place, data[key]);
    place.setAttribute('data-drawn', 'true');
  } catch (error) {
    console.error('report view ' + key + ' failed:', error);
    const note = document.createElement('p');
    note.className = 'view-error';
    note.textContent = 'This view could not be drawn: ' + (error && error.message ? error.message : String(error));
    place.appendChild(note);
  }
}
})();
`;
}
