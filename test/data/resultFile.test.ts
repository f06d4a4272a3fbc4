import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResult, ResultError, resultLosses, type ExpectedResult } from '../../src/data/resultFile.js';
import { LOSS_FIELDS } from '../../src/data/lossFile.js';
import { lossRowJsonSchema, lossRowSchema } from '../../src/data/lossRowSchema.js';
import { lossesAtEpoch } from '../../src/sweep/record.js';
import { batchRecords } from '../../src/sweep/run.js';

const expected: ExpectedResult = { tasks: ['a b', 'c;d'], seed: 3, epochs: 4 };

// biome-ignore lint/suspicious/noExplicitAny: a test edits the result as the loose JSON a script writes
type Loose = Record<string, any>;
const valid = (change: (r: Loose) => void = () => undefined): string => {
  const result: Loose = {
    seed: 3,
    tasks: {
      'a b': { validation: 0.5, test: 0.6, epochs: { validation: [0.7, 0.5, 0.55], test: [0.8, 0.6, 0.5] } },
      'c;d': { validation: 0.4, test: 0.3, epochs: { validation: [0.6, 0.4, 0.3], test: [0.5, 0.3, 0.2] } },
    },
  };
  change(result);
  return JSON.stringify(result);
};

const refused = (text: string, message: RegExp, exp = expected): void =>
  assert.throws(
    () => resultLosses(parseResult(text), exp),
    (error: unknown) => error instanceof ResultError && message.test(error.message),
  );

test('a result becomes record losses in the group order, per-epoch losses selected as the sweep selects', () => {
  const losses = resultLosses(parseResult(valid()), expected);
  assert.deepEqual(losses.validationLoss, [0.5, 0.4]);
  assert.deepEqual(losses.testLoss, [0.6, 0.3]);
  // totals of validation 1.3, 0.9, 0.85: the best epoch so far is 1, 2, 3; padded to the sweep's 4 epochs
  assert.deepEqual(
    losses.byEpoch?.map((e) => e.test),
    [
      [0.8, 0.5],
      [0.6, 0.3],
      [0.5, 0.2],
      [0.5, 0.2],
    ],
  );
  assert.equal(losses.bestEpoch, 3, 'without "epoch", the epoch of the lowest total validation loss');
  const reordered = resultLosses(parseResult(valid()), { ...expected, tasks: ['c;d', 'a b'] });
  assert.deepEqual(reordered.testLoss, [0.3, 0.6]);
});

test('the selected epoch, per-example losses and the cost are kept; the epoch is checked against the curves', () => {
  const losses = resultLosses(
    parseResult(
      valid((r) => {
        r.epoch = 2;
        r.cost = 0.5;
        r.tasks['a b'].examples = [0.1, 0.2];
        r.tasks['c;d'].examples = [0.3, 0.4];
      }),
    ),
    expected,
  );
  assert.equal(losses.bestEpoch, 2);
  assert.equal(losses.cost, 0.5);
  assert.deepEqual(losses.examples, [
    [0.1, 0.2],
    [0.3, 0.4],
  ]);
  refused(
    valid((r) => (r.epoch = 3)),
    /tasks\.a b\.validation: 0\.5, but epochs\.validation\[2\] \(epoch 3\) is 0\.55/,
  );
});

test('malformed, non-finite and mismatched results are refused naming the field', () => {
  refused('', /empty/);
  refused('{"seed": 3,', /not valid JSON/);
  refused(valid().replace('"test":0.6', '"test":NaN'), /^tasks\.a b\.test: NaN is not a finite number/);
  refused(valid().replace('[0.7,', '[-Infinity,'), /^tasks\.a b\.epochs\.validation\[0\]: -Infinity/);
  refused(
    valid((r) => (r.tasks['a b'].test = -1)),
    /tasks\.a b\.test: a loss must be positive/,
  );
  refused(
    valid((r) => (r.tasks['a b'].tset = 1)),
    /unknown field\(s\) tasks\.a b\.tset/,
  );
  refused(
    valid((r) => delete r.tasks['c;d']),
    /the result is for \{"a b"\}, but this network trains \{"a b", "c;d"\}; missing \{"c;d"\}/,
  );
  refused(
    valid((r) => (r.tasks.e = r.tasks['c;d'])),
    /not in the group \{"e"\}/,
  );
  refused(
    valid((r) => (r.seed = 4)),
    /seed: 4, but this network was trained with seed 3/,
  );
  refused(valid(), /fold: missing/, { ...expected, fold: 1 });
  refused(
    valid((r) => (r.fold = 2)),
    /fold: 2, but this network was tested on fold 1/,
    { ...expected, fold: 1 },
  );
  refused(valid(), /losses for 3 epochs, but the sweep trains at most 2/, { ...expected, epochs: 2 });
  refused(
    valid((r) => delete r.tasks['c;d'].epochs),
    /'epochs' on 1 of 2 tasks/,
  );
  refused(
    valid((r) => {
      r.tasks['a b'].examples = [0.1];
      r.tasks['c;d'].examples = [0.1, 0.2];
    }),
    /per-example losses of different lengths/,
  );
});

test('the import format the schema prints has exactly the fields the importer reads, and describes real rows', () => {
  const schema = lossRowJsonSchema() as { properties: Record<string, unknown>; required: string[] };
  const { required, optional, metrics } = LOSS_FIELDS;
  assert.deepEqual(Object.keys(schema.properties).sort(), [...required, ...optional, ...metrics].sort());
  assert.deepEqual([...schema.required].sort(), [...required].sort());
  const rows = [
    { network: 'a+b', task: 'a', seed: 0, split: 'test', loss: 0.5, examples: [0.1, 0.2] },
    { network: 'a', task: 'a', seed: 1, fold: 2, split: 'validation', accuracy: 0.8, epoch: 3, cost: 0.5 },
  ];
  for (const row of rows) assert.ok(lossRowSchema.safeParse(row).success, JSON.stringify(row));
  assert.ok(
    !lossRowSchema.safeParse({ ...rows[0], tsak: 'a' }).success,
    'an unknown field is refused, as the importer does',
  );
});

test('a result selected otherwise than by the lowest total validation loss keeps its per-epoch losses in full', () => {
  const result = (epoch: number) =>
    resultLosses(
      parseResult(
        valid((r) => {
          r.epoch = epoch;
          r.tasks['a b'].validation = r.tasks['a b'].epochs.validation[epoch - 1];
          r.tasks['a b'].test = r.tasks['a b'].epochs.test[epoch - 1];
          r.tasks['c;d'].validation = r.tasks['c;d'].epochs.validation[epoch - 1];
          r.tasks['c;d'].test = r.tasks['c;d'].epochs.test[epoch - 1];
        }),
      ),
      expected,
    );
  const batch = { seed: 3, fold: 0, key: 's3' };
  // epoch 3 has the lowest total validation loss: the compact form says the same at every epoch
  const [selected] = batchRecords(batch, [{ group: [0, 1], ...result(3) }], 'command', 1);
  assert.ok(selected.perEpoch && !selected.byEpoch);
  // the command chose epoch 2: after 3 or 4 epochs the sweep's rule picks epoch 3, not the command's choice
  const [own] = batchRecords(batch, [{ group: [0, 1], ...result(2) }], 'command', 1);
  assert.ok(own.byEpoch && !own.perEpoch);
  assert.deepEqual(own.testLoss, [0.6, 0.3]);
  assert.deepEqual(lossesAtEpoch(own, 4)?.test, [0.5, 0.2]);
  for (const record of [selected, own])
    for (let e = 1; e <= 4; e++)
      assert.deepEqual(lossesAtEpoch(record, e), result(3).byEpoch?.[e - 1], `epoch ${e} of ${record.bestEpoch}`);
});
