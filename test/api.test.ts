/** The public API is a curated list: a name joins or leaves src/index.ts on purpose, and this list says so. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import * as library from '../src/index.js';

const API = {
  definitions: ['completeSpec', 'readSpecFile', 'AnalysisSpec', 'DEFAULT_ENGINE', 'EngineSettings'],
  data: ['loadDataset', 'LoadOptions', 'Dataset', 'TaskKind', 'DataError', 'InputError'],
  runners: [
    ...['runPairwiseAnalysis', 'runShard', 'planAnalysis', 'affinityFromJournal', 'mergeJournals'],
    ...['PairwiseOptions', 'PairwiseResult', 'AdaptiveOutcome', 'JournalAffinity', 'MergeOutcome'],
    ...['runGroupAnalysis', 'groupImported', 'GroupOptions', 'GroupResult'],
    ...['runAuxiliaryAnalysis', 'AuxiliaryOptions', 'AuxiliaryResult'],
    ...['runProxies', 'ProxiesOptions', 'ProxiesOutcome'],
    ...['runTaxonomy', 'runImportedTaxonomy', 'TaxonomyOptions', 'TaxonomyOutcome'],
    ...['runBaselines', 'BaselinesOptions', 'BaselinesOutcome'],
    ...['runImport', 'ImportOptions', 'ImportOutcome'],
    ...['runPaper', 'PaperOptions', 'PaperOutcome'],
    ...['predictUntrainedPairs', 'GainPrediction', 'PredictedCell', 'fitGainPredictor', 'CellFeature'],
    ...['TrainedCell', 'GainPredictor', 'PredictorReport'],
  ],
  writing: ['writeArtefacts', 'Artefacts', 'Decided', 'writeReportForDir', 'lockScope'],
  files: [
    ...['readAffinity', 'writeAffinity', 'AffinityArtefact', 'readGrouping', 'writeGrouping', 'GroupingArtefact'],
    ...['readAuxiliary', 'writeAuxiliary', 'AuxiliaryArtefact', 'readProxies', 'writeProxies', 'ProxiesArtefact'],
    ...['readBaselines', 'writeBaselines', 'BaselinesArtefact', 'readTaxonomy', 'writeTaxonomy', 'TaxonomyArtefact'],
    ...['readStandley', 'writeStandley', 'StandleyArtefact', 'readNetworkList', 'writeNetworkList'],
    ...['NetworkListArtefact', 'readJournal', 'NetworkRecord', 'readLossFile', 'LossFile', 'LossRow'],
  ],
  contracts: [
    ...['ProxyDefinition', 'ProxyContext', 'ProxyEstimate', 'selectBackend', 'BackendName'],
    ...['TrunkBuilder', 'TrunkContext', 'DataLoader', 'LoaderContext', 'UserData', 'UserModelModule'],
    ...['parseResult', 'readResult', 'resultLosses', 'resultSchema', 'ResultError', 'NetworkResult', 'ExpectedResult'],
    ...['PLACEHOLDERS', 'NetworkValues'],
  ],
};

/**
 * Every name src/index.ts exports, values and types, read from its syntax: it exports named specifiers only (an
 * `export *` would hide what it adds, and is refused).
 */
function exportedNames(): string[] {
  const path = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022);
  return source.statements
    .filter(ts.isExportDeclaration)
    .flatMap((statement) => {
      const clause = statement.exportClause;
      assert.ok(clause && ts.isNamedExports(clause), 'src/index.ts has no `export *`');
      return clause.elements.map((element) => element.name.text);
    })
    .sort();
}

test('src/index.ts exports exactly the curated API: runners, their types, writing, file reads and writes, contracts', () => {
  const pinned = Object.values(API).flat().sort();
  assert.deepEqual(exportedNames(), pinned);
  const values = Object.keys(library).sort();
  assert.ok(values.length > 0 && values.every((name) => pinned.includes(name)));
});
