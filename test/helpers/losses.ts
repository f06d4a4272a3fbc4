import { combinations } from '../../src/math/combinations.js';
import { seededRandom } from '../../src/data/random.js';

export interface LongRow {
  network: string;
  task: string;
  seed: number;
  split: 'validation' | 'test';
  loss: number;
  epoch?: number;
  examples?: number[];
}

/**
 * Long-format rows with planted clusters: a task's loss drops 20% with a partner of its own cluster and rises 10% with
 * any other; larger groups average their pairs' effects. Seed noise of about 1%; validation 2% above test.
 */
export function plantedLongRows(
  tasks: string[],
  clusterOf: number[],
  seeds: number,
  larger: number[][] = [],
): LongRow[] {
  const random = seededRandom(3, 5);
  const rows: LongRow[] = [];
  const groups = [...combinations(tasks.length, 1), ...combinations(tasks.length, 2), ...larger];
  for (let seed = 0; seed < seeds; seed++)
    for (const group of groups)
      for (const t of group) {
        const others = group.filter((u) => u !== t);
        const effect = others.length
          ? others.reduce((s, u) => s + (clusterOf[u] === clusterOf[t] ? 0.8 : 1.1), 0) / others.length
          : 1;
        const test = (0.5 + 0.1 * t) * effect * (1 + 0.01 * (random() - 0.5));
        const network = group.map((u) => tasks[u]).join('+');
        rows.push(
          { network, task: tasks[t], seed, split: 'test', loss: test },
          { network, task: tasks[t], seed, split: 'validation', loss: test * 1.02 },
        );
      }
  return rows;
}

/** Rows as the long-format CSV, with the optional columns the first row has (per-example losses separated by spaces). */
export function longCsv(rows: LongRow[]): string {
  const optional = (['epoch', 'examples'] as const).filter((name) => rows[0][name] !== undefined);
  const cell = (value: unknown): string =>
    Array.isArray(value) ? value.join(' ') : value === undefined ? '' : String(value);
  return `${[
    `network,task,seed,split,loss${optional.map((name) => `,${name}`).join('')}`,
    ...rows.map((r) =>
      [r.network, r.task, r.seed, r.split, r.loss, ...optional.map((name) => cell(r[name]))].join(','),
    ),
  ].join('\n')}\n`;
}

/**
 * Planted clusters example by example: each test row carries `examples` per-example losses, a task's own difficulty
 * per example times 0.8 with a partner of its own cluster (1.1 with any other), with 5% noise per example; its loss is
 * their mean. Validation losses are 2% above test.
 */
export function plantedExampleRows(tasks: string[], clusterOf: number[], seeds: number, examples: number): LongRow[] {
  const random = seededRandom(4, 6);
  const rows: LongRow[] = [];
  for (let seed = 0; seed < seeds; seed++) {
    const difficulty = tasks.map(() => Array.from({ length: examples }, () => 0.2 + random()));
    for (const group of [...combinations(tasks.length, 1), ...combinations(tasks.length, 2)])
      for (const t of group) {
        const partner = group.find((u) => u !== t);
        const effect = partner === undefined ? 1 : clusterOf[partner] === clusterOf[t] ? 0.8 : 1.1;
        const losses = difficulty[t].map((d) => d * effect * (1 + 0.05 * (random() - 0.5)));
        const loss = losses.reduce((sum, l) => sum + l, 0) / examples;
        const network = group.map((u) => tasks[u]).join('+');
        rows.push(
          { network, task: tasks[t], seed, split: 'test', loss, examples: losses },
          { network, task: tasks[t], seed, split: 'validation', loss: loss * 1.02 },
        );
      }
  }
  return rows;
}

export const longJsonLines = (rows: object[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
