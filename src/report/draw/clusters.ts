/**
 * Many tasks summarised by clusters: the heatmap's dendrogram cut into k clusters, the gain averaged over each block
 * of cells, and the strongest cells listed. Pure: the page's large-task view and the paper's figures and tables use it.
 */
import { cutMerges } from '../../math/dendrogram.js';
import { verdictAt } from './compact.js';
import type { HeatmapData } from '../views/heatmap.js';

/** Above this many tasks the heatmap (page and paper) summarises by clusters instead of labelling every task. */
export const SUMMARY_ABOVE = 30;

export interface TaskCluster {
  /** 1-based, in display order: "C1" is the first cluster down the dendrogram. */
  id: number;
  /** Task indices, in display order. */
  members: number[];
}

/** The dendrogram cut into k clusters (math/dendrogram.ts), in display order. */
export function cutDendrogram(data: Pick<HeatmapData, 'order' | 'merges'>, k: number): TaskCluster[] {
  const root = cutMerges(data.merges, data.order.length, Math.min(Math.max(1, k), data.order.length));
  const byRoot = new Map<number, number[]>();
  for (const task of data.order) byRoot.set(root[task], [...(byRoot.get(root[task]) ?? []), task]);
  return [...byRoot.values()].map((members, c) => ({ id: c + 1, members }));
}

/** A block of the summary: the mean gain of the row cluster's tasks from the column cluster's, over its known cells. */
export interface Block {
  row: number;
  column: number;
  mean: number | null;
  /** Cells in the block with a known gain (the diagonal excluded). */
  cells: number;
  /** Of those, cells whose paired test says helps / hurts. */
  helps: number;
  hurts: number;
}

/** Every block of the clusters × clusters summary, row-major. */
export function blockMeans(data: HeatmapData, clusters: TaskCluster[]): Block[] {
  return clusters.flatMap((rows, r) =>
    clusters.map((columns, c) => {
      let sum = 0;
      let cells = 0;
      let helps = 0;
      let hurts = 0;
      for (const i of rows.members)
        for (const j of columns.members) {
          const v = data.mean[i]?.[j];
          if (i === j || typeof v !== 'number' || !Number.isFinite(v)) continue;
          sum += v;
          cells++;
          const verdict = verdictAt(data.verdicts, i, j);
          if (verdict === 'helps') helps++;
          if (verdict === 'hurts') hurts++;
        }
      return { row: r, column: c, mean: cells ? sum / cells : null, cells, helps, hurts };
    }),
  );
}

export interface StrongCell {
  /** Helped (row) and helping (column) task indices. */
  target: number;
  source: number;
  mean: number;
  low: number | null;
  high: number | null;
  verdict: string | null;
}

/**
 * The `n` strongest cells: those with evidence (a helps/hurts verdict, or without verdicts an interval excluding
 * zero) first, each part by |gain|; `evidence` says which.
 */
export function strongestCells(data: HeatmapData, n: number): (StrongCell & { evidence: boolean })[] {
  const T = data.tasks.length;
  const num = (m: (number | null)[][] | undefined, i: number, j: number): number | null => {
    const v = m?.[i]?.[j];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const cells: (StrongCell & { evidence: boolean })[] = [];
  for (let i = 0; i < T; i++)
    for (let j = 0; j < T; j++) {
      const mean = num(data.mean, i, j);
      if (i === j || mean === null) continue;
      const low = num(data.low, i, j);
      const high = num(data.high, i, j);
      const verdict = verdictAt(data.verdicts, i, j);
      const evidence = data.verdicts
        ? verdict === 'helps' || verdict === 'hurts'
        : low !== null && high !== null && (low > 0 || high < 0);
      cells.push({ target: i, source: j, mean, low, high, verdict, evidence });
    }
  return cells
    .sort(
      (a, b) =>
        Number(b.evidence) - Number(a.evidence) ||
        Math.abs(b.mean) - Math.abs(a.mean) ||
        a.target - b.target ||
        a.source - b.source,
    )
    .slice(0, n);
}
