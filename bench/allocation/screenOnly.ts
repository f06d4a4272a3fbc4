/**
 * What the short-run screen alone can decide, and whether calibrating it could help: the grouping selected on short runs
 * of every single and pair on the given pool seeds (their mean relative gains on the first seed's full-length single
 * losses), as they are, and calibrated by the least-squares line from their gains to the reference sweep's full-length
 * gains. That line is an oracle no strategy has: the best any linear calibration of these short runs could do. Its honest
 * counterpart: the line fitted on a random share of the pairs trained in full on the first seed (a calibration sample
 * chosen without regard to the decision), with what that costs.
 */
import type { LossTable } from '../../src/grouping/lossTable.js';
import { epochsTrained, type EngineSettings } from '../../src/engine/settings.js';
import type { NetworkRecord, Records } from '../../src/sweep/journal.js';
import { lossesAtEpoch } from '../../src/sweep/record.js';
import { networkId, type Group } from '../../src/sweep/plan.js';
import { permutation, seededRandom } from '../../src/data/random.js';
import { spearman } from '../../src/affinity/stats.js';
import { decide, regretOf, type Reference } from './simulate.js';

export interface ScreenOnly {
  /** Network-epochs of the screen: singles and pairs short on two seeds, the singles in full on the first. */
  networkEpochs: number;
  asTheyAre: number;
  oracle: number;
  /** Per share of the pairs: a random sample of them trained in full on the first seed, calibrating the short runs. */
  sampled: {
    share: number;
    networkEpochs: number;
    regret: number;
    spearman: number;
    r2: number;
    slope: number;
    intercept: number;
  }[];
}

export function screenOnly(
  pool: Records,
  seeds: number[],
  referenceSeeds: number[],
  taskNames: string[],
  engine: EngineSettings,
  shortEpochs: number,
  reference: Reference,
  budgets: number[],
  maxGroupSize: number,
  sampleShares: number[] = [0.1, 0.2, 0.3],
): ScreenOnly {
  const T = taskNames.length;
  const record = (seed: number, group: Group): NetworkRecord => {
    const found = pool.get(networkId(`s${seed}`, group));
    if (!found) throw new Error(`the pool lacks network ${networkId(`s${seed}`, group)}`);
    return found;
  };
  const loss = (r: NetworkRecord, task: number, epochs?: number): number => {
    const k = r.group.indexOf(task);
    if (epochs === undefined) return r.validationLoss[k];
    const early = lossesAtEpoch(r, epochs);
    if (!early) throw new Error(`pool network ${r.id} has no losses at epoch ${epochs}`);
    return early.validation[k];
  };
  const gain = (over: number[], i: number, j: number, epochs?: number): number =>
    over.reduce(
      (sum, seed) =>
        sum + 1 - loss(record(seed, i < j ? [i, j] : [j, i]), i, epochs) / loss(record(seed, [i]), i, epochs),
      0,
    ) / over.length;
  const cells: [number, number][] = [];
  for (let i = 0; i < T; i++) for (let j = 0; j < T; j++) if (i !== j) cells.push([i, j]);
  const short = cells.map(([i, j]) => gain(seeds, i, j, shortEpochs));
  const truth = cells.map(([i, j]) => gain(referenceSeeds, i, j));
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [mx, my] = [mean(short), mean(truth)];
  const slope =
    short.reduce((a, x, k) => a + (x - mx) * (truth[k] - my), 0) / short.reduce((a, x) => a + (x - mx) ** 2, 0);
  const single = taskNames.map((_, t) => loss(record(seeds[0], [t]), t));
  const regret = (gainOf: (k: number) => number): number => {
    const byCell = new Map(cells.map(([i, j], k) => [`${i},${j}`, single[i] * (1 - gainOf(k))]));
    const table: LossTable = {
      taskNames,
      entries: [
        ...single.map((l, t) => ({ group: [t], loss: [l] })),
        ...cells
          .filter(([i, j]) => i < j)
          .map(([i, j]) => ({ group: [i, j], loss: [byCell.get(`${i},${j}`) ?? NaN, byCell.get(`${j},${i}`) ?? NaN] })),
      ],
    };
    return regretOf(decide(table, budgets, maxGroupSize), reference);
  };
  let networkEpochs = 0;
  for (const seed of seeds)
    for (const group of [...taskNames.map((_, t) => [t]), ...cells.filter(([i, j]) => i < j)])
      networkEpochs += Math.min(shortEpochs, epochsTrained(engine, record(seed, group).bestEpoch));
  for (let t = 0; t < T; t++) networkEpochs += epochsTrained(engine, record(seeds[0], [t]).bestEpoch);
  const pairList = cells.filter(([i, j]) => i < j);
  const order = permutation(pairList.length, seededRandom(seeds[0], 7));
  const cellIndex = new Map(cells.map(([i, j], k) => [`${i},${j}`, k]));
  const sampled = sampleShares.map((share) => {
    const chosen = Array.from(order.slice(0, Math.max(3, Math.round(share * pairList.length))), (k) => pairList[k]);
    const xs: number[] = [];
    const ys: number[] = [];
    let cost = 0;
    for (const [i, j] of chosen) {
      cost += epochsTrained(engine, record(seeds[0], [i, j]).bestEpoch);
      for (const [a, b] of [
        [i, j],
        [j, i],
      ]) {
        xs.push(short[cellIndex.get(`${a},${b}`) as number]);
        ys.push(gain([seeds[0]], a, b));
      }
    }
    const [sx, sy] = [mean(xs), mean(ys)];
    const sxx = xs.reduce((a, x) => a + (x - sx) ** 2, 0);
    const b = Math.max(0, xs.reduce((a, x, k) => a + (x - sx) * (ys[k] - sy), 0) / sxx);
    const syy = ys.reduce((a, y) => a + (y - sy) ** 2, 0);
    const rss = ys.reduce((a, y, k) => a + (y - sy - b * (xs[k] - sx)) ** 2, 0);
    return {
      share,
      networkEpochs: networkEpochs + cost,
      regret: regret((k) => sy + b * (short[k] - sx)),
      spearman: spearman(xs, ys),
      r2: 1 - rss / syy,
      slope: b,
      intercept: sy - b * sx,
    };
  });
  return {
    networkEpochs,
    asTheyAre: regret((k) => short[k]),
    oracle: regret((k) => my + slope * (short[k] - mx)),
    sampled,
  };
}
