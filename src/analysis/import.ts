import { createHash } from 'node:crypto';
import type { AffinityEstimate } from '../affinity/estimate.js';
import type { CellInference } from '../affinity/inference.js';
import { InputError } from '../data/errors.js';
import { readLossFile, type LossFile, type LossRow } from '../data/lossFile.js';
import { HALF_SIZE_COST, readStandleyTable, type StandleyTable } from '../data/standleyTable.js';
import { approximateHigherOrder, costedCurve, type CostedNetwork } from '../grouping/costedSelection.js';
import type { SelectionMethod } from '../grouping/selection.js';
import { writeReportForDir } from '../report/html/index.js';
import { journalProvenance } from '../report/provenance.js';
import { writeStandleyFiles, type StandleySelections } from '../report/standleyFiles.js';
import { importLossFile, writeImportedJournal, type ImportedJournal, type ImportNotes } from '../sweep/imported.js';
import { affinityFromJournal, journalPathOf } from './pairwise.js';

export const IMPORT_FORMATS = ['long', 'standley'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportOptions {
  out: string;
  format: ImportFormat;
  /** Task names in order; the long format checks every row against them, a Standley table (no names) takes them. */
  tasks?: string[];
  /** Standley format: the test table (required) and the early-stopping table (optional). */
  test?: string;
  early?: string;
  method: 'auto' | SelectionMethod;
  level: number;
  fdr: number;
}

export interface ImportOutcome {
  journal: ImportedJournal;
  notes: ImportNotes;
  estimate: AffinityEstimate;
  inference: CellInference;
  standley?: StandleySelections;
  files: string[];
}

/**
 * `tra import`: validates measured losses, writes them as a journal the whole toolkit reads (affinity, verdicts,
 * reliability, `tra group`, the report), then the affinity files and the report; a Standley table also gets Standley
 * et al.'s three selections for every budget (standley.json).
 */
export async function runImport(file: string, options: ImportOptions): Promise<ImportOutcome> {
  const standley = options.format === 'standley' ? readStandleyTables(file, options) : undefined;
  const { journal, notes } = standley ? standley.imported : importLossFile(readLossFile(file), { taskNames: options.tasks });
  const journalPath = journalPathOf(options.out);
  writeImportedJournal(journalPath, journal);
  const { estimate, inference, files } = affinityFromJournal(options.out, options.level, options.fdr);
  const written = [journalPath, files.json, files.csv, files.graph];
  let selections: StandleySelections | undefined;
  if (standley) {
    selections = await standleySelections(standley.tables, journal, options.method);
    written.push(...writeStandleyFiles(options.out, selections));
  }
  written.push(writeReportForDir(options.out));
  return { journal, notes, estimate, inference, standley: selections, files: written };
}

interface StandleyTables {
  taskNames: string[];
  validation: StandleyTable;
  test: StandleyTable;
  early?: StandleyTable;
}

function readStandleyTables(file: string, options: ImportOptions): { tables: StandleyTables; imported: ReturnType<typeof importLossFile> } {
  if (!options.test) throw new InputError('--format standley needs --test <file>: the table of test losses the selections are scored on');
  const validation = readStandleyTable(file);
  const test = readStandleyTable(options.test);
  const early = options.early === undefined ? undefined : readStandleyTable(options.early);
  const T = validation.taskCount;
  for (const other of [test, ...(early ? [early] : [])])
    if (other.taskCount !== T) throw new InputError(`${other.file}: ${other.taskCount} task columns, but ${file} has ${T}`);
  const taskNames = options.tasks ?? Array.from({ length: T }, (_, t) => `task${t + 1}`);
  if (taskNames.length !== T) throw new InputError(`--tasks names ${taskNames.length} tasks, but ${file} has ${T} columns`);
  // The full-size networks as long-format rows (one replication: the tables hold one training run per network).
  const rowsOf = (table: StandleyTable, split: LossRow['split']): LossRow[] =>
    table.networks.flatMap((n) => n.group.map((t, k) => ({ line: n.line, network: n.group.map((u) => taskNames[u]), task: taskNames[t], seed: 0, split, loss: n.loss[k] })));
  const rows = [...rowsOf(validation, 'validation'), ...rowsOf(test, 'test')];
  const tables = [validation, test, ...(early ? [early] : [])];
  const sha256 = createHash('sha256').update(tables.map((t) => t.sha256).join(',')).digest('hex');
  const loss: LossFile = { file, sha256, metric: 'loss', rows };
  const source = { schema: 'standley-network-selection-table', version: 1, files: tables.map((t) => t.file), sha256, rows: tables.reduce((n, t) => n + t.networks.length + 1, 0) };
  return { tables: { taskNames, validation, test, early }, imported: importLossFile(loss, { taskNames, source }) };
}

/** Every network of a table, the half-size singles at cost 1/2. */
export function costedNetworks(table: StandleyTable): CostedNetwork[] {
  return [
    ...table.halfSize.loss.map((loss, t) => ({ group: [t], loss: [loss], cost: HALF_SIZE_COST, approximated: false })),
    ...table.networks.map(({ group, loss }) => ({ group, loss, cost: 1, approximated: false })),
  ];
}

/** Budgets 1, 1.5, ..., T: main.cpp's. */
export const standleyBudgets = (taskCount: number): number[] => Array.from({ length: 2 * taskCount - 1 }, (_, k) => 1 + k / 2);

/** Standley et al.'s selections, each scored on the test table: on validation (optimal), early-stopped, and approximated losses. */
export async function standleySelections(tables: StandleyTables, journal: ImportedJournal, method: 'auto' | SelectionMethod): Promise<StandleySelections> {
  const { taskNames, validation, test, early } = tables;
  const budgets = standleyBudgets(taskNames.length);
  const testNetworks = costedNetworks(test);
  const curve = (table: CostedNetwork[]) => costedCurve(table, testNetworks, taskNames.length, budgets, method);
  const validationNetworks = costedNetworks(validation);
  return {
    provenance: journalProvenance(journal.header.config, new Map(), journal.header.configHash),
    taskNames,
    selectedOn: {
      optimal: validation.file,
      ...(early ? { earlyStopping: early.file } : {}),
      approximation: `${validation.file}, groups of 3+ tasks approximated from pairs`,
    },
    optimal: await curve(validationNetworks),
    ...(early ? { earlyStopping: await curve(costedNetworks(early)) } : {}),
    approximation: await curve(approximateHigherOrder(validationNetworks, taskNames)),
  };
}
