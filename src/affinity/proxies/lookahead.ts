import { InputError } from '../../data/errors.js';
import { sharedRun, type AllTaskRunOptions, type LookaheadStep, type ProxyContext } from './registry.js';
import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../../data/dataset.js';
import type { PreparedSplit } from '../../data/split.js';
import { FusedNetworks } from '../../engine/fused.js';
import type { EngineSettings } from '../../engine/settings.js';
import { trainNetworks } from '../../engine/train.js';
import type { Adam } from '../../engine/adam.js';
import type { Matrix } from '../gain.js';

/**
 * The step a lookahead copy takes on one task's loss. `sgd`: theta - lr * g, the step TAG's code takes (its training
 * optimizer is SGD; the momentum buffer it looks for is never found, so in effect a plain step at the learning rate).
 * `adam`: the step this run's own optimizer (Adam) would take on that gradient from its current moments.
 */

export interface OneRunProxies {
  /**
   * TAG inter-task affinity (Fifty et al. 2021, as their code computes it), oriented like the gain matrix:
   * [i][j] = (1 - L_i(theta_{t+1|j}) / L_i(theta_t)) / lr, averaged over the probes.
   */
  lookahead: Matrix;
  /** Mean cosine between the tasks' gradients of the shared layers. */
  gradientCosine: Matrix;
  /** Share of probed steps on which the two tasks' shared-layer gradients pointed apart (cosine < 0). */
  conflict: Matrix;
  /** Probes averaged (those up to the selected epoch). */
  probes: number;
  bestEpoch: number;
  /** How the lookahead was taken, for the output. */
  method: string;
}

export interface Probe {
  /** [i][j] = (1 - L_i(shared layers after one step on task j alone) / L_i(theta_t)) / lr, on the same batch. */
  lookahead: Matrix;
  /** [i][j] cosine of the shared-layer gradients of tasks i and j. */
  cosine: Matrix;
}

/** How a probe steps: plain SGD at `rate`, or the next update of the run's Adam. */
export type ProbeStep = { kind: 'sgd'; rate: number } | { kind: 'adam'; optimizer: Adam };

/**
 * One lookahead probe of an all-task network (K = 1) at theta_t, on a batch, before the optimizer's update. The T
 * lookahead copies are one fused model whose network j weights only task j: one backward pass gives every task's
 * gradient, and the same gradients their cosines. Only the shared layers step (TAG leaves the heads alone); the
 * transference is divided by the learning rate, as TAG's code does.
 */
export function probe(
  model: FusedNetworks,
  kinds: TaskKind[],
  settings: EngineSettings,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  step: ProbeStep,
): Probe {
  const T = kinds.length;
  const allTasks = kinds.map((_, t) => t);
  const oneHot = Float32Array.from({ length: T * T }, (_, i) => (Math.floor(i / T) === i % T ? 1 : 0));
  const copies = new FusedNetworks(
    allTasks.map(() => allTasks),
    kinds,
    settings,
    model.singleNetworkWeights(),
    oneHot,
  );
  const [before, after, gram] = tf.tidy(() => {
    const before = model.slotLosses(x, y);
    const gradients = copies.gradients(x, y);
    const rows = copies.trunkGradientRows(gradients);
    const gram = tf.matMul(rows, tf.transpose(rows));
    const all = copies.variables;
    const deltas =
      step.kind === 'sgd'
        ? all.map((v) => tf.mul(step.rate, gradients.get(v) as tf.Tensor))
        : step.optimizer.nextUpdate(
            all.map((v) => gradients.get(v) as tf.Tensor),
            (moments) =>
              model.gatherNetworks(
                moments,
                allTasks.map(() => 0),
              ),
          );
    for (const v of copies.trunkVariables) v.assign(tf.sub(v, deltas[all.indexOf(v)]));
    return [before, copies.slotLosses(x, y), gram];
  });
  const b = before.dataSync();
  const a = after.dataSync();
  const g = gram.dataSync();
  tf.dispose([before, after, gram]);
  copies.dispose();
  const cell = (f: (i: number, j: number) => number): Matrix =>
    allTasks.map((i) => allTasks.map((j) => (i === j ? 0 : f(i, j))));
  return {
    lookahead: cell((i, j) => (1 - a[j * T + i] / b[i]) / settings.learningRate),
    cosine: cell((i, j) => g[i * T + j] / Math.sqrt(g[i * T + i] * g[j * T + j])),
  };
}

/**
 * Trains one network on all tasks and probes it every `every` steps at theta_t, before that step's update (Fifty et
 * al. 2021: every 10th batch). Only the probes up to the epoch that model selection keeps (on validation) are
 * averaged: past it the network memorises label noise, and a step on one task then hurts even a near-duplicate of it
 * (measured on planted clusters: the sign flips).
 */
export function oneRunProxies(
  data: PreparedSplit,
  kinds: TaskKind[],
  settings: EngineSettings,
  seed: number,
  every: number,
  lookaheadStep: LookaheadStep,
): OneRunProxies {
  const T = kinds.length;
  const stepsPerEpoch = Math.ceil(data.train.rows / settings.batchSize);
  const probes: (Probe & { epoch: number })[] = [];
  const [outcome] = trainNetworks(
    data,
    kinds,
    [kinds.map((_, t) => t)],
    settings,
    seed,
    undefined,
    (model, x, y, step, optimizer) => {
      const how: ProbeStep =
        lookaheadStep === 'sgd' ? { kind: 'sgd', rate: settings.learningRate } : { kind: 'adam', optimizer };
      if (step % every === 0)
        probes.push({ ...probe(model, kinds, settings, x, y, how), epoch: Math.floor(step / stepsPerEpoch) + 1 });
    },
  );
  const kept = probes.filter((p) => p.epoch <= outcome.bestEpoch);
  const average = (cell: (p: Probe, i: number, j: number) => number): Matrix =>
    Array.from({ length: T }, (_, i) =>
      Array.from({ length: T }, (_, j) =>
        i === j || kept.length === 0 ? 0 : kept.reduce((sum, p) => sum + cell(p, i, j), 0) / kept.length,
      ),
    );
  const stepText =
    lookaheadStep === 'sgd'
      ? `a plain SGD step at the learning rate ${settings.learningRate} (as TAG's code)`
      : "the training optimizer's own Adam step from its current moments (TAG's code: its SGD optimizer's step)";
  return {
    lookahead: average((p, i, j) => p.lookahead[i][j]),
    gradientCosine: average((p, i, j) => p.cosine[i][j]),
    conflict: average((p, i, j) => (p.cosine[i][j] < 0 ? 1 : 0)),
    probes: kept.length,
    bestEpoch: outcome.bestEpoch,
    method: `TAG lookahead (Fifty et al. 2021): every ${every}th batch at theta_t before the update, the shared layers take ${stepText} on one task; (1 - L_i(after) / L_i(theta_t)) / lr, averaged over the probes up to the selected epoch ${outcome.bestEpoch}`,
  };
}

/** The one all-task run of lookahead and cosine; an --every that keeps no probe is an error (all-zero matrices otherwise). */
export function allTaskRun(
  context: ProxyContext,
  { every, lookaheadStep }: AllTaskRunOptions,
): { value: OneRunProxies; seconds: number } {
  const { data, settings } = context;
  const steps = Math.ceil(data.train.rows / settings.batchSize) * settings.epochs;
  if (every > steps)
    throw new InputError(
      `--every ${every}: the all-task run takes only ${steps} steps, so it would keep no probe; choose at most ${steps}`,
    );
  const run = sharedRun(context, 'all-task run', () =>
    oneRunProxies(data, context.dataset.taskKinds, settings, 0, every, lookaheadStep),
  );
  if (run.value.probes === 0)
    throw new InputError(
      `--every ${every}: no probe fell within the ${run.value.bestEpoch} epoch(s) model selection kept; choose a smaller --every`,
    );
  return run;
}
