export type { AffinityFile, AuxiliaryRanking, Baselines, BudgetPoint, JsonMatrix, JsonNumber, ProxyAgreement, ReportInput, Taxonomy } from './input.js';
export { renderReport, writeReport, reportData, d3Bundle } from './render.js';
export { readReportInput, writeReportForDir, SECTION_FILES } from './load.js';
export { checkReportInput } from './validate.js';
export { scriptSafeJson, escapeHtml } from './escape.js';
export { averageLinkage } from './cluster.js';
