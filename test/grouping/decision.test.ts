import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tInterval } from '../../src/affinity/stats.js';
import { seededRandom } from '../../src/data/random.js';
import { closedLoopVerdict, type ClosedLoopResult } from '../../src/grouping/closedLoop.js';
import { chooseBudget, heldOutValidationTotals, replicatedBudgetCurve } from '../../src/grouping/curve.js';
import { groupingDecision, trainingSentence } from '../../src/grouping/decision.js';
import { mean } from '../../src/affinity/stats.js';
import { groupKey } from '../../src/sweep/plan.js';
import { plantedLabels, plantedSeedTable } from './helpers.js';

const names = ['a', 'b', 'c'];
const measuredPairs = new Set(['0', '1', '2', '0+1', '0+2', '1+2']);

test('what to train, in one sentence: alone, alone but one, together, auxiliary tasks, never-trained groups', () => {
  const say = (groups: number[][], assignment: number[], measured = measuredPairs) =>
    trainingSentence({ groups, assignment }, names, measured).sentence;
  assert.equal(say([[0], [1], [2]], [0, 1, 2]), 'Train each task alone.');
  assert.equal(
    say([[0], [1], [0, 2]], [0, 1, 2]),
    'Train each task alone, except c with a as an auxiliary task.',
    'the network {a, c} serves only c: a trains in it to help',
  );
  assert.equal(say([[0, 1], [2]], [0, 0, 1]), 'Train a with b; and c alone.');
  assert.equal(say([[0, 1, 2]], [0, 0, 0]), 'Train one network: a, b and c together (never trained).');
  assert.deepEqual(trainingSentence({ groups: [[0, 1, 2]], assignment: [0, 0, 0] }, names, measuredPairs).untrained, [
    [0, 1, 2],
  ]);
  assert.equal(
    say([[0, 1, 2]], [0, 0, 0], new Set([...measuredPairs, groupKey([0, 1, 2])])),
    'Train one network: a, b and c together.',
  );
});

/** Seed tables of three planted clusters of two tasks: pairs within a cluster help, across clusters hurt. */
async function decisionOn(labels: number[], noise: number, seeds: number) {
  const random = seededRandom(3);
  const validation = Array.from({ length: seeds }, () => plantedSeedTable(labels, random, noise));
  const test = Array.from({ length: seeds }, () => plantedSeedTable(labels, random, noise));
  const options = { maxGroupSize: labels.length, level: 0.95 };
  const curve = await replicatedBudgetCurve(validation, test, options);
  const heldOut = await heldOutValidationTotals(validation, options);
  const taskNames = labels.map((_, t) => `t${t}`);
  const measured = new Set(test[0].entries.map((e) => groupKey(e.group)));
  return groupingDecision({
    taskNames,
    curve,
    choice: chooseBudget(heldOut.evidence, heldOut.scheme),
    testTables: test,
    measured,
    level: 0.95,
    validationTotals: heldOut.evidence.map((e) => ({ budget: e.budget, mean: mean(e.totals) })),
    imported: false,
  });
}

test('the decision names the planted pairs and says they measurably beat training each task alone, evidence under it', async () => {
  const decision = await decisionOn(plantedLabels(3, 2), 0.02, 6);
  assert.equal(
    decision.headline.split('.')[0],
    'Train 3 networks: t0 with t1; t2 with t3; t4 with t5',
    'three pair networks, each serving both its tasks',
  );
  assert.match(decision.headline, /It beats training each task alone by \+\d\.\d{4} \[\+\d\.\d{4}, \+\d\.\d{4}\]\./);
  assert.match(
    decision.evidence,
    /^predicted total test loss \d\.\d{4} \[.*\] over 6 seeds .*each task alone .*all in one network/,
  );
  assert.deepEqual(decision.untrained, []);
  assert.match(decision.cut ?? '', /^if you must cut to \d networks?: .* \((costs|no measurable cost)/);
});

test('with no relation between the tasks, the decision says no grouping measurably beats training each task alone', async () => {
  // every task in a cluster of its own: every pair hurts a little, within noise of 10%
  const decision = await decisionOn([0, 1, 2, 3], 0.1, 4);
  assert.match(
    decision.headline,
    /^Train each task alone\. No grouping measurably beats it \(best minus separate [+-]\d\.\d{4} \[[+-]\d\.\d{4}, [+-]\d\.\d{4}\]\)\.$/,
    decision.headline,
  );
});

/** A closed loop whose every grouping measured `shift` above its prediction, or only the selection. */
function loop(shiftSelection: number, shiftBaselines: number, random = true): ClosedLoopResult {
  const noise = [0.01, -0.01, 0.005, -0.005];
  const totals = (base: number) => noise.map((e) => base + e);
  const selection = totals(2 + shiftSelection);
  const baseline = (name: string, predicted: number) => {
    const actual = totals(predicted + shiftBaselines);
    return {
      name,
      predicted,
      actual: { ...tInterval(actual, 0.95), totals: actual },
      selectedMinusBaseline: tInterval(
        selection.map((s, k) => s - actual[k]),
        0.95,
      ),
    };
  };
  return {
    predicted: 2,
    actual: { ...tInterval(selection, 0.95), totals: selection },
    baselines: [
      baseline('all tasks in one network', 2.2),
      baseline('every task alone', 2.1),
      ...(random ? [baseline('random grouping, same budget (mean of 3 draws)', 2.3)] : []),
    ],
  };
}

test('the closed loop in plain words: a measured total outside the predicted interval is flagged, read as a seed shift when every baseline moved alike', () => {
  const predicted = { mean: 2, low: 1.95, high: 2.05, n: 6 };
  const inside = closedLoopVerdict(loop(0, 0), predicted, { budget: 2, taskCount: 4 });
  assert.equal(inside.held, true);
  assert.equal(inside.outsidePrediction, undefined);
  assert.match(inside.text, /^held: measurably better than all tasks in one network \(-0\.2000/);
  assert.equal(inside.noRandom, undefined);

  const shifted = closedLoopVerdict(loop(0.3, 0.3), predicted, { budget: 2, taskCount: 4 });
  assert.equal(shifted.held, true);
  assert.match(
    shifted.outsidePrediction ?? '',
    /measured 2\.3000 is above the predicted interval \[1\.9500, 2\.0500\], but every baseline moved alike .*a seed shift, not a failure/,
  );

  const failed = closedLoopVerdict(loop(0.3, 0), predicted, { budget: 2, taskCount: 4 });
  assert.equal(failed.held, false, 'now worse than each task alone');
  assert.match(failed.text, /^did not hold: on the fresh seeds it is measurably worse than/);
  assert.match(failed.outsidePrediction ?? '', /did not move alike .*did not hold/);

  const atT = closedLoopVerdict(loop(0, 0, false), predicted, { budget: 4, taskCount: 4 });
  assert.match(
    atT.noRandom ?? '',
    /no random grouping to compare with: with 4 networks for 4 tasks every partition is each task alone/,
  );
});
