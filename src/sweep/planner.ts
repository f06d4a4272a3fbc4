import * as tf from '@tensorflow/tfjs';
import type { TaskKind } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import type { PreparedSplit } from '../data/split.js';
import { Adam } from '../engine/adam.js';
import { FusedNetworks, seededWeights } from '../engine/fused.js';
import { defaultMemoryBudget, networksPerBatch } from '../engine/memory.js';
import type { EngineSettings } from '../engine/settings.js';
import type { Group } from './plan.js';
import { formatSeconds } from './progress.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';

/**
 * A run that is not a planned sweep (auxiliary candidates, a closed loop) against the limit on networks; the limit's
 * default is the execution options' (src/options/execution.ts).
 */
export function checkNetworkCount(networks: number, limit: number | undefined, what: string): void {
  const maxNetworks = limit ?? EXECUTION_OPTIONS.maxNetworks.default;
  if (networks > maxNetworks)
    throw new InputError(
      `--max-networks ${maxNetworks}: ${what} would train ${networks} networks; raise --max-networks to at least ${networks} to run it`,
    );
}

/** A sweep past this many networks is large: the planner lists the cheaper routes. */
export const LARGE_SWEEP = 1000;

/** A cheaper route to an affinity matrix (a proxy's command), its cost and its error as measured by `npm run bench`. */
export interface CheaperRoute {
  route: string;
  cost: string;
  measured: string;
}

export interface SweepPlan {
  networks: number;
  groups: number;
  replications: number;
  /** Wall seconds one fused step of `calibrationNetworks` networks took on this machine (median of a few). */
  stepSeconds: number;
  calibrationNetworks: number;
  /** Estimated wall time of the whole sweep at that speed, every network training all its epochs (patience only shortens it). */
  estimatedSeconds: number;
}

/**
 * Times a few training steps of the fused model at the data's shapes (as many networks per batch as the sweep will
 * use, capped at its size) and scales them to the sweep: networks x epochs x steps per epoch, spread over the threads.
 */
export function planSweep(
  data: PreparedSplit,
  kinds: TaskKind[],
  groups: readonly Group[],
  replications: number,
  settings: EngineSettings,
  threads: number,
): SweepPlan {
  const d = data.train.features.length / data.train.rows;
  const slots = Math.max(...groups.map((g) => g.length));
  const networks = groups.length * replications;
  const fitting = networksPerBatch(
    { inputWidth: d, hidden: settings.hidden, slots, rows: Math.max(data.validation.rows, settings.batchSize) },
    defaultMemoryBudget(threads),
  );
  const K = Math.max(1, Math.min(Math.ceil(groups.length / threads), fitting, 105));
  // the largest groups set the heads' width of every batch; repeat them when the sweep has fewer than K
  const largest = [...groups].sort((a, b) => b.length - a.length);
  const sample = Array.from({ length: K }, (_, k) => largest[k % largest.length]);
  const model = new FusedNetworks(sample, kinds, settings, seededWeights(d, settings.hidden, slots, 0));
  const optimizer = new Adam(model.variables, settings.learningRate);
  const rows = Math.min(settings.batchSize, data.train.rows);
  const x = tf.tensor2d(data.train.features.subarray(0, rows * d), [rows, d]);
  const y = tf.tensor2d(data.train.targets.subarray(0, rows * kinds.length), [rows, kinds.length]);
  const times: number[] = [];
  try {
    for (let step = 0; step < 4; step++) {
      const start = performance.now();
      tf.tidy(() => {
        const gradients = model.gradients(x, y);
        optimizer.step(
          model.variables,
          model.variables.map((v) => gradients.get(v) as tf.Tensor),
        );
      });
      model.variables[0].dataSync(); // wait for the step
      if (step > 0) times.push((performance.now() - start) / 1000); // the first step compiles kernels
    }
  } finally {
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  }
  const stepSeconds = times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  const stepsPerEpoch = Math.ceil(data.train.rows / settings.batchSize);
  const batchesPerThread = Math.ceil(networks / (K * threads));
  return {
    networks,
    groups: groups.length,
    replications,
    stepSeconds,
    calibrationNetworks: K,
    estimatedSeconds: batchesPerThread * settings.epochs * stepsPerEpoch * stepSeconds,
  };
}

/** The plan in words; with the cheaper routes and their measured error when the sweep is large. */
export function planText(plan: SweepPlan, taskCount: number, routes: readonly CheaperRoute[]): string[] {
  const lines = [
    `plan: ${plan.networks} networks (${plan.groups} groups x ${plan.replications} replications${plan.networks < plan.groups * plan.replications ? `, ${plan.groups * plan.replications - plan.networks} already in the journal` : ''}); estimated ${formatSeconds(plan.estimatedSeconds)} on this machine ` +
      `(calibrated: ${(plan.stepSeconds * 1000).toFixed(0)} ms per step of ${plan.calibrationNetworks} fused networks; an upper bound with patience, and as noisy as the machine's load)`,
  ];
  if (plan.networks > LARGE_SWEEP) {
    lines.push(`cheaper routes to the ${taskCount}-task matrix (error measured by npm run bench):`);
    for (const r of routes) lines.push(`  ${r.route}  [${r.cost}]  ${r.measured}`);
  }
  return lines;
}

/** Refuses a sweep above the network limit, naming the flag; the plan says what it would cost and what is cheaper. */
export function checkNetworkLimit(
  plan: SweepPlan,
  maxNetworks: number,
  taskCount: number,
  routes: readonly CheaperRoute[],
): void {
  if (plan.networks <= maxNetworks) return;
  throw new InputError(
    [
      `--max-networks ${maxNetworks}: this sweep would train ${plan.networks} networks; raise --max-networks to at least ${plan.networks} to run it, or take a cheaper route`,
      ...planText(plan, taskCount, routes),
    ].join('\n'),
  );
}
