/**
 * What an HTML report is drawn from. Only `affinity` is required; every other section is drawn only when present,
 * so a report of a bare sweep is complete. Numbers may be `null` wherever the JSON writers turned NaN into null
 * (e.g. an interval from a single replication); the report shows those as "n/a".
 *
 * Task names are untrusted text: the report renders them as text only, never as markup.
 */
import type { SectionInputs } from '../views/registry.js';

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
    /** Present when the losses were measured elsewhere and imported (`tra import`). */
    imported?: { schema?: string; files?: string[]; metric?: string };
    /** The user's model module, when the networks were not the built-in MLP. */
    model?: { source?: string; sha256?: string };
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
    engine?: { epochs?: number; patience?: number; hidden?: number[]; learningRate?: number; batchSize?: number; [key: string]: unknown };
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

/** A mean with its confidence interval over `n` replications, as the JSON writers store it (bounds null when undefined). */
export interface IntervalJson {
  mean: JsonNumber;
  low: JsonNumber;
  high: JsonNumber;
  n?: number;
}

/** One point of the grouping budget curve: the best partition into `budget` networks. */
export interface BudgetPoint {
  /** Number of networks (groups) allowed. */
  budget: number;
  /** Total loss the affinity matrix predicts for this partition (lower is better). */
  predictedLoss: number;
  /** The same prediction with its interval over replications (selected on validation, scored on test). */
  predictedInterval?: IntervalJson;
  /** The chosen groups, as task names. */
  groups: string[][];
  /** Task name → index into `groups` of the network that serves it. */
  servedBy?: Record<string, number>;
  /** How the partition was found, e.g. 'exact (branch and bound)', 'beam search'. */
  method: string;
  /** Solver status, e.g. 'optimal' or 'feasible' (stopped at its time limit). */
  status?: string;
  /** Time the selection took, in seconds. */
  solveSeconds?: number;
  /** Closed-loop check: the total loss actually measured after training these groups, with its interval. */
  actualLoss?: { mean: number; low: number; high: number; n?: number };
}

/** The budget `tra group` recommends, and why. */
export interface ChosenBudget {
  budget: number;
  reason: string;
}

/** A clustering of the symmetric affinity (Louvain, average linkage) priced like an exact selection. */
export interface ClusteringAlternative {
  method: string;
  budget: number;
  groups: string[][];
  predicted?: IntervalJson;
  /** Clustering minus exact selection at the same budget, paired by replication: positive means the selection is better. */
  versusSelection?: IntervalJson | null;
  /** Adjusted Rand index of the clusters against the selection's task-to-network assignment. */
  ari?: JsonNumber;
}

/** The grouping one would pick from losses at `epochs` epochs instead of full training. */
export interface EarlyStoppingRow {
  epochs: number;
  /** Share of the full training cost. */
  costShare?: number;
  /** Rank agreement of the early gain matrix with the fully trained one. */
  spearman: JsonNumber;
  kendall?: JsonNumber;
  /** Its grouping at the recommended budget. */
  groups?: string[][];
  ari?: JsonNumber;
  /** Full-training loss of its grouping minus that of the recommended one: positive means early stopping costs loss. */
  regret?: IntervalJson;
}

/** Bootstrap stability of the recommended grouping over resamples of the replications. */
export interface GroupingStability {
  draws: number;
  /** Share of resamples that pick the same grouping. */
  sameGrouping: JsonNumber;
  meanAri: JsonNumber;
}

/** How well pairs predict trained groups of 3+ tasks. */
export interface PairwiseApproximation {
  meanAbsError: JsonNumber;
  meanRelError: JsonNumber;
  groups: { group: string[]; meanAbsError?: JsonNumber; meanRelError?: JsonNumber }[];
}

/** The recommended grouping and its baselines trained on seeds the sweep never used. */
export interface ClosedLoop {
  seeds: number[];
  predicted: JsonNumber;
  actual: IntervalJson;
  /** `selectedMinusBaseline`: negative means the selection is better. */
  baselines: { name: string; predicted?: JsonNumber; actual: IntervalJson; selectedMinusBaseline: IntervalJson }[];
  /** Whether the recommendation held on the fresh seeds (closedLoopVerdict), in one sentence. */
  verdict?: { held?: boolean | null; text: string };
}

/** What `tra group` writes to grouping.json (the report reads these fields; all but `curve` optional). */
export interface GroupingReport {
  curve: BudgetPoint[];
  /** Confidence level of the intervals, e.g. 0.95. */
  level?: number;
  replications?: string[];
  chosenBudget?: ChosenBudget;
  infeasibleBudgets?: { budget: number; status?: string }[];
  clustering?: ClusteringAlternative[];
  /** null: the sweep's journal predates per-epoch losses. */
  earlyStopping?: EarlyStoppingRow[] | null;
  stability?: GroupingStability;
  pairwiseApproximation?: PairwiseApproximation;
  closedLoop?: ClosedLoop;
}

/** Which tasks help one main task, as an auxiliary ranking (gains as fractions, e.g. 0.023 = +2.3 %). */
export interface AuxiliaryRanking {
  main: string;
  level?: number;
  ranking: { task: string; mean: number; low: number | null; high: number | null; n?: number; verdict: 'helps' | 'hurts' | 'no evidence' | 'no significant help' }[];
  /** The main task trained with its top-k auxiliaries together: its gain over training alone. */
  top?: { tasks: string[]; gain: IntervalJson };
  /** tra auxiliary: how well each cheap heuristic ranks the candidates as their measured gains do. */
  heuristics?: HeuristicAgreement[];
  /** tra auxiliary: the set chosen on validation. */
  recommended?: { candidates: string[]; rule: string };
  /** tra auxiliary: the recommended set trained on fresh seeds. */
  closedLoop?: { seeds: number[]; set: string[]; gain: IntervalJson; netGain: IntervalJson; bestSingleNetGain?: IntervalJson };
}

/** One heuristic's rank agreement with the measured gains of the auxiliary candidates. */
export interface HeuristicAgreement {
  label: string;
  source: string;
  /** +1: the literature expects larger values to mean larger gains. */
  expected: number;
  spearman: JsonNumber;
  spearmanLow: JsonNumber;
  spearmanHigh: JsonNumber;
  kendall: JsonNumber;
  /** The candidate the heuristic would pick, and that candidate's measured rank (1: best). */
  pick: string | null;
  pickRank: JsonNumber;
}

/** A directed task taxonomy (graphology export-like): an edge source → target means source transfers to target. */
export interface Taxonomy {
  /** `source: true` marks a task used as a source (a root of the taxonomy). */
  nodes: { name: string; source: boolean }[];
  /** Node names; `score` is the strength of the transfer (e.g. the gain). */
  edges: { source: string; target: string; score: number }[];
}

/** The grouping a proxy's matrix induces (average linkage), priced with the sweep's measured test losses. */
export interface ProxyGrouping {
  /** Mean over budgets of the ARI with exact selection. */
  meanAri: JsonNumber;
  /** Mean over budgets of clustering minus selection (total test loss; positive: the selection is better). */
  meanRegret: JsonNumber;
  points?: { budget: number; groups?: string[][]; ari?: JsonNumber; versusSelection?: IntervalJson | null }[];
}

/** How well one cheap proxy agrees with the full sweep's matrix. */
export interface ProxyAgreement {
  proxy: string;
  /** One point per ordered pair: `truth` is the sweep's gain, `estimate` the proxy's value. */
  points: { source: string; target: string; truth: number; estimate: number }[];
  /** Spearman rank correlation of estimate against truth. */
  spearman: number;
  grouping?: ProxyGrouping;
}

/** The full sweep's own groupings, for scale next to the proxies'. */
export interface ProxyTruthGrouping {
  budgets: number[];
  /** Average linkage of the sweep's own gain matrix, priced the same way. */
  sweepMatrix?: { meanAri: JsonNumber; meanRegret: JsonNumber };
  /** ARI between the groupings of two disjoint halves of the replications: the seed noise of groupings. */
  halfVsHalfAri: JsonNumber;
}

/** proxies.json as the report reads it: the agreements and, when there was a sweep, its own grouping numbers. */
export interface ProxiesReport {
  proxies: ProxyAgreement[];
  truth?: { grouping?: ProxyTruthGrouping };
}

/** Linear multi-task baselines: held-out loss per task (rows) and method (columns); lower is better. */
export interface Baselines {
  columns: string[];
  rows: { task: string; values: JsonNumber[]; metric?: string }[];
  /** Optional per-column total (e.g. the sum of raw losses, as Standley et al. compare them). */
  total?: JsonNumber[];
}

/** What the report is drawn from: affinity.json and, optionally, each file section's input (views/registry.ts). */
export interface ReportInput extends SectionInputs {
  affinity: AffinityFile;
  /** Report title; defaults to the analysis name (from config or the command) or the data file's name. */
  title?: string;
}

/** The object form of either grouping.json shape (a bare list is the curve alone). */
export const groupingReport = (grouping: GroupingReport | BudgetPoint[]): GroupingReport => (Array.isArray(grouping) ? { curve: grouping } : grouping);

/** The object form of either proxies shape (a bare list has no sweep grouping numbers). */
export const proxiesReport = (proxies: ProxiesReport | ProxyAgreement[]): ProxiesReport => (Array.isArray(proxies) ? { proxies } : proxies);
