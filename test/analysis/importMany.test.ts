import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runImport, type ImportOptions } from '../../src/analysis/import.js';
import { journalPathOf } from '../../src/analysis/pairwise.js';
import { readJournal, type NetworkRecord } from '../../src/sweep/journal.js';
import { tempDir } from '../helpers/files.js';
import { tra } from '../helpers/hostile.js';
import { longCsv, plantedLongRows, type LongRow } from '../helpers/losses.js';

const TASKS = ['a', 'b', 'c', 'd'];
const CLUSTERS = [0, 0, 1, 1];
const options = (out: string): ImportOptions => ({ out, format: 'long', method: 'auto', level: 0.95, fdr: 0.05 });

/** The journal's records without the time they were imported. */
const recordsOf = (out: string): Omit<NetworkRecord, 'finishedAt'>[] =>
  [...readJournal(journalPathOf(out)).records.values()].map(({ finishedAt: _time, ...record }) => record);
const affinityOf = (out: string) => JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));

/** Writes rows as CSV files in `dir`, one per name. */
function files(dir: string, parts: Record<string, LongRow[]>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parts).map(([name, rows]) => {
      const path = join(dir, name);
      writeFileSync(path, longCsv(rows));
      return [name, path];
    }),
  );
}

test('seeds in separate files import as one: two files, a pattern, and a file added later all equal one file holding both, record by record', async () => {
  const rows = plantedLongRows(TASKS, CLUSTERS, 3, [[0, 1, 2]]);
  const dir = tempDir();
  const seed = (s: number) => rows.filter((r) => r.seed === s);
  const f = files(dir, {
    'all.csv': rows,
    'seed-0.csv': seed(0),
    'seed-1.csv': seed(1),
    'seed-2.csv': seed(2),
  });
  const whole = join(dir, 'whole');
  await runImport(f['all.csv'], options(whole));
  const expected = recordsOf(whole);
  assert.equal(expected.length, 3 * 11);

  const together = join(dir, 'together');
  const outcome = await runImport([f['seed-0.csv'], f['seed-1.csv'], f['seed-2.csv']], options(together));
  assert.deepEqual(outcome.added, [f['seed-0.csv'], f['seed-1.csv'], f['seed-2.csv']]);
  assert.deepEqual(recordsOf(together), expected);
  assert.deepEqual(affinityOf(together).mean, affinityOf(whole).mean);

  // a quoted pattern, expanded by tra in sorted order, from the command line
  const cli = await tra(dir, ['import', 'seed-*.csv', '--out', 'pattern']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /added seed-0\.csv, seed-1\.csv, seed-2\.csv; the folder holds 33 networks/);
  assert.deepEqual(recordsOf(join(dir, 'pattern')), expected);

  // one seed now, the others later into the folder: the same records; nothing imported twice
  const later = join(dir, 'later');
  await runImport(f['seed-0.csv'], options(later));
  const grown = await tra(dir, ['import', 'later', 'seed-1.csv', 'seed-2.csv', 'seed-0.csv']);
  assert.equal(grown.code, 0, grown.stderr);
  assert.match(grown.stdout, /already imported, skipped: seed-0\.csv\nadded seed-1\.csv, seed-2\.csv;/);
  assert.deepEqual(recordsOf(later), expected);
  assert.deepEqual(affinityOf(later).mean, affinityOf(whole).mean);

  // the same command again changes nothing, not even the times of the records
  const journal = readFileSync(journalPathOf(later), 'utf8');
  const again = await runImport([f['seed-1.csv'], f['seed-2.csv']], options(later));
  assert.deepEqual(again.added, []);
  assert.equal(readFileSync(journalPathOf(later), 'utf8'), journal);
});

test('an imported folder accepts further groups later: a file of one larger group for every seed joins the journal', async () => {
  const dir = tempDir();
  const pairwise = plantedLongRows(TASKS, CLUSTERS, 2);
  const withTriple = plantedLongRows(TASKS, CLUSTERS, 2, [[0, 1, 2]]);
  const triple = withTriple.filter((r) => r.network === 'a+b+c');
  const f = files(dir, { 'pairs.csv': pairwise, 'triple.csv': triple, 'both.csv': [...pairwise, ...triple] });
  const out = join(dir, 'out');
  const first = await runImport(f['pairs.csv'], options(out));
  assert.deepEqual(first.notes.largerGroups, []);
  const second = await runImport(f['triple.csv'], options(out));
  assert.deepEqual(second.notes.largerGroups, [[0, 1, 2]]);
  const whole = join(dir, 'whole');
  await runImport(f['both.csv'], options(whole));
  const byId = (records: Omit<NetworkRecord, 'finishedAt'>[]) => Object.fromEntries(records.map((r) => [r.id, r]));
  assert.deepEqual(byId(recordsOf(out)), byId(recordsOf(whole)));
});
