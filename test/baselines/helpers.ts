import { plantedClusters, type PlantedClustersOptions } from '../../src/data/synthetic.js';
import { baselineData, type TaskData } from '../../src/baselines/data.js';

/** Planted-cluster data with the first `trainRows` rows for training and the rest as a large, precise test set. */
export function plantedTables(
  options: Partial<PlantedClustersOptions>,
  trainRows: number,
): { train: TaskData; test: TaskData; clusterOf: number[]; groups: number[][] } {
  const { dataset, clusterOf } = plantedClusters(options);
  const range = (from: number, to: number): Int32Array => Int32Array.from({ length: to - from }, (_, i) => from + i);
  // baselineData merges validation into training: give it one row so the split is well-formed.
  const { train, test } = baselineData(dataset, {
    train: range(0, trainRows - 1),
    validation: range(trainRows - 1, trainRows),
    test: range(trainRows, dataset.rows),
  });
  const clusters = Math.max(...clusterOf) + 1;
  const groups = Array.from({ length: clusters }, (_, c) => clusterOf.flatMap((k, t) => (k === c ? [t] : [])));
  return { train, test, clusterOf, groups };
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Largest absolute difference between two equally shaped number grids. */
export const maxAbsDifference = (a: number[][], b: number[][]): number =>
  Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i][j]))));
