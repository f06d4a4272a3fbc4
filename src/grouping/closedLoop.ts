import { tInterval, type Interval } from '../affinity/stats.js';
import type { Random } from '../data/random.js';
import { groupKey } from '../sweep/plan.js';
import type { LossTable } from './lossTable.js';
import {
  allInOne,
  allSeparate,
  pairedDifference,
  replicatedTotal,
  servedTotal,
  servingOfLabels,
  type ReplicatedTotal,
  type Serving,
} from './serving.js';

/** A random partition of the tasks into exactly `budget` non-empty groups. */
export function randomPartition(taskCount: number, budget: number, random: Random): number[] {
  if (!Number.isInteger(budget) || budget < 1 || budget > taskCount)
    throw new RangeError(`cannot split ${taskCount} tasks into ${budget} groups`);
  const order = Array.from({ length: taskCount }, (_, t) => t);
  for (let i = taskCount - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const labels = new Array<number>(taskCount);
  // The first `budget` tasks of a random order found the groups, so none is empty; the rest join one at random.
  order.forEach((task, k) => (labels[task] = k < budget ? k : Math.floor(random() * budget)));
  return labels;
}

/** The groupings a closed loop trains: the selection and the baselines it must beat. */
export interface ClosedLoopPlan {
  selected: Serving;
  allInOne: Serving;
  allSeparate: Serving;
  random: Serving[];
}

/** At budget 1 or T there is only one partition, so random groupings would just repeat a fixed baseline. */
export function closedLoopPlan(
  selected: Serving,
  taskCount: number,
  budget: number,
  draws: number,
  random: Random,
): ClosedLoopPlan {
  const randomDraws = budget === 1 || budget === taskCount ? 0 : draws;
  return {
    selected,
    allInOne: allInOne(taskCount),
    allSeparate: allSeparate(taskCount),
    random: Array.from({ length: randomDraws }, () => servingOfLabels(randomPartition(taskCount, budget, random))),
  };
}

/** Every network the plan needs, once. */
export function closedLoopGroups(plan: ClosedLoopPlan): number[][] {
  const all = [plan.selected, plan.allInOne, plan.allSeparate, ...plan.random].flatMap((s) => s.groups);
  return [...new Map(all.map((g) => [groupKey(g), g])).values()];
}

export interface BaselineComparison {
  name: string;
  /** Mean total test loss over the sweep's replications (pairwise approximation for groups it did not train). */
  predicted: number;
  actual: ReplicatedTotal;
  /** Selected minus this baseline, paired by replication: negative means the selection wins. */
  selectedMinusBaseline: Interval;
  /** The baseline is the selection itself (e.g. every task alone chosen): nothing to compare. */
  sameAsSelection?: boolean;
}

/** The same networks serving every task the same way, whatever the order of the groups. */
function sameServing(a: Serving, b: Serving): boolean {
  const keys = (s: Serving) => new Set(s.groups.map(groupKey));
  const [ka, kb] = [keys(a), keys(b)];
  return (
    ka.size === kb.size &&
    [...ka].every((k) => kb.has(k)) &&
    a.assignment.every((g, t) => groupKey(a.groups[g]) === groupKey(b.groups[b.assignment[t]]))
  );
}

export interface ClosedLoopResult {
  /** Mean total test loss of the selection over the sweep's replications. */
  predicted: number;
  actual: ReplicatedTotal;
  baselines: BaselineComparison[];
}

/**
 * Scores the plan on freshly trained replications, next to what the sweep's replications predicted for each grouping:
 * the check is whether the sweep's ranking of the groupings holds on seeds that played no part in choosing. A random
 * grouping is scored by its mean over draws in each replication: the baseline is "a grouping picked at random", not
 * one lucky draw.
 */
export function closedLoopResult(
  plan: ClosedLoopPlan,
  freshTables: readonly LossTable[],
  sweepTables: readonly LossTable[],
  level: number,
): ClosedLoopResult {
  const actual = replicatedTotal(freshTables, plan.selected, level);
  const randomMean = (table: LossTable): number =>
    plan.random.reduce((s, serving) => s + servedTotal(table, serving), 0) / plan.random.length;
  const meanOver = (tables: readonly LossTable[], total: (table: LossTable) => number): number =>
    tables.reduce((s, t) => s + total(t), 0) / tables.length;
  const versus = (name: string, total: (table: LossTable) => number, serving?: Serving): BaselineComparison => {
    const totals = freshTables.map(total);
    return {
      name,
      predicted: meanOver(sweepTables, total),
      actual: { ...tInterval(totals, level), totals },
      selectedMinusBaseline: pairedDifference(actual.totals, totals, level),
      ...(serving && sameServing(serving, plan.selected) ? { sameAsSelection: true } : {}),
    };
  };
  return {
    predicted: meanOver(sweepTables, (t) => servedTotal(t, plan.selected)),
    actual,
    baselines: [
      versus('all tasks in one network', (t) => servedTotal(t, plan.allInOne), plan.allInOne),
      versus('every task alone', (t) => servedTotal(t, plan.allSeparate), plan.allSeparate),
      ...(plan.random.length
        ? [versus(`random grouping, same budget (mean of ${plan.random.length} draws)`, randomMean)]
        : []),
    ],
  };
}

/** Whether the recommendation held on fresh seeds, in plain words. */
export interface ClosedLoopVerdict {
  /** True: measurably worse than no baseline; false: worse than some; undefined: too few fresh seeds to tell. */
  held: boolean | undefined;
  text: string;
  /** Set when the measured total falls outside the predicted interval: what that means. */
  outsidePrediction?: string;
  /** Why a random grouping of the same budget is missing, when it is. */
  noRandom?: string;
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
const difference = (i: Interval): string => `${signed(i.mean)} [${signed(i.low)}, ${signed(i.high)}]`;
const plainName = (name: string): string => name.replace(/ \(mean of \d+ draws\)$/, '');

/**
 * The recommendation held when, on the fresh seeds, it is measurably worse than none of its baselines (every
 * selection-minus-baseline interval reaches 0 or below). With the sweep's prediction of the selection (its interval
 * over the sweep's seeds), a measured total outside it is flagged and read: when every baseline moved the same way and
 * the selection's margins over them are still the predicted ones (each predicted margin inside its measured interval),
 * the fresh seeds shifted every grouping alike (a seed shift, not a failure of the selection).
 */
export function closedLoopVerdict(
  result: ClosedLoopResult,
  predicted?: Interval,
  shape?: { budget: number; taskCount: number },
): ClosedLoopVerdict {
  const extras = {
    ...(predicted ? outsidePrediction(result, predicted) : {}),
    ...(shape && !result.baselines.some((b) => b.name.startsWith('random'))
      ? {
          noRandom: `no random grouping to compare with: with ${shape.budget === 1 ? 'one network' : `${shape.budget} networks for ${shape.taskCount} tasks`} every partition is ${shape.budget === 1 ? 'all tasks in one network' : 'each task alone'}`,
        }
      : {}),
  };
  if (!result.baselines.every((b) => Number.isFinite(b.selectedMinusBaseline.low)))
    return { held: undefined, text: 'too few fresh seeds for intervals: cannot tell whether it held', ...extras };
  const named = (b: BaselineComparison): string => `${plainName(b.name)} (${difference(b.selectedMinusBaseline)})`;
  const itself = result.baselines.find((b) => b.sameAsSelection);
  const compared = result.baselines.filter((b) => !b.sameAsSelection);
  const worse = compared.filter((b) => b.selectedMinusBaseline.low > 0);
  const better = compared.filter((b) => b.selectedMinusBaseline.high < 0);
  const even = compared.filter((b) => !worse.includes(b) && !better.includes(b));
  const same = itself ? `; the selection is ${plainName(itself.name)} itself` : '';
  if (worse.length)
    return {
      held: false,
      text: `did not hold: on the fresh seeds it is measurably worse than ${worse.map(named).join(' and ')} (selection minus baseline)${same}`,
      ...extras,
    };
  const parts = [
    ...(better.length ? [`measurably better than ${better.map(named).join(' and ')}`] : []),
    ...(even.length ? [`no measurable difference from ${even.map(named).join(' or ')}`] : []),
  ];
  return { held: true, text: `held: ${parts.join('; ')} (selection minus baseline)${same}`, ...extras };
}

function outsidePrediction(
  result: ClosedLoopResult,
  predicted: Interval,
): Pick<ClosedLoopVerdict, 'outsidePrediction'> {
  const measured = result.actual.mean;
  if (!(measured < predicted.low || measured > predicted.high)) return {};
  const direction = measured > predicted.high ? 'above' : 'below';
  const head = `measured ${measured.toFixed(4)} is ${direction} the predicted interval [${predicted.low.toFixed(4)}, ${predicted.high.toFixed(4)}]`;
  const shifts = result.baselines.map((b) => ({ b, shift: b.actual.mean - b.predicted }));
  const ownShift = measured - result.predicted;
  // a seed shift: every baseline moved the same way, and the selection's predicted margin over each still holds
  const alike =
    result.baselines.length > 0 &&
    shifts.every(({ shift }) => Math.sign(shift) === Math.sign(ownShift)) &&
    result.baselines.every((b) => {
      const margin = result.predicted - b.predicted;
      const d = b.selectedMinusBaseline;
      return Number.isFinite(d.low) ? margin >= d.low && margin <= d.high : true;
    });
  const moved = shifts.map(({ b, shift }) => `${plainName(b.name)} ${signed(shift)}`).join(', ');
  return {
    outsidePrediction: alike
      ? `${head}, but every baseline moved alike (measured minus predicted: the selection ${signed(ownShift)}, ${moved}): the fresh seeds score every grouping ${direction === 'above' ? 'higher' : 'lower'}, a seed shift, not a failure of the selection`
      : `${head}, and the baselines did not move alike (measured minus predicted: the selection ${signed(ownShift)}, ${moved}): the sweep's prediction for this grouping did not hold`,
  };
}
