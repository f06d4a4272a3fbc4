import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit, type Part } from '../../src/data/split.js';
import { trainNetworks } from '../../src/engine/train.js';
import type { FusedNetworks } from '../../src/engine/fused.js';
import type { EngineSettings } from '../../src/engine/settings.js';
import { testBackend } from '../helpers/backend.js';

before(async () => {
  await testBackend();
});

/** Two noisy binary tasks on few rows: they overfit, so validation, test and the last epoch disagree on the best epoch. */
function noisyData() {
  const dataset = plantedClusters({
    rows: 150,
    features: 30,
    clusters: 1,
    tasksPerCluster: 2,
    labelNoise: 0.3,
    seed: 2,
  }).dataset;
  return { dataset, data: prepareSplit(dataset, holdoutSplit(dataset.rows, 0)) };
}

const stepsPerEpoch = (rows: number, batchSize: number): number => Math.ceil(rows / batchSize);

/** Every epoch's raw per-network objectives on a part (summed over the network's tasks), read with the step hook. */
function epochTrace(part: Part, T: number) {
  const trace: number[][][] = []; // [epoch][network][slot]
  const hook = (model: FusedNetworks, endOfEpoch: boolean): void => {
    if (!endOfEpoch) return;
    const d = part.features.length / part.rows;
    const slots = tf.tidy(() =>
      model
        .slotLosses(tf.tensor2d(part.features, [part.rows, d]), tf.tensor2d(part.targets, [part.rows, T]))
        .arraySync(),
    );
    trace.push(slots.map((row, k) => row.slice(0, model.groups[k].length)));
  };
  return { trace, hook };
}

test("model selection picks the epoch of lowest validation loss and reports that epoch's test loss, not the test-best or the last", () => {
  const { dataset, data } = noisyData();
  const settings: EngineSettings = { hidden: [64, 64], learningRate: 0.01, batchSize: 16, epochs: 25 };
  const groups = [[0], [1], [0, 1]];
  const steps = stepsPerEpoch(data.train.rows, settings.batchSize);
  const validation = epochTrace(data.validation, 2);
  const testTrace = epochTrace(data.test, 2);
  // The step hook sees the weights before each update, so the weights at the end of epoch e are the ones the first
  // step of epoch e + 1 sees: the trace comes from a run one epoch longer (common random numbers make its first
  // epochs the same training).
  trainNetworks(
    data,
    dataset.taskKinds,
    groups,
    { ...settings, epochs: settings.epochs + 1 },
    0,
    undefined,
    (model, _x, _y, step) => {
      const endOfEpoch = step > 0 && step % steps === 0;
      validation.hook(model, endOfEpoch);
      testTrace.hook(model, endOfEpoch);
    },
  );
  const outcomes = trainNetworks(data, dataset.taskKinds, groups, settings, 0);
  assert.equal(validation.trace.length, settings.epochs);
  const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
  const argmin = (values: number[]): number => values.indexOf(Math.min(...values)) + 1;
  let testBestDiffers = 0;
  groups.forEach((group, k) => {
    const validationTotals = validation.trace.map((epoch) => sum(epoch[k]));
    const testTotals = testTrace.trace.map((epoch) => sum(epoch[k]));
    const chosen = argmin(validationTotals);
    assert.equal(outcomes[k].bestEpoch, chosen, `network ${group}: best epoch is the validation argmin`);
    group.forEach((_, s) => {
      assert.ok(
        Math.abs(outcomes[k].testLoss[s] - testTrace.trace[chosen - 1][k][s]) < 1e-6,
        `network ${group} slot ${s}: reported test loss is the one at epoch ${chosen}`,
      );
      assert.ok(
        Math.abs(outcomes[k].validationLoss[s] - validation.trace[chosen - 1][k][s]) < 1e-6,
        `network ${group} slot ${s}: reported validation loss`,
      );
    });
    assert.ok(chosen < settings.epochs, `network ${group} overfits: its best epoch ${chosen} is not the last`);
    if (argmin(testTotals) !== chosen) testBestDiffers++;
  });
  assert.ok(
    testBestDiffers >= 1,
    'in at least one network the test-best epoch differs, so selecting on test would be caught',
  );
});

test('training for exactly the selected number of epochs reproduces the selected test loss', () => {
  const { dataset, data } = noisyData();
  const settings: EngineSettings = { hidden: [64, 64], learningRate: 0.01, batchSize: 16, epochs: 25 };
  const [long] = trainNetworks(data, dataset.taskKinds, [[0]], settings, 0);
  const [short] = trainNetworks(data, dataset.taskKinds, [[0]], { ...settings, epochs: long.bestEpoch }, 0);
  assert.equal(short.bestEpoch, long.bestEpoch);
  assert.equal(short.testLoss[0], long.testLoss[0]);
});

test('under patience the fused batch shrinks: the networks trained per step add up to the epochs each network trained', () => {
  const { dataset, data } = noisyData();
  const patience = 3;
  const settings: EngineSettings = { hidden: [32, 32], learningRate: 0.01, batchSize: 16, epochs: 30, patience };
  const groups = [[0], [1], [0, 1], [1, 0]];
  const steps = stepsPerEpoch(data.train.rows, settings.batchSize);
  const networksPerStep: number[] = [];
  const outcomes = trainNetworks(data, dataset.taskKinds, groups, settings, 0, undefined, (model) =>
    networksPerStep.push(model.K),
  );
  const trainedEpochs = outcomes.map((o) => Math.min(settings.epochs, o.bestEpoch + patience));
  const networkSteps = networksPerStep.reduce((a, b) => a + b, 0);
  assert.equal(
    networkSteps,
    trainedEpochs.reduce((a, b) => a + b, 0) * steps,
    `network-steps ${networkSteps} vs epochs trained ${trainedEpochs}`,
  );
  assert.ok(networkSteps < groups.length * settings.epochs * steps, 'patience saved compute');
  const sizes = [...new Set(networksPerStep)];
  assert.ok(sizes.length >= 2 && networksPerStep.at(-1)! < groups.length, `the batch shrank (sizes ${sizes})`);
  for (let i = 1; i < networksPerStep.length; i++)
    assert.ok(networksPerStep[i] <= networksPerStep[i - 1], 'the batch never grows');
});
