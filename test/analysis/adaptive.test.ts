/** The adaptive run's stopping rule: the target must be held by the reliability's lower bound, not crossed once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adaptiveStop, type AdaptiveRule } from '../../src/analysis/adaptive.js';
import { reliabilityLowerBound } from '../../src/affinity/reliability.js';
import type { Matrix } from '../../src/affinity/gain.js';
import { normalSampler, seededRandom } from '../../src/data/random.js';
import { SWEEP_OPTIONS } from '../../src/options/sweep.js';

const T = 6;
const TASKS = Array.from({ length: T }, (_, t) => `t${t}`);
/** One seed's reliability: the planted matrix's share of a seed's variance (signal 1, noise (1 - ρ) / ρ). */
const ONE_SEED = 0.2;
/** Spearman-Brown: the planted reliability of the average over n seeds. */
const planted = (n: number): number => (n * ONE_SEED) / (1 + (n - 1) * ONE_SEED);

/** Seeds of a planted matrix plus noise; generator 17 makes the estimate cross 0.7 at 4 seeds, then fall back. */
function plantedSeeds(count: number, generator = 17): Matrix[] {
  const normal = normalSampler(seededRandom(generator));
  const truth = Array.from({ length: T }, () => Array.from({ length: T }, () => normal()));
  const noise = Math.sqrt((1 - ONE_SEED) / ONE_SEED);
  return Array.from({ length: count }, () => truth.map((row) => row.map((v) => v + noise * normal())));
}

const rule: AdaptiveRule = { target: 0.7, confidence: SWEEP_OPTIONS.reliabilityConfidence.default, maxMinutes: 60 };

/** The rule applied after every seed from 4 on, as the adaptive loop does: the outcomes until it stops. */
function replay(matrices: Matrix[]) {
  const outcomes = [];
  for (let n = 4; n <= matrices.length; n++) {
    const seeds = Array.from({ length: n }, (_, s) => s);
    const estimate = {
      taskNames: TASKS,
      perReplication: matrices.slice(0, n),
      replications: seeds.map((s) => `s${s}`),
    };
    const outcome = adaptiveStop(rule, estimate, seeds, 0);
    outcomes.push(outcome);
    if (outcome.reason) break;
  }
  return outcomes;
}

test('one noisy crossing of the target does not stop the run; the lower bound holding it does', () => {
  const outcomes = replay(plantedSeeds(20));
  const firstCrossing = outcomes.find((o) => o.reliability >= rule.target);
  assert.ok(firstCrossing, 'the estimate crosses the target');
  const crossedAt = firstCrossing.seeds.length;
  // the old rule (estimate >= target) stops here, where the planted reliability is far below the target
  assert.equal(crossedAt, 4, `the estimate crosses at 4 seeds (${firstCrossing.reliability.toFixed(2)})`);
  assert.ok(planted(crossedAt) < 0.55, `planted reliability at the crossing: ${planted(crossedAt).toFixed(2)}`);
  assert.equal(firstCrossing.reason, '', 'the run goes on at the crossing');
  assert.ok(firstCrossing.low < rule.target, `lower bound ${firstCrossing.low.toFixed(2)} at the crossing`);
  assert.ok(
    outcomes.some((o) => o.seeds.length > crossedAt && o.reliability < rule.target),
    'the crossing was noise: the estimate falls below the target again with more seeds',
  );
  const stop = outcomes[outcomes.length - 1];
  assert.ok(stop.reached, `the run reaches the target (${stop.reason})`);
  assert.ok(stop.low >= rule.target && stop.reliability > stop.low);
  assert.ok(
    planted(stop.seeds.length) >= rule.target,
    `at the stop (${stop.seeds.length} seeds) the planted reliability ${planted(stop.seeds.length).toFixed(2)} reaches the target`,
  );
  assert.match(
    stop.reason,
    /^reached reliability 0\.\d\d \(one-sided 0\.9 lower bound 0\.\d\d\) >= 0\.7 with \d+ seeds$/,
  );
});

test('the time budget stops a run whose lower bound is still below the target, saying so', () => {
  const seeds = [0, 1, 2, 3];
  const estimate = { taskNames: TASKS, perReplication: plantedSeeds(4), replications: seeds.map((s) => `s${s}`) };
  const outcome = adaptiveStop({ ...rule, maxMinutes: 1 }, estimate, seeds, 1.5);
  assert.equal(outcome.reached, false);
  assert.match(
    outcome.reason,
    /^stopped by the 1-minute budget at reliability 0\.72 \(one-sided 0\.9 lower bound 0\.\d\d\), below 0\.7, with 4 seeds$/,
  );
});

test("the reliability's lower bound: none below four seeds, tighter with more seeds, the seed is the unit", () => {
  const matrices = plantedSeeds(24, 5);
  const keys = (n: number) => Array.from({ length: n }, (_, s) => `s${s}`);
  assert.ok(Number.isNaN(reliabilityLowerBound(matrices.slice(0, 3), keys(3), 0.9).low), 'three seeds: no bound');
  const few = reliabilityLowerBound(matrices.slice(0, 6), keys(6), 0.9);
  const many = reliabilityLowerBound(matrices, keys(24), 0.9);
  assert.ok(many.standardError < few.standardError, `${many.standardError} < ${few.standardError}`);
  assert.ok(few.low < few.reliability && many.low < many.reliability);
  // a higher confidence asks more of the same seeds
  assert.ok(reliabilityLowerBound(matrices, keys(24), 0.99).low < many.low);
  // folds of one seed are one unit: 24 replications of 6 seeds have no more seeds than 6
  const folded = reliabilityLowerBound(
    matrices,
    matrices.map((_, k) => `s${k % 6}f${Math.floor(k / 6)}`),
    0.9,
  );
  assert.equal(folded.seeds, 6);
});
