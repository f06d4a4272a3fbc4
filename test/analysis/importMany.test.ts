import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupImported as groupImportedOnly } from '../../src/analysis/group.js';
import { runImport as runImportOnly, type ImportOptions } from '../../src/analysis/import.js';
import { journalPathOf } from '../../src/analysis/pairwise.js';
import { readJournal, type NetworkRecord } from '../../src/sweep/journal.js';
import { tempDir } from '../helpers/files.js';
import { tra } from '../helpers/hostile.js';
import { longCsv, plantedLongRows, type LongRow } from '../helpers/losses.js';
import { written } from '../helpers/written.js';

const runImport = written(runImportOnly);
const groupImported = written(groupImportedOnly);

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

test('a cross-fitted import: --validate lists every fold of the fresh seeds; imported in two rounds, they are scored per seed', async () => {
  const dir = tempDir();
  const folded = (rows: LongRow[], folds: number): string => {
    const lines = ['network,task,seed,fold,split,loss'];
    for (const r of rows)
      for (let fold = 0; fold < folds; fold++)
        lines.push([r.network, r.task, r.seed, fold, r.split, r.loss * (1 + 0.01 * fold)].join(','));
    return `${lines.join('\n')}\n`;
  };
  writeFileSync(join(dir, 'sweep.csv'), folded(plantedLongRows(TASKS, CLUSTERS, 3), 3));
  const out = join(dir, 'out');
  await runImport(join(dir, 'sweep.csv'), options(out));
  const groupOptions = {
    method: 'auto' as const,
    trainHigherOrder: false,
    validate: true,
    validateSeeds: 2,
    randomDraws: 2,
    bootstrap: 2,
    earlyFractions: [0.5],
  };
  const listed = await groupImported(out, groupOptions);
  const list = listed.closedLoopList;
  assert.ok(list && !listed.closedLoop);
  assert.deepEqual(
    [...new Set(list.networks.map((n) => n.replication))],
    ['s3f0', 's3f1', 's3f2', 's4f0', 's4f1', 's4f2'],
  );
  assert.ok(list.networks.every((n) => n.fold !== undefined && n.id === `${n.replication}/${n.group.join('+')}`));
  // the user's launcher trains them: losses for the listed networks (folds as rows of the long format)
  const rowsOf = (seed: number): string =>
    `${[
      'network,task,seed,fold,split,loss',
      ...list.networks
        .filter((n) => n.seed === seed)
        .flatMap((n) =>
          n.tasks.flatMap((task, k) =>
            ['validation', 'test'].map((split) => [n.network, task, n.seed, n.fold, split, 0.5 + 0.01 * k].join(',')),
          ),
        ),
    ].join('\n')}\n`;
  writeFileSync(join(dir, 'fresh-3.csv'), rowsOf(3));
  writeFileSync(join(dir, 'fresh-4.csv'), rowsOf(4));
  await runImport(join(dir, 'fresh-3.csv'), options(out));
  assert.equal((await groupImported(out, groupOptions)).closedLoopList?.missing, list.networks.length / 2);
  await runImport(join(dir, 'fresh-4.csv'), options(out));
  const scored = await groupImported(out, groupOptions);
  assert.equal(scored.closedLoopList?.missing, 0);
  assert.deepEqual(scored.closedLoop?.seeds, [3, 4]);
  assert.equal(scored.closedLoop?.actual.totals.length, 2, 'one total per fresh seed, its folds averaged');
  assert.equal(scored.evidence.records.size, 3 * 3 * 10, 'the sweep kept its 3 seeds x 3 folds x 10 networks');

  // fewer fresh seeds: the first of those trained; then a new seed of the sweep (6): seed 4's networks stay the
  // closed loop's, and asked for two fresh seeds again, the closed loop takes 3 and 4, trained already
  const one = await groupImported(out, { ...groupOptions, validateSeeds: 1 });
  assert.deepEqual(one.closedLoop?.seeds, [3]);
  writeFileSync(
    join(dir, 'seed-6.csv'),
    folded(
      plantedLongRows(TASKS, CLUSTERS, 1).map((r) => ({ ...r, seed: 6 })),
      3,
    ),
  );
  const grown = await runImport(join(dir, 'seed-6.csv'), options(out));
  assert.equal(grown.journal.records.length, 4 * 3 * 10);
  assert.deepEqual([...new Set(grown.journal.closedLoop.map((r) => r.seed))], [3, 4]);
  const again = await groupImported(out, groupOptions);
  assert.deepEqual(again.closedLoopList?.seeds, [3, 4]);
});

test('groups the selection approximated, listed for the user to train on the sweep seeds (--train-higher-order, --auxiliary-top): imported, they are measured', async () => {
  const tasks = ['a', 'b', 'c', 'd', 'e'];
  const clusters = [0, 0, 1, 1, 1];
  const dir = tempDir();
  const pairs = plantedLongRows(tasks, clusters, 3);
  writeFileSync(join(dir, 'pairs.csv'), longCsv(pairs));
  const out = join(dir, 'out');
  await runImport(join(dir, 'pairs.csv'), options(out));
  const groupOptions = { bootstrap: 2, earlyFractions: [0.5] };
  const listed = await groupImported(out, { ...groupOptions, trainHigherOrder: true, main: 'c', auxiliaryTop: 2 });
  const list = listed.moreGroupsList;
  assert.ok(list);
  assert.deepEqual(listed.trainedGroups, [], 'nothing trained here');
  assert.equal(listed.auxiliary?.top, undefined, 'the top auxiliaries are not scored before they are measured');
  const groups = [...new Set(list.networks.map((n) => n.network))];
  assert.ok(groups.includes('c+d+e'), `the planted cluster {c, d, e} is among the groups to measure: ${groups}`);
  assert.ok(groups.every((g) => g.split('+').length >= 3));
  assert.equal(list.networks.length, groups.length * 3, 'every group on each of the 3 seeds');
  assert.equal(list.missing, list.networks.length);

  // the user trains them (here: the planted losses of those groups) and imports them in one file
  const larger = list.networks
    .filter((n) => n.seed === 0)
    .map((n) => n.group)
    .map((g) => [...g]);
  const more = plantedLongRows(tasks, clusters, 3, larger).filter((r) => r.network.split('+').length >= 3);
  writeFileSync(join(dir, 'more.csv'), longCsv(more));
  await runImport(join(dir, 'more.csv'), options(out));
  const measured = await groupImported(out, { ...groupOptions, trainHigherOrder: true, main: 'c', auxiliaryTop: 2 });
  assert.equal(measured.moreGroupsList?.missing, 0);
  assert.equal(measured.moreGroupsList?.networks.length, 0, 'nothing left to measure');
  assert.ok(measured.auxiliary?.top, 'the top auxiliaries, measured now, are scored');
  assert.equal(
    measured.approximation?.groups.length,
    groups.length,
    "the approximation's error on every measured group",
  );
  // the same as importing everything at once
  writeFileSync(join(dir, 'all.csv'), longCsv([...pairs, ...more]));
  const whole = join(dir, 'whole');
  await runImport(join(dir, 'all.csv'), options(whole));
  const once = await groupImported(whole, { ...groupOptions, main: 'c' });
  assert.deepEqual(
    once.curve.map((p) => p.selection.groups),
    measured.curve.map((p) => p.selection.groups),
  );
});
