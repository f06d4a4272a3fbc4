import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { definitionPathOf, readFolderDefinition } from '../../src/analysis/folderDefinition.js';
import { journalPathOf, runPairwiseAnalysis } from '../../src/analysis/pairwise.js';
import { completeSpec } from '../../src/analysis/spec.js';
import { configHash } from '../../src/sweep/config.js';
import { readJournal } from '../../src/sweep/journal.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir, validCsv } from '../helpers/files.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd, env: { ...process.env } });

before(async () => {
  await testBackend();
});

const smallSpec = (dir: string, seeds: number, fields: Record<string, unknown> = {}) =>
  completeSpec(
    {
      name: 'small',
      data: join(dir, 'data.csv'),
      tasks: 'last:3',
      seeds,
      split: { kind: 'holdout' },
      engine: { epochs: 2, hidden: [4], patience: 0 },
      out: join(dir, 'out'),
      workers: 1,
      backend: process.env.TRA_BACKEND || undefined,
      ...fields,
    },
    'test',
  );

test('a sweep writes the definition it ran into its folder: tra group <folder> groups it without training and without a hand-written definition', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'data.csv'), validCsv());
  // a sweep from flags, as a user runs it (patience 0: the definition must keep it, the default is 8)
  const sweep = tra(
    dir,
    'sweep',
    '--data',
    'data.csv',
    '--tasks',
    'last:3',
    '--seeds',
    '2',
    '--split',
    'holdout',
    '--epochs',
    '2',
    '--hidden',
    '4',
    '--patience',
    '0',
    '--out',
    'out',
    '--quiet',
  );
  assert.equal(sweep.status, 0, sweep.stderr);
  const out = join(dir, 'out');
  const journal = readFileSync(journalPathOf(out), 'utf8');
  const written = JSON.parse(readFileSync(definitionPathOf(out), 'utf8'));
  assert.equal(written.data, '../data.csv', 'paths relative to the folder');
  assert.equal(written.out, undefined, 'the folder is its own output');
  const { header } = readJournal(journalPathOf(out));
  const spec = readFolderDefinition(out);
  assert.equal(spec.out, out);
  assert.equal(spec.engine.patience, undefined, 'patience 0 read back as no patience');

  const group = tra(dir, 'group', 'out', '--bootstrap', '3', '--quiet');
  assert.equal(group.status, 0, group.stderr);
  assert.match(group.stdout, /^Train /);
  assert.equal(readFileSync(journalPathOf(out), 'utf8'), journal, 'nothing trained: the journal is the sweep’s');
  // the configuration read back is the one the journal was written with
  const resumed = await runPairwiseAnalysis(spec, {});
  assert.equal(configHash(resumed.config), header.configHash);
  assert.equal(resumed.sweep.trained, 0);
});

test('a complete journal is never refused; the time limit counts only the networks left to train', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'data.csv'), validCsv());
  const first = await runPairwiseAnalysis(smallSpec(dir, 2), {});
  assert.equal(first.sweep.trained, 12);
  // the plan's estimate of those 12 networks is kept beside the time they took (a silent run plans by a probe)
  assert.equal(first.plan?.networks, 12);
  assert.equal(first.plan?.from, 'probe');
  assert.equal(first.plan?.measuredSeconds, Number(first.sweep.seconds.toPrecision(4)));
  assert.ok((first.plan?.predictedSeconds ?? 0) > 0);
  assert.deepEqual(first.artefacts.affinity?.plan, first.plan);
  // 12 networks in the journal, a limit no training fits in: analysed, nothing trained
  const again = await runPairwiseAnalysis(smallSpec(dir, 2), { maxHours: 1e-9 });
  assert.equal(again.sweep.trained, 0);
  assert.equal(again.plan, undefined, 'nothing trained: nothing planned');
  assert.deepEqual(again.estimate.mean, first.estimate.mean);
  // one more seed: its 6 networks are refused under that limit, the message naming the flag and the estimate
  await assert.rejects(
    runPairwiseAnalysis(smallSpec(dir, 3), { maxHours: 1e-9 }),
    /--max-hours 1e-9: this sweep would train 6 networks, estimated at \d+\.\d+ s; raise --max-hours to at least \d/,
  );
  const grown = await runPairwiseAnalysis(smallSpec(dir, 3), {});
  assert.equal(grown.sweep.trained, 6);
});

test("a folder swept before sweeps wrote their definition: its journal's header serves as one, nothing is retrained", async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'data.csv'), validCsv());
  // null controls, a k-fold split, the default patience and a feature subset: all must come back from the header
  const first = await runPairwiseAnalysis(
    smallSpec(dir, 2, {
      nullTasks: 1,
      features: 'f2',
      split: { kind: 'kfold', folds: 3 },
      engine: { epochs: 2, hidden: [4] },
    }),
    {},
  );
  const out = join(dir, 'out');
  rmSync(definitionPathOf(out));
  const journal = readFileSync(journalPathOf(out), 'utf8');
  const spec = readFolderDefinition(out);
  assert.equal(spec.nullTasks, 1);
  const again = await runPairwiseAnalysis(spec);
  assert.equal(again.sweep.trained, 0);
  assert.equal(configHash(again.config), configHash(first.config));
  const group = tra(dir, 'group', 'out', '--bootstrap', '2', '--quiet');
  assert.equal(group.status, 0, group.stderr);
  assert.match(group.stdout, /^Train /);
  assert.equal(readFileSync(journalPathOf(out), 'utf8'), journal);
});
