/**
 * The library API, curated (test/api.test.ts pins the list): the runners with their option and result types, the
 * separate writing step, every output file's read and write, and the extension contracts. Runners decide and return
 * data; `writeArtefacts(result)` writes a result's files and redraws its report; nothing prints unless asked.
 */

// Analysis definitions: the same fields as a definition file (docs/REFERENCE.md), defaults filled and checked.
export { completeSpec, readSpecFile, type AnalysisSpec } from './analysis/spec.js';
export { DEFAULT_ENGINE } from './options/engine.js';
export type { EngineSettings } from './engine/settings.js';
export { loadDataset, type LoadOptions } from './data/load.js';
export type { Dataset, TaskKind } from './data/dataset.js';
export { DataError, InputError } from './data/errors.js';

// Runners.
export {
  runPairwiseAnalysis,
  runShard,
  planAnalysis,
  affinityFromJournal,
  type PairwiseOptions,
  type PairwiseResult,
  type AdaptiveOutcome,
  type JournalAffinity,
} from './analysis/pairwise.js';
export { mergeJournals, type MergeOutcome } from './sweep/merge.js';
export { runGroupAnalysis, groupImported, type GroupOptions, type GroupResult } from './analysis/group.js';
export { runAuxiliaryAnalysis, type AuxiliaryOptions, type AuxiliaryResult } from './analysis/auxiliary.js';
export { runProxies, type ProxiesOptions, type ProxiesOutcome } from './analysis/proxies.js';
export { runTaxonomy, runImportedTaxonomy, type TaxonomyOptions, type TaxonomyOutcome } from './analysis/taxonomy.js';
export { runBaselines, type BaselinesOptions, type BaselinesOutcome } from './analysis/baselines.js';
export { runImport, type ImportOptions, type ImportOutcome } from './analysis/import.js';
export { runPaper, type PaperOptions, type PaperOutcome } from './analysis/paper.js';
// The calibrated gain predictor of untrained pairs (docs/PREDICTOR.md): from a journal, or from any cells and features.
export { predictUntrainedPairs, type GainPrediction, type PredictedCell } from './affinity/predictor/predict.js';
export {
  fitGainPredictor,
  type CellFeature,
  type TrainedCell,
  type GainPredictor,
  type PredictorReport,
} from './affinity/predictor/fit.js';

// Writing: a runner's result into its folder, and the report of a folder.
export { writeArtefacts, type Artefacts, type Decided } from './analysis/write.js';
export { lockScope } from './io/lock.js';
export { writeReportForDir } from './report/html/index.js';

// Output files: each one's type, checking read and write.
export { readAffinity, writeAffinity, type AffinityArtefact } from './artefacts/affinity.js';
export { readGrouping, writeGrouping, type GroupingArtefact } from './artefacts/grouping.js';
export { readAuxiliary, writeAuxiliary, type AuxiliaryArtefact } from './artefacts/auxiliary.js';
export { readProxies, writeProxies, type ProxiesArtefact } from './artefacts/proxies.js';
export { readBaselines, writeBaselines, type BaselinesArtefact } from './artefacts/baselines.js';
export { readTaxonomy, writeTaxonomy, type TaxonomyArtefact } from './artefacts/taxonomy.js';
export { readStandley, writeStandley, type StandleyArtefact } from './artefacts/imported.js';
export { readNetworkList, writeNetworkList, type NetworkListArtefact } from './artefacts/networks.js';
export { readJournal, type NetworkRecord } from './sweep/journal.js';
export { readLossFile, type LossFile, type LossRow } from './data/lossFile.js';

// Extension contracts: a proxy (src/affinity/proxies/), a backend, a user's tfjs model.
export type { ProxyDefinition, ProxyContext, ProxyEstimate } from './affinity/proxies/registry.js';
export { selectBackend, type BackendName } from './engine/backend.js';
export type {
  TrunkBuilder,
  TrunkContext,
  DataLoader,
  LoaderContext,
  UserData,
  UserModelModule,
} from './engine/userModel/contract.js';
// The user's training command (docs/COMMAND.md): the result file it writes, checked, and its placeholders.
export {
  parseResult,
  readResult,
  resultLosses,
  resultSchema,
  ResultError,
  type NetworkResult,
  type ExpectedResult,
} from './data/resultFile.js';
export { PLACEHOLDERS, type NetworkValues } from './engine/command/placeholders.js';
