import { z } from '../vendor/zod.js';
import { groupingGraph } from '../grouping/graph.js';
import { provenanceSchema } from './affinity.js';
import {
  artefactObject,
  filesIn,
  finite,
  groups,
  interval,
  jsonNumber,
  list,
  object,
  parseArtefact,
  readJson,
  text,
  writeCsv,
  writeJson,
} from './files.js';

/** One point of the grouping budget curve: the best partition into `budget` networks. */
export const budgetPointSchema = object({
  /** Number of networks (groups) allowed. */
  budget: finite,
  /** Total test loss the selection is predicted to have (lower is better). */
  predictedLoss: finite,
  /** The same prediction with its interval over replications (selected on validation, scored on test). */
  predictedInterval: interval.optional(),
  /** The chosen groups, as task names. */
  groups,
  /** Chosen groups no network was trained for: their losses are approximated from pairs. */
  approximatedGroups: groups.optional(),
  /** Task name → index into `groups` of the network that serves it. */
  servedBy: z.record(z.string(), finite).optional(),
  /** How the partition was found: 'exact (ILP, HiGHS)', 'exact (brute force)', 'heuristic (greedy with swaps, not proven optimal)' or 'ILP stopped at its time limit (best found, not proven optimal)'. */
  method: text,
  /** Solver status: 'optimal', or 'feasible' (stopped at its time limit). */
  status: text.optional(),
  /** Time the selection took, in seconds. */
  solveSeconds: finite.optional(),
  /** Per task (in taskNames order), its mean test loss in the network serving it. */
  taskTestLoss: list(jsonNumber).optional(),
  /** Closed-loop check: the total loss actually measured after training these groups, with its interval. */
  actualLoss: object({ mean: finite, low: finite, high: finite, n: finite.optional() }).optional(),
});

/** grouping.json as `tra group` writes it; the report reads `curve` (required) and the analyses around it. */
export const groupingSchema = artefactObject({
  provenance: provenanceSchema.optional(),
  taskNames: list(text).optional(),
  /** Confidence level of the intervals, e.g. 0.95. */
  level: finite.optional(),
  /** The decision in plain words (what to train), the evidence in one line, and the recommended groups no one trained. */
  decision: object({
    headline: text,
    evidence: text,
    cut: text.optional(),
    untrained: groups,
    howToTrain: text.optional(),
  }).optional(),
  /** What should stop a person acting on the grouping: low or clamped reliability, under-trained networks. */
  warnings: list(text).optional(),
  selectedOn: text.optional(),
  scoredOn: text.optional(),
  approximated: text.optional(),
  /** The groups the selection chose among: every group of the tasks, or which ones. */
  candidates: text.optional(),
  /** True when each budget's answer is optimal over every group of the tasks, false when only over `candidates`. */
  optimalOverEveryGroup: z.boolean().optional(),
  replications: list(text).optional(),
  /** The budget `tra group` recommends, and why. */
  chosenBudget: object({ budget: finite, reason: text }).optional(),
  curve: list(budgetPointSchema),
  infeasibleBudgets: list(object({ budget: finite, status: text.optional() })).optional(),
  trainedGroups: groups.optional(),
  /** How well pairs predict trained groups of 3+ tasks. */
  pairwiseApproximation: object({
    meanAbsError: jsonNumber,
    meanRelError: jsonNumber,
    groups: list(
      object({ group: list(text), meanAbsError: jsonNumber.optional(), meanRelError: jsonNumber.optional() }),
    ),
  }).optional(),
  /** Clusterings of the symmetric affinity (Louvain, average linkage) priced like an exact selection. */
  clustering: list(
    object({
      method: text,
      budget: finite,
      groups,
      predicted: interval.optional(),
      /** Clustering minus exact selection at the same budget, paired by replication: positive means the selection is better. */
      versusSelection: interval.nullish(),
      /** Adjusted Rand index of the clusters against the selection's task-to-network assignment. */
      ari: jsonNumber.optional(),
    }),
  ).optional(),
  /** The grouping one would pick from losses at `epochs` epochs; null: the losses have no per-epoch rows (an import without an epoch column). */
  earlyStopping: list(
    object({
      epochs: finite,
      /** Share of the full training cost. */
      costShare: jsonNumber.optional(),
      /** Rank agreement of the early gain matrix with the fully trained one. */
      spearman: jsonNumber,
      kendall: jsonNumber.optional(),
      groups: groups.optional(),
      ari: jsonNumber.optional(),
      /** Full-training loss of its grouping minus that of the recommended one: positive means early stopping costs loss. */
      regret: interval.optional(),
    }),
  ).nullish(),
  /** Bootstrap stability of the recommended grouping over resamples of the replications. */
  stability: object({
    draws: finite,
    /** Share of resamples that chose the same networks serving the same tasks. */
    sameGrouping: jsonNumber,
    /** Mean adjusted Rand index of which network serves each task, resample against chosen. */
    meanAri: jsonNumber,
    /** Share of resamples that split the tasks among networks the same way (ARI 1), whatever the networks. */
    samePartition: jsonNumber.optional(),
  }).optional(),
  /** The recommended grouping and its baselines trained on seeds the sweep never used. */
  closedLoop: object({
    seeds: list(finite),
    predicted: jsonNumber,
    actual: interval,
    /** `selectedMinusBaseline`: negative means the selection is better. */
    baselines: list(
      object({ name: text, predicted: jsonNumber.optional(), actual: interval, selectedMinusBaseline: interval }),
    ),
    /** Whether the recommendation held on the fresh seeds (closedLoopVerdict), in plain words. */
    verdict: object({
      held: z.boolean().nullish(),
      text,
      /** When the measured total fell outside the predicted interval: a seed shift (every baseline moved alike) or a failed prediction. */
      outsidePrediction: text.optional(),
      /** Why no random grouping was compared with. */
      noRandom: text.optional(),
    }).optional(),
  }).optional(),
});

export type BudgetPoint = z.infer<typeof budgetPointSchema>;
export type GroupingArtefact = z.infer<typeof groupingSchema>;

export const GROUPING_FILES = { json: 'grouping.json', csv: 'grouping.csv', graph: 'grouping-graph.json' };

/** grouping.json (everything), grouping.csv (one row per budget) and, with a chosen budget, grouping-graph.json. */
export function writeGrouping(dir: string, data: GroupingArtefact): string[] {
  const files = filesIn(dir, GROUPING_FILES);
  writeJson(files.json, data);
  const rows = [
    ...data.curve.map((p) => ({
      budget: p.budget,
      status: p.status,
      method: p.method,
      solve_seconds: p.solveSeconds?.toFixed(3),
      predicted_loss: p.predictedLoss,
      ci_low: p.predictedInterval?.low,
      ci_high: p.predictedInterval?.high,
      // ~ marks a group no network was trained for (its loss approximated from pairs), as in the terminal
      networks: p.groups
        .map((g) => `${p.approximatedGroups?.some((a) => a.join('+') === g.join('+')) ? '~' : ''}${g.join('+')}`)
        .join(' | '),
      never_trained: (p.approximatedGroups ?? []).map((g) => g.join('+')).join(' | '),
    })),
    ...(data.infeasibleBudgets ?? []).map((b) => ({ budget: b.budget, status: b.status })),
  ].sort((a, b) => a.budget - b.budget);
  writeCsv(files.csv, rows);
  const chosen = data.curve.find((p) => p.budget === data.chosenBudget?.budget);
  if (!chosen?.servedBy || !data.taskNames) return [files.json, files.csv];
  const taskNames = data.taskNames;
  const serving = {
    groups: chosen.groups.map((g) => g.map((name) => taskNames.indexOf(name))),
    assignment: taskNames.map((name) => chosen.servedBy?.[name] ?? -1),
  };
  const loss = taskNames.map((_, t) => chosen.taskTestLoss?.[t] ?? NaN);
  writeJson(files.graph, {
    provenance: data.provenance,
    budget: chosen.budget,
    graph: groupingGraph(taskNames, serving, loss).export(),
  });
  return [files.json, files.csv, files.graph];
}

/** A checked grouping.json: an InputError names the file and the field of the first problem. */
export const readGrouping = (path: string): GroupingArtefact =>
  parseArtefact(groupingSchema, readJson(path), path, 'grouping');
