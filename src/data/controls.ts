import type { Dataset } from './dataset.js';
import { permutation, seededRandom } from './random.js';

/** Tasks appended as negative controls: the index of the real task each one permutes. */
export interface NullControls {
  dataset: Dataset;
  /** For every task of the returned dataset: the real task a control permutes, or -1 for a real task. */
  controlOf: number[];
}

/** Null control c's name is this prefix and the name of the task it permutes. */
const nullControlPrefix = (c: number): string => `null${c + 1}:`;

/** A task name `withNullControls` gave a null control. */
export const isNullControlName = (name: string): boolean => /^null\d+:/.test(name);

/**
 * Appends `count` null tasks, each a row-permuted copy of a real task's labels (same base rate, no relation to the
 * features). Their gains show what "adding any second task" does under the chosen protocol: the null distribution.
 */
export function withNullControls(ds: Dataset, count: number, seed = 0): NullControls {
  const T = ds.taskNames.length;
  const total = T + count;
  const targets = new Float32Array(ds.rows * total);
  for (let r = 0; r < ds.rows; r++) targets.set(ds.targets.subarray(r * T, (r + 1) * T), r * total);
  const controlOf = ds.taskNames.map(() => -1);
  const taskNames = [...ds.taskNames];
  for (let c = 0; c < count; c++) {
    const source = c % T;
    const order = permutation(ds.rows, seededRandom(seed + c, 13));
    for (let r = 0; r < ds.rows; r++) targets[r * total + T + c] = ds.targets[order[r] * T + source];
    controlOf.push(source);
    let name = `${nullControlPrefix(c)}${ds.taskNames[source]}`;
    while (taskNames.includes(name)) name += '_';
    taskNames.push(name);
  }
  return {
    dataset: {
      ...ds,
      taskNames,
      taskKinds: [...ds.taskKinds, ...controlOf.slice(T).map((s) => ds.taskKinds[s])],
      targets,
    },
    controlOf,
  };
}
