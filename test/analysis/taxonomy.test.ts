import { writeArtefacts } from '../../src/analysis/write.js';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, test } from 'node:test';
import { completeSpec } from '../../src/analysis/spec.js';
import { OUTPUT_MARK } from '../../src/sweep/outputFolder.js';
import { InputError } from '../../src/data/errors.js';
import { checkTaxonomyOptions, runTaxonomy } from '../../src/analysis/taxonomy.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

before(async () => {
  await testBackend();
});

const options = { orders: [1, 2], beam: 2, readoutHidden: [4] };

test('user mistakes in the taxonomy settings are InputErrors saying what would work', () => {
  assert.throws(
    () => checkTaxonomyOptions(4, { ...options, orders: [2] }),
    (e: Error) => e instanceof InputError && /including 1/.test(e.message),
  );
  assert.throws(
    () => checkTaxonomyOptions(4, { ...options, orders: [1, 2, 3], beam: 2 }),
    /--beam 2: an integer of at least the highest order \(3\)/,
  );
  assert.throws(() => checkTaxonomyOptions(3, { ...options, orders: [1, 3] }), /only 2/);
  assert.throws(() => checkTaxonomyOptions(4, { ...options, budgets: [0, 2] }), /budget 0/);
  assert.deepEqual(checkTaxonomyOptions(5, options), {
    budgets: [1, 2, 3, 4, 5],
    drawBudget: 3,
    orders: options.orders,
  });
  assert.deepEqual(checkTaxonomyOptions(5, { ...options, budgets: [4], drawBudget: 2 }), {
    budgets: [2, 4],
    drawBudget: 2,
    orders: options.orders,
  });
  assert.deepEqual(
    checkTaxonomyOptions(3, { ...options, orders: undefined }).orders,
    [1, 2],
    'the default orders fit 3 tasks instead of failing on order 3',
  );
});

test("a run writes taxonomy.json, both matrices as CSV and the report, and compares with the folder's gain matrix", async () => {
  const out = tempDir();
  const spec = completeSpec(
    {
      name: 't',
      data: writeTemp('ok.csv', validCsv()),
      tasks: 'last:3',
      seeds: '0,1',
      split: { kind: 'holdout' },
      engine: { hidden: [8], epochs: 4, batchSize: 8 },
      out,
    },
    'test',
  );
  const taskNames = ['a', 'b', 'r'];
  const gain = [
    [0, 0.1, -0.2],
    [0.3, 0, 0.05],
    [-0.1, 0.2, 0],
  ];
  // The folder of a pairwise sweep (tra's own output, as its mark says) holding its gain matrix.
  writeFileSync(join(out, OUTPUT_MARK), '');
  writeFileSync(join(out, 'affinity.json'), JSON.stringify({ taskNames, mean: gain, low: gain, high: gain }));
  const outcome = await runTaxonomy(spec, options);
  const written = writeArtefacts(outcome);
  const file = (name: string): string => written.find((f) => f.endsWith(name)) as string;
  assert.deepEqual(
    outcome.choices.map((c) => c.budget),
    [1, 2, 3],
  );
  assert.equal(outcome.drawBudget, 2);
  assert.equal(outcome.comparison?.cells, 6);
  assert.match(readFileSync(file('index.html'), 'utf8'), /href="#section-taxonomy"/);

  const json = JSON.parse(readFileSync(file('taxonomy.json'), 'utf8'));
  assert.equal(json.budget, 2);
  assert.equal(json.nodes.filter((n: { source: boolean }) => n.source).length, outcome.choices[1].sources.length);
  assert.ok(
    json.edges.every(
      (e: { source: string; target: string; score: number }) =>
        taskNames.includes(e.source) && taskNames.includes(e.target) && e.score > 0,
    ),
  );
  assert.equal(json.curve.length, 3);
  assert.deepEqual(json.replications, ['s0', 's1']);
  assert.equal(json.provenance.backends.length, 1);
  // every own network (3), first-order transfer (6) and the beam's one second-order set per target (3), twice
  assert.equal(outcome.measurements.transfers.length, 3 + 6 + 3);
  assert.ok(
    outcome.measurements.transfers.every((t) => t.testLoss.length === 2 && t.exampleLoss.every((l) => l.length === 8)),
  );

  const losses = readFileSync(file('taxonomy-losses.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(losses[0].split(','), ['target', ...taskNames]);
  assert.equal(losses.length, 4);
  const affinity = readFileSync(file('taxonomy-affinity.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').slice(1).map(Number));
  affinity.forEach((row) =>
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-9, "each target's first-order affinities sum to 1"),
  );
});

test('the command reports a bad setting in one line and exit code 2', () => {
  const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
  const definition = writeTemp(
    'def.json',
    JSON.stringify({ name: 'x', data: writeTemp('ok.csv', validCsv()), tasks: 'last:3' }),
  );
  const run = spawnSync(process.execPath, [cli, 'taxonomy', definition, '--orders', '1,2', '--beam', '1'], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 2);
  assert.equal(run.stderr.trim(), 'tra: --beam 1: an integer of at least the highest order (2)');
});
