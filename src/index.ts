/** The typed library API: everything the CLI does, callable from code. */
export { loadDataset, type LoadOptions } from './data/load.js';
export type { Dataset, TaskKind } from './data/dataset.js';
export { DataError, InputError } from './data/errors.js';
export { holdoutSplit, prepareSplit, type Split, type PreparedSplit } from './data/split.js';
export { plantedClusters, type PlantedClustersOptions } from './data/synthetic.js';
export { selectBackend, type BackendName } from './engine/backend.js';
export type { EngineSettings } from './engine/settings.js';
export { DEFAULT_ENGINE } from './options/engine.js';
export { trainNetworks, type NetworkOutcome } from './engine/train.js';
export type {
  TrunkBuilder,
  TrunkContext,
  DataLoader,
  LoaderContext,
  UserData,
  UserModelModule,
} from './engine/userModel/contract.js';
export { pairwiseGroups, parseGroups, networkId, type Group } from './sweep/plan.js';
export { runSweep, type SweepRequest, type SweepOutcome } from './sweep/run.js';
export { Journal, readJournal, type NetworkRecord } from './sweep/journal.js';
export { sweepConfig, configHash } from './sweep/config.js';
export {
  checkNetworkRecord,
  checkJournalHeader,
  networkRecordSchema,
  journalHeaderSchema,
  type JournalHeader,
} from './sweep/record.js';
export { estimateAffinity, type AffinityEstimate } from './affinity/estimate.js';
export { replicatesFromRecords, gainMatrix, groupScore } from './affinity/gain.js';
export { splitHalfReliability } from './affinity/reliability.js';
export { affinityGraph } from './affinity/graph.js';
export { completeSpec, readSpecFile, definitionSchema, type AnalysisSpec } from './analysis/spec.js';
export { claimOutputFolder } from './sweep/outputFolder.js';
export {
  runPairwiseAnalysis,
  runShard,
  affinityFromJournal,
  planAnalysis,
  type PairwiseOptions,
  type PairwiseResult,
  type AdaptiveOutcome,
} from './analysis/pairwise.js';
export { mergeJournals, type MergeOutcome } from './sweep/merge.js';
export { runBaselines, type BaselinesOptions, type BaselinesOutcome } from './analysis/baselines.js';
export { compareBaselines, type ComparisonTable, type LossColumn, type CompareOptions } from './baselines/compare.js';
export { planSweep, type SweepPlan } from './sweep/planner.js';
export { runProxies, type ProxiesOutcome, type ProxiesOptions } from './analysis/proxies.js';
export {
  PROXIES,
  selectProxies,
  proxyContext,
  type ProxyDefinition,
  type ProxyContext,
  type ProxyEstimate,
} from './affinity/proxies/registry.js';
export {
  runGroupAnalysis,
  groupImported,
  type GroupOptions,
  type GroupResult,
} from './analysis/group.js';
export { groupingArtefacts } from './analysis/groupOutput.js';
export { runImport, type ImportOptions, type ImportOutcome, type StandleySelections } from './analysis/import.js';
export { readLossFile, LOSS_SCHEMA, LOSS_SCHEMA_VERSION, type LossFile, type LossRow } from './data/lossFile.js';
export { readStandleyTable, type StandleyTable } from './data/standleyTable.js';
export { expandInputs, mergeLossFiles, type MergedLosses, type SourceFile } from './data/lossSources.js';
export {
  importLosses,
  importLossFile,
  readImportedJournal,
  writeImportedJournal,
  type ImportedConfig,
  type ImportedJournal,
} from './sweep/imported.js';
export {
  costedCurve,
  approximateHigherOrder,
  type CostedNetwork,
  type CostedPoint,
} from './grouping/costedSelection.js';
export { selectionProblem, type Selection, type SelectionProblem } from './grouping/selection.js';
export { selectNetworks, budgetCurve } from './grouping/select.js';
export { completeLossTable, approximationError } from './grouping/higherOrder.js';
export { louvainClusters, agglomerativeClusters } from './grouping/cluster.js';
export { auxiliaryEvidence, rankAuxiliaryTasks } from './grouping/auxiliary.js';
export type { LossTable, GroupLoss } from './grouping/lossTable.js';
export { writeReportForDir } from './report/html/index.js';
export { runTaxonomy, runImportedTaxonomy, type TaxonomyOptions, type TaxonomyOutcome } from './analysis/taxonomy.js';
export { runAuxiliaryAnalysis, type AuxiliaryOptions, type AuxiliaryResult } from './analysis/auxiliary.js';
export { auxiliaryArtefact } from './analysis/auxiliaryOutput.js';
export { auxiliaryCandidates, type AuxiliaryCandidate } from './grouping/auxiliaryCandidates.js';
export {
  candidateLossesOfRecords,
  measureCandidate,
  rankCandidates,
  recommendOnValidation,
  type CandidateLosses,
} from './grouping/auxiliaryRanking.js';
export { rankAgreement, labelHeuristics, curveFeatures, HEURISTICS } from './grouping/auxiliaryHeuristics.js';
export { selectColumns, targetColumn, type TargetColumn } from './data/targets.js';
export * from './artefacts/index.js';
export { writeArtefacts, type Artefacts, type Decided } from './analysis/write.js';
