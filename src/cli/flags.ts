import { statSync } from 'node:fs';
import { InputError } from '../data/errors.js';
import { parseDecimal } from '../data/numbers.js';
import { MAX_WIDTH } from '../engine/settings.js';
import { MAX_SEED } from '../sweep/plan.js';

/** The values a numeric flag accepts: bounds are inclusive unless marked open. */
export interface FlagRange {
  integer?: boolean;
  min?: number;
  max?: number;
  /** The bounds themselves are not allowed (e.g. a rate strictly between 0 and 1). */
  open?: boolean;
}

const fraction: FlagRange = { min: 0, max: 1, open: true };
const count = (min: number, max: number): FlagRange => ({ integer: true, min, max });

/**
 * Every numeric flag of every command, in one table: a flag means the same and accepts the same range wherever it
 * appears. Bounds that depend on the data (a budget of at most T tasks) are checked where T is known.
 */
export const FLAG_RANGES: Record<string, FlagRange> = {
  '--level': fraction,
  '--fdr': fraction,
  '--validation': fraction,
  '--test': fraction,
  '--until-reliability': fraction,
  '--early-fractions': fraction,
  '--lr': { min: 0, max: 10, open: true },
  '--max-minutes': { min: 0, max: 10_000_000, open: true },
  '--task-weights': { min: 0, max: 1e6 },
  '--epochs': count(1, 100_000),
  '--patience': count(0, 100_000),
  '--batch-size': count(1, 10_000_000),
  '--hidden': count(1, MAX_WIDTH),
  '--readout-hidden': count(1, MAX_WIDTH),
  '--folds': count(2, 1000),
  '--seed': count(0, MAX_SEED),
  '--workers': count(1, 256),
  '--null-tasks': count(0, 1000),
  '--every': count(1, 1_000_000),
  '--max-networks': count(1, 1_000_000_000),
  '--budget': count(1, 100_000),
  '--budgets': count(1, 100_000),
  '--draw-budget': count(1, 100_000),
  '--max-group-size': count(2, 100_000),
  '--auxiliary-top': count(1, 100_000),
  '--validate-seeds': count(1, 1000),
  '--move-each': count(0, 100_000),
  '--move-set': count(0, 100_000),
  '--recommend': count(1, 100_000),
  '--random-draws': count(0, 10_000),
  '--bootstrap': count(1, 100_000),
  '--orders': count(1, 100),
  '--beam': count(1, 100_000),
};

const rangeText = (range: FlagRange): string => {
  const kind = range.integer ? 'an integer' : 'a number';
  if (range.open) return `${kind} strictly between ${range.min} and ${range.max}`;
  return `${kind} from ${range.min} to ${range.max}`;
};

function checked(flag: string, value: number, text: string): number {
  const range = FLAG_RANGES[flag];
  if (range === undefined) throw new Error(`flag ${flag} has no entry in FLAG_RANGES`);
  const { min = -Infinity, max = Infinity } = range;
  const inside = range.open ? value > min && value < max : value >= min && value <= max;
  if (!inside || (range.integer && !Number.isInteger(value))) {
    const hint = flag === '--fdr' || flag === '--level' ? ` (a share: 0.05 for 5%)` : '';
    throw new InputError(`${flag} '${text}' must be ${rangeText(range)}${hint}`);
  }
  return value;
}

/** A numeric flag, checked against its FLAG_RANGES entry; the error names the flag. */
export const numeric = (flag: string, text: string): number => {
  const value = parseDecimal(text);
  if (value === undefined) throw new InputError(`${flag} '${text}' is not a number`);
  return checked(flag, value, text);
};

/** A comma-separated numeric flag; every entry is checked against the flag's FLAG_RANGES entry. */
export const numberList = (flag: string, text: string): number[] => {
  const values = text.split(',').map(parseDecimal);
  if (values.some((v) => v === undefined)) throw new InputError(`${flag} '${text}': expected comma-separated numbers`);
  return (values as number[]).map((v) => checked(flag, v, text));
};

/** A command's argument that names a folder (the output of `tra import`) rather than an analysis definition. */
export const isFolder = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
