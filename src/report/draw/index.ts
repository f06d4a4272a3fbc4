/**
 * The page's drawing of each section, by section key: the one table the page script (draw/page.ts) dispatches on.
 * Its type demands a draw function for every section of views/registry.ts that has data.
 */
import { drawAuxiliary } from './auxiliary.js';
import { drawAuxiliaryCandidates } from './auxiliaryCandidates.js';
import { drawBaselines } from './baselines.js';
import { drawGrouping } from './budget.js';
import { SUMMARY_ABOVE } from './clusters.js';
import { drawHeatmap } from './heatmap.js';
import { drawLargeHeatmap } from './heatmapLarge.js';
import { drawProxies } from './proxies.js';
import { drawSweepChecks } from './sweepChecks.js';
import { drawTaxonomy } from './taxonomy.js';
import type { ReportData } from '../views/registry.js';

export type SectionDrawers = {
  [K in keyof ReportData]-?: (container: HTMLElement, data: NonNullable<ReportData[K]>) => void;
};

export const DRAW: SectionDrawers = {
  heatmap: (container, data) =>
    data.tasks.length > SUMMARY_ABOVE ? drawLargeHeatmap(container, data) : drawHeatmap(container, data),
  sweepChecks: drawSweepChecks,
  grouping: drawGrouping,
  auxiliary: drawAuxiliary,
  auxiliaryCandidates: drawAuxiliaryCandidates,
  taxonomy: drawTaxonomy,
  proxies: drawProxies,
  baselines: drawBaselines,
};
