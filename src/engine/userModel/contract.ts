import type * as tf from '@tensorflow/tfjs';

/** The tfjs namespace the toolkit trains with, handed to the module so that only one @tensorflow/tfjs-core is ever in use. */
export type Tfjs = typeof tf;

/** What a trunk builder receives besides its input. */
export interface TrunkContext {
  tf: Tfjs;
  /** One example's shape, without the batch axis: [features] for CSV data, the loader's shape otherwise. */
  inputShape: number[];
  /**
   * The network's seed. The toolkit already seeds every random draw made while the trunk is built and trained
   * (initialisers, dropout), so a trunk needs it only for randomness of its own.
   */
  seed: number;
}

/**
 * Builds the shared representation with tfjs layers (functional API): from the input [batch, ...inputShape] to a
 * [batch, width] tensor. The toolkit adds one linear head per task on top, with the built-in model's losses.
 */
export type TrunkBuilder = (input: tf.SymbolicTensor, context: TrunkContext) => tf.SymbolicTensor;

/** A data loader's result: examples of any shape and one target per task and example. */
export interface UserData {
  /** [examples, ...inputShape]: a tensor, or (nested) arrays of numbers of regular shape. */
  features: tf.Tensor | number[][] | number[][][] | number[][][][];
  /** One array (or 1-D tensor) of targets per task, each as long as there are examples; keys are the task names. */
  targets: Record<string, ArrayLike<number> | tf.Tensor1D>;
}

export interface LoaderContext {
  tf: Tfjs;
  /** The module's own folder, for data files next to it. */
  dir: string;
}

/** Supplies the data instead of a CSV; they pass the same checks as a CSV's (NaN, shapes, task kinds). */
export type DataLoader = (context: LoaderContext) => UserData | Promise<UserData>;

/** The ES module a definition names in `"model"`: a trunk builder, and optionally a data loader. */
export interface UserModelModule {
  trunk: TrunkBuilder;
  loadData?: DataLoader;
}
