import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plantedClusters } from '../../src/data/synthetic.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import { trainNetworks } from '../../src/engine/train.js';
import { journalFirstLine, readJournal } from '../../src/sweep/journal.js';
import {
  checkNetworkRecord,
  earlierSelections,
  epochLosses,
  float32Loss,
  lossAtEpoch,
  lossesAtEpoch,
  perEpochOf,
  type NetworkRecord,
} from '../../src/sweep/record.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir } from '../helpers/files.js';
import { SMALL_ENGINE, sweepAndEstimate } from '../helpers/sweep.js';

const dataset = plantedClusters({ rows: 160, features: 10, clusters: 2, tasksPerCluster: 2, seed: 5 }).dataset;
const engine = { ...SMALL_ENGINE, epochs: 30, patience: 8 };

// The sweep trains several networks in one fused graph on tfjs, so its sums are ordered differently from
// trainNetworks' one network at a time: equal bit for bit on native and wasm, to float32 rounding on tensorflow.
let bitwise = true;
before(async () => {
  bitwise = (await testBackend()) !== 'tensorflow';
});

test('a record keeps only the epochs where the selection changed, and reads back every epoch the run reported', async () => {
  const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
  const groups = [[0], [0, 1], [2, 3]];
  const outcomes = trainNetworks(data, dataset.taskKinds, groups, engine, 0);
  const { sweep } = await sweepAndEstimate(dataset, [0], engine);
  for (const outcome of outcomes) {
    const record = [...sweep.journal.records.values()].find((r) => r.group.join() === outcome.group.join());
    assert.ok(record?.perEpoch, `network ${outcome.group} has per-epoch losses`);
    const changes = outcome.byEpoch.filter(
      (e, i) => i === 0 || e.validation !== outcome.byEpoch[i - 1].validation,
    ).length;
    const earlier = earlierSelections(record.perEpoch, record.group.length);
    assert.equal(earlier.length + 1, changes, 'one selection per change, the last being bestEpoch');
    assert.ok(JSON.stringify(record).length < 1024, 'under 1 KB');
    assert.ok(changes < engine.epochs, 'fewer selections than epochs (the point of the compact form)');
    outcome.byEpoch.forEach((expected, e) => {
      const read = lossesAtEpoch(record, e + 1);
      assert.ok(read, `epoch ${e + 1} reads back`);
      for (const split of ['validation', 'test'] as const) {
        read[split].forEach((loss) => assert.equal(loss, float32Loss(loss), 'stored as its float32'));
        const want = expected[split].map(float32Loss);
        if (bitwise) assert.deepEqual(read[split], want);
        else
          read[split].forEach((loss, t) =>
            assert.ok(Math.abs(loss - want[t]) <= 1e-5 * Math.abs(want[t]), `${loss} vs ${want[t]}`),
          );
      }
    });
    assert.equal(lossesAtEpoch(record, engine.epochs + 1), undefined, 'past the run: nothing');
    assert.equal(epochLosses(record)?.length, engine.epochs);
  }
});

test('per-epoch losses read the same from the compact and the full form; losses are float32 at their shortest', () => {
  const [a, b, c] = [0.5, 0.6, 0.4].map(Math.fround);
  const byEpoch = [
    { validation: [NaN], test: [NaN] },
    { validation: [a], test: [b] },
    { validation: [a], test: [b] },
    { validation: [c], test: [Math.fround(0.7)] },
    { validation: [c], test: [Math.fround(0.7)] },
  ];
  const perEpoch = perEpochOf(byEpoch);
  assert.equal(perEpoch.epochs, 5);
  assert.deepEqual(earlierSelections(perEpoch, 1), [{ epoch: 2, validation: [0.5], test: [0.6] }]);
  const base = { kind: 'network' as const, id: 's0/0', replication: 's0', seed: 0, fold: 0, group: [0], backend: 'x' };
  const times = { seconds: 0, finishedAt: 'now' };
  const compact: NetworkRecord = { ...base, ...times, testLoss: [0.7], validationLoss: [0.4], bestEpoch: 4, perEpoch };
  assert.ok(checkNetworkRecord(compact).ok);
  assert.equal(lossesAtEpoch(compact, 1), undefined, 'nothing selected after the first epoch');
  assert.deepEqual(lossesAtEpoch(compact, 3), { validation: [0.5], test: [0.6] });
  assert.deepEqual(lossesAtEpoch(compact, 5), { validation: [0.4], test: [0.7] });
  assert.equal(lossesAtEpoch(compact, 6), undefined);
  const full: NetworkRecord = { ...base, ...times, testLoss: [0.7], validationLoss: [0.4], bestEpoch: 4, byEpoch };
  assert.deepEqual(lossesAtEpoch(full, 3), { validation: [a], test: [b] });

  // a pair improving at every one of 30 epochs: the binary form keeps the record under 1 KB
  const every = Array.from({ length: 30 }, (_, e) => ({
    validation: [0.7 - e / 100, 0.69 - e / 100].map(Math.fround),
    test: [0.71 - e / 100, 0.68 - e / 100].map(Math.fround),
  }));
  const pair: NetworkRecord = {
    ...base,
    ...times,
    id: 's0/102+173',
    group: [102, 173],
    testLoss: every[29].test.map(float32Loss),
    validationLoss: every[29].validation.map(float32Loss),
    bestEpoch: 30,
    perEpoch: perEpochOf(every),
    finishedAt: new Date().toISOString(),
  };
  assert.ok(checkNetworkRecord(pair).ok);
  assert.ok(JSON.stringify(pair).length < 1024, `${JSON.stringify(pair).length} bytes`);
  every.forEach((e, k) =>
    assert.deepEqual(lossesAtEpoch(pair, k + 1), {
      validation: e.validation.map(float32Loss),
      test: e.test.map(float32Loss),
    }),
  );
  every.forEach((e, k) => {
    assert.deepEqual(lossAtEpoch(pair, k + 1, 'validation'), e.validation.map(float32Loss));
    assert.deepEqual(lossAtEpoch(pair, k + 1, 'test'), e.test.map(float32Loss));
  });

  const single = Math.fround(0.1);
  assert.equal(float32Loss(single), 0.1, 'the float32 nearest 0.1 is written as 0.1');
  assert.equal(Math.fround(float32Loss(0.30918264389038086)), Math.fround(0.30918264389038086));
  assert.ok(String(float32Loss(0.30918264389038086)).length <= 11);
});

test('a record whose selections are out of order, not whole, or not before its best epoch is refused', () => {
  const encode = (selections: [number, number, number][]): string => {
    const bytes = Buffer.alloc(10 * selections.length);
    selections.forEach(([epoch, validation, test], k) => {
      bytes.writeUInt16LE(epoch, 10 * k);
      bytes.writeFloatLE(validation, 10 * k + 2);
      bytes.writeFloatLE(test, 10 * k + 6);
    });
    return bytes.toString('base64');
  };
  const record = (earlier: string, bestEpoch = 4) => ({
    kind: 'network',
    id: 's0/0',
    replication: 's0',
    seed: 0,
    fold: 0,
    group: [0],
    testLoss: [0.7],
    validationLoss: [0.4],
    bestEpoch,
    perEpoch: { epochs: 5, earlier },
    backend: 'x',
    seconds: 0,
    finishedAt: 'now',
  });
  const problem = (r: unknown): string => {
    const checked = checkNetworkRecord(r);
    return checked.ok ? 'accepted' : checked.problem;
  };
  assert.equal(
    problem(
      record(
        encode([
          [2, 0.5, 0.6],
          [3, 0.45, 0.65],
        ]),
      ),
    ),
    'accepted',
  );
  assert.match(
    problem(
      record(
        encode([
          [3, 0.5, 0.6],
          [2, 0.45, 0.65],
        ]),
      ),
    ),
    /selection 2 at epoch 2: epochs must increase from 3/,
  );
  assert.match(problem(record(encode([[4, 0.5, 0.6]]))), /stay before bestEpoch 4/);
  assert.match(problem(record(encode([[2, 0.5, 0.6]]).slice(0, -4))), /not whole selections of 10 bytes/);
  assert.match(problem(record('not base64!')), /perEpoch\.earlier/);
  assert.match(problem(record('', 6)), /bestEpoch 6 is past the run's 5 epochs/);
});

test('a journal is read a chunk at a time: lines across chunk boundaries, multi-byte text and a torn last line', async () => {
  const { journalPath } = await sweepAndEstimate(dataset, [0], { ...engine, epochs: 3 });
  const [header, ...records] = readFileSync(journalPath, 'utf8').trimEnd().split('\n');
  // Renamed copies of the records (ids made unique) past 1 MB, the reader's chunk, with multi-byte characters about
  const path = join(tempDir(), 'journal.jsonl');
  const lines = [header];
  for (let copy = 0; lines.join('\n').length < 2.5 * 2 ** 20; copy++)
    for (const line of records) {
      const record = JSON.parse(line);
      const replication = `s${copy}ü€`;
      lines.push(JSON.stringify({ ...record, replication, id: `${replication}/${record.group.join('+')}` }));
    }
  writeFileSync(path, `${lines.join('\n')}\n`);
  const complete = statSync(path).size;
  appendFileSync(path, lines[1].slice(0, 30));
  const read = readJournal(path);
  assert.equal(read.records.size, lines.length - 1);
  assert.equal(read.tornLine, true);
  assert.equal(read.completeBytes, complete);
  assert.ok(read.records.has(`s7ü€/${JSON.parse(records[0]).group.join('+')}`));
  assert.equal(journalFirstLine(path), header);
});
