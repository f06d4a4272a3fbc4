import { approximateGroupLoss } from './higherOrder.js';
import { groupKey } from '../sweep/plan.js';
import { LossLookup } from './lossTable.js';
import { selectNetworks, type SelectionMethod } from './select.js';
import type { Selection, SelectionStatus } from './selection.js';

/**
 * A network with a price: Standley et al. offer half-size single-task networks at cost 1/2 beside full-size networks
 * at cost 1, so the same task set may appear twice, told apart by its cost.
 */
export interface CostedNetwork {
  group: number[];
  loss: number[];
  cost: number;
  /** Its losses are the pairwise approximation, not a measurement. */
  approximated: boolean;
}

/** A network's label, e.g. `~a+b+c` (approximated from pairs) or `a@0.5` (cost other than 1). */
export const costedLabel = (n: Pick<CostedNetwork, 'group' | 'cost' | 'approximated'>, taskNames: string[]): string =>
  `${n.approximated ? '~' : ''}${n.group.map((t) => taskNames[t]).join('+')}${n.cost === 1 ? '' : `@${n.cost}`}`;

const networkKey = (n: { group: readonly number[]; cost: number }): string => `${groupKey(n.group)}@${n.cost}`;

/**
 * Standley et al.'s higher-order approximation over a set of networks: every full-size network of 3+ tasks is replaced
 * by the mean of its tasks' pair losses (main.cpp's higher_order_approximation); singles, pairs and half-size networks
 * stay measured. Needs every full-size pair.
 */
export function approximateHigherOrder(networks: readonly CostedNetwork[], taskNames: string[]): CostedNetwork[] {
  const full = networks.filter((n) => n.cost === 1 && n.group.length <= 2);
  const lookup = new LossLookup({ taskNames, entries: full.map(({ group, loss }) => ({ group, loss })) });
  return networks.map((n) =>
    n.group.length >= 3 ? { ...n, loss: approximateGroupLoss(lookup, n.group), approximated: true } : n,
  );
}

export interface CostedPoint {
  budget: number;
  method: SelectionMethod;
  status: SelectionStatus;
  /** The chosen networks with the losses they were chosen on. */
  networks: CostedNetwork[];
  cost: number;
  /** Sum over tasks of the loss each was chosen with. */
  selectedTotal: number;
  /** Standley's score (main.cpp): each task's lowest test loss among the chosen networks. */
  testTotal: number;
  /** Each task's test loss in the network that served it on the selection losses (the toolkit's own scoring rule). */
  servedTestTotal: number;
}

/**
 * Selects within every budget on `selectOn` (validation losses, their early-stopping values, or an approximation) and
 * scores the choice on `test`, which must hold every chosen network (same tasks, same cost).
 */
export async function costedCurve(
  selectOn: readonly CostedNetwork[],
  test: readonly CostedNetwork[],
  taskCount: number,
  budgets: readonly number[],
  method: 'auto' | SelectionMethod = 'auto',
): Promise<CostedPoint[]> {
  const problem = { taskCount, candidates: selectOn.map(({ group, loss, cost }) => ({ group, loss, cost })) };
  const testOf = new Map(test.map((n) => [networkKey(n), n]));
  const points: CostedPoint[] = [];
  for (const budget of budgets) {
    const selection: Selection = await selectNetworks(problem, budget, { method });
    const networks = selection.networks.map((c) => selectOn[c]);
    const scored = networks.map((n) => {
      const found = testOf.get(networkKey(n));
      if (!found)
        throw new RangeError(`the test losses lack the network of tasks ${n.group.join('+')} at cost ${n.cost}`);
      return found;
    });
    const lowest = Array.from({ length: taskCount }, (_, t) =>
      Math.min(...scored.flatMap((n) => (n.group.includes(t) ? [n.loss[n.group.indexOf(t)]] : []))),
    );
    const served = selection.assignment.map((k, t) => (k < 0 ? NaN : scored[k].loss[scored[k].group.indexOf(t)]));
    const sum = (xs: number[]): number => xs.reduce((s, x) => s + x, 0);
    points.push({
      budget,
      method: selection.method,
      status: selection.status,
      networks,
      cost: selection.cost,
      selectedTotal: selection.totalLoss,
      testTotal: networks.length ? sum(lowest) : NaN,
      servedTestTotal: networks.length ? sum(served) : NaN,
    });
  }
  return points;
}
