import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import {
  CHUNK_RETRIES,
  runChunkInWorker,
  threadsFor,
  TrainingFailure,
  trainNetworksInParallel,
  type ChunkRequest,
  type ChunkRunner,
} from '../../src/engine/parallel.js';
import { trainNetworks } from '../../src/engine/train.js';
import { bytesPerNetwork, networksPerBatch } from '../../src/engine/memory.js';
import type { BackendName } from '../../src/engine/backend.js';
import { testBackend } from '../helpers/backend.js';

let request: ChunkRequest;
/**
 * The tests of chunking and retries split a batch over two threads, which the tensorflow and native backends never do
 * (see threadsFor): their requests name wasm. Their runners train in this thread, on the backend under test.
 */
let chunked: ChunkRequest;

before(async () => {
  const backend: BackendName = await testBackend();
  const { dataset } = plantedClusters({ rows: 120, features: 6, clusters: 2, tasksPerCluster: 2, seed: 2 });
  request = {
    data: prepareSplit(dataset, holdoutSplit(dataset.rows, 0)),
    kinds: dataset.taskKinds,
    groups: [[0], [1], [2], [3], [0, 1], [0, 2], [1, 2], [2, 3]],
    settings: { hidden: [8], learningRate: 0.01, batchSize: 16, epochs: 3 },
    seed: 0,
    backend,
  };
  chunked = { ...request, backend: backend === 'tensorflow' || backend === 'native' ? 'wasm' : backend };
});

/** Trains in this thread, but crashes (like a killed worker) on the calls listed. */
function flakyRunner(crashOn: number[]): { runner: ChunkRunner; calls: () => number } {
  let calls = 0;
  return {
    runner: async (chunk) => {
      calls++;
      if (crashOn.includes(calls)) throw new Error('training worker exited with code 137 before finishing');
      return trainNetworks(chunk.data, chunk.kinds, chunk.groups, chunk.settings, chunk.seed);
    },
    calls: () => calls,
  };
}

test('a worker that dies mid-job has its chunk retried, and every network appears once', async () => {
  const flaky = flakyRunner([1]);
  const outcomes = await trainNetworksInParallel(chunked, 2, { runner: flaky.runner });
  assert.equal(flaky.calls(), 3, 'two chunks, one of them run twice');
  assert.deepEqual(
    outcomes.map((o) => o.group),
    request.groups,
  );
  const direct = trainNetworks(request.data, request.kinds, request.groups, request.settings, request.seed);
  outcomes.forEach((o, k) => assert.ok(Math.abs(o.testLoss[0] - direct[k].testLoss[0]) < 1e-5));
});

test('a chunk that keeps failing stops the sweep with an error naming its networks', async () => {
  const flaky = flakyRunner([1, 2, 3, 4, 5, 6]);
  await assert.rejects(
    trainNetworksInParallel(chunked, 2, { runner: flaky.runner }),
    (e: unknown) => e instanceof TrainingFailure && /networks .* of seed 0 failed 3 times/.test((e as Error).message),
  );
  assert.ok(flaky.calls() >= CHUNK_RETRIES + 1);
});

test('a hung worker thread is terminated after the timeout and its chunk retried', async () => {
  // The first attempt is a real worker thread given far more epochs than its timeout allows: the runner's own timer
  // must fire and terminate it. Later attempts train normally.
  let calls = 0;
  let hungEpochs = 0;
  const hangsOnce: ChunkRunner = (chunk, onEpoch, timeoutMs) => {
    calls++;
    if (calls > 1) return runChunkInWorker(chunk, onEpoch, timeoutMs);
    return runChunkInWorker({ ...chunk, settings: { ...chunk.settings, epochs: 1_000_000 } }, () => hungEpochs++, 8000);
  };
  const outcomes = await trainNetworksInParallel(chunked, 2, { runner: hangsOnce, timeoutMs: 120_000 });
  assert.equal(outcomes.length, request.groups.length);
  assert.equal(calls, 3, 'two chunks, the hung one run twice');
  assert.ok(hungEpochs > 0, 'the hung worker was really training when its timer fired');
  const atTermination = hungEpochs;
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(hungEpochs, atTermination, 'the terminated worker sends no more progress');
  const direct = trainNetworks(request.data, request.kinds, request.groups, request.settings, request.seed);
  outcomes.forEach((o, k) => assert.ok(Math.abs(o.testLoss[0] - direct[k].testLoss[0]) < 1e-5));
});

test('real worker threads: a timeout that is too short fails every attempt', async () => {
  await assert.rejects(trainNetworksInParallel(chunked, 2, { timeoutMs: 1 }), /hung for more than 0 s/);
});

test('on the tensorflow backend one thread trains the whole batch, whatever the worker count', async () => {
  assert.equal(threadsFor('tensorflow', 2), 1);
  assert.equal(threadsFor('native', 2), 1, 'the native trainer runs its own threads');
  assert.equal(threadsFor('wasm', 2), 2);
  let calls = 0;
  const counting: ChunkRunner = async (chunk) => {
    calls++;
    return trainNetworks(chunk.data, chunk.kinds, chunk.groups, chunk.settings, chunk.seed);
  };
  const outcomes = await trainNetworksInParallel({ ...request, backend: 'tensorflow' }, 2, { runner: counting });
  assert.equal(calls, 0, 'no worker thread: this thread trained the batch');
  assert.deepEqual(
    outcomes.map((o) => o.group),
    request.groups,
  );
  await trainNetworksInParallel({ ...request, backend: 'tensorflow' }, 2, { runner: counting, threadsOnly: true });
  assert.equal(calls, 1, 'threads only: one worker thread, one chunk');
});

test('a batch larger than the memory budget is trained in several smaller batches, with the same results', async () => {
  const shape = { inputWidth: 6, hidden: [8], slots: 2, rows: 24 };
  const perNetwork = bytesPerNetwork(shape);
  assert.equal(perNetwork, 4 * (4 * ((6 + 1) * 8 + (8 + 1) * 2) + 3 * 24 * (8 + 2)));
  assert.equal(networksPerBatch(shape, perNetwork * 3.5), 3);
  const batches: number[] = [];
  const counting: ChunkRunner = async (chunk) => {
    batches.push(chunk.groups.length);
    return trainNetworks(chunk.data, chunk.kinds, chunk.groups, chunk.settings, chunk.seed);
  };
  const split = await trainNetworksInParallel(request, 1, {
    runner: counting,
    threadsOnly: true,
    memoryBudgetBytes: perNetwork * 3,
  });
  assert.deepEqual(batches, [3, 3, 2], 'eight networks at three per batch');
  const whole = trainNetworks(request.data, request.kinds, request.groups, request.settings, request.seed);
  split.forEach((o, k) => assert.ok(Math.abs(o.testLoss[0] - whole[k].testLoss[0]) < 1e-5, `${o.group}`));
});
