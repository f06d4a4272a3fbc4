import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProxies } from '../../src/analysis/proxies.js';
import { completeSpec, loadSpecDataset } from '../../src/analysis/spec.js';
import { writeArtefacts } from '../../src/analysis/write.js';
import { readProxies } from '../../src/artefacts/proxies.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { sweepConfig } from '../../src/sweep/config.js';
import { runSweep } from '../../src/sweep/run.js';
import { SweepGroups } from '../../src/sweep/plan.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';

/** A planted CSV of 6 tasks in 2 clusters, and a sweep that trained every single but only 6 of the 15 pairs. */
async function partialSweep() {
  const { dataset } = plantedClusters({ rows: 200, features: 8, clusters: 2, tasksPerCluster: 3, seed: 4 });
  const csv = join(tempDir(), 'planted.csv');
  const T = dataset.taskNames.length;
  const lines = Array.from({ length: dataset.rows }, (_, r) =>
    [...dataset.features.subarray(r * 8, r * 8 + 8), ...dataset.targets.subarray(r * T, r * T + T)].join(','),
  );
  writeFileSync(csv, `${[...dataset.featureNames, ...dataset.taskNames].join(',')}\n${lines.join('\n')}\n`);
  const definition = {
    name: 'partial',
    data: csv,
    tasks: `last:${T}`,
    seeds: 2,
    split: { kind: 'holdout' },
    engine: { epochs: 3, hidden: [8] },
  };
  const sweepDir = tempDir();
  const spec = completeSpec({ ...definition, out: sweepDir }, 'test');
  const loaded = loadSpecDataset(spec);
  const trainedPairs = [
    [0, 1],
    [0, 3],
    [1, 4],
    [2, 5],
    [3, 4],
    [2, 3],
  ];
  await runSweep({
    dataset: loaded,
    config: sweepConfig(loaded, spec.engine, spec.split),
    groups: SweepGroups.of([...Array.from({ length: T }, (_, t) => [t]), ...trainedPairs]),
    seeds: [0, 1],
    journalPath: join(sweepDir, 'journal.jsonl'),
    backend: await testBackend(),
    workers: 1,
    quiet: true,
  });
  return { definition, sweepDir, trainedPairs, T };
}

test('tra proxies --predict: the pairs a sweep did not train get predicted gains with intervals, marked predicted, beside the error and the noise', async () => {
  const { definition, sweepDir, trainedPairs, T } = await partialSweep();
  const out = tempDir();
  const spec = completeSpec({ ...definition, out }, 'test');
  const outcome = await runProxies(spec, { proxies: 'correlation,mutual-information', predict: sweepDir });
  const predictor = outcome.predictor;
  assert.ok(predictor);
  const trained = new Set(trainedPairs.map((p) => p.join('+')));
  // every directed cell of the 9 untrained pairs, none of a trained one
  assert.equal(predictor.cells.length, 2 * (15 - trainedPairs.length));
  for (const c of predictor.cells) {
    assert.ok(!trained.has(`${Math.min(c.task, c.partner)}+${Math.max(c.task, c.partner)}`));
    assert.equal(c.source, 'predicted');
    assert.ok(c.low < c.gain && c.gain < c.high, JSON.stringify(c));
  }
  const { report } = predictor;
  assert.equal(report.trainedPairs, trainedPairs.length);
  assert.equal(report.trainedCells, 2 * trainedPairs.length);
  assert.ok(report.noise > 0 && Number.isFinite(report.heldOutRmse));
  assert.equal(
    report.standsIn,
    report.errorHigh <= report.noise && report.heldOutRmse < report.baselineRmse && report.heldOutSpearmanLow > 0,
  );
  assert.deepEqual(
    report.features.map((f) => f.id),
    ['correlation', 'mutual-information', 'stop-receiver', 'stop-giver'],
  );
  // written beside the proxies, read back through the checking reader, and listed in the report section
  writeArtefacts(outcome);
  const written = readProxies(join(out, 'proxies.json'));
  assert.equal(written.predictor?.cells.length, predictor.cells.length);
  const section = readFileSync(join(out, 'proxies.md'), 'utf8');
  assert.match(section, /Predicted gains of the pairs/);
  assert.equal(section.match(/\(predicted\)/g)?.length, predictor.cells.length);
  assert.match(section, /against a measurement noise of 0\.\d{4}/);
  // a folder without a journal is refused naming it
  const empty = tempDir();
  await assert.rejects(
    runProxies(completeSpec({ ...definition, out: tempDir() }, 'test'), { proxies: 'correlation', predict: empty }),
    new RegExp(`--predict: ${empty} holds no journal`),
  );
  assert.equal(T, 6);
});
