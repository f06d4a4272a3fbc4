import { seededRandom, type Random } from '../../src/data/random.js';
import { combinations } from '../../src/math/combinations.js';
import type { GroupLoss, LossTable } from '../../src/grouping/lossTable.js';

const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `t${i}`);

/**
 * Singles, all pairs, each larger group with probability `largerShare`, and the full group when `withAll`: every
 * task's loss in a group is its single loss times a random factor in [0.7, 1.3], so groups overlap and disagree.
 */
export function randomLossTable(taskCount: number, seed: number, largerShare = 0.3, withAll = true): LossTable {
  const random = seededRandom(seed, 7);
  const single = Array.from({ length: taskCount }, () => 0.5 + random());
  const entries: GroupLoss[] = [];
  for (let k = 1; k <= taskCount; k++)
    for (const group of combinations(taskCount, k)) {
      const keep = k <= 2 || (k === taskCount ? withAll : random() < largerShare);
      if (keep) entries.push({ group, loss: group.map((t) => single[t] * (k === 1 ? 1 : 0.7 + 0.6 * random())) });
    }
  return { taskNames: names(taskCount), entries };
}

/** Planted labels: `clusters` blocks of `size` consecutive tasks. */
export const plantedLabels = (clusters: number, size: number): number[] =>
  Array.from({ length: clusters * size }, (_, t) => Math.floor(t / size));

/**
 * One seed's singles and pairs with planted clusters: a pair within a cluster lowers each task's loss by about 20%,
 * a pair across clusters raises it by about 15%, with seed noise of sd `noise` on the ratio.
 */
export function plantedSeedTable(labels: readonly number[], random: Random, noise = 0.03): LossTable {
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const single = labels.map((_, t) => 1 + 0.1 * t);
  const entries: GroupLoss[] = labels.map((_, t) => ({ group: [t], loss: [single[t] * (1 + noise * normal())] }));
  for (const [i, j] of combinations(labels.length, 2)) {
    const ratio = labels[i] === labels[j] ? 0.8 : 1.15;
    entries.push({
      group: [i, j],
      loss: [entries[i].loss[0] * (ratio + noise * normal()), entries[j].loss[0] * (ratio + noise * normal())],
    });
  }
  return { taskNames: names(labels.length), entries };
}
