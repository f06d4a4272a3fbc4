#!/usr/bin/env node
// A dependency-free multi-task training script that follows tra's result contract (docs/COMMAND.md): Node.js only,
// so that the tests and CI can drive a real command without PyTorch. It trains one network on the tasks it is given
// (a shared ReLU trunk, one logistic head per task, Adam, the sum of the tasks' binary cross-entropies), evaluates
// both held-out splits after every epoch and writes the result file tra reads.
//
//   node train.mjs --data ../../analyses/data/emotions.csv --labels 6 --seed 0 --epochs 10 --result out.json \
//     -- happy-pleased quiet-still
//
// The last --labels columns of the CSV are labels (never features), the others numeric features; a CSV without
// quoted fields. The split follows tra's placeholders: --split holdout (--validation-share, --test-share of the
// rows, shuffled by the seed) or --split kfold --fold f --folds k (test on fold f, select on fold f+1).
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const split = args.indexOf('--');
const tasks = split >= 0 ? args.slice(split + 1) : [];
const flag = (name, fallback) => {
  const k = args.indexOf(`--${name}`);
  return k >= 0 && (split < 0 || k < split) ? args[k + 1] : fallback;
};
const options = {
  data: flag('data'),
  seed: Number(flag('seed', '0')),
  epochs: Number(flag('epochs', '10')),
  result: flag('result'),
  split: flag('split', 'holdout'),
  fold: Number(flag('fold', '0')),
  folds: Number(flag('folds', '5')),
  validation: Number(flag('validation-share', '0.2')),
  test: Number(flag('test-share', '0.2')),
  hidden: Number(flag('hidden', '32')),
  lr: Number(flag('lr', '0.003')),
  batch: Number(flag('batch', '32')),
};
if (!options.data || !options.result || tasks.length === 0) {
  console.error('usage: train.mjs --data <csv> --seed <n> --epochs <n> --result <json> -- <task> [<task> ...]');
  process.exit(2);
}

// A seeded generator (mulberry32): the same seed gives the same split, initial weights and batch order.
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(options.seed * 7919 + 17);
const shuffled = (n) => {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
};

// The data: the last --labels columns are labels, the others features.
const lines = readFileSync(options.data, 'utf8').trim().split(/\r?\n/);
const header = lines[0].split(',');
const missing = tasks.filter((t) => !header.includes(t));
if (missing.length) {
  console.error(`no column ${missing.join(', ')} in ${options.data}`);
  process.exit(2);
}
const labels = Number(flag('labels', String(tasks.length)));
const targetColumns = tasks.map((t) => header.indexOf(t));
const featureColumns = header.map((_, c) => c).slice(0, header.length - labels);
if (targetColumns.some((c) => c < featureColumns.length)) {
  console.error(`a task is not among the last ${labels} columns (--labels)`);
  process.exit(2);
}
const rows = lines.slice(1).map((line) => line.split(',').map(Number));

// The split, by the seed: holdout (test, then validation, then training rows) or k folds of the shuffled rows.
const order = shuffled(rows.length);
let test;
let validation;
let train;
if (options.split === 'kfold') {
  const foldOf = (position) => Math.floor((position * options.folds) / rows.length);
  const validationFold = (options.fold + 1) % options.folds;
  test = order.filter((_, p) => foldOf(p) === options.fold);
  validation = order.filter((_, p) => foldOf(p) === validationFold);
  train = order.filter((_, p) => foldOf(p) !== options.fold && foldOf(p) !== validationFold);
} else {
  const nTest = Math.round(options.test * rows.length);
  const nValidation = Math.round(options.validation * rows.length);
  test = order.slice(0, nTest);
  validation = order.slice(nTest, nTest + nValidation);
  train = order.slice(nTest + nValidation);
}

// Features standardised with the training rows' mean and standard deviation.
const d = featureColumns.length;
const mean = featureColumns.map((c) => train.reduce((s, r) => s + rows[r][c], 0) / train.length);
const sd = featureColumns.map(
  (c, k) => Math.sqrt(train.reduce((s, r) => s + (rows[r][c] - mean[k]) ** 2, 0) / train.length) || 1,
);
const x = (r) => featureColumns.map((c, k) => (rows[r][c] - mean[k]) / sd[k]);
const y = (r) => targetColumns.map((c) => rows[r][c]);

// The network: trunk d -> hidden (ReLU), one logistic head per task; Glorot-uniform initial weights. Every task's head
// starts from one head's weights, drawn once, as tra's own trainer does: every network of a seed starts alike and
// draws as many numbers whatever its tasks (so its batch order is the seed's too), and a task's loss in a pair differs
// from its loss alone only through the partner (docs/COMMAND.md, "Initialisation").
const T = tasks.length;
const H = options.hidden;
const uniform = (fanIn, fanOut) => {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return () => (2 * random() - 1) * limit;
};
const w1 = Array.from({ length: H * d }, uniform(d, H));
const b1 = new Array(H).fill(0);
const head = Array.from({ length: H }, uniform(H, 1));
const w2 = Array.from({ length: T * H }, (_, i) => head[i % H]);
const b2 = new Array(T).fill(0);
const parameters = [w1, b1, w2, b2];
const moments = parameters.map((p) => ({ m: new Array(p.length).fill(0), v: new Array(p.length).fill(0) }));

function forward(input) {
  const hidden = new Array(H);
  for (let h = 0; h < H; h++) {
    let s = b1[h];
    for (let k = 0; k < d; k++) s += w1[h * d + k] * input[k];
    hidden[h] = Math.max(s, 0);
  }
  const p = new Array(T);
  for (let t = 0; t < T; t++) {
    let s = b2[t];
    for (let h = 0; h < H; h++) s += w2[t * H + h] * hidden[h];
    p[t] = 1 / (1 + Math.exp(-s));
  }
  return { hidden, p };
}
const bce = (p, target) => {
  const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
  return -(target * Math.log(q) + (1 - target) * Math.log(1 - q));
};

let step = 0;
function trainBatch(batch) {
  const grads = parameters.map((p) => new Array(p.length).fill(0));
  for (const r of batch) {
    const input = x(r);
    const target = y(r);
    const { hidden, p } = forward(input);
    const dHidden = new Array(H).fill(0);
    for (let t = 0; t < T; t++) {
      const g = (p[t] - target[t]) / batch.length;
      grads[3][t] += g;
      for (let h = 0; h < H; h++) {
        grads[2][t * H + h] += g * hidden[h];
        dHidden[h] += g * w2[t * H + h];
      }
    }
    for (let h = 0; h < H; h++) {
      if (hidden[h] <= 0) continue;
      grads[1][h] += dHidden[h];
      for (let k = 0; k < d; k++) grads[0][h * d + k] += dHidden[h] * input[k];
    }
  }
  step++;
  const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-7];
  parameters.forEach((p, i) => {
    const { m, v } = moments[i];
    for (let k = 0; k < p.length; k++) {
      m[k] = beta1 * m[k] + (1 - beta1) * grads[i][k];
      v[k] = beta2 * v[k] + (1 - beta2) * grads[i][k] ** 2;
      const mHat = m[k] / (1 - beta1 ** step);
      const vHat = v[k] / (1 - beta2 ** step);
      p[k] -= (options.lr * mHat) / (Math.sqrt(vHat) + epsilon);
    }
  });
}

/** Per task: the mean loss over `part`'s rows, and each row's loss. */
function evaluate(part) {
  const perRow = part.map((r) => {
    const { p } = forward(x(r));
    const target = y(r);
    return p.map((q, t) => bce(q, target[t]));
  });
  return tasks.map((_, t) => ({
    mean: perRow.reduce((s, losses) => s + losses[t], 0) / part.length,
    rows: perRow.map((losses) => losses[t]),
  }));
}

const curves = tasks.map(() => ({ validation: [], test: [] }));
let best = { total: Infinity, epoch: 0, examples: [] };
for (let epoch = 1; epoch <= options.epochs; epoch++) {
  const batchOrder = shuffled(train.length).map((i) => train[i]);
  for (let start = 0; start < batchOrder.length; start += options.batch)
    trainBatch(batchOrder.slice(start, start + options.batch));
  const onValidation = evaluate(validation);
  const onTest = evaluate(test);
  tasks.forEach((_, t) => {
    curves[t].validation.push(onValidation[t].mean);
    curves[t].test.push(onTest[t].mean);
  });
  const total = onValidation.reduce((s, task) => s + task.mean, 0);
  if (total < best.total) best = { total, epoch, examples: onTest.map((task) => task.rows) };
  console.log(`epoch ${epoch}: validation ${total.toFixed(4)}`);
}

// The result contract: per task, the losses at the selected epoch, the per-epoch curves and per-example test losses.
const result = {
  schema: 'task-relations/result',
  version: 1,
  seed: options.seed,
  ...(options.split === 'kfold' ? { fold: options.fold } : {}),
  epoch: best.epoch,
  tasks: Object.fromEntries(
    tasks.map((task, t) => [
      task,
      {
        validation: curves[t].validation[best.epoch - 1],
        test: curves[t].test[best.epoch - 1],
        epochs: curves[t],
        examples: best.examples[t],
      },
    ]),
  ),
};
writeFileSync(options.result, JSON.stringify(result));
