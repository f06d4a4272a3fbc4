import type * as tf from '@tensorflow/tfjs';
import type { DataLoader } from '../../data/userData.js';

export type { DataLoader, LoaderContext, UserData } from '../../data/userData.js';

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

/** The ES module a definition names in `"model"`: a trunk builder, and optionally a data loader. */
export interface UserModelModule {
  trunk: TrunkBuilder;
  loadData?: DataLoader;
}
