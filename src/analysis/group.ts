import { max } from 'd3-array';
import type { z } from 'zod';
import { groupingSchema } from '../options/grouping.js';
import { inferenceSchema } from '../options/inference.js';
import { parseOptions } from '../options/option.js';
import { mean, tInterval, type Interval } from '../affinity/stats.js';
import { evidenceWarnings } from '../affinity/warnings.js';
import { groupingDecision, type GroupingDecision } from '../grouping/decision.js';
import { InputError } from '../data/errors.js';
import { taskIndexOf } from '../data/columns.js';
import { seededRandom } from '../data/random.js';
import { auxiliaryEvidence, mainTaskGains, rankAuxiliaryTasks, type AuxiliaryRank } from '../grouping/auxiliary.js';
import {
  closedLoopGroups,
  closedLoopPlan,
  closedLoopResult,
  type ClosedLoopPlan,
  type ClosedLoopResult,
} from '../grouping/closedLoop.js';
import type { NetworkListArtefact } from '../artefacts/networks.js';
import { importedClosedLoop, importedGroupsToTrain } from './importedLists.js';
import { clusteringComparison, type ClusteringPoint } from '../grouping/clusterComparison.js';
import {
  budgetsText,
  candidateScope,
  chooseBudget,
  defaultBudgets,
  EVERY_BUDGET_UP_TO,
  defaultMaxGroupSize,
  heldOutValidationTotals,
  replicatedBudgetCurve,
  servingOf,
  type BudgetChoice,
  type CurveOptions,
  type CurvePoint,
} from '../grouping/curve.js';
import { earlyStoppingApproximation, type EarlyStoppingPoint } from '../grouping/earlyStopping.js';
import { approximationError, type ApproximationError } from '../grouping/higherOrder.js';
import { lossLookup, type LossTable } from '../grouping/lossTable.js';
import { pairGainMatrix } from '../grouping/pairGain.js';
import { symmetrise } from '../math/matrix.js';
import { seedLossTables, meanLossTable, replicatedTables, type ReplicatedTables } from '../grouping/replicated.js';
import { bootstrapStability, type Stability } from '../grouping/stability.js';
import { SelectionMemo } from '../grouping/selectionMemo.js';
import { groupKey, networkId, replicationsOf, type Group } from '../sweep/plan.js';
import { clearLine, formatSeconds, transientLine } from '../sweep/progress.js';
import {
  affinityFromJournal,
  journalPathOf,
  runPairwiseAnalysis,
  sweepGroups,
  type AdaptiveOutcome,
  type PairwiseResult,
} from './pairwise.js';
import type { AffinityEstimate } from '../affinity/estimate.js';
import type { EngineSettings } from '../engine/settings.js';
import { configHash, epochsOf, isImportedConfig, type CommandConfig, type SweepConfig } from '../sweep/config.js';
import { readImportedJournal, type ImportedConfig } from '../sweep/imported.js';
import { closedLoopJournalPathOf, readJournal, type Records } from '../sweep/journal.js';
import { seedsOf } from '../sweep/recordStore.js';
import type { AnalysisSpec } from './spec.js';
import { analysisData } from './modelData.js';
import { AFFINITY_FILES, readAffinity, type AffinityArtefact } from '../artefacts/affinity.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Decided } from './write.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import { groupingArtefacts, measuredGroups as measuredGroupKeys } from './groupOutput.js';
import type { AllocationOutcome } from './allocate.js';

/** `tra group`'s options (declared in src/options/grouping.ts); absent ones take their declared defaults. */
export type GroupOptions = z.input<typeof groupingSchema> & RunOptions;
type GroupDecided = z.output<typeof groupingSchema> & RunOptions;

/** A run's own options: its progress output and its limit on the time of the training it starts. */
export interface RunOptions {
  /** Progress lines on stderr; a library call is silent unless it asks for them. */
  progress?: boolean;
  /** Refuse training estimated at more hours than this (default: the execution options'). */
  maxHours?: number;
  /** Train through 'tra worker' processes on this Redis queue (the sweep, extra groups and the closed loop). */
  queue?: string;
}

const decided = ({ progress, maxHours, queue, ...options }: GroupOptions): GroupDecided => ({
  ...parseOptions(groupingSchema, options, 'group options'),
  progress,
  maxHours,
  queue,
});

export interface TopAuxiliaries {
  tasks: number[];
  /** Main task's gain 1 − L_m(group) / L_m({m}), per replication and as an interval. */
  gain: Interval;
}

export interface AuxiliaryResult {
  main: number;
  ranking: AuxiliaryRank[];
  top?: TopAuxiliaries;
}

/**
 * The networks a grouping is decided from: a sweep's journal (the toolkit's own, or losses imported from elsewhere)
 * and its affinity estimate.
 */
export interface SweepEvidence {
  estimate: AffinityEstimate;
  records: Records;
  config: SweepConfig | CommandConfig | ImportedConfig;
  journalPath: string;
  configHash: string;
  /** How the sweep's adaptive loop (`untilReliability`) ended, when it ran one. */
  adaptive?: AdaptiveOutcome;
  /**
   * The sweep's affinity file, to write with the grouping; absent for imported losses, whose affinity.json stays as
   * `tra import` or `tra affinity` wrote it (at its own level).
   */
  affinity?: AffinityArtefact;
  /** A decision-focused or short-run allocation: its per-seed tables with every pair completed (allocation/cells.ts). */
  allocation?: AllocationOutcome;
}

export interface GroupResult extends Decided {
  level: number;
  evidence: SweepEvidence;
  taskNames: string[];
  maxGroupSize: number;
  curve: CurvePoint[];
  choice: BudgetChoice;
  /** Higher-order groups this run trained on request. */
  trainedGroups: Group[];
  approximation?: ApproximationError;
  clustering: ClusteringPoint[];
  earlyStopping?: EarlyStoppingPoint[];
  stability: Stability;
  auxiliary?: AuxiliaryResult;
  closedLoop?: ClosedLoopResult & { seeds: number[] };
  /** On imported losses with --validate: the closed loop's networks to train on fresh seeds, each marked done or not. */
  closedLoopList?: NetworkListArtefact;
  /** On imported losses with --train-higher-order or --auxiliary-top: the groups to train on the sweep's replications. */
  moreGroupsList?: NetworkListArtefact;
  /** The decision in plain words, first in the terminal and on the page. */
  decision: GroupingDecision;
  /** What should stop a person acting on it (low or clamped reliability, under-trained networks). */
  warnings: string[];
}

/** Bootstrap and random baselines draw from their own stream, so adding one never changes the other. */
const STREAM = { bootstrap: 11, randomGroupings: 12 };

const evidenceOf = (pairwise: PairwiseResult): SweepEvidence => ({
  estimate: pairwise.estimate,
  records: pairwise.sweep.journal.records,
  config: pairwise.config,
  journalPath: pairwise.journalPath,
  configHash: configHash(pairwise.config),
  adaptive: pairwise.adaptive,
  affinity: pairwise.artefacts.affinity,
  allocation: pairwise.allocation,
});

export function taskIndex(name: string, taskNames: string[], flag: string): number {
  const index = taskIndexOf(name, taskNames);
  if (index < 0)
    throw new InputError(
      `${flag} '${name}' is neither a task name nor a task index (0..${taskNames.length - 1}); tasks: ${taskNames.join(', ')}`,
    );
  return index;
}

/** Where the evidence comes from and what it allows: more training (the toolkit's sweep) or none (imported losses). */
interface GroupSource {
  taskNames: string[];
  level: number;
  /** False-discovery rate of the auxiliary verdicts. */
  fdr: number;
  out: string;
  engine: Pick<EngineSettings, 'epochs' | 'patience'>;
  evidence: () => Promise<SweepEvidence>;
  /** Trains extra groups into the sweep and returns the grown evidence. */
  train?: (extra: Group[]) => Promise<SweepEvidence>;
  /** Where nothing can be trained (imported losses): lists the extra groups' networks for the user to train. */
  listToTrain?: (extra: Group[]) => NetworkListArtefact;
  /** The closed-loop check of the plan on fresh seeds: trains its networks, or lists them until they are imported. */
  checkOnFreshSeeds?: (
    plan: ClosedLoopPlan,
    sweepTestTables: LossTable[],
    evidence: SweepEvidence,
  ) => Promise<FreshSeeds>;
  /** Without --validate: the closed loop an earlier run trained, scored from its journal when it holds the plan's networks. */
  closedLoopOnRecord?: (
    plan: ClosedLoopPlan,
    sweepTestTables: LossTable[],
    evidence: SweepEvidence,
  ) => (ClosedLoopResult & { seeds: number[] }) | undefined;
}

/** What the closed loop gave: its result, once its networks are trained (or imported); for imports, their list. */
interface FreshSeeds {
  closedLoop?: ClosedLoopResult & { seeds: number[] };
  list?: NetworkListArtefact;
}

/**
 * Standley-style grouping on top of the pairwise sweep (run or resumed first): the budget curve chosen on validation
 * and scored on test, clustering alternatives, the early-stopping shortcut, bootstrap stability, an auxiliary ranking,
 * and, on request, higher-order training and a closed-loop check on fresh seeds.
 */
export async function runGroupAnalysis(spec: AnalysisSpec, given: GroupOptions = {}): Promise<GroupResult> {
  const options = decided(given);
  const started = Date.now();
  // Flags are checked against the data before the (possibly long) sweep, not after it.
  const loaded = spec.command ? undefined : (await analysisData(spec)).dataset;
  const taskNames = spec.command?.taskNames ?? (loaded?.taskNames as string[]);
  const { progress, maxHours, queue } = options;
  return decideGrouping(
    {
      taskNames,
      level: spec.level,
      fdr: spec.fdr,
      out: spec.out,
      engine: spec.engine,
      evidence: async () => evidenceOf(await runPairwiseAnalysis(spec, { progress, maxHours, loaded, queue })),
      train: async (extra) =>
        evidenceOf(await runPairwiseAnalysis(spec, { progress, maxHours, extraGroups: extra, loaded, queue })),
      checkOnFreshSeeds: async (plan, tables, evidence) => ({
        closedLoop: await checkOnFreshSeeds(spec, taskNames, plan, tables, lastSeedOf(evidence), options, started),
      }),
      closedLoopOnRecord: (plan, tables, evidence) => {
        const kept = closedLoopOnRecord(spec, taskNames, plan, tables, evidence);
        if (kept && progress)
          process.stderr.write(
            `closed loop: nothing to train (scored from ${closedLoopJournalPathOf(spec.out)}: fresh seeds ${kept.seeds.join(', ')})\n`,
          );
        return kept;
      },
    },
    options,
  );
}

/**
 * The same analysis on an imported journal (`tra import`): nothing can be trained here, so what would be trained is
 * listed for the user to train and import instead: the higher-order groups and the top auxiliaries' group on the
 * sweep's replications (more-groups/networks.*), the closed loop on fresh seeds (closed-loop/networks.*), which is
 * scored once imported.
 */
export async function groupImported(
  outDir: string,
  given: GroupOptions & Partial<Pick<AnalysisSpec, 'level' | 'fdr'>> = {},
): Promise<GroupResult> {
  const { level, fdr, ...rest } = given;
  // Unless asked otherwise, the folder's own level and rate: those tra import (or tra affinity) computed it at.
  const recorded = recordedInference(outDir);
  const inference = parseOptions(
    inferenceSchema,
    { level: level ?? recorded.level, fdr: fdr ?? recorded.fdr },
    'group options',
  );
  const options = decided(rest);
  const journalPath = journalPathOf(outDir);
  const { config, configHash, records } = readImportedJournal(journalPath);
  if (!config.splits.includes('validation'))
    throw new InputError(
      `${journalPath}: the imported losses have no validation split; grouping chooses on validation losses and scores on test losses (import both)`,
    );
  const { estimate } = affinityFromJournal(outDir, { level: inference.level });
  const evidence: SweepEvidence = { estimate, records, config, journalPath, configHash };
  return decideGrouping(
    {
      taskNames: config.taskNames,
      level: inference.level,
      fdr: inference.fdr,
      out: outDir,
      engine: { epochs: config.epochs ?? 0 },
      evidence: async () => evidence,
      checkOnFreshSeeds: async (plan, tables) =>
        importedClosedLoop(outDir, config.taskNames, plan, records, tables, options.validateSeeds, inference.level),
      listToTrain: (extra) => importedGroupsToTrain(outDir, config.taskNames, extra, records),
    },
    options,
  );
}

/** The level and rate a folder's affinity.json was computed at, when it has one. */
function recordedInference(outDir: string): { level?: number; fdr?: number } {
  const path = join(outDir, AFFINITY_FILES.json);
  if (!existsSync(path)) return {};
  const affinity = readAffinity(path);
  return { level: affinity.level, fdr: affinity.inference?.fdr };
}

async function decideGrouping(source: GroupSource, options: GroupDecided): Promise<GroupResult> {
  const say = (line: string): void => {
    if (options.progress) process.stderr.write(`${line}\n`);
  };
  const { taskNames, level } = source;
  const T = taskNames.length;
  const budgets = options.budgets ?? defaultBudgets(T);
  const bad = budgets.filter((b) => !(Number.isInteger(b) && b >= 1 && b <= T));
  if (bad.length) throw new InputError(`--budgets: ${bad.join(', ')} not in 1..${T} (the number of tasks)`);
  if (options.budget !== undefined && !(options.budget >= 1 && options.budget <= T))
    throw new InputError(`--budget ${options.budget}: not in 1..${T} (${T} tasks need at most ${T} networks)`);
  if (options.budget !== undefined && !budgets.includes(options.budget)) budgets.push(options.budget);
  budgets.sort((a, b) => a - b);
  const main = options.main === undefined ? undefined : taskIndex(options.main, taskNames, '--main');
  const maxGroupSize = options.maxGroupSize ?? defaultMaxGroupSize(T);
  if (!(Number.isInteger(maxGroupSize) && maxGroupSize >= 2))
    throw new InputError(`--max-group-size must be an integer of at least 2`);
  // how every selection is made (the curve, the held-out seeds, the bootstrap): the memo makes them with these
  const selectOptions = { method: options.method, maxGroupSize };
  const curveOptions: CurveOptions = {
    budgets,
    ...selectOptions,
    level,
    memo: new SelectionMemo(selectOptions),
    onBudget: options.progress
      ? (budget, index, count, pass) =>
          transientLine(`selecting networks: budget ${budget} (${index + 1} of ${count}), ${pass}`)
      : undefined,
  };
  let evidence = await source.evidence();
  const selectionStarted = performance.now();
  if (options.budgets === undefined && T > EVERY_BUDGET_UP_TO)
    say(
      `selecting at ${budgets.length} budgets (${budgetsText(budgets)}): beyond ${EVERY_BUDGET_UP_TO} tasks the default; --budgets for others`,
    );

  const decide = async (tables: ReplicatedTables) => {
    const curve = await replicatedBudgetCurve(tables.validation, tables.test, curveOptions);
    const heldOut =
      options.budget === undefined ? await heldOutValidationTotals(tables.validation, curveOptions) : undefined;
    const choice = heldOut
      ? chooseBudget(heldOut.evidence, heldOut.scheme)
      : { budget: options.budget as number, reason: 'set with --budget' };
    const validationTotals = heldOut?.evidence.map((e) => ({ budget: e.budget, mean: mean(e.totals) }));
    return { curve, choice, chosen: curve.find((p) => p.budget === choice.budget) as CurvePoint, validationTotals };
  };
  // an allocation trained only some pairs on a seed: its tables are completed from the cells (measured on other seeds,
  // or approximated from short runs), never from nothing
  const tablesOf = (e: SweepEvidence): ReplicatedTables => {
    const tables = replicatedTables(e.records, taskNames, e.estimate.replications);
    return e.allocation ? { ...tables, ...realTasksOnly(e.allocation.tables, taskNames) } : tables;
  };
  let tables = tablesOf(evidence);
  let decision = await decide(tables);

  let meanTest = meanLossTable(tables.test);
  // measured: held by the mean test table, found through its lookup (singles and pairs by index) rather than a key per
  // group (500,500 strings at 1000 tasks); this table is also the one scored below unless more groups are trained
  const measuredLookup = lossLookup(meanTest);
  const measured = { has: (group: number[]): boolean => measuredLookup.entry(group) !== undefined };
  const approximated = new Map<string, Group>();
  if (options.trainHigherOrder)
    for (const point of decision.curve)
      for (const group of point.selection.groups)
        if (group.length >= 3 && !measured.has(group)) approximated.set(groupKey(group), group);
  const trainedGroups = source.train ? [...approximated.values()] : [];
  // the top-k auxiliaries are chosen on validation losses; the test losses only score the trained group
  const topTasks =
    main !== undefined && options.auxiliaryTop
      ? rankAuxiliaries(main, tables.validation, source)
          .slice(0, options.auxiliaryTop)
          .map((r) => r.task)
      : undefined;
  const topGroup = topTasks && [main as number, ...topTasks].sort((a, b) => a - b);
  const extra = [...approximated.values(), ...(topGroup && !measured.has(topGroup) ? [topGroup] : [])];
  const asked = options.trainHigherOrder || options.auxiliaryTop !== undefined;
  const toTrain = asked && !source.train ? source.listToTrain?.(extra) : undefined;
  if (extra.length && source.train) {
    say(
      `training ${extra.length} more group(s): ${extra.map((g) => `{${g.map((t) => taskNames[t]).join(', ')}}`).join(' ')}`,
    );
    evidence = await source.train(extra);
    tables = tablesOf(evidence);
    decision = await decide(tables);
    meanTest = meanLossTable(tables.test);
  }
  const { curve, choice, chosen, validationTotals } = decision;
  const approximation = meanTest.entries.some((e) => e.group.length >= 3) ? approximationError(meanTest) : undefined;
  // clustered on the validation losses' gains, scored on test like the selection
  const clustering = clusteringComparison(
    symmetrise(pairGainMatrix(meanLossTable(tables.validation))),
    tables.test,
    curve,
    level,
  );
  const fullGain = evidence.estimate.mean.slice(0, T).map((row) => row.slice(0, T));
  // an allocation's seeds do not all hold every pair; its short runs report their own agreement (affinity.json)
  const earlyStopping = evidence.allocation
    ? undefined
    : await earlyStoppingApproximation(
        tables.records,
        taskNames,
        tables.replications,
        source.engine,
        options.earlyFractions,
        {
          fullGain,
          fullTestTables: tables.test,
          chosen,
          curve: curveOptions,
        },
      );
  if (options.progress)
    transientLine(`bootstrap: re-selecting at budget ${choice.budget} on ${options.bootstrap} resamples`);
  const stability = await bootstrapStability(tables.validation, servingOf(chosen.selection), choice.budget, {
    ...selectOptions,
    draws: options.bootstrap,
    random: seededRandom(0, STREAM.bootstrap),
    memo: curveOptions.memo,
  });
  if (options.progress) clearLine();
  say(
    `selection: budgets ${budgetsText(budgets)} over ${candidateScope(T, maxGroupSize).text}; budget chosen on ${tables.seeds.length} held-out seeds, ${options.bootstrap} bootstrap resamples (${formatSeconds((performance.now() - selectionStarted) / 1000)})`,
  );
  // the top auxiliaries' group is scored once measured (on imported losses: once the user has imported it)
  const topScored = topGroup && (source.train || measured.has(topGroup)) ? topGroup : undefined;
  const auxiliary = main === undefined ? undefined : auxiliaryResult(main, tables.test, topScored, source);
  const fresh =
    options.validate && source.checkOnFreshSeeds
      ? await source.checkOnFreshSeeds(closedLoopPlanOf(chosen, T, options), tables.test, evidence)
      : undefined;
  // a closed loop on record stays on the page until one is recomputed, as long as it checked this selection
  const closedLoop =
    fresh?.closedLoop ??
    (options.validate
      ? undefined
      : source.closedLoopOnRecord?.(closedLoopPlanOf(chosen, T, options), tables.test, evidence));
  const groupingWords = groupingDecision({
    taskNames,
    curve,
    choice,
    testTables: tables.test,
    measured: measuredGroupKeys(evidence.records),
    level,
    validationTotals,
    imported: isImportedConfig(evidence.config),
  });
  const warnings = evidenceWarnings(evidence.estimate, evidence.records.values(), epochsOf(evidence.config));
  const result = {
    level,
    out: source.out,
    decision: groupingWords,
    warnings,
    evidence,
    taskNames,
    maxGroupSize,
    curve,
    choice,
    trainedGroups,
    approximation,
    clustering,
    earlyStopping,
    stability,
    auxiliary,
    closedLoop,
    closedLoopList: fresh?.list,
    moreGroupsList: toTrain,
  };
  const { grouping, auxiliary: auxiliaryFile } = groupingArtefacts(result);
  return {
    ...result,
    artefacts: {
      ...(evidence.affinity ? { affinity: evidence.affinity } : {}),
      grouping,
      ...(auxiliaryFile ? { auxiliary: auxiliaryFile } : {}),
      ...(fresh?.list ? { closedLoopList: fresh.list } : {}),
      ...(toTrain ? { moreGroupsList: toTrain } : {}),
    },
  };
}

type Inference = Pick<GroupSource, 'level' | 'fdr'>;

const rankAuxiliaries = (main: number, testTables: LossTable[], { level, fdr }: Inference): AuxiliaryRank[] =>
  rankAuxiliaryTasks(auxiliaryEvidence(main, testTables), level, fdr);

function auxiliaryResult(
  main: number,
  testTables: LossTable[],
  topGroup: number[] | undefined,
  inference: Inference,
): AuxiliaryResult {
  const ranking = rankAuxiliaries(main, testTables, inference);
  if (!topGroup) return { main, ranking };
  return {
    main,
    ranking,
    top: {
      tasks: topGroup.filter((t) => t !== main),
      gain: tInterval(mainTaskGains(main, topGroup, testTables), inference.level),
    },
  };
}

/** The grouping chosen and its baselines (all in one, all alone, random groupings of its budget) for the closed loop. */
const closedLoopPlanOf = (chosen: CurvePoint, taskCount: number, options: GroupDecided): ClosedLoopPlan =>
  closedLoopPlan(
    servingOf(chosen.selection),
    taskCount,
    chosen.budget,
    options.randomDraws,
    seededRandom(0, STREAM.randomGroupings),
  );

const lastSeedOf = (evidence: SweepEvidence): number =>
  max(evidence.records.values(), (r) => r.seed) ?? Number.NEGATIVE_INFINITY;

/**
 * The closed loop a former `tra group --validate` trained, scored again without training: its journal (of this
 * sweep's configuration) must hold every network of `plan` on seeds the sweep has not used since (an adaptive sweep
 * that grew into them makes them no longer fresh). Undefined when it does not: the selection changed, or no closed
 * loop ran.
 */
function closedLoopOnRecord(
  spec: AnalysisSpec,
  taskNames: string[],
  plan: ClosedLoopPlan,
  sweepTestTables: LossTable[],
  evidence: SweepEvidence,
): (ClosedLoopResult & { seeds: number[] }) | undefined {
  const path = closedLoopJournalPathOf(spec.out);
  if (!existsSync(path)) return undefined;
  const { header, records } = readJournal(path);
  if (header.configHash !== evidence.configHash) return undefined;
  const lastSweepSeed = lastSeedOf(evidence);
  const ids = new Set(records.keys());
  const seeds = seedsOf(records)
    .filter((seed) => seed > lastSweepSeed)
    .filter((seed) =>
      replicationsOf(spec.split, [seed]).every((r) =>
        closedLoopGroups(plan).every((g) => ids.has(networkId(r.key, g))),
      ),
    );
  if (seeds.length === 0) return undefined;
  const replications = replicationsOf(spec.split, seeds).map((r) => r.key);
  const tables = seedLossTables(records.values(), taskNames, replications);
  return { ...closedLoopResult(plan, tables, sweepTestTables, spec.level), seeds };
}

/** Trains the chosen grouping and its baselines on seeds the sweep never used, into a journal of their own. */
async function checkOnFreshSeeds(
  spec: AnalysisSpec,
  taskNames: string[],
  plan: ClosedLoopPlan,
  sweepTestTables: LossTable[],
  lastSweepSeed: number,
  options: GroupDecided,
  since: number,
): Promise<ClosedLoopResult & { seeds: number[] }> {
  const seeds = Array.from({ length: options.validateSeeds }, (_, k) => lastSweepSeed + 1 + k);
  const { progress, queue } = options;
  const groups = closedLoopGroups(plan);
  // the command's time limit holds here too: past it, the fresh seeds stop between slices (exit 3; a rerun resumes)
  const timeLimit = { maxHours: options.maxHours ?? EXECUTION_OPTIONS.maxHours.default, since };
  const sweep = await sweepGroups(
    spec,
    groups,
    seeds,
    closedLoopJournalPathOf(spec.out),
    { progress, queue, bar: { label: 'closed loop', transient: true } },
    timeLimit,
  );
  if (progress)
    process.stderr.write(
      `closed loop: ${sweep.trained > 0 ? `trained ${sweep.trained} networks in ${formatSeconds(sweep.seconds)}` : 'nothing to train'} (the selection and its baselines, ${groups.length} groups on fresh seeds ${seeds.join(', ')})\n`,
    );
  const replications = replicationsOf(spec.split, seeds).map((r) => r.key);
  const tables = seedLossTables(sweep.journal.records.values(), taskNames, replications);
  return { ...closedLoopResult(plan, tables, sweepTestTables, spec.level), seeds };
}

/** The allocation's completed tables over the real tasks (null controls come last and only calibrate). */
function realTasksOnly(
  tables: AllocationOutcome['tables'],
  taskNames: string[],
): Pick<ReplicatedTables, 'validation' | 'test'> {
  const real = (table: LossTable): LossTable => ({
    taskNames,
    entries: table.entries.filter((e) => e.group.every((t) => t < taskNames.length)),
  });
  return { validation: tables.validation.map(real), test: tables.test.map(real) };
}
