/** The affinity heatmap section (Node side: its data from affinity.json and intro; drawn by draw/heatmap.ts). */
import { averageLinkage, type LinkageMerge } from '../../math/linkage.js';
import { listView } from '../../artefacts/files.js';
import {
  encodeIntervals,
  encodeSources,
  encodeVerdicts,
  roundMatrix,
  roundPValues,
  roundValue,
} from '../draw/compact.js';
import { symmetricCells } from '../../math/matrix.js';
import type { AffinityFile, JsonMatrix } from '../html/input.js';
import type { AffinitySection } from './section.js';
import { DEFAULT_LEVEL } from '../../options/inferenceDefaults.js';

/** What the heatmap draws: the matrices in the original task order plus the clustered display order. */
export interface HeatmapData {
  tasks: string[];
  /** Display order (task indices), from average linkage on the group score. */
  order: number[];
  merges: Omit<LinkageMerge, 'members'>[];
  mean: JsonMatrix;
  /** The intervals' bounds; on the page of more than PAGE_BOUNDS_UP_TO tasks `intervals` instead. */
  low?: JsonMatrix;
  high?: JsonMatrix;
  /** Each row's intervals, one character per cell: whether it excludes zero (draw/compact.ts: excludesZeroAt decodes). */
  intervals?: string[];
  /** Confidence level of low/high, e.g. 0.95. */
  level: number;
  pValue?: JsonMatrix;
  /** Each row's verdicts, one character per cell (draw/compact.ts: verdictAt decodes). */
  verdicts?: string[];
  fdr?: number;
  /** Each row's cell sources when an allocation trained only some pairs, one character per cell (draw/compact.ts: sourceAt decodes). */
  sources?: string[];
  /** Per cell, the seeds that trained its pair in full. */
  seeds?: JsonMatrix;
}

/**
 * Above this many tasks the page embeds each cell's gain, verdict and whether its interval excludes zero, not the
 * interval's bounds and p-value (affinity.csv has them): a reader zooms into one block of cells at a time, and on a
 * 1000-task matrix the bounds and p-values were 21 of the page's 29 MB.
 */
export const PAGE_BOUNDS_UP_TO = 200;

/**
 * The similarity the heatmap's order clusters: a null cell takes its mirror cell's value, so symmetrising averages the
 * known directions; unknown both ways counts as no effect (0). Read a cell at a time: the filled and the symmetrised
 * matrices were two T x T copies (16 MB at 1000 tasks) at the page's peak.
 */
const filledSymmetric = (m: JsonMatrix) => symmetricCells(m.length, (i, j) => m[i][j] ?? m[j]?.[i] ?? 0);

/** Decimals of the gains and bounds the heatmap holds (1e-4: 0.01 percentage points; the page shows one decimal of a percent). */
const BOUND_DECIMALS = 4;

/** Each row's interval codes (draw/compact.ts) of the bounds rounded as the page rounds them, a row at a time. */
const intervalCodes = (low: JsonMatrix, high: JsonMatrix): string[] =>
  low.map(
    (row, i) =>
      encodeIntervals(roundMatrix([row], BOUND_DECIMALS), roundMatrix(high[i] ? [high[i]] : [], BOUND_DECIMALS))[0],
  );

/**
 * The heatmap's data from affinity.json. For the page (`page`) above PAGE_BOUNDS_UP_TO tasks, `intervals` instead of
 * the bounds and p-values, encoded from the bounds as the page would have rounded them: the rounded matrices are never
 * made (at 1000 tasks they were 24 MB held while the page was written, for data the page does not embed).
 */
function heatmapData(a: AffinityFile, page: boolean): HeatmapData {
  const { order, merges } = averageLinkage(filledSymmetric(a.groupScore ?? a.mean));
  const bounds = !page || a.taskNames.length <= PAGE_BOUNDS_UP_TO;
  return {
    tasks: a.taskNames,
    order,
    merges: merges.map(({ left, right, similarity }) => ({ left, right, similarity })),
    // on the page, each row rounded as the page's JSON is written: the rounded gains were a T x T copy held meanwhile
    mean: page
      ? a.mean.map((row) => listView(row, (v) => roundValue(v, BOUND_DECIMALS)))
      : roundMatrix(a.mean, BOUND_DECIMALS),
    ...(bounds ? { low: roundMatrix(a.low, BOUND_DECIMALS), high: roundMatrix(a.high, BOUND_DECIMALS) } : {}),
    level: a.level ?? DEFAULT_LEVEL,
    ...(bounds && a.inference?.pValue ? { pValue: roundPValues(a.inference.pValue) } : {}),
    ...(a.inference?.verdict ? { verdicts: encodeVerdicts(a.inference.verdict) } : {}),
    ...(a.inference?.fdr !== undefined ? { fdr: a.inference.fdr } : {}),
    ...(a.cells ? { sources: encodeSources(a.cells.source), ...(a.cells.seeds ? { seeds: a.cells.seeds } : {}) } : {}),
    ...(bounds ? {} : { intervals: intervalCodes(a.low, a.high) }),
  };
}

export const heatmapSection: AffinitySection<'heatmap', HeatmapData> = {
  key: 'heatmap',
  nav: 'Affinity',
  title: 'Task affinity',
  data: (a) => heatmapData(a, false),
  pageData: (a) => heatmapData(a, true),
  intro(_, a) {
    const level = `${Math.round((a.level ?? DEFAULT_LEVEL) * 100)}%`;
    const n = a.replications?.length ?? a.reliability?.replications;
    const counts = a.inference?.counts;
    const verdicts = counts
      ? ` Paired tests per cell${a.inference?.fdr !== undefined ? ` at a false-discovery rate of ${Math.round(a.inference.fdr * 100)}%` : ''}: <strong>${counts.helps ?? 0} helps</strong>, <strong>${counts.hurts ?? 0} hurts</strong>, ${counts['no evidence'] ?? 0} without evidence; significant cells are outlined.`
      : '';
    const sources = a.cells?.source.flat();
    const count = (kind: string): number => sources?.filter((x) => x === kind).length ?? 0;
    const allocation = sources
      ? ` The ${a.allocation?.strategy ?? ''} allocation trained only some pairs on a seed: <strong>${count('measured')} cells measured</strong> (each over the seeds that trained its pair), ${count('approximated')} approximated from short runs (a corner triangle) and ${count('predicted')} predicted by the gain predictor, never trained (a corner circle); neither has an interval or a test of its own. See docs/ALLOCATION.md and docs/PREDICTOR.md.`
      : '';
    const bounds =
      a.taskNames.length > PAGE_BOUNDS_UP_TO
        ? ` With ${a.taskNames.length} tasks this page holds each cell's gain, verdict and whether its interval excludes zero; the intervals' bounds and the p-values are in <code>affinity.csv</code> and <code>affinity.json</code>.`
        : '';
    return `Each cell is the Standley gain 1 &minus; L<sub>i</sub>({i,j}) / L<sub>i</sub>({i}): how much training the <strong>column</strong> task alongside the <strong>row</strong> task lowers the row task's held-out loss (blue helps, orange hurts)${n ? `, averaged over ${n} replications` : ''}. Hatched cells have a ${level} interval that includes zero: they are not distinguishable from no effect. Hover or focus a cell for its interval. Tasks are ordered by average-linkage clustering of the symmetric group score (dendrogram on the right).${verdicts}${allocation}${bounds}`;
  },
};
