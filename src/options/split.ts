import { z } from '../vendor/zod.js';
import { PROTOCOL_FRACTIONS } from '../data/split.js';
import { integer, kindOf, oneOf, share, withDefault } from './option.js';

/** Most seeds one sweep may ask for (each seed is a full replication of the sweep). */
export const MAX_SEED_COUNT = 1000;
/** Largest seed: seeds feed 32-bit random streams. */
export const MAX_SEED = 2 ** 31 - 1;

/** The seeds a count N (0..N-1) or a comma-separated list names; undefined when it names none. */
export function seedsOf(value: string | number): number[] | undefined {
  const text = String(value).trim();
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    return count >= 1 && count <= MAX_SEED_COUNT ? Array.from({ length: count }, (_, i) => i) : undefined;
  }
  const seeds = text.split(',').map((s) => s.trim());
  if (seeds.some((s) => !/^\d+$/.test(s))) return undefined;
  const values = [...new Set(seeds.map(Number))];
  return values.length > MAX_SEED_COUNT || values.some((seed) => seed > MAX_SEED) ? undefined : values;
}

const SEEDS_TEXT = `a count from 1 to ${MAX_SEED_COUNT} (seeds 0..N-1) or a comma-separated list of seeds from 0 to ${MAX_SEED}, e.g. 0,1,7`;
const seeds = kindOf(
  z
    .union([z.number(), z.string()], { error: `must be ${SEEDS_TEXT}` })
    .refine((value) => seedsOf(value) !== undefined, { error: `must be ${SEEDS_TEXT}` }),
  (text) => text,
  SEEDS_TEXT,
);

/** How rows become train, validation and test rows, and how many seeds replicate that. */
export const SPLIT_OPTIONS = {
  seeds: withDefault({
    flag: 'seeds',
    placeholder: 'n|list',
    help: 'replications: a count N (seeds 0..N-1) or a list such as 0,1,7; each seed is a full replication of the sweep',
    kind: seeds,
    default: 3,
  }),
  kind: withDefault({
    flag: 'split',
    placeholder: 'kind',
    help: 'kfold: cross-fit, every row is a test row once per seed; holdout: one train/validation/test split per seed, 60/20/20 unless --validation-share/--test-share say otherwise (PROTOCOL.md, with --patience 0)',
    kind: oneOf(['kfold', 'holdout']),
    default: 'kfold',
  }),
  folds: withDefault({
    flag: 'folds',
    placeholder: 'k',
    help: 'kfold split: test folds per seed (a validation block of 1/(k+1) of the rows is carved first; every replication selects on it)',
    unit: 'folds',
    kind: integer(3, 1000),
    default: 5,
  }),
  validation: withDefault({
    flag: 'validation-share',
    placeholder: 'share',
    help: 'holdout split: share of rows for validation (every choice is made on it)',
    unit: 'share',
    kind: share(),
    default: PROTOCOL_FRACTIONS.validation,
  }),
  test: withDefault({
    flag: 'test-share',
    placeholder: 'share',
    help: 'holdout split: share of rows for test (the reported losses)',
    unit: 'share',
    kind: share(),
    default: PROTOCOL_FRACTIONS.test,
  }),
};
