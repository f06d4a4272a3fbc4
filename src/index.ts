/** The typed library API: everything the CLI does, callable from code. */
export { loadDataset, type LoadOptions } from './data/load.js';
export type { Dataset, TaskKind } from './data/dataset.js';
export { DataError, InputError } from './data/errors.js';
export { holdoutSplit, prepareSplit, type Split, type PreparedSplit } from './data/split.js';
export { plantedClusters, type PlantedClustersOptions } from './data/synthetic.js';
export { selectBackend, type BackendName } from './engine/backend.js';
export { DEFAULT_ENGINE, type EngineSettings } from './engine/settings.js';
export { trainNetworks, type NetworkOutcome } from './engine/train.js';
export { pairwiseGroups, parseGroups, networkId, type Group } from './sweep/plan.js';
export { runSweep, type SweepRequest, type SweepOutcome } from './sweep/run.js';
export { Journal, readJournal, type NetworkRecord } from './sweep/journal.js';
export { sweepConfig, configHash } from './sweep/config.js';
export { estimateAffinity, type AffinityEstimate } from './affinity/estimate.js';
export { replicatesFromRecords, gainMatrix, groupScore } from './affinity/gain.js';
export { splitHalfReliability } from './affinity/reliability.js';
export { affinityGraph } from './affinity/graph.js';
export { completeSpec, readSpecFile, type AnalysisSpec } from './analysis/spec.js';
export { runPairwiseAnalysis, affinityFromJournal } from './analysis/pairwise.js';
