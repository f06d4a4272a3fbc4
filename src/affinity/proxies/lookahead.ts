import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../../data/dataset.js';
import type { PreparedSplit } from '../../data/split.js';
import { FusedNetworks } from '../../engine/fused.js';
import type { EngineSettings } from '../../engine/settings.js';
import { trainNetworks } from '../../engine/train.js';
import type { Matrix } from '../gain.js';

export interface OneRunProxies {
  /** TAG inter-task affinity, oriented like the gain matrix: [i][j] = 1 - L_i(after a step on j) / L_i(before). */
  lookahead: Matrix;
  /** Mean cosine between the tasks' gradients of the shared layers. */
  gradientCosine: Matrix;
  /** Share of probed steps on which the two tasks' shared-layer gradients pointed apart (cosine < 0). */
  conflict: Matrix;
  /** Probes averaged (those up to the selected epoch). */
  probes: number;
  bestEpoch: number;
}

export interface Probe {
  /** [i][j] = 1 - L_i(shared layers after one SGD step on task j alone) / L_i(now), on the same batch. */
  lookahead: Matrix;
  /** [i][j] cosine of the shared-layer gradients of tasks i and j. */
  cosine: Matrix;
}

/**
 * One lookahead probe of an all-task network (K = 1) on a batch. The T lookahead copies are one fused model whose
 * network j weights only task j: one backward pass gives every task's gradient, and the same gradients their cosines.
 */
export function probe(model: FusedNetworks, kinds: TaskKind[], settings: EngineSettings, x: tf.Tensor2D, y: tf.Tensor2D, rate: number): Probe {
  const T = kinds.length;
  const allTasks = kinds.map((_, t) => t);
  const oneHot = Float32Array.from({ length: T * T }, (_, i) => (Math.floor(i / T) === i % T ? 1 : 0));
  const copies = new FusedNetworks(allTasks.map(() => allTasks), kinds, settings, model.singleNetworkWeights(), oneHot);
  const [before, after, gram] = tf.tidy(() => {
    const gradients = copies.gradients(x, y);
    const rows = copies.trunkGradientRows(gradients);
    const gram = tf.matMul(rows, tf.transpose(rows));
    const before = model.slotLosses(x, y);
    for (const v of copies.trunkVariables) v.assign(tf.sub(v, tf.mul(rate, gradients.get(v) as tf.Tensor)));
    return [before, copies.slotLosses(x, y), gram];
  });
  const b = before.dataSync();
  const a = after.dataSync();
  const g = gram.dataSync();
  tf.dispose([before, after, gram]);
  copies.dispose();
  const cell = (f: (i: number, j: number) => number): Matrix => allTasks.map((i) => allTasks.map((j) => (i === j ? 0 : f(i, j))));
  return {
    lookahead: cell((i, j) => 1 - a[j * T + i] / b[i]),
    cosine: cell((i, j) => g[i * T + j] / Math.sqrt(g[i * T + i] * g[j * T + j])),
  };
}

/**
 * Trains one network on all tasks and probes it every `every` steps (Fifty et al. 2021: every 10th batch). Only the
 * probes up to the epoch that model selection keeps are averaged: past it the network memorises label noise, and a
 * step on one task then hurts even a near-duplicate of it (measured on planted clusters: the sign flips).
 */
export function oneRunProxies(data: PreparedSplit, kinds: TaskKind[], settings: EngineSettings, seed: number, every = 10, rate = settings.learningRate): OneRunProxies {
  const T = kinds.length;
  const stepsPerEpoch = Math.ceil(data.train.rows / settings.batchSize);
  const probes: (Probe & { epoch: number })[] = [];
  const [outcome] = trainNetworks(data, kinds, [kinds.map((_, t) => t)], settings, seed, undefined, (model, x, y, step) => {
    if (step % every === 0) probes.push({ ...probe(model, kinds, settings, x, y, rate), epoch: Math.floor(step / stepsPerEpoch) + 1 });
  });
  const kept = probes.filter((p) => p.epoch <= outcome.bestEpoch);
  const average = (cell: (p: Probe, i: number, j: number) => number): Matrix =>
    Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => (i === j || kept.length === 0 ? 0 : kept.reduce((sum, p) => sum + cell(p, i, j), 0) / kept.length)));
  return {
    lookahead: average((p, i, j) => p.lookahead[i][j]),
    gradientCosine: average((p, i, j) => p.cosine[i][j]),
    conflict: average((p, i, j) => (p.cosine[i][j] < 0 ? 1 : 0)),
    probes: kept.length,
    bestEpoch: outcome.bestEpoch,
  };
}
