import { pearson } from '../affinity/stats.js';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import { targetColumn, type TargetColumn } from '../data/targets.js';

/** Where an auxiliary task comes from (Ruder 2017, section 7). */
export type CandidateKind = 'task' | 'future' | 'smoother' | 'moved' | 'autoencoder';

/** A candidate's target columns and the input features it takes away, for one replication. */
export interface ResolvedCandidate {
  targets: TargetColumn[];
  /** Feature indices removed from the inputs (a feature predicted as an output is never also an input). */
  dropped: number[];
}

export interface AuxiliaryCandidate {
  name: string;
  kind: CandidateKind;
  /** How its columns are chosen. */
  rule: string;
  /** Its columns given one replication's training rows (the rule-based kinds choose on those rows only). */
  resolve(train: ArrayLike<number>): ResolvedCandidate;
}

export interface CandidateOptions {
  main: number;
  /** Each of the k features with the largest |Pearson r| with the main label on the training rows, moved to the output alone. */
  moveEach: number;
  /** Those top k features moved together, as one candidate (k < 2: none). */
  moveSet: number;
  /** Features moved alone by name. */
  moveFeatures: string[];
  /** Reconstruct the standardised inputs as one many-output regression head. */
  autoencoder: boolean;
  /** The target-only column that is the main target's smoother version. */
  smoother?: string;
}

/** Features by |Pearson r| with the main label over the given rows, strongest first (ties by column order). */
export function featuresByCorrelation(ds: Dataset, main: number, rows: ArrayLike<number>): number[] {
  const d = ds.featureNames.length;
  const T = ds.taskNames.length;
  const label = Array.from(rows, (r) => ds.targets[r * T + main]);
  const strength = ds.featureNames.map((_, c) => {
    const r = pearson(
      Array.from(rows, (row) => ds.features[row * d + c]),
      label,
    );
    return Number.isFinite(r) ? Math.abs(r) : 0;
  });
  return strength
    .map((s, c) => [s, c])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .map(([, c]) => c);
}

/**
 * The candidate auxiliaries of a main task that the data offers: every other task, every auxiliary-only column (known
 * only after prediction time), the main target's smoother version, input features moved to the output side (each of
 * the top-k by correlation with the main label alone, the top-k together, and any named ones) and an input autoencoder.
 */
export function auxiliaryCandidates(ds: Dataset, options: CandidateOptions): AuxiliaryCandidate[] {
  const { main } = options;
  const fixed = (
    name: string,
    kind: CandidateKind,
    rule: string,
    targets: TargetColumn[],
    dropped: number[] = [],
  ): AuxiliaryCandidate => ({
    name,
    kind,
    rule,
    resolve: () => ({ targets, dropped }),
  });
  const targetOnly = ds.targetOnlyNames ?? [];
  if (options.smoother !== undefined && !targetOnly.includes(options.smoother))
    throw new InputError(
      `smoother column '${options.smoother}' is not among the definition's target-only columns (${targetOnly.join(', ') || 'none'})`,
    );
  const candidates = [
    ...ds.taskNames.flatMap((name, t) =>
      t === main
        ? []
        : [fixed(`task:${name}`, 'task', 'another task of the definition', [targetColumn(ds, 'task', t)])],
    ),
    ...targetOnly.flatMap((name, c) => {
      const smoother = name === options.smoother;
      return [
        fixed(
          `${smoother ? 'smoother' : 'future'}:${name}`,
          smoother ? 'smoother' : 'future',
          smoother
            ? "the main target's smoother (less quantised) version"
            : 'auxiliary-only column (known after prediction time)',
          [targetColumn(ds, 'targetOnly', c)],
        ),
      ];
    }),
  ];
  let lastRows: ArrayLike<number> | undefined;
  let lastOrder: number[] = [];
  const ranked = (train: ArrayLike<number>): number[] => {
    if (train !== lastRows) [lastRows, lastOrder] = [train, featuresByCorrelation(ds, main, train)];
    return lastOrder;
  };
  const moved = (features: number[]): ResolvedCandidate => ({
    targets: features.map((f) => targetColumn(ds, 'feature', f)),
    dropped: features,
  });
  const byCorrelation = `by |Pearson r| with ${ds.taskNames[main]} on the replication's training rows`;
  const each = Math.min(options.moveEach, ds.featureNames.length - 1);
  for (let rank = 1; rank <= each; rank++)
    candidates.push({
      name: `moved:rank${rank}`,
      kind: 'moved',
      rule: `input feature ranked ${rank} ${byCorrelation}, moved to the output`,
      resolve: (train) => moved([ranked(train)[rank - 1]]),
    });
  const set = Math.min(options.moveSet, ds.featureNames.length - 1);
  if (set >= 2)
    candidates.push({
      name: `moved:top${set}`,
      kind: 'moved',
      rule: `the ${set} input features ranked first ${byCorrelation}, moved to the output together`,
      resolve: (train) => moved(ranked(train).slice(0, set)),
    });
  for (const name of options.moveFeatures) {
    const f = ds.featureNames.indexOf(name);
    if (f < 0) throw new InputError(`--move '${name}' is not an input feature of the definition`);
    candidates.push({
      name: `moved:${name}`,
      kind: 'moved',
      rule: 'named input feature, moved to the output',
      resolve: () => moved([f]),
    });
  }
  if (options.autoencoder)
    candidates.push(
      fixed(
        'autoencoder',
        'autoencoder',
        `reconstruct all ${ds.featureNames.length} standardised inputs (one regression head, its loss the mean over them)`,
        ds.featureNames.map((_, f) => targetColumn(ds, 'feature', f)),
      ),
    );
  return candidates;
}
