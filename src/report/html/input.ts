/**
 * What an HTML report is drawn from. Only `affinity` is required; every other section is drawn only when present,
 * so a report of a bare sweep is complete. Numbers may be `null` wherever the JSON writers turned NaN into null
 * (e.g. an interval from a single replication); the report shows those as "n/a".
 *
 * Task names are untrusted text: the report renders them as text only, never as markup.
 */

/** A number as read back from JSON: NaN and ±Infinity were written as null. */
export type JsonNumber = number | null;
/** A T×T matrix as read back from JSON; [i][j] concerns target (row) task i and source (column) task j. */
export type JsonMatrix = JsonNumber[][];

/** The parsed `reports/<name>/affinity.json` (see src/report/affinityFiles.ts); extra fields are ignored. */
export interface AffinityFile {
  provenance?: {
    tool?: string;
    toolVersion?: string;
    node?: string;
    tfjs?: string;
    backends?: string[];
    /** The command line that reproduces the run, e.g. `tra run analyses/emotions-pairwise.json`. */
    command?: string;
    data?: { source?: string; sha256?: string; rows?: number };
    configHash?: string;
    createdAt?: string;
    sweepSeconds?: number;
  };
  /** Data set summary (src/data/describe.ts). */
  data?: {
    rows?: number;
    features?: number;
    tasks?: { name: string; kind?: string; mean?: JsonNumber; sd?: JsonNumber; min?: JsonNumber; max?: JsonNumber }[];
  };
  /** The analysis settings, if the writer recorded them (an AnalysisSpec-like object; `engine.epochs` etc.). */
  config?: {
    name?: string;
    seeds?: string | number;
    split?: { kind?: string; folds?: number; [key: string]: unknown };
    engine?: { epochs?: number; hidden?: number[]; learningRate?: number; batchSize?: number; [key: string]: unknown };
    epochs?: number;
    [key: string]: unknown;
  };
  taskNames: string[];
  /** Replication keys `s<seed>` or `s<seed>f<fold>`. */
  replications?: string[];
  /** Confidence level of low/high, e.g. 0.95. */
  level?: number;
  /** Standley gain 1 − L_i({i,j}) / L_i({i}): how much task j (column) helps task i (row). */
  mean: JsonMatrix;
  low: JsonMatrix;
  high: JsonMatrix;
  /** Symmetric group score (mean of both directed gains); used to order the heatmap. Derived from `mean` if absent. */
  groupScore?: JsonMatrix;
  /** Mean single-task test loss per task. */
  singleLoss?: JsonNumber[];
  reliability?: { halfCorrelation: JsonNumber; reliability: JsonNumber; replications: number; splits?: number };
  /** Per-cell paired tests (src/affinity/inference.ts). */
  inference?: {
    method?: string;
    fdr?: number;
    pValue?: JsonMatrix;
    verdict?: (string | null)[][];
    counts?: Record<string, number>;
  };
}

/** One point of the grouping budget curve: the best partition into `budget` networks. */
export interface BudgetPoint {
  /** Number of networks (groups) allowed. */
  budget: number;
  /** Total loss the affinity matrix predicts for this partition (lower is better). */
  predictedLoss: number;
  /** The chosen groups, as task names. */
  groups: string[][];
  /** How the partition was found, e.g. 'exact (branch and bound)', 'beam search'. */
  method: string;
  /** Closed-loop check: the total loss actually measured after training these groups, with its interval. */
  actualLoss?: { mean: number; low: number; high: number };
}

/** Which tasks help one main task, as an auxiliary ranking (gains as fractions, e.g. 0.023 = +2.3 %). */
export interface AuxiliaryRanking {
  main: string;
  ranking: { task: string; mean: number; low: number; high: number; verdict: 'helps' | 'hurts' | 'no significant help' }[];
}

/** A directed task taxonomy (graphology export-like): an edge source → target means source transfers to target. */
export interface Taxonomy {
  /** `source: true` marks a task used as a source (a root of the taxonomy). */
  nodes: { name: string; source: boolean }[];
  /** Node names; `score` is the strength of the transfer (e.g. the gain). */
  edges: { source: string; target: string; score: number }[];
}

/** How well one cheap proxy agrees with the full sweep's matrix. */
export interface ProxyAgreement {
  proxy: string;
  /** One point per ordered pair: `truth` is the sweep's gain, `estimate` the proxy's value. */
  points: { source: string; target: string; truth: number; estimate: number }[];
  /** Spearman rank correlation of estimate against truth. */
  spearman: number;
}

/** Linear multi-task baselines: held-out loss per task (rows) and method (columns); lower is better. */
export interface Baselines {
  columns: string[];
  rows: { task: string; values: JsonNumber[]; metric?: string }[];
  /** Optional per-column total (e.g. the sum of raw losses, as Standley et al. compare them). */
  total?: JsonNumber[];
}

export interface ReportInput {
  affinity: AffinityFile;
  /** Report title; defaults to the analysis name (from config or the command) or the data file's name. */
  title?: string;
  grouping?: BudgetPoint[];
  auxiliary?: AuxiliaryRanking;
  taxonomy?: Taxonomy;
  proxies?: ProxyAgreement[];
  baselines?: Baselines;
}
