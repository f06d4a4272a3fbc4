import { combinations } from '../../src/grouping/higherOrder.js';
import { seededRandom } from '../../src/data/random.js';

export interface LongRow {
  network: string;
  task: string;
  seed: number;
  split: 'validation' | 'test';
  loss: number;
  epoch?: number;
}

/**
 * Long-format rows with planted clusters: a task's loss drops 20% with a partner of its own cluster and rises 10% with
 * any other; larger groups average their pairs' effects. Seed noise of about 1%; validation 2% above test.
 */
export function plantedLongRows(tasks: string[], clusterOf: number[], seeds: number, larger: number[][] = []): LongRow[] {
  const random = seededRandom(3, 5);
  const rows: LongRow[] = [];
  const groups = [...combinations(tasks.length, 1), ...combinations(tasks.length, 2), ...larger];
  for (let seed = 0; seed < seeds; seed++)
    for (const group of groups)
      for (const t of group) {
        const others = group.filter((u) => u !== t);
        const effect = others.length ? others.reduce((s, u) => s + (clusterOf[u] === clusterOf[t] ? 0.8 : 1.1), 0) / others.length : 1;
        const test = (0.5 + 0.1 * t) * effect * (1 + 0.01 * (random() - 0.5));
        const network = group.map((u) => tasks[u]).join('+');
        rows.push({ network, task: tasks[t], seed, split: 'test', loss: test }, { network, task: tasks[t], seed, split: 'validation', loss: test * 1.02 });
      }
  return rows;
}

export const longCsv = (rows: LongRow[]): string =>
  ['network,task,seed,split,loss' + (rows[0].epoch === undefined ? '' : ',epoch'), ...rows.map((r) => [r.network, r.task, r.seed, r.split, r.loss, ...(r.epoch === undefined ? [] : [r.epoch])].join(','))].join('\n') + '\n';

export const longJsonLines = (rows: object[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
