import { basename, extname, join } from 'node:path';
import type { z } from 'zod';
import { importSchema } from '../options/imports.js';
import { parseOptions } from '../options/option.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AffinityEstimate } from '../affinity/estimate.js';
import type { CellInference } from '../affinity/inference.js';
import { InputError } from '../data/errors.js';
import { LOSS_SCHEMA, type LossFile, type LossRow } from '../data/lossFile.js';
import { HALF_SIZE_COST, readStandleyTable, type StandleyTable } from '../data/standleyTable.js';
import {
  approximateHigherOrder,
  costedCurve,
  type CostedNetwork,
  type CostedPoint,
} from '../grouping/costedSelection.js';
import type { SelectionMethod } from '../grouping/select.js';
import type { Decided } from './write.js';
import { journalProvenance } from '../report/provenance.js';
import type { StandleyArtefact } from '../artefacts/imported.js';
import {
  examplesPathOf,
  importLosses,
  importLossFile,
  writeImportedJournal,
  type ImportedJournal,
  type ImportNotes,
} from '../sweep/imported.js';
import { copyNameOf, readPriorImport, storeSources, type PriorImport } from '../sweep/importFolder.js';
import { expandInputs, mergeLossFiles, readLossSource } from '../data/lossSources.js';
import { claimOutputFolder } from '../sweep/outputFolder.js';
import { sameResult } from '../sweep/record.js';
import { closedLoopListPathOf, readNetworkList } from '../artefacts/networks.js';
import {
  closedLoopJournalPathOf,
  readJournal,
  testLossOf,
  validationLossOf,
  type NetworkRecord,
  type RecordLoss,
} from '../sweep/journal.js';
import { ilpMaxGroupSize } from '../grouping/curve.js';
import { completeLossTable } from '../grouping/higherOrder.js';
import { groupKey } from '../sweep/plan.js';
import { meanLossTable, seedLossTables } from '../grouping/replicated.js';
import { affinityFromJournal, journalPathOf } from './pairwise.js';

/** standley.json as computed: the selections keep their exact types (the file may hold null for an undefined total). */
export interface StandleySelections extends StandleyArtefact {
  optimal: CostedPoint[];
  earlyStopping?: CostedPoint[];
  approximation: CostedPoint[];
}

const SCORING =
  "testTotal: each task's lowest test loss among the chosen networks (Standley et al.'s main.cpp); servedTestTotal: each task's test loss in the network chosen to serve it";

/** `tra import`'s options (declared in src/options/imports.ts); absent ones take their declared defaults. */
export type ImportOptions = z.input<typeof importSchema> & Partial<Record<'level' | 'fdr', number>>;
type ImportDecided = z.output<typeof importSchema> & { out: string };

export interface ImportOutcome extends Decided {
  /** The journal files the import wrote (its artefacts are written by `writeArtefacts`). */
  journals: string[];
  journal: ImportedJournal;
  notes: ImportNotes;
  /** Files this import added to the folder. */
  added: string[];
  /** Files given that the folder had imported already (skipped: nothing is imported twice). */
  known: string[];
  /** When tra group --validate has listed the closed loop's networks: how many of them the folder holds. */
  closedLoop?: ClosedLoopImport;
  estimate: AffinityEstimate;
  inference: CellInference;
  standley?: StandleySelections;
}

/**
 * `tra import`: validates measured losses, writes them as a journal the whole toolkit reads (affinity, verdicts,
 * reliability, `tra group`, the report), then the affinity files and the report; a Standley table also gets Standley
 * et al.'s three selections for every budget (standley.json).
 */
export async function runImport(inputs: string | string[], given: ImportOptions = {}): Promise<ImportOutcome> {
  const list = typeof inputs === 'string' ? [inputs] : inputs;
  if (list.length === 0) throw new InputError('name the files of losses to import');
  const { level, fdr, ...rest } = given;
  const parsed = parseOptions(importSchema, rest, 'import options');
  const options: ImportDecided = { ...parsed, out: parsed.out ?? join('reports', basename(list[0], extname(list[0]))) };
  if (options.format !== 'standley' && (options.testTable || options.earlyTable))
    throw new InputError(
      '--test-table and --early-table belong to --format standley (the long format carries its splits in a column)',
    );
  if (options.taskNames && new Set(options.taskNames).size !== options.taskNames.length)
    throw new InputError(`--task-names '${options.taskNames.join(',')}': distinct names`);
  const journalPath = journalPathOf(options.out);
  let standley: ReturnType<typeof readStandleyTables> | undefined;
  let imported: LongImport;
  if (options.format === 'standley') {
    if (list.length !== 1)
      throw new InputError(
        `--format standley reads one table of validation losses (${list.length} given); its test and early-stopping tables come with --test-table and --early-table`,
      );
    standley = readStandleyTables(list[0], options);
    claimOutputFolder(options.out); // after every check: a refused import leaves no folder
    writeImportedJournal(journalPath, standley.imported.journal);
    imported = { ...standley.imported, added: standley.imported.journal.header.config.imported.files, known: [] };
  } else imported = importLongFormat(list, options);
  const { journal, notes } = imported;
  const { estimate, inference, artefacts } = affinityFromJournal(options.out, { level, fdr });
  const journals = [
    journalPath,
    ...(journal.examples ? [examplesPathOf(journalPath)] : []),
    ...(journal.closedLoop.length ? [closedLoopJournalPathOf(options.out)] : []),
  ];
  const costed = journal.costed.length > 0 && journal.header.config.splits.includes('validation');
  const selections = standley
    ? await standleySelections(standley.tables, journal, options.method)
    : costed
      ? await longFormatSelections(journal, options.method)
      : undefined;
  return {
    out: options.out,
    artefacts: { ...artefacts, ...(selections ? { standley: selections } : {}) },
    journals,
    journal,
    notes,
    added: imported.added,
    known: imported.known,
    closedLoop: imported.closedLoop,
    estimate,
    inference,
    standley: selections,
  };
}

/** A long-format import into its folder: what it holds now, and which of the files given were new. */
interface LongImport {
  journal: ImportedJournal;
  notes: ImportNotes;
  added: string[];
  known: string[];
  closedLoop?: ClosedLoopImport;
}

/** How far the closed loop's list (tra group --validate on the folder) is imported. */
export interface ClosedLoopImport {
  seeds: number[];
  /** Networks on the list. */
  listed: number;
  /** Of them, those the folder holds. */
  imported: number;
}

/**
 * Imports files of the long format into the output folder, merged with every file imported there before (read again
 * from the folder's copies): more seeds, more groups, the closed loop's networks. Files imported before are skipped;
 * a file that contradicts another (other numbers for one network, other tasks, another configuration) is an error
 * naming both, and then nothing is written.
 */
function importLongFormat(inputs: string[], options: ImportDecided): LongImport {
  const { out } = options;
  const journalPath = journalPathOf(out);
  const prior = readPriorImport(out, journalPath);
  const read = expandInputs(inputs).map(readLossSource);
  if (prior && !prior.header.config.imported.sources) {
    // a folder imported before copies were kept: the very same file again, as before, and nothing else
    const { imported } = prior.header.config;
    const again =
      read.length === 1 && !read[0].result ? importLossFile(read[0], { taskNames: options.taskNames }) : undefined;
    if (!again || again.journal.header.configHash !== prior.header.configHash)
      throw new InputError(
        imported.schema === LOSS_SCHEMA
          ? `${out} was imported by an earlier version, which kept no copy of ${imported.files.join(', ')}: import every file into a fresh folder to add more`
          : `${out} holds a Standley table (${imported.files.join(', ')}): import files of the long format into another folder`,
      );
    return { journal: again.journal, notes: again.notes, added: [], known: [read[0].file] };
  }
  const priorTasks = prior?.header.config.taskNames;
  if (priorTasks && options.taskNames && options.taskNames.join(',') !== priorTasks.join(','))
    throw new InputError(
      `--task-names ${options.taskNames.join(',')}: ${out} holds the tasks ${priorTasks.join(', ')}`,
    );
  const known = new Set(prior?.files.map((f) => f.sha256));
  const fresh = [...new Map(read.filter((f) => !known.has(f.sha256)).map((f) => [f.sha256, f])).values()];
  const merged = mergeLossFiles([...(prior?.files ?? []), ...fresh.map((f) => ({ ...f, copy: copyNameOf(f) }))]);
  // networks on the seeds tra group --validate listed for the closed loop (now or before) go to its journal
  const listPath = closedLoopListPathOf(out);
  const listed = existsSync(listPath) ? readNetworkList(listPath) : undefined;
  const closedLoopPath = closedLoopJournalPathOf(out);
  const freshReplications = new Set([
    ...(listed?.networks.map((n) => n.replication) ?? []),
    ...(existsSync(closedLoopPath)
      ? Array.from(readJournal(closedLoopPath).records.values(), (r) => r.replication)
      : []),
  ]);
  const { journal, notes } = importLosses(merged, {
    taskNames: options.taskNames ?? priorTasks,
    taskNamesFrom: prior ? `${out} (imported from ${prior.header.config.imported.files.join(', ')})` : undefined,
    freshReplications,
  });
  if (prior) keepPriorTimes(journal, prior);
  claimOutputFolder(out);
  storeSources(out, merged.sources);
  writeImportedJournal(journalPath, journal, { merged: true });
  const closedLoopIds = new Set(journal.closedLoop.map((r) => r.id));
  return {
    journal,
    notes,
    added: fresh.map((f) => f.file),
    known: read.filter((f) => known.has(f.sha256)).map((f) => f.file),
    ...(listed && {
      closedLoop: {
        seeds: listed.seeds,
        listed: listed.networks.length,
        imported: listed.networks.filter((n) => closedLoopIds.has(n.id)).length,
      },
    }),
  };
}

/** Networks imported before keep the time they were imported (re-running an import changes nothing). */
function keepPriorTimes(journal: ImportedJournal, prior: PriorImport): void {
  journal.header.createdAt = prior.header.createdAt;
  for (const record of journal.records) {
    const before = prior.records.get(record.id);
    if (before && sameResult(before, record)) record.finishedAt = before.finishedAt;
  }
}

interface StandleyTables {
  taskNames: string[];
  validation: StandleyTable;
  test: StandleyTable;
  early?: StandleyTable;
}

function readStandleyTables(
  file: string,
  options: ImportDecided,
): { tables: StandleyTables; imported: ReturnType<typeof importLossFile> } {
  if (!options.testTable)
    throw new InputError(
      '--format standley needs --test-table <file>: the table of test losses the selections are scored on',
    );
  const validation = readStandleyTable(file);
  const test = readStandleyTable(options.testTable);
  const early = options.earlyTable === undefined ? undefined : readStandleyTable(options.earlyTable);
  const T = validation.taskCount;
  for (const other of [test, ...(early ? [early] : [])])
    if (other.taskCount !== T)
      throw new InputError(`${other.file}: ${other.taskCount} task columns, but ${file} has ${T}`);
  const taskNames = options.taskNames ?? Array.from({ length: T }, (_, t) => `task${t + 1}`);
  if (taskNames.length !== T)
    throw new InputError(`--task-names names ${taskNames.length} tasks, but ${file} has ${T} columns`);
  // The full-size networks as long-format rows (one replication: the tables hold one training run per network).
  const rowsOf = (table: StandleyTable, split: LossRow['split']): LossRow[] =>
    table.networks.flatMap((n) =>
      n.group.map((t, k) => ({
        line: n.line,
        network: n.group.map((u) => taskNames[u]),
        task: taskNames[t],
        seed: 0,
        split,
        loss: n.loss[k],
        file: table.file,
      })),
    );
  const rows = [...rowsOf(validation, 'validation'), ...rowsOf(test, 'test')];
  const tables = [validation, test, ...(early ? [early] : [])];
  const sha256 = createHash('sha256')
    .update(tables.map((t) => t.sha256).join(','))
    .digest('hex');
  const loss: LossFile = { file, sha256, metric: 'loss', version: 1, rows };
  const source = {
    schema: 'standley-network-selection-table',
    version: 1,
    files: tables.map((t) => t.file),
    sha256,
    rows: tables.reduce((n, t) => n + t.networks.length + 1, 0),
  };
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
export const standleyBudgets = (taskCount: number): number[] =>
  Array.from({ length: 2 * taskCount - 1 }, (_, k) => 1 + k / 2);

/**
 * The costed selection of a long-format import with networks at a cost other than 1 (e.g. half-size), on the means
 * over replications: chosen on validation (measured where trained, the pairwise approximation elsewhere) and on
 * Standley's approximation of every group of 3+ tasks, both scored on test.
 */
async function longFormatSelections(
  journal: ImportedJournal,
  method: 'auto' | SelectionMethod,
): Promise<StandleySelections> {
  const { taskNames } = journal.header.config;
  const replications = [...new Set(journal.records.map((r) => r.replication))];
  // priced networks go to the ILP, which stays fast over ~500 candidates
  const maxGroupSize = ilpMaxGroupSize(taskNames.length);
  const networksOf = (lossOf: RecordLoss): CostedNetwork[] => {
    const mean = (records: NetworkRecord[]) =>
      meanLossTable(seedLossTables(records, taskNames, replications, lossOf)).entries;
    const costs = [...new Set(journal.costed.map((c) => c.cost))];
    // a group trained only at another cost is that network, not also an imagined full-size one
    const trainedAtOtherCost = new Set(journal.costed.map((c) => groupKey(c.record.group)));
    return [
      ...completeLossTable({ taskNames, entries: mean(journal.records) }, maxGroupSize)
        .entries.filter((e) => !(e.estimated && trainedAtOtherCost.has(groupKey(e.group))))
        .map(({ group, loss, estimated }) => ({ group, loss, cost: 1, approximated: estimated })),
      ...costs.flatMap((cost) =>
        mean(journal.costed.filter((c) => c.cost === cost).map((c) => c.record)).map(({ group, loss }) => ({
          group,
          loss,
          cost,
          approximated: false,
        })),
      ),
    ];
  };
  const validation = networksOf(validationLossOf);
  const curve = (selectOn: CostedNetwork[]) =>
    costedCurve(selectOn, networksOf(testLossOf), taskNames.length, standleyBudgets(taskNames.length), method);
  const file = journal.header.config.imported.files[0];
  return {
    provenance: journalProvenance(journal.header.config, new Map(), journal.header.configHash),
    taskNames,
    selectedOn: {
      optimal: `${file}: mean validation losses where a network was trained, else (approximated: true) the mean of its tasks' pair losses, on validation and on test alike; groups of up to ${maxGroupSize} tasks`,
      approximation: `${file}, every group of 3+ tasks approximated from pairs`,
    },
    optimal: await curve(validation),
    approximation: await curve(approximateHigherOrder(validation, taskNames)),
    scoring: SCORING,
  };
}

/** Standley et al.'s selections, each scored on the test table: on validation (optimal), early-stopped, and approximated losses. */
export async function standleySelections(
  tables: StandleyTables,
  journal: ImportedJournal,
  method: 'auto' | SelectionMethod,
): Promise<StandleySelections> {
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
    scoring: SCORING,
  };
}
