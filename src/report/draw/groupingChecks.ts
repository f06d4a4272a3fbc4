/**
 * Client-side: the checks around the recommended grouping (closed loop on fresh seeds, clustering instead of exact
 * selection, early stopping, bootstrap stability and the pairwise approximation), as tables.
 */
import { formatFixed, formatNumber, formatSpan, isFiniteNumber, levelText } from './format.js';
import { dataTable, viewHeading, viewNote, type TableCell } from './table.js';
import type { IntervalJson } from '../html/input.js';
import type { GroupingView } from '../views/budget.js';

const percent = (x: number | null | undefined): string => (isFiniteNumber(x) ? `${Math.round(x * 100)}%` : 'n/a');
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const chips = (groups: string[][] | undefined): TableCell => ({ chips: (groups ?? []).map((g) => g.join(' + ')) });

/** What a paired difference (a − b) says, given which sign is good for the selection. */
export function pairedVerdict(d: IntervalJson | null | undefined, negativeIsBetter: boolean): string {
  if (!d || !isFiniteNumber(d.mean)) return 'n/a';
  if (d.mean === 0 && d.low === 0 && d.high === 0) return 'identical grouping';
  if (!isFiniteNumber(d.low) || !isFiniteNumber(d.high)) return 'interval unknown';
  const better = negativeIsBetter ? d.high < 0 : d.low > 0;
  const worse = negativeIsBetter ? d.low > 0 : d.high < 0;
  return better ? 'selection better' : worse ? 'selection worse' : 'no significant difference';
}

export function drawGroupingChecks(container: HTMLElement, data: GroupingView): void {
  closedLoopTable(container, data);
  clusteringTable(container, data);
  earlyStoppingTable(container, data);
  robustnessTable(container, data);
}

/** The closed loop: the recommended grouping and its baselines trained again on fresh seeds. */
export function closedLoopTable(container: HTMLElement, data: GroupingView): void {
  const level = levelText(data.level);
  const chosen = data.chosenBudget?.budget;
  const loop = data.closedLoop;
  if (loop) {
    viewHeading(container, 'Closed loop on fresh seeds');
    viewNote(
      container,
      `The recommended grouping${chosen !== undefined ? ` (${plural(chosen, 'network')})` : ''} and its baselines, trained again on seed${loop.seeds.length === 1 ? '' : 's'} ${loop.seeds.join(', ')} that the sweep never used (${plural(loop.actual.n ?? 0, 'seed')}, each seed's folds averaged). Predicted ${formatNumber(loop.predicted)}, measured ${formatSpan(loop.actual)}. The difference is the selection's total test loss minus the baseline's, paired by seed: negative = the selection is better.`,
    );
    const predicted = loop.baselines.some((b) => b.predicted !== undefined);
    dataTable(
      container,
      'closed-loop',
      `Total test loss on the fresh seeds (${level} intervals; lower is better)${predicted ? ', next to what the sweep predicted' : ''}.`,
      [
        { label: 'Grouping' },
        ...(predicted ? [{ label: 'Predicted', num: true }] : []),
        { label: 'Measured loss', num: true },
        { label: 'Selection \u2212 baseline', num: true },
        { label: 'Verdict' },
      ],
      [
        [
          { text: 'recommended grouping (selection)', className: 'selection' },
          ...(predicted ? [formatNumber(loop.predicted)] : []),
          formatSpan(loop.actual),
          '\u2014',
          '\u2014',
        ],
        ...loop.baselines.map((b) => [
          b.name,
          ...(predicted ? [b.predicted === undefined ? '\u2014' : formatNumber(b.predicted)] : []),
          formatSpan(b.actual),
          formatSpan(b.selectedMinusBaseline, true),
          pairedVerdict(b.selectedMinusBaseline, true),
        ]),
      ],
      (k) => (k === 0 ? 'selection' : null),
    );
  }
}

/** Clustering instead of exact selection, priced with the same test losses. */
export function clusteringTable(container: HTMLElement, data: GroupingView): void {
  const level = levelText(data.level);
  const clustering = data.clustering ?? [];
  if (clustering.length) {
    viewHeading(container, 'Clustering instead of exact selection');
    viewNote(
      container,
      'The fast alternative: cluster the symmetric affinity of the validation losses (Louvain at the number of communities it finds, average linkage at every budget) and price each clustering with the same test losses. The difference is clustering minus exact selection at the same budget, paired by seed: positive = the selection is better. ARI 1 = the same grouping as the selection.',
    );
    dataTable(
      container,
      'clustering',
      '',
      [
        { label: 'Method' },
        { label: 'Budget', num: true },
        { label: 'Groups' },
        { label: `Predicted loss [${level}]`, num: true },
        { label: 'Clustering \u2212 selection', num: true },
        { label: 'ARI', num: true },
      ],
      clustering.map((c) => [
        c.method,
        String(c.budget),
        chips(c.groups),
        formatSpan(c.predicted),
        c.versusSelection ? formatSpan(c.versusSelection, true) : 'no selection at this budget',
        formatFixed(c.ari),
      ]),
    );
  }
}

/** Whether losses after fewer epochs pick the same grouping. */
export function earlyStoppingTable(container: HTMLElement, data: GroupingView): void {
  const level = levelText(data.level);
  const chosen = data.chosenBudget?.budget;
  if (data.earlyStopping === null) {
    viewHeading(container, 'Early stopping');
    viewNote(
      container,
      "The sweep's journal predates per-epoch losses: rerun the sweep into a fresh folder to see whether fewer epochs would pick the same grouping.",
    );
  } else if (data.earlyStopping?.length) {
    viewHeading(container, 'Early stopping');
    viewNote(
      container,
      `Would losses after fewer epochs pick the same grouping? Spearman compares that epoch's gain matrix with full training; its grouping${chosen !== undefined ? ` at budget ${chosen}` : ''} is scored with full-training losses, and the regret is its loss minus the recommended grouping's (positive = stopping early costs loss).`,
    );
    dataTable(
      container,
      'early-stopping',
      '',
      [
        { label: 'Epochs', num: true },
        { label: 'Training cost', num: true },
        { label: 'Spearman', num: true },
        { label: 'Grouping' },
        { label: 'ARI', num: true },
        { label: `Regret [${level}]`, num: true },
      ],
      data.earlyStopping.map((e) => [
        String(e.epochs),
        isFiniteNumber(e.costShare) ? percent(e.costShare) : 'n/a',
        formatFixed(e.spearman),
        chips(e.groups),
        formatFixed(e.ari),
        formatSpan(e.regret, true),
      ]),
    );
  }
}

/** Bootstrap stability of the grouping and the error of the pairwise approximation. */
export function robustnessTable(container: HTMLElement, data: GroupingView): void {
  const chosen = data.chosenBudget?.budget;
  const stability = data.stability;
  const approximation = data.pairwiseApproximation;
  if (stability || approximation) {
    viewHeading(container, 'Robustness');
    const rows: string[][] = [];
    if (stability)
      rows.push([
        'Bootstrap stability',
        `the same grouping${chosen !== undefined ? ` at budget ${chosen}` : ''} in ${percent(stability.sameGrouping)} of ${plural(stability.draws, 'resample')} of the seeds; mean ARI with it ${formatFixed(stability.meanAri)}`,
      ]);
    if (approximation)
      rows.push([
        'Pairwise approximation',
        `${plural(approximation.groups.length, 'trained group')} of 3+ tasks: mean |error| of the loss predicted from pairs ${formatNumber(approximation.meanAbsError, 3)} (${isFiniteNumber(approximation.meanRelError) ? `${formatNumber(approximation.meanRelError * 100, 2)}%` : 'n/a'} of the loss)`,
      ]);
    dataTable(container, 'robustness', '', [{ label: 'Check' }, { label: 'Result' }], rows);
  }
}
