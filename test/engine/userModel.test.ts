import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../../src/data/errors.js';
import { loadUserData } from '../../src/data/userData.js';
import { modelRef, userModelBackend } from '../../src/engine/userModel/load.js';
import { configHash, sweepConfig } from '../../src/sweep/config.js';
import { PROTOCOL_ENGINE } from '../../src/engine/settings.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import type { BackendName } from '../../src/engine/backend.js';
import type { UserData } from '../../src/engine/userModel/contract.js';
import { tempDir } from '../helpers/files.js';

const fixtures = fileURLToPath(new URL('../../../test/fixtures/user-model/', import.meta.url));
const requested =
  process.env.TRA_BACKEND && process.env.TRA_BACKEND !== 'native'
    ? (process.env.TRA_BACKEND as BackendName)
    : undefined;

test('a bad module is an InputError naming the module and what is wrong with it', async () => {
  const cases: [string, RegExp][] = [
    ['no-trunk.js', /model .*no-trunk\.js: no 'trunk' export .*exports found: body/],
    ['wrong-shape.js', /model .*wrong-shape\.js: trunk returned shape \[null, 4, 1\]; expected \[batch, width\]/],
    ['throws.js', /model .*throws\.js: trunk threw on input shape \[4\]: no layers configured/],
  ];
  for (const [module, message] of cases)
    await assert.rejects(
      userModelBackend(requested, modelRef(join(fixtures, module)), [4], 2),
      (error: Error) => error instanceof InputError && message.test(error.message),
    );
  await assert.rejects(
    userModelBackend('native', modelRef(join(fixtures, 'dense.js')), [4], 2),
    /backend 'native' trains only the built-in MLP/,
  );
  assert.match(
    await userModelBackend(requested, modelRef(join(fixtures, 'dense.js')), [4], 2),
    /^(tensorflow|wasm|cpu)$/,
  );
});

test("the configuration hash covers the module's content, not its path", () => {
  const dir = tempDir();
  const [a, b] = ['a.js', 'b.js'].map((name) => join(dir, name));
  copyFileSync(join(fixtures, 'dense.js'), a);
  copyFileSync(join(fixtures, 'dense.js'), b);
  const dataset = {
    source: 'x.csv',
    sha256: '0',
    rows: 40,
    featureNames: ['f'],
    taskNames: ['a', 'b'],
    taskKinds: ['binary', 'binary'] as const,
    features: new Float32Array(40),
    targets: new Float32Array(80),
  };
  const hash = (path?: string) =>
    configHash(
      sweepConfig(
        { ...dataset, taskKinds: [...dataset.taskKinds] },
        PROTOCOL_ENGINE,
        PROTOCOL_SPLIT,
        path ? modelRef(path) : undefined,
      ),
    );
  assert.equal(hash(a), hash(b), 'a moved or copied module is the same model');
  assert.notEqual(hash(a), hash(), 'a user model is not the built-in MLP');
  const before = hash(a);
  appendFileSync(a, '// edited\n');
  assert.notEqual(hash(a), before, 'an edited module is another model');
});

test("a data loader's output passes the CSV loader's checks: finite values, one target per example, task kinds, regular shapes", async () => {
  const rows = 40;
  const good = (): UserData => ({
    features: Array.from({ length: rows }, (_, r) => [r, r % 3]),
    targets: { a: Array.from({ length: rows }, (_, r) => r % 2), b: Array.from({ length: rows }, (_, r) => r / 7) },
  });
  const load = (data: UserData) =>
    loadUserData(() => data, { origin: 'm.js', dir: '.', tasks: 'a,b', taskKind: 'auto' });
  const dataset = await load(good());
  assert.deepEqual([dataset.rows, dataset.inputShape, dataset.taskKinds], [rows, [2], ['binary', 'regression']]);
  const cases: [(d: UserData) => void, RegExp][] = [
    [(d) => ((d.features as number[][])[4][1] = NaN), /m\.js loadData\(\):5 column 'features': feature 1 is NaN/],
    [
      (d) => (d.targets.a = Array.from({ length: rows - 1 }, () => 0)),
      /m\.js loadData\(\) column 'a': 39 targets for 40 examples/,
    ],
    [
      (d) => (d.targets.a = Array.from({ length: rows }, (_, r) => 1 + (r % 2))),
      /column 'a': two-valued task coded 1\/2/,
    ],
    [(d) => ((d.features as number[][])[3] = [1]), /m\.js loadData\(\): features are not a regular array of numbers/],
    [(d) => delete d.targets.b, /--tasks names unknown column/],
  ];
  for (const [spoil, message] of cases) {
    const data = good();
    spoil(data);
    await assert.rejects(
      load(data),
      (error: Error) => error instanceof InputError && message.test(error.message),
      String(message),
    );
  }
  const tensor = await load({ ...good(), features: tf.zeros([rows, 3, 2]) });
  assert.deepEqual(tensor.inputShape, [3, 2]);
});
