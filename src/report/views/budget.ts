/** The grouping section (Node side: file, reader, data, intro; drawn by draw/budget.ts). */
import type { GroupingReport } from '../html/input.js';
import { readGrouping } from '../html/read.js';
import { checkGrouping } from '../html/validate.js';
import type { FileSection } from './section.js';
import { DEFAULT_LEVEL } from '../../options/inferenceDefaults.js';

/** Always the object form; `level` filled from the affinity file when grouping.json lacks it. */
export type GroupingView = GroupingReport & { level: number };

export const groupingSection: FileSection<'grouping', GroupingReport, GroupingView> = {
  key: 'grouping',
  nav: 'Grouping',
  title: 'Task grouping by budget',
  file: 'grouping.json',
  read: readGrouping,
  check: checkGrouping,
  data(grouping, a) {
    if (!grouping.curve.length) return undefined;
    const {
      curve,
      level,
      chosenBudget,
      infeasibleBudgets,
      clustering,
      earlyStopping,
      stability,
      pairwiseApproximation,
      closedLoop,
      decision,
      warnings,
      candidates,
      optimalOverEveryGroup,
    } = grouping;
    return {
      curve,
      level: level ?? a.level ?? DEFAULT_LEVEL,
      chosenBudget,
      infeasibleBudgets,
      clustering,
      earlyStopping,
      stability,
      pairwiseApproximation,
      closedLoop,
      decision,
      warnings,
      candidates,
      optimalOverEveryGroup,
    };
  },
  intro(g) {
    const level = `${Math.round(g.level * 100)}%`;
    const checks = [
      g.closedLoop && 'a closed-loop check on fresh seeds',
      g.clustering?.length && 'clustering alternatives',
      g.earlyStopping !== undefined && 'early stopping',
      (g.stability || g.pairwiseApproximation) && 'robustness',
    ].filter((x): x is string => typeof x === 'string');
    return `The best networks for each number of networks (a task may be in several; the best of them serves it) and their total test loss${g.curve.some((p) => p.predictedInterval) ? ` (selected on validation loss, scored on test loss), with ${level} interval whiskers over replications` : ''}${g.curve.some((p) => p.actualLoss) ? '; diamonds are the losses measured after training those groups on fresh seeds (closed loop), with their intervals' : ''}.${g.chosenBudget ? ' The shaded band and ring mark the recommended budget.' : ''}${checks.length ? ` Below: ${checks.join(', ').replace(/, ([^,]*)$/, ' and $1')}.` : ''}`;
  },
};
