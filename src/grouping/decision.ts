import type { Interval } from '../affinity/stats.js';
import { groupKey } from '../sweep/plan.js';
import type { BudgetChoice, CurvePoint } from './curve.js';
import type { LossTable } from './lossTable.js';
import { allInOne, allSeparate, pairedDifference, replicatedTotal, sameServing, type Serving } from './serving.js';

/** The grouping decision in words a person can act on: what to train, then the evidence in one line. */
export interface GroupingDecision {
  /** One or two plain sentences. */
  headline: string;
  /** The numbers behind it, in one line. */
  evidence: string;
  /** The best smaller budget (on validation) and what it costs on test, when the recommendation has more than one network. */
  cut?: string;
  /** Recommended networks no one trained (losses approximated from pairs), as task names. */
  untrained: string[][];
  /** How to train them, when there are any. */
  howToTrain?: string;
}

export interface DecisionInput {
  taskNames: string[];
  curve: CurvePoint[];
  choice: BudgetChoice;
  /** Per seed, its test losses: what the decision's numbers are scored on. */
  testTables: readonly LossTable[];
  /** Keys (groupKey) of the groups some network was trained on. */
  measured: ReadonlySet<string>;
  level: number;
  /** Mean held-out validation total per budget: a smaller budget to cut to is picked on these, never on test losses. */
  validationTotals?: { budget: number; mean: number }[];
  /** The losses were imported: the toolkit cannot train the untrained groups itself. */
  imported: boolean;
}

const fixed = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : 'n/a');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(4)}` : 'n/a');
/** An interval of a difference: '+0.0031 [-0.0200, +0.0260]'. */
export const differenceText = (i: Interval): string => `${signed(i.mean)} [${signed(i.low)}, ${signed(i.high)}]`;
/** A total with its interval: '2.5768 [2.5299, 2.6238]'. */
export const totalText = (i: Interval): string => `${fixed(i.mean)} [${fixed(i.low)}, ${fixed(i.high)}]`;

/** 'a', 'a and b', 'a, b and c'. */
export const listText = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * One network in words: 'a with b' or 'a, b and c together' when it serves all its tasks; 'a with b as an auxiliary
 * task' when it also trains tasks that other networks serve.
 */
function networkText(group: readonly number[], served: readonly number[], names: readonly string[]): string {
  const helpers = group.filter((t) => !served.includes(t)).map((t) => names[t]);
  const main = served.map((t) => names[t]);
  const together =
    main.length === 2 && helpers.length === 0
      ? `${main[0]} with ${main[1]}`
      : `${listText(main)}${main.length > 1 ? ' together' : ''}`;
  if (helpers.length === 0) return together;
  return `${together} with ${listText(helpers)} as ${helpers.length > 1 ? 'auxiliary tasks' : 'an auxiliary task'}`;
}

/** What to train, in one sentence: 'Train each task alone, except a with b.' or 'Train 3 networks: a with b; c, d and e together; f alone.' */
export function trainingSentence(
  serving: Serving,
  names: readonly string[],
  measured: ReadonlySet<string>,
): { sentence: string; untrained: number[][] } {
  const servedBy = serving.groups.map((_, n) => serving.assignment.flatMap((m, t) => (m === n ? [t] : [])));
  const untrained = serving.groups.filter((g) => g.length > 1 && !measured.has(groupKey(g)));
  const mark = (g: number[]) => (untrained.includes(g) ? ' (never trained)' : '');
  const shared = serving.groups.flatMap((g, n) =>
    g.length > 1 ? [`${networkText(g, servedBy[n], names)}${mark(g)}`] : [],
  );
  const alone = serving.groups.filter((g) => g.length === 1);
  if (shared.length === 0) return { sentence: 'Train each task alone.', untrained };
  const aloneTasks = alone.map((g) => names[g[0]]);
  const sentence =
    alone.length === 0
      ? `Train ${serving.groups.length === 1 ? 'one network' : `${serving.groups.length} networks`}: ${shared.join('; ')}.`
      : alone.length === 1
        ? `Train ${shared.join('; ')}; and ${aloneTasks[0]} alone.`
        : `Train each task alone, except ${shared.join('; ')}.`;
  return { sentence, untrained };
}

/**
 * The decision: the recommended networks in words, whether they measurably beat training each task alone (scored on
 * test losses, paired by seed), and the cheaper budget one could cut to (picked on validation, scored on test).
 */
export function groupingDecision(input: DecisionInput): GroupingDecision {
  const { taskNames, curve, choice, testTables, measured, level } = input;
  const T = taskNames.length;
  const chosen = curve.find((p) => p.budget === choice.budget);
  if (!chosen || chosen.selection.groups.length === 0)
    return { headline: 'No selection: no budget has a feasible grouping.', evidence: '', untrained: [] };
  const serving = { groups: chosen.selection.groups, assignment: chosen.selection.assignment };
  const separate = replicatedTotal(testTables, allSeparate(T), level);
  const oneNetwork = replicatedTotal(testTables, allInOne(T), level);
  const versusSeparate = (p: CurvePoint) => pairedDifference(p.predicted.totals, separate.totals, level);
  const { sentence, untrained } = trainingSentence(serving, taskNames, measured);
  const isSeparate = sameServing(serving, allSeparate(T));
  const difference = versusSeparate(chosen);
  const networks = chosen.selection.groups.length;
  const decided = Number.isFinite(difference.low);

  let second = '';
  if (isSeparate) {
    const others = curve.filter((p) => p !== chosen && p.selection.groups.length > 0);
    const best = others.reduce<{ p: CurvePoint; d: Interval } | undefined>((b, p) => {
      const d = versusSeparate(p);
      return b === undefined || d.mean < b.d.mean ? { p, d } : b;
    }, undefined);
    if (best && decided)
      second =
        best.d.high < 0
          ? ` (${best.p.budget} networks would score ${differenceText(best.d)} against it on test, but the budget was chosen on validation)`
          : ` No grouping measurably beats it (best minus separate ${differenceText(best.d)}).`;
  } else if (decided)
    second =
      difference.high < 0
        ? ` It beats training each task alone by ${differenceText({ mean: -difference.mean, low: -difference.high, high: -difference.low, n: difference.n })}.`
        : difference.low > 0
          ? ` It costs ${differenceText(difference)} against training each task alone, the price of ${networks === 1 ? 'one network' : `${networks} networks`} instead of ${T}.`
          : networks < T
            ? ` ${networks} networks instead of ${T}, at no measurable cost against training each task alone (${differenceText(difference)}).`
            : ` It does not measurably beat training each task alone (${differenceText(difference)}); either will do.`;

  const cut = cutTo(input, chosen);
  const cutText = cut
    ? `if you must cut to ${cut.point.budget === 1 ? 'one network' : `${cut.point.budget} networks`}: ${lowerFirst(trainingSentence({ groups: cut.point.selection.groups, assignment: cut.point.selection.assignment }, taskNames, measured).sentence.replace(/\.$/, ''))} (${costText(cut.cost)} against the recommendation)`
    : undefined;
  const seeds = testTables.length;
  const evidence = `predicted total test loss ${totalText(chosen.predicted)} over ${seeds} seed${seeds === 1 ? '' : 's'} (chosen on validation, scored on test; ${Math.round(level * 100)}% intervals); each task alone ${totalText(separate)}, all in one network ${totalText(oneNetwork)}`;
  const names = untrained.map((g) => g.map((t) => taskNames[t]));
  return {
    headline: `${sentence}${second}`,
    evidence,
    ...(cutText ? { cut: cutText } : {}),
    untrained: names,
    ...(names.length ? { howToTrain: howToTrain(names, input.imported) } : {}),
  };
}

/** A change in total test loss: measurable or not. */
const costText = (d: Interval): string =>
  !Number.isFinite(d.low)
    ? `${signed(d.mean)}, no interval with one seed`
    : d.low > 0
      ? `costs ${differenceText(d)}`
      : d.high < 0
        ? `saves ${differenceText(d)}`
        : `no measurable cost, ${differenceText(d)}`;

const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

/** A smaller budget than the chosen one, the best of them on held-out validation totals, and what it costs on test. */
function cutTo(input: DecisionInput, chosen: CurvePoint): { point: CurvePoint; cost: Interval } | undefined {
  const smaller = input.curve.filter((p) => p.budget < chosen.budget && p.selection.groups.length > 0);
  if (smaller.length === 0 || !input.validationTotals) return undefined;
  const validation = new Map(input.validationTotals.map((v) => [v.budget, v.mean]));
  const best = smaller
    .filter((p) => Number.isFinite(validation.get(p.budget)))
    .reduce<CurvePoint | undefined>(
      (b, p) =>
        b === undefined || (validation.get(p.budget) as number) < (validation.get(b.budget) as number) ? p : b,
      undefined,
    );
  if (!best) return undefined;
  return { point: best, cost: pairedDifference(best.predicted.totals, chosen.predicted.totals, input.level) };
}

/** Never-trained groups: the flag that trains them, or the networks for one's own launcher. */
export function howToTrain(groups: string[][], imported: boolean): string {
  const list = groups.map((g) => g.join('+')).join(', ');
  return imported
    ? `never trained: ${list}; their losses are approximated from pairs. --train-higher-order lists these networks on the sweep's seeds; train them with your launcher, import their losses (tra import) and group again`
    : `never trained: ${list}; their losses are approximated from pairs. Rerun with --train-higher-order to train them and select again (or train ${list} with your own launcher)`;
}

/** A relative gain as a percentage interval: '+1.23% [-0.13%, +2.59%]'. */
const gainText = (i: Interval): string => {
  const p = (x: number) => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%` : 'n/a');
  return `${p(i.mean)} [${p(i.low)}, ${p(i.high)}]`;
};

/** A ranked auxiliary: its name, its test gain for the main task and the gain's verdict. */
export interface RankedAuxiliary extends Interval {
  name: string;
  verdict: string;
}

/** The auxiliary ranking in words: which tasks measurably help the main task, which hurt, on test losses at the FDR. */
export function auxiliaryRankingDecision(
  main: string,
  ranking: readonly RankedAuxiliary[],
): { headline: string; evidence: string } {
  const helps = ranking.filter((r) => r.verdict === 'helps');
  const hurts = ranking.filter((r) => r.verdict === 'hurts');
  const named = (r: RankedAuxiliary) => `${r.name} ${gainText(r)}`;
  const best = ranking[0];
  const headline = helps.length
    ? `For ${main}, ${listText(helps.map((r) => r.name))} measurably ${helps.length > 1 ? 'help' : 'helps'} as an auxiliary task: train ${main} with ${helps.length > 1 ? 'them' : 'it'}.`
    : `For ${main}, no other task measurably helps as an auxiliary${best ? ` (best ${named(best)})` : ''}: train ${main} without auxiliaries.`;
  const evidence = `gain 1 - L(${main} with the task) / L(${main} alone) on test, per seed${helps.length ? `: ${helps.map(named).join(', ')}` : ''}${hurts.length ? `; hurts: ${hurts.map(named).join(', ')}` : ''}`;
  return { headline, evidence };
}

/** `tra auxiliary`'s decision: the set recommended on validation, with its test gains and the closed loop when run. */
export function auxiliarySetDecision(
  main: string,
  recommended: readonly RankedAuxiliary[],
  best: RankedAuxiliary | undefined,
  freshSeeds?: { seeds: number[]; gain: Interval; netGain: Interval },
): { headline: string; evidence: string } {
  const named = (r: RankedAuxiliary) => `${r.name} ${gainText(r)} (${r.verdict})`;
  const headline = recommended.length
    ? `Train ${main} with ${listText(recommended.map((r) => r.name))} as auxiliary ${recommended.length > 1 ? 'tasks' : 'task'} (chosen on validation).${
        freshSeeds
          ? ` On fresh seeds the set ${freshSeeds.gain.low > 0 ? 'measurably helps' : freshSeeds.gain.high < 0 ? 'measurably hurts' : 'shows no measurable gain'}: ${gainText(freshSeeds.gain)}.`
          : ''
      }${
        !freshSeeds && !recommended.some((r) => r.verdict === 'helps')
          ? ` None of ${recommended.length > 1 ? 'them' : 'it'} measurably helps on test: the gain is not established (--validate checks the set on fresh seeds).`
          : ''
      }`
    : `Train ${main} without auxiliaries: no candidate gains on validation${best ? ` (best on test ${named(best)})` : ''}.`;
  const evidence = recommended.length
    ? `test gain per candidate (1 - L(${main} with it) / L(${main} alone)): ${recommended.map(named).join(', ')}${freshSeeds ? `; on fresh seeds ${freshSeeds.seeds.join(', ')} against all inputs ${gainText(freshSeeds.netGain)}` : ''}`
    : `no candidate lowered ${main}'s validation loss${best ? `; on test the best candidate is ${named(best)}` : ''}`;
  return { headline, evidence };
}
