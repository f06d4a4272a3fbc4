import type { Dataset, TaskKind } from './dataset.js';

export interface TaskSummary {
  name: string;
  kind: TaskKind;
  /** For a binary task: the share of positive rows. */
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export interface DatasetSummary {
  rows: number;
  features: number;
  tasks: TaskSummary[];
}

/** Below this many positive (or negative) rows, a binary task's test loss is too noisy to compare. */
export const RARE_LABEL_ROWS = 50;

/**
 * Per-task statistics of the target table (mean, sample standard deviation, min, max), recorded next to every result.
 * One pass of plain arithmetic: a data-frame library (danfojs-node, which loads tfjs and mathjs) took 1.6 s of every
 * run's start-up for these four numbers per column.
 */
export function describeDataset(ds: Dataset): DatasetSummary {
  const T = ds.taskNames.length;
  const tasks = ds.taskNames.map((name, t) => {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < ds.rows; r++) {
      const value = ds.targets[r * T + t];
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    const mean = sum / ds.rows;
    let squares = 0;
    for (let r = 0; r < ds.rows; r++) squares += (ds.targets[r * T + t] - mean) ** 2;
    return { name, kind: ds.taskKinds[t], mean, sd: Math.sqrt(squares / (ds.rows - 1)), min, max };
  });
  return { rows: ds.rows, features: ds.featureNames.length, tasks };
}

/** One line per concern a user should know before trusting the matrix. */
export function dataWarnings(summary: DatasetSummary): string[] {
  return summary.tasks
    .filter((t) => t.kind === 'binary' && Math.min(t.mean, 1 - t.mean) * summary.rows < RARE_LABEL_ROWS)
    .map((t) => {
      const minority = Math.round(Math.min(t.mean, 1 - t.mean) * summary.rows);
      return `task '${t.name}' has only ${minority} ${t.mean < 0.5 ? 'positive' : 'negative'} rows of ${summary.rows}: its test losses, and its gains, are noisy`;
    });
}

export function summaryLine(source: string, summary: DatasetSummary): string {
  const binary = summary.tasks.filter((t) => t.kind === 'binary');
  const rates = binary.map((t) => t.mean);
  const kinds =
    binary.length === summary.tasks.length
      ? 'binary'
      : binary.length === 0
        ? 'regression'
        : `${binary.length} binary, ${summary.tasks.length - binary.length} regression`;
  const rateText = rates.length
    ? `; positive rates ${Math.min(...rates).toFixed(3)}–${Math.max(...rates).toFixed(3)}`
    : '';
  return `${source}: ${summary.rows} rows, ${summary.features} features, ${summary.tasks.length} tasks (${kinds}${rateText})`;
}
