import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { plantedClusters } from '../../src/data/synthetic.js';
import { activeBackend } from '../../src/engine/backend.js';
import { sweepConfig } from '../../src/sweep/config.js';
import { SweepGroups } from '../../src/sweep/plan.js';
import { runSweep } from '../../src/sweep/run.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { SMALL_ENGINE } from '../helpers/sweep.js';

// tfjs fuses a sweep's networks into one graph, so a shorter list orders its sums differently: bit for bit on native
// and wasm, to float32 rounding on tensorflow
let bitwise = true;
before(async () => {
  bitwise = (await testBackend()) !== 'tensorflow';
});

test('a sweep given a list of networks trains exactly those, on every fold of their seed, with the results a whole sweep gives them', async () => {
  const { dataset } = plantedClusters({ rows: 120, features: 6, clusters: 2, tasksPerCluster: 2, seed: 4 });
  const config = sweepConfig(dataset, { ...SMALL_ENGINE, epochs: 6 }, { kind: 'kfold', folds: 3 });
  const groups = SweepGroups.pairwise(4);
  const common = { dataset, config, groups, backend: activeBackend(), workers: 1, quiet: true };
  const whole = await runSweep({ ...common, seeds: [0, 1], journalPath: join(tempDir(), 'journal.jsonl') });
  const networks = [
    { seed: 1, group: [0, 2] },
    { seed: 0, group: [3] },
  ];
  const listed = await runSweep({ ...common, seeds: [0, 1], networks, journalPath: join(tempDir(), 'journal.jsonl') });
  assert.equal(listed.trained, 2 * 3);
  assert.deepEqual([...listed.journal.records.keys()].sort(), [
    's0f0/3',
    's0f1/3',
    's0f2/3',
    's1f0/0+2',
    's1f1/0+2',
    's1f2/0+2',
  ]);
  for (const [id, record] of listed.journal.records) {
    const want = whole.journal.records.get(id)?.testLoss ?? [];
    if (bitwise) assert.deepEqual(record.testLoss, want, `network ${id}`);
    else
      record.testLoss.forEach((loss, t) =>
        assert.ok(Math.abs(loss - want[t]) <= 1e-5 * Math.abs(want[t]), `network ${id}: ${loss} vs ${want[t]}`),
      );
  }
});
