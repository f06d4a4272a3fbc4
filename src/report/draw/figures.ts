/**
 * The paper's figures, by name: which section's data each draws and its drawing at a print size. One registry, like
 * the page's sections (views/registry.ts); `tra paper` renders each figure whose section has data, at column and page
 * width.
 */
import { drawAuxiliaryFigure } from './auxiliaryFigure.js';
import { drawBudgetFigure } from './budgetFigure.js';
import type { FigureSize } from './figure.js';
import { drawGroupingFigure } from './groupingFigure.js';
import { drawHeatmapFigure } from './heatmapFigure.js';
import { comparedProxies, drawProxiesFigure } from './proxiesFigure.js';
import { drawTaxonomyFigure } from './taxonomyFigure.js';
import type { ReportData } from '../views/registry.js';

export interface FigureDefinition<K extends keyof ReportData = keyof ReportData, D = NonNullable<ReportData[K]>> {
  /** The kind of figure, and its file name stem: figures/<name>-column.svg. */
  name: string;
  section: K;
  /** Whether the section's data has what the figure draws (default: any data). */
  shows?: (data: NonNullable<ReportData[K]>) => boolean;
  /** A section holding several (one ranking per main task): one figure each, its file stem <name>-<key>. */
  each?: (data: NonNullable<ReportData[K]>) => { key: string; data: D }[];
  draw: (container: Element, data: D, size: FigureSize) => void;
}

const figure = <K extends keyof ReportData, D = NonNullable<ReportData[K]>>(
  definition: FigureDefinition<K, D>,
): FigureDefinition => definition as unknown as FigureDefinition;

export const FIGURES: readonly FigureDefinition[] = [
  figure({ name: 'affinity', section: 'heatmap', draw: drawHeatmapFigure }),
  figure({ name: 'budget', section: 'grouping', draw: drawBudgetFigure }),
  figure({ name: 'grouping', section: 'grouping', draw: drawGroupingFigure }),
  figure({ name: 'taxonomy', section: 'taxonomy', shows: (t) => t.edges.length > 0, draw: drawTaxonomyFigure }),
  figure({
    name: 'proxies',
    section: 'proxies',
    shows: (p) => comparedProxies(p).length > 0,
    draw: drawProxiesFigure,
  }),
  figure({ name: 'auxiliary', section: 'auxiliary', draw: drawAuxiliaryFigure }),
  figure({
    name: 'auxiliary',
    section: 'auxiliaryCandidates',
    each: (c) => c.rankings.map((ranking) => ({ key: ranking.main, data: ranking })),
    draw: drawAuxiliaryFigure,
  }),
];
