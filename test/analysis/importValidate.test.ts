import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { groupImported, runGroupAnalysis, type GroupOptions } from '../../src/analysis/group.js';
import { runImport, type ImportOptions } from '../../src/analysis/import.js';
import { journalPathOf } from '../../src/analysis/pairwise.js';
import { completeSpec } from '../../src/analysis/spec.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { closedLoopJournalPathOf, readJournal, type NetworkRecord } from '../../src/sweep/journal.js';
import { testBackend } from '../helpers/backend.js';
import { datasetCsv, tempDir } from '../helpers/files.js';
import { tra } from '../helpers/hostile.js';
import { longCsv, type LongRow } from '../helpers/losses.js';

before(async () => {
  await testBackend();
});

const OPTIONS: GroupOptions = {
  method: 'auto',
  trainHigherOrder: false,
  validate: true,
  validateSeeds: 2,
  randomDraws: 2,
  bootstrap: 3,
  earlyFractions: [0.5],
};
const importOptions = (out: string): ImportOptions => ({ out, format: 'long', method: 'auto', level: 0.95, fdr: 0.05 });

/** A journal's records as the long format: what a user's own training would have written. */
const asRows = (records: Iterable<NetworkRecord>, taskNames: string[]): LongRow[] =>
  [...records].flatMap((r) =>
    r.group.flatMap((t, k) => {
      const network = r.group.map((u) => taskNames[u]).join('+');
      return [
        { network, task: taskNames[t], seed: r.seed, split: 'validation' as const, loss: r.validationLoss[k] },
        { network, task: taskNames[t], seed: r.seed, split: 'test' as const, loss: r.testLoss[k] },
      ];
    }),
  );

test('the closed loop on imported losses: --validate lists exactly the networks the built-in closed loop trains, and once they are imported gives its numbers', async () => {
  const { dataset } = plantedClusters({
    rows: 240,
    features: 12,
    clusters: 2,
    tasksPerCluster: 2,
    kind: 'regression',
    labelNoise: 0.5,
    privateShare: 0,
    seed: 4,
  });
  const dir = tempDir();
  writeFileSync(join(dir, 'planted.csv'), datasetCsv(dataset));
  const spec = completeSpec(
    {
      name: 'planted',
      data: join(dir, 'planted.csv'),
      tasks: 'last:4',
      seeds: 3,
      split: { kind: 'holdout' },
      engine: { hidden: [16], epochs: 12, patience: 0 },
      out: join(dir, 'builtin'),
      workers: 1,
      backend: process.env.TRA_BACKEND || undefined,
    },
    'test',
  );
  const builtin = await runGroupAnalysis(spec, OPTIONS);
  assert.ok(builtin.closedLoop);
  const names = dataset.taskNames;
  const trained = readJournal(closedLoopJournalPathOf(spec.out)).records;

  // the sweep's losses as the user's file, imported; --validate lists the closed loop's networks
  const sweepFile = join(dir, 'sweep.csv');
  writeFileSync(sweepFile, longCsv(asRows(readJournal(journalPathOf(spec.out)).records.values(), names)));
  const out = join(dir, 'imported');
  await runImport(sweepFile, importOptions(out));
  const listed = await groupImported(out, OPTIONS);
  assert.equal(listed.closedLoop, undefined, 'nothing to score yet');
  assert.deepEqual(listed.choice, builtin.choice);
  const list = listed.closedLoopList;
  assert.ok(list);
  assert.deepEqual(list.seeds, [3, 4]);
  assert.deepEqual(list.networks.map((n) => n.id).sort(), [...trained.keys()].sort(), 'the same networks, no more');
  assert.equal(list.missing, trained.size);
  // the same list as JSON for a launcher, from the command line
  const json = await tra(dir, [
    'group',
    'imported',
    '--validate',
    '--validate-seeds',
    '2',
    '--random-draws',
    '2',
    '--bootstrap',
    '3',
    '--json',
    '--quiet',
  ]);
  assert.equal(json.code, 0, json.stderr);
  assert.deepEqual(JSON.parse(json.stdout).networks, list.networks);

  // the first fresh seed's networks, then the second's, each as its own file
  const closedRows = (seed: number) =>
    asRows(
      [...trained.values()].filter((r) => r.seed === seed),
      names,
    );
  writeFileSync(join(dir, 'fresh-3.csv'), longCsv(closedRows(3)));
  writeFileSync(join(dir, 'fresh-4.csv'), longCsv(closedRows(4)));
  const half = await runImport(join(dir, 'fresh-3.csv'), importOptions(out));
  assert.deepEqual(half.closedLoop, { seeds: [3, 4], listed: trained.size, imported: trained.size / 2 });
  assert.equal(half.journal.records.length, listed.evidence.records.size, 'the sweep is unchanged');
  const waiting = await groupImported(out, OPTIONS);
  assert.equal(waiting.closedLoop, undefined);
  assert.equal(waiting.closedLoopList?.missing, trained.size / 2);
  assert.deepEqual(
    waiting.closedLoopList?.networks.filter((n) => !n.done).map((n) => n.seed),
    new Array(trained.size / 2).fill(4),
  );

  const cli = await tra(dir, ['import', 'imported', 'fresh-4.csv']);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(
    cli.stdout,
    new RegExp(`closed loop \\(fresh seeds 3, 4\\): ${trained.size} of the ${trained.size} networks`),
  );
  const scored = await groupImported(out, OPTIONS);
  assert.equal(scored.closedLoopList?.missing, 0);
  assert.deepEqual(scored.closedLoop, builtin.closedLoop, 'the closed loop of the imported losses is the built-in one');
});
