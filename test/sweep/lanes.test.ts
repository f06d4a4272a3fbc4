import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { plantedClusters } from '../../src/data/synthetic.js';
import { prepareSplit, PROTOCOL_SPLIT, splitFor } from '../../src/data/split.js';
import type { BackendName } from '../../src/engine/backend.js';
import { trainNetworks } from '../../src/engine/train.js';
import { networkId, pairwiseGroups, replicationsOf } from '../../src/sweep/plan.js';
import { float32Loss } from '../../src/sweep/record.js';
import { testBackend } from '../helpers/backend.js';
import { SMALL_ENGINE, sweepAndEstimate } from '../helpers/sweep.js';

const engine = { ...SMALL_ENGINE, epochs: 8, patience: 3 };
const dataset = plantedClusters({ rows: 150, features: 10, clusters: 2, tasksPerCluster: 2, seed: 4 }).dataset;
let backend: BackendName;

before(async () => {
  backend = await testBackend();
});

test('a native sweep trains two slices at once on its lanes, journals them in order, each network as this thread trains it', async (t) => {
  if (backend !== 'native') return t.skip('the lanes train the native backend only');
  const seeds = [0, 1, 2];
  const groups = pairwiseGroups(4);
  const { sweep, journalPath } = await sweepAndEstimate(dataset, seeds, engine);
  const replications = replicationsOf(PROTOCOL_SPLIT, seeds);
  const journaled = readFileSync(journalPath, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => (JSON.parse(line) as { id: string }).id);
  assert.deepEqual(
    journaled,
    replications.flatMap((r) => groups.map((g) => networkId(r.key, g))),
    'replication by replication, group by group',
  );
  for (const r of replications) {
    const data = prepareSplit(dataset, splitFor(PROTOCOL_SPLIT, dataset.rows, r.seed, r.fold));
    for (const here of trainNetworks(data, dataset.taskKinds, groups, engine, r.seed)) {
      const record = sweep.journal.records.get(networkId(r.key, here.group));
      assert.equal(record?.bestEpoch, here.bestEpoch);
      assert.deepEqual(record?.testLoss, here.testLoss.map(float32Loss), `${r.key} ${here.group}`);
      assert.deepEqual(record?.validationLoss, here.validationLoss.map(float32Loss));
    }
  }
});
