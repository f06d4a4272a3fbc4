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

/** Per-task statistics of the target table (with danfojs), recorded next to every result. */
export async function describeDataset(ds: Dataset): Promise<DatasetSummary> {
  // Loaded on demand: danfojs-node takes about 2 s to import.
  const dfd = await import('danfojs-node');
  const T = ds.taskNames.length;
  const rows = Array.from({ length: ds.rows }, (_, r) => Array.from(ds.targets.subarray(r * T, (r + 1) * T)));
  const frame = new dfd.DataFrame(rows, { columns: ds.taskNames });
  const column = (series: { values: unknown[] }): number[] => series.values as number[];
  const [mean, sd, min, max] = [
    frame.mean({ axis: 0 }),
    frame.std({ axis: 0 }),
    frame.min({ axis: 0 }),
    frame.max({ axis: 0 }),
  ].map(column);
  return {
    rows: ds.rows,
    features: ds.featureNames.length,
    tasks: ds.taskNames.map((name, t) => ({
      name,
      kind: ds.taskKinds[t],
      mean: mean[t],
      sd: sd[t],
      min: min[t],
      max: max[t],
    })),
  };
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
