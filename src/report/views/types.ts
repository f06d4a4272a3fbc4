import type { AuxiliaryRanking, Baselines, GroupingReport, JsonMatrix, ProxiesReport, Taxonomy } from '../html/input.js';
import type { Merge } from '../html/cluster.js';

/** What the heatmap draws: the matrices in the original task order plus the clustered display order. */
export interface HeatmapData {
  tasks: string[];
  /** Display order (task indices), from average linkage on the group score. */
  order: number[];
  merges: Merge[];
  mean: JsonMatrix;
  low: JsonMatrix;
  high: JsonMatrix;
  /** Confidence level of low/high, e.g. 0.95. */
  level: number;
  pValue?: JsonMatrix;
  verdict?: (string | null)[][];
  fdr?: number;
}

/** The JSON embedded in the page; every key but heatmap is optional and its view is drawn only when present. */
export interface ReportData {
  heatmap: HeatmapData;
  /** Always the object form; `level` filled from the affinity file when grouping.json lacks it. */
  grouping?: GroupingReport & { level: number };
  auxiliary?: AuxiliaryRanking;
  taxonomy?: Taxonomy;
  proxies?: ProxiesReport;
  baselines?: Baselines;
}

export type ViewKey = keyof ReportData;
