/** Hyper-parameters of the networks and their training; every sweep result records them. */
export interface EngineSettings {
  /** Widths of the shared trunk's hidden layers (ReLU). */
  hidden: number[];
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** Weight of each task's loss in a network's objective and in its validation selection; default 1 for all. */
  taskWeights?: number[];
}

/** PROTOCOL.md: trunk d -> 64 -> 64, Adam 1e-3, batch 64. */
export const DEFAULT_ENGINE: EngineSettings = { hidden: [64, 64], learningRate: 1e-3, batchSize: 64, epochs: 30 };
