/** Hyper-parameters of the networks and their training; every sweep result records them. */
export interface EngineSettings {
  /** Widths of the shared trunk's hidden layers (ReLU). */
  hidden: number[];
  learningRate: number;
  batchSize: number;
  /** The most epochs a network trains. */
  epochs: number;
  /**
   * Stop a network once this many epochs have passed without a lower validation objective (its selected losses are
   * already final unless it would improve again later); absent or 0: every network trains all `epochs`.
   */
  patience?: number;
  /** Weight of each task's loss in a network's objective and in its validation selection; default 1 for all. */
  taskWeights?: number[];
}

/** Widest hidden layer a flag or definition may ask for; a whole network is also checked against memory once the data's width is known. */
export const MAX_WIDTH = 16_384;

/** PROTOCOL.md: trunk d -> 64 -> 64, Adam 1e-3, batch 64, every network trains all 30 epochs. */
export const PROTOCOL_ENGINE: EngineSettings = { hidden: [64, 64], learningRate: 1e-3, batchSize: 64, epochs: 30 };

/** Epochs a network trained, from its selected (best) epoch: with patience, until `patience` epochs after it. */
export const epochsTrained = (settings: Pick<EngineSettings, 'epochs' | 'patience'>, bestEpoch: number): number =>
  settings.patience ? Math.min(settings.epochs, bestEpoch + settings.patience) : settings.epochs;
