import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/data/errors.js';
import {
  checkTimeLimit,
  hoursAbove,
  LARGE_SWEEP_SECONDS,
  planCheckOf,
  planCheckText,
  planText,
  type SweepPlan,
} from '../../src/sweep/planner.js';

const plan = (estimatedSeconds: number, probe = false): SweepPlan => ({
  networks: 4200,
  groups: 105,
  replications: 40,
  calibration: {
    backend: 'native',
    networks: 16,
    epochs: 30,
    seconds: 0.8,
    startSeconds: 0,
    callSeconds: 0,
    parallel: 1,
    stoppedShare: 0,
    recordSeconds: 0,
    probe,
  },
  estimatedSeconds,
});
const routes = [
  { kind: 'proxy' as const, route: 'tra proxies <definition> --proxies cosine', cost: 'one all-task network' },
];

test('the cheaper routes are listed by time, not by network count: 4200 networks in a minute are the cheapest route', () => {
  const minute = planText(plan(60), 14, routes);
  assert.equal(minute.length, 1);
  assert.match(
    minute[0],
    /^plan: 4200 networks \(105 groups x 40 replications\); training estimated at 1:00 on this machine \(predicted/,
  );
  const long = planText(plan(LARGE_SWEEP_SECONDS + 1), 14, routes);
  assert.equal(long[1], 'cheaper routes to the 14-task matrix:');
  assert.equal(long[2], '  tra proxies <definition> --proxies cosine  [one all-task network]');
  assert.match(
    long.at(-1) as string,
    /their error on this data: tra proxies <definition> --truth <folder>.*other data sets \(not this one\)/,
  );
});

test('a run reports the plan against the time it took; a probe plan says it is an upper bound', () => {
  const check = planCheckOf(plan(18.94), 15.66);
  assert.deepEqual(check, { networks: 4200, predictedSeconds: 18.94, measuredSeconds: 15.66, from: 'calibrated' });
  assert.equal(planCheckText(check), 'measured 15.7 s, predicted 18.9 s: measured / predicted 0.83');
  assert.equal(
    planCheckText(planCheckOf(plan(120, true), 30)),
    'measured 30.0 s, predicted 2:00 (an upper bound from a one-epoch probe): measured / predicted 0.25',
  );
});

test('the time limit refuses a plan above it, naming the least limit that runs it', () => {
  assert.equal(hoursAbove(3601), 1.1);
  assert.equal(hoursAbove(90), 0.025);
  checkTimeLimit(plan(3600), 1, 'this sweep', 14, routes);
  assert.throws(
    () => checkTimeLimit(plan(4000), 1, 'this sweep', 14, routes),
    (e: unknown) =>
      e instanceof InputError &&
      /^--max-hours 1: this sweep would train 4200 networks, estimated at 1:06:40; raise --max-hours to at least 1\.2 to run it/.test(
        e.message,
      ),
  );
});
