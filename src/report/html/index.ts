export type {
  AffinityFile,
  AuxiliaryRanking,
  Baselines,
  BudgetPoint,
  ClosedLoop,
  ClusteringAlternative,
  EarlyStoppingRow,
  GroupingReport,
  IntervalJson,
  JsonMatrix,
  JsonNumber,
  ProxiesReport,
  ProxyAgreement,
  ReportInput,
  Taxonomy,
} from './input.js';
export { proxiesReport } from './input.js';
export { renderReport, writeReport, reportData, pageBundle, checkReportInput } from './render.js';
export { readReportInput, refreshReport, writeReportForDir } from './load.js';
export { scriptSafeJson, escapeHtml } from './escape.js';
