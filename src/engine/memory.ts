import { max } from 'd3-array';
import { totalmem } from 'node:os';
import { InputError } from '../data/errors.js';

export interface BatchShape {
  inputWidth: number;
  hidden: number[];
  /** Head slots per network (the largest group). */
  slots: number;
  /** Rows of the largest forward pass: evaluation of the validation or test part. */
  rows: number;
}

/**
 * Head slots of a batch: its largest group (d3's max, not Math.max(...): a 1000-task sweep's 500,500 groups overflow the
 * stack as arguments).
 */
export const slotsOf = (groups: Iterable<readonly number[]>): number => max(groups, (g) => g.length) ?? 0;

/**
 * Estimated bytes one network takes in a fused batch (float32): every parameter four times (weight, gradient, Adam's
 * two moments) plus the largest forward pass's activations three times (pre-activation, activation, re-laid-out copy).
 * An estimate by construction; it errs high so that a batch split to fit does fit.
 */
export function bytesPerNetwork(shape: BatchShape): number {
  const widths = [shape.inputWidth, ...shape.hidden, shape.slots];
  const parameters = widths.slice(1).reduce((sum, out, l) => sum + (widths[l] + 1) * out, 0);
  const activations = shape.rows * widths.slice(1).reduce((a, b) => a + b, 0);
  return 4 * (4 * parameters + 3 * activations);
}

/** Half of the machine's memory, shared by the worker threads. */
export const defaultMemoryBudget = (workers: number): number => totalmem() / 2 / workers;

/**
 * Memory of one batch on the native trainer. It trains each network on its own (no batch-wide products), so larger
 * batches are no faster; a bound keeps a large sweep's memory flat (15,225 networks of a 174-task sweep took 1.4 GB of
 * weights and moments as one batch).
 */
export const NATIVE_BATCH_BYTES = 256 * 2 ** 20;

/** How many networks fit one batch within the budget (at least one: a single network that does not fit still runs). */
export const networksPerBatch = (shape: BatchShape, budgetBytes: number): number =>
  Math.max(1, Math.floor(budgetBytes / bytesPerNetwork(shape)));

/** One network must fit in half the machine's memory: a width that cannot is the user's mistake, found before training. */
export function checkNetworkFits(shape: BatchShape): void {
  const needed = bytesPerNetwork(shape);
  const budget = defaultMemoryBudget(1);
  if (needed > budget)
    throw new InputError(
      `hidden widths ${shape.hidden.join(',')} on ${shape.inputWidth} features and ${shape.rows} rows need about ${(needed / 2 ** 30).toFixed(1)} GiB per network (an estimate), more than half this machine's memory (${(budget / 2 ** 30).toFixed(1)} GiB); choose narrower layers (--hidden / engine.hidden)`,
    );
}
