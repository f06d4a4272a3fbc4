import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { groupImported as groupImportedOnly, type GroupOptions } from '../../src/analysis/group.js';
import { runImport as runImportOnly, type ImportOptions } from '../../src/analysis/import.js';
import { runImportedTaxonomy as runImportedTaxonomyOnly } from '../../src/analysis/taxonomy.js';
import { completeSpec, loadSpecDataset } from '../../src/analysis/spec.js';
import { mean } from '../../src/affinity/stats.js';
import { prepareSplit, splitFor } from '../../src/data/split.js';
import type { LayerWeights } from '../../src/engine/start.js';
import { trainNetworks } from '../../src/engine/train.js';
import { pairwiseGroups } from '../../src/sweep/plan.js';
import { exampleLosses } from '../../src/taxonomy/network.js';
import { testBackend } from '../helpers/backend.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';
import { InputError } from '../../src/data/errors.js';
import { tempDir, writeTemp } from '../helpers/files.js';
import { longCsv, longJsonLines, plantedExampleRows, plantedLongRows, type LongRow } from '../helpers/losses.js';
import { written } from '../helpers/written.js';

const runImport = written(runImportOnly);
const groupImported = written(groupImportedOnly);
const runImportedTaxonomy = written(runImportedTaxonomyOnly);

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
const importOptions = (out: string): ImportOptions => ({ out, format: 'long', method: 'auto', level: 0.95, fdr: 0.05 });
const groupOptions: GroupOptions = {
  method: 'auto',
  trainHigherOrder: false,
  validate: false,
  validateSeeds: 1,
  randomDraws: 0,
  bootstrap: 5,
  earlyFractions: [0.5],
};
const readJson = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

const TASKS = ['a', 'b', 'c', 'd'];
const CLUSTERS = [0, 0, 1, 1];

test('imported losses: the affinity, the report and tra group (planted clusters recovered, auxiliary ranking) with provenance', async () => {
  const rows = plantedLongRows(TASKS, CLUSTERS, 3, [[0, 1, 2]]);
  const file = writeTemp('planted.csv', longCsv(rows));
  const out = join(tempDir(), 'imported');
  const outcome = await runImport(file, importOptions(out));
  // the matrix is the gain 1 - L_i({i,j}) / L_i({i}) of the file's own test losses, averaged over seeds
  const loss = (network: string, task: string, seed: number) =>
    (
      rows.find((r) => r.network === network && r.task === task && r.seed === seed && r.split === 'test') as {
        loss: number;
      }
    ).loss;
  const expected =
    (1 -
      loss('a+c', 'a', 0) / loss('a', 'a', 0) +
      1 -
      loss('a+c', 'a', 1) / loss('a', 'a', 1) +
      1 -
      loss('a+c', 'a', 2) / loss('a', 'a', 2)) /
    3;
  assert.ok(Math.abs(outcome.estimate.mean[0][2] - expected) < 1e-12);
  const affinity = readJson(out, 'affinity.json');
  assert.equal(affinity.provenance.imported.files[0], file);
  assert.deepEqual(affinity.provenance.backends, ['imported']);
  assert.equal(affinity.inference.verdict[0][1], 'helps');
  assert.match(
    readFileSync(join(out, 'index.html'), 'utf8'),
    /<dt>Losses<\/dt><dd[^>]*>imported \(loss\), not trained here/,
  );
  assert.deepEqual(outcome.notes.largerGroups, [[0, 1, 2]]);

  const result = await groupImported(out, { ...groupOptions, main: 'a' });
  const atTwo = result.curve.find((p) => p.budget === 2);
  assert.deepEqual(atTwo?.selection.groups, [
    [0, 1],
    [2, 3],
  ]);
  assert.equal(result.auxiliary?.ranking[0].task, 1, 'b helps a most');
  assert.ok(
    result.approximation && result.approximation.groups.length === 1,
    'the measured triple is checked against its pairwise approximation',
  );
  const grouping = readJson(out, 'grouping.json');
  assert.equal(grouping.provenance.imported.files[0], file);
  const atOne = grouping.curve.find((p: { budget: number }) => p.budget === 1);
  assert.deepEqual(
    atOne.approximatedGroups,
    [TASKS],
    'the all-in-one network was never trained: approximated from pairs, and said so',
  );
  // the rest of what docs/BRING-YOUR-OWN.md lists as working on imports
  assert.ok(
    outcome.estimate.reliability.reliability > 0.5,
    `split-half reliability over 3 seeds: ${outcome.estimate.reliability.reliability}`,
  );
  assert.match(
    result.choice.reason,
    /nested: leave-one-seed-out on validation losses/,
    'the budget is recommended on held-out validation seeds',
  );
  assert.equal(result.stability.draws, 5);
  assert.ok(
    result.clustering.some((c) => c.versusSelection !== undefined),
    'clustering alternatives scored against the selection',
  );
  const relevel = tra('affinity', out, '--level', '0.9');
  assert.equal(relevel.status, 0, relevel.stderr);
  assert.equal(readJson(out, 'affinity.json').level, 0.9);
  assert.equal(tra('report', out).status, 0);
});

test('imported per-epoch rows give tra group the early-stopping approximation', async () => {
  // losses fall over 4 epochs, so the last epoch is selected and stopping at 2 sees a noisier, higher version
  const rows = plantedLongRows(TASKS, CLUSTERS, 3).flatMap((r) =>
    [1, 2, 3, 4].map((epoch) => ({ ...r, epoch, loss: r.loss * (1 + 0.05 * (4 - epoch) * (r.task === 'a' ? 2 : 1)) })),
  );
  const out = join(tempDir(), 'epochs');
  const { journal } = await runImport(writeTemp('epochs.csv', longCsv(rows)), importOptions(out));
  assert.equal(journal.header.config.epochs, 4);
  assert.ok(journal.records.every((r) => r.bestEpoch === 4));
  const result = await groupImported(out, groupOptions);
  assert.equal(result.earlyStopping?.length, 1);
  const [early] = result.earlyStopping ?? [];
  assert.equal(early.epochs, 2);
  assert.equal(early.costShare, 0.5);
  assert.ok(Number.isFinite(early.spearman));
});

test('imported per-example test losses give tra taxonomy: each task transfers from its own cluster, said to be multi-task networks', async () => {
  const out = join(tempDir(), 'examples');
  await runImport(writeTemp('examples.csv', longCsv(plantedExampleRows(TASKS, CLUSTERS, 2, 30))), importOptions(out));
  const outcome = await runImportedTaxonomy(out, {});
  assert.equal(outcome.backend, 'imported');
  const { affinity } = outcome.measurements.firstOrder;
  // per target, the best first-order source (the largest off-diagonal AHP share) is its cluster partner
  affinity.forEach((row, target) => {
    const best = row
      .map((score, source) => ({ score, source }))
      .filter(({ source }) => source !== target)
      .sort((x, y) => y.score - x.score)[0];
    assert.equal(
      CLUSTERS[best.source],
      CLUSTERS[target],
      `task ${TASKS[target]} transfers best from ${TASKS[best.source]}: ${row.map((x) => x.toFixed(3)).join(' ')}`,
    );
  });
  // with 2 sources trained from scratch, one per cluster, every other task transfers from its partner
  const atTwo = outcome.choices.find((c) => c.budget === 2);
  assert.deepEqual(atTwo?.sources.map((t) => CLUSTERS[t]).sort(), [0, 1]);
  for (const served of atTwo?.served ?? [])
    if (!served.own)
      assert.deepEqual(
        served.sources.map((t) => CLUSTERS[t]),
        [CLUSTERS[served.target]],
      );
  const json = readJson(out, 'taxonomy.json');
  assert.match(json.transferDefinition, /multi-task network .* not a readout on the frozen encoders/);
  assert.equal(json.provenance.imported.files[0].endsWith('examples.csv'), true);
  assert.ok(
    json.comparison && json.comparison.spearman > 0.5,
    'the tournament agrees with the imported gain matrix (affinity.json)',
  );

  const cli = tra('taxonomy', out, '--beam', '2');
  assert.equal(cli.status, 2);
  assert.match(cli.stderr, /--beam: .* holds imported losses, and the toolkit cannot train your model/);
  const withoutExamples = join(tempDir(), 'no-examples');
  await runImport(writeTemp('plain.csv', longCsv(plantedLongRows(TASKS, CLUSTERS, 2))), importOptions(withoutExamples));
  await assert.rejects(
    runImportedTaxonomy(withoutExamples, {}),
    (error: unknown) => error instanceof InputError && /without per-example test losses/.test(error.message),
  );
});

test("a toolkit run on emotions written with per-example losses (the peer cannot write them): their means are the engine's test losses; imported, the matrix and the taxonomy follow from them", async () => {
  await testBackend();
  const spec = completeSpec(
    {
      name: 'emotions',
      data: fileURLToPath(new URL('../../../analyses/data/emotions.csv', import.meta.url)),
      tasks: 'last:6',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { ...SMALL_ENGINE, hidden: [16], epochs: 4 },
      out: tempDir(),
    },
    'test',
  );
  const dataset = loadSpecDataset(spec);
  const groups = pairwiseGroups(6);
  const rows: LongRow[] = [];
  const engineLoss = new Map<string, number>();
  for (const seed of [0, 1]) {
    const data = prepareSplit(dataset, splitFor(spec.split, dataset.rows, seed, 0));
    for (const { group, testLoss, validationLoss, bestWeights } of trainNetworks(
      data,
      dataset.taskKinds,
      groups,
      spec.engine,
      seed,
      undefined,
      undefined,
      { keepBestWeights: true },
    ))
      group.forEach((t, k) => {
        const examples = [...exampleLosses(bestWeights as LayerWeights[], data.test, t, dataset.taskKinds[t], k)];
        const network = group.map((u) => dataset.taskNames[u]).join('+');
        // the engine's test loss is the mean over the test rows (float32 sums): the per-example losses are the same quantity
        assert.ok(
          Math.abs(mean(examples) - testLoss[k]) <= 1e-5 * testLoss[k],
          `${network} task ${t} seed ${seed}: mean ${mean(examples)} vs engine ${testLoss[k]}`,
        );
        engineLoss.set(`${seed}|${network}|${t}`, testLoss[k]);
        rows.push(
          { network, task: dataset.taskNames[t], seed, split: 'test', loss: testLoss[k], examples },
          { network, task: dataset.taskNames[t], seed, split: 'validation', loss: validationLoss[k] },
        );
      });
  }
  const out = join(tempDir(), 'emotions');
  const { estimate } = await runImport(writeTemp('emotions.csv', longCsv(rows)), importOptions(out));
  const name = (t: number) => dataset.taskNames[t];
  const gain = (i: number, j: number, seed: number) =>
    1 -
    (engineLoss.get(`${seed}|${name(Math.min(i, j))}+${name(Math.max(i, j))}|${i}`) as number) /
      (engineLoss.get(`${seed}|${name(i)}|${i}`) as number);
  assert.ok(Math.abs(estimate.mean[0][3] - (gain(0, 3, 0) + gain(0, 3, 1)) / 2) < 1e-12);
  const taxonomy = await runImportedTaxonomy(out, { budgets: [1, 3] });
  // the tournament's first-order loss of target 0 from source 3 is the pair's mean test loss over the two seeds
  const pairLoss =
    ((engineLoss.get(`0|${name(0)}+${name(3)}|0`) as number) +
      (engineLoss.get(`1|${name(0)}+${name(3)}|0`) as number)) /
    2;
  assert.ok(Math.abs(taxonomy.measurements.firstOrder.loss[0][3] - pairLoss) < 1e-12);
  taxonomy.measurements.firstOrder.affinity.forEach((row) =>
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9, "each target's AHP shares sum to 1"),
  );
  assert.equal(taxonomy.choices.length, 2);
});

/** The peer's JSON (test BCEs of singles and pairs) as long-format rows. */
function peerRows(path: string): object[] {
  const peer = JSON.parse(readFileSync(path, 'utf8')) as {
    names: string[];
    seed: number;
    single_test_bce: number[];
    pair_test_bce: Record<string, number[]>;
  };
  const row = (tasks: number[], task: number, loss: number) => ({
    network: tasks.map((t) => peer.names[t]).join('+'),
    task: peer.names[task],
    seed: peer.seed,
    split: 'test',
    loss,
  });
  return [
    ...peer.single_test_bce.map((loss, t) => row([t], t, loss)),
    ...Object.entries(peer.pair_test_bce).flatMap(([key, losses]) => {
      const pair = key.split(',').map(Number);
      return pair.map((t, k) => row(pair, t, losses[k]));
    }),
  ];
}

test("cross-framework: a PyTorch peer's sweep imported gives the matrix the peer computes itself", async () => {
  const fixtures = fileURLToPath(new URL('../../../test/fixtures/torch-peer/', import.meta.url));
  const seeds = ['emotions-e10-s0.json', 'emotions-e10-s1.json'].map((f) => join(fixtures, f));
  const file = writeTemp('peer.jsonl', longJsonLines(seeds.flatMap(peerRows)));
  const out = join(tempDir(), 'peer');
  const { estimate } = await runImport(file, importOptions(out));
  const peerMatrices = seeds.map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { affinity: number[][] }).affinity);
  assert.equal(estimate.taskNames.length, 6);
  // per seed, cell by cell, to the peer's 5-decimal rounding; and their mean is the toolkit's matrix
  estimate.perReplication.forEach((matrix, s) =>
    matrix.forEach((row, i) =>
      row.forEach((gain, j) =>
        assert.ok(
          Math.abs(gain - peerMatrices[s][i][j]) <= 5e-6,
          `seed ${s} cell ${i},${j}: ${gain} vs ${peerMatrices[s][i][j]}`,
        ),
      ),
    ),
  );
  estimate.mean.forEach((row, i) =>
    row.forEach((gain, j) => assert.ok(Math.abs(gain - (peerMatrices[0][i][j] + peerMatrices[1][i][j]) / 2) <= 5e-6)),
  );
  // the peer reports test losses only: grouping, which chooses on validation, refuses instead of choosing on test
  await assert.rejects(
    groupImported(out, groupOptions),
    (error: unknown) => error instanceof InputError && /no validation split/.test(error.message),
  );
});

test('tra import on the command line: a bad row exits 2 naming its line; tra group reads the imported folder', () => {
  const lines = longCsv(plantedLongRows(TASKS, CLUSTERS, 2)).split('\n');
  lines[3] = lines[3].replace(/,[^,]*$/, ',-1');
  const bad = tra('import', writeTemp('bad.csv', lines.join('\n')), '--out', tempDir());
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^tra: .*bad\.csv:4 column 'loss': expected a positive loss, got -1\n$/);
  const out = join(tempDir(), 'ok');
  const good = tra('import', writeTemp('ok.csv', longCsv(plantedLongRows(TASKS, CLUSTERS, 2))), '--out', out);
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /added .*; the folder holds 20 networks of 4 tasks \(a, b, c, d\) over 2 replication\(s\)/);
  assert.match(good.stdout, /no group of 3\+ tasks was measured/);
  const group = tra('group', out, '--budgets', '1,2', '--bootstrap', '3', '--quiet');
  assert.equal(group.status, 0, group.stderr);
  assert.match(group.stdout, /imported from .*ok\.csv/);
  assert.match(group.stdout, /early stopping: the losses have no per-epoch rows \(imported ones: add an epoch column/);
  assert.match(
    group.stdout,
    /\n1 .* ~\{a, b, c, d\}/,
    'the never-trained all-in-one network is marked as approximated',
  );
});

test('a folder whose journal is not an import is refused by the imported path', async () => {
  const out = join(tempDir(), 'ok');
  await runImport(writeTemp('ok.csv', longCsv(plantedLongRows(TASKS, CLUSTERS, 2))), importOptions(out));
  writeFileSync(
    join(out, 'journal.jsonl'),
    readFileSync(join(out, 'journal.jsonl'), 'utf8').replace('"imported"', '"x"'),
  );
  await assert.rejects(groupImported(out, groupOptions), /journal\.jsonl:1: bad journal header: config/);
});
