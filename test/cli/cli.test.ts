import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';
import { writePlantedCsv } from '../helpers/killResume.js';
import { reliabilityLowerBound } from '../../src/affinity/reliability.js';
import { readJournal } from '../../src/sweep/journal.js';
import { PROXIES, PROXY_OPTIONS } from '../../src/affinity/proxies/registry.js';
import { replicatedTables } from '../../src/grouping/replicated.js';
import { chooseBudget, heldOutValidationTotals } from '../../src/grouping/curve.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env } });

test('a user mistake exits 2 with one line naming the problem, no stack trace', () => {
  const csv = writeTemp(
    'bad.csv',
    validCsv((l) => {
      l[4] = '1,,0,1,2';
      return l;
    }),
  );
  const run = tra('sweep', '--data', csv, '--tasks', 'last:3', '--out', tempDir());
  assert.equal(run.status, 2);
  assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
  assert.match(run.stderr, /bad\.csv:5 column 'f2': missing value/);
  assert.doesNotMatch(run.stderr, /at .*\.js/);
});

test('a mistyped analysis definition field is rejected', () => {
  const def = writeTemp('x.json', JSON.stringify({ name: 'x', data: 'd.csv', tasks: 'last:2', epoch: 3 }));
  const run = tra('run', def);
  assert.equal(run.status, 2);
  assert.match(run.stderr, /unknown field\(s\) epoch/);
});

test('a patience that is not a whole number of epochs is rejected before training', () => {
  const run = tra(
    'sweep',
    '--data',
    writeTemp('ok.csv', validCsv()),
    '--tasks',
    'last:3',
    '--patience',
    '2.5',
    '--out',
    tempDir(),
  );
  assert.equal(run.status, 2);
  assert.match(run.stderr, /--patience '2.5' must be an integer from 0 to/);
});

test('auxiliary rejects a column marked auxiliary-only that is also an input, an unknown main task and an unknown moved feature, with exit 2', () => {
  const dir = tempDir();
  const data = writeTemp('d.csv', validCsv());
  const definition = (extra: object): string =>
    writeTemp('a.json', JSON.stringify({ name: 'a', data, tasks: 'a,b', out: dir, ...extra }));
  const leak = tra('auxiliary', definition({ features: 'f1,r', auxiliaryOnly: ['r'] }), '--main', 'a');
  assert.equal(leak.status, 2);
  assert.match(leak.stderr, /'r' is marked auxiliary-only .* also named as a feature/);
  const main = tra('auxiliary', definition({ auxiliaryOnly: 'r' }), '--main', 'zz');
  assert.equal(main.status, 2);
  assert.match(main.stderr, /--main 'zz' is neither a task name nor a task index/);
  const moved = tra('auxiliary', definition({ auxiliaryOnly: 'r' }), '--main', 'a', '--move', 'f9');
  assert.equal(moved.status, 2);
  assert.match(moved.stderr, /--move 'f9' is not an input feature/);
  assert.doesNotMatch(leak.stderr + main.stderr + moved.stderr, /at .*\.js/);
});

test('sweep writes the affinity matrix with intervals, reliability and provenance; affinity recomputes it', () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const run = tra(
    'sweep',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--seeds',
    '2',
    '--epochs',
    '3',
    '--hidden',
    '8',
    '--out',
    out,
    '--quiet',
  );
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /reliability/);
  assert.match(
    run.stdout,
    /with patience 8 the journal's networks trained 100% of their 3 epochs/,
    'patience 8 cannot stop a 3-epoch network',
  );
  const json = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  assert.deepEqual(json.taskNames, ['a', 'b', 'r']);
  assert.equal(json.data.tasks[0].mean, 0.5, 'the data summary records the positive rate of task a');
  assert.equal(json.data.tasks[2].kind, 'regression');
  assert.equal(json.perReplication.length, 2 * 5, '2 seeds x 5 folds (cross-fitting is the default)');
  assert.equal(json.inference.verdict[0][1] === null, false);
  assert.equal(json.low.length, 3);
  assert.ok(json.provenance.backends.length === 1 && json.provenance.command.startsWith('tra sweep'));
  const csvLines = readFileSync(join(out, 'affinity.csv'), 'utf8').trim().split('\n');
  assert.equal(csvLines[0], 'target,source,gain,ci_low,ci_high,group_score,replications,p_value,verdict');
  assert.equal(csvLines.length, 1 + 6);
  assert.ok(existsSync(join(out, 'affinity-graph.json')));
  // Recomputed at another level, every interval keeps its mean and scales its half-width by the ratio of the Student-t
  // quantiles at df = seeds - 1: 0.8 < 0.9 < 0.95.
  const atLevel = (level: string) => {
    const recomputed = tra('affinity', out, '--level', level);
    assert.equal(recomputed.status, 0, recomputed.stderr);
    return JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  };
  const widths = (a: { low: number[][]; high: number[][] }) =>
    a.high.flatMap((row, i) => row.map((h, j) => h - a.low[i][j])).filter((_, k) => k % 4 !== 0);
  const [w95, w90, w80] = [json, atLevel('0.9'), atLevel('0.8')].map(widths);
  assert.equal(JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8')).level, 0.8);
  const varying = w95.flatMap((w, k) => (w > 0 ? [k] : []));
  assert.ok(varying.length >= 3, `cells whose gain varies over the seeds: ${varying}`);
  for (const k of varying) {
    assert.ok(w80[k] < w90[k] && w90[k] < w95[k], `cell ${k}: widths ${w80[k]} < ${w90[k]} < ${w95[k]}`);
    assert.ok(
      Math.abs(w90[k] / w95[k] - tQuantile(0.95, 1) / tQuantile(0.975, 1)) < 1e-6,
      'the half-width scales with t(0.95, df 1) / t(0.975, df 1)',
    );
  }
  const noControls = tra('affinity', out, '--subtract-null-bias');
  assert.equal(noControls.status, 2);
  assert.match(noControls.stderr, /no null-control tasks/);
});

test('tra affinity honours --subtract-null-bias on a sweep with null controls', () => {
  const out = tempDir();
  const run = tra(
    'sweep',
    '--data',
    writeTemp('ok.csv', validCsv()),
    '--tasks',
    'last:3',
    '--seeds',
    '2',
    '--folds',
    '3',
    '--epochs',
    '2',
    '--hidden',
    '4',
    '--null-tasks',
    '1',
    '--out',
    out,
    '--quiet',
  );
  assert.equal(run.status, 0, run.stderr);
  const method = (): string => JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8')).inference.method;
  assert.doesNotMatch(method(), /null-partner/);
  assert.equal(tra('affinity', out, '--subtract-null-bias').status, 0);
  assert.match(method(), /relative to the same replication's mean null-partner difference/);
  assert.match(method(), /over 2 seeds \(6 replications/);
});

test('an adaptive run stops at its time budget and says so', () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const run = tra(
    'sweep',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--seeds',
    '2',
    '--split',
    'holdout',
    '--epochs',
    '2',
    '--hidden',
    '4',
    '--out',
    out,
    '--quiet',
    '--until-reliability',
    '0.999',
    '--max-minutes',
    '0.05',
  );
  assert.equal(run.status, 0, run.stderr);
  const stopped =
    /adaptive run: stopped by the 0\.05-minute budget at reliability \S+ \(one-sided 0\.9 lower bound \S+\), below 0\.999, with (\d+) seeds/.exec(
      run.stdout,
    );
  assert.ok(stopped, run.stdout);
  assert.equal(
    JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8')).replications.length,
    Number(stopped[1]),
    'the matrix is over the seeds it stopped at',
  );
});

test("an adaptive run adds one seed at a time and stops at the first seed count whose reliability's lower bound reaches the target", () => {
  const out = tempDir();
  const csv = join(tempDir(), 'planted.csv');
  writePlantedCsv(csv, 200);
  const target = 0.5;
  const run = tra(
    'sweep',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--seeds',
    '2',
    '--split',
    'holdout',
    '--epochs',
    '4',
    '--hidden',
    '8',
    '--out',
    out,
    '--quiet',
    '--until-reliability',
    String(target),
    '--max-minutes',
    '2',
  );
  assert.equal(run.status, 0, run.stderr);
  const reached =
    /adaptive run: reached reliability ([\d.]+) \(one-sided 0\.9 lower bound ([\d.]+)\) >= 0\.5 with (\d+) seeds/.exec(
      run.stdout,
    );
  assert.ok(reached, run.stdout);
  const seeds = Number(reached[3]);
  // the summary counts the whole run (3 singles and 3 pairs a seed), not its last round's seed
  assert.match(
    run.stdout,
    new RegExp(`^trained ${6 * seeds} networks on backend '\\w+' in \\S+ \\(0 already in `, 'm'),
  );
  const json = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8'));
  assert.deepEqual(
    json.replications,
    Array.from({ length: seeds }, (_, s) => `s${s}`),
    'seeds 0..N-1, one replication each (holdout)',
  );
  // The reliability and its lower bound for every shorter prefix of the seeds, from the written per-seed matrices.
  const boundOf = (n: number) =>
    reliabilityLowerBound(json.perReplication.slice(0, n), json.replications.slice(0, n), 0.9);
  assert.equal(boundOf(seeds).reliability.toFixed(2), reached[1]);
  assert.equal(boundOf(seeds).low.toFixed(2), reached[2]);
  assert.ok(boundOf(seeds).low >= target);
  for (let n = 2; n < seeds; n++)
    assert.ok(!(boundOf(n).low >= target), `with ${n} seeds (bound ${boundOf(n).low}) it would have stopped earlier`);
});

test('tra group runs the adaptive sweep and prints, and writes, why it stopped', () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const def = writeTemp(
    'adaptive.json',
    JSON.stringify({
      name: 'a',
      data: csv,
      tasks: 'last:3',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 2, hidden: [4] },
      untilReliability: 0.999,
      maxMinutes: 0.05,
      out,
    }),
  );
  const run = tra('group', def, '--quiet', '--bootstrap', '2', '--early-fractions', '0.5');
  assert.equal(run.status, 0, run.stderr);
  const reason =
    /adaptive run: (stopped by the 0\.05-minute budget at reliability \S+ \(one-sided 0\.9 lower bound \S+\), below 0\.999, with (\d+) seeds)/.exec(
      run.stdout,
    );
  assert.ok(reason, run.stdout);
  const grouping = JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8'));
  assert.equal(grouping.adaptive.reason, reason[1]);
  assert.equal(grouping.adaptive.seeds.length, Number(reason[2]));
  assert.equal(
    grouping.replications.length,
    Number(reason[2]),
    'the grouping uses every seed the adaptive run trained',
  );
});

test('proxies estimate the matrix from one run and compare with a finished sweep over its real tasks, null controls left out', () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const def = writeTemp(
    'def.json',
    JSON.stringify({
      name: 'p',
      data: csv,
      tasks: 'last:3',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 3, hidden: [8] },
      nullTasks: 1,
      out,
    }),
  );
  assert.equal(tra('run', def, '--quiet').status, 0);
  const run = tra('proxies', def, '--every', '1');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /lookahead \(TAG\) +Spearman -?\d/);
  assert.match(run.stdout, /for scale: two halves of the sweep's own replications agree/);
  const json = JSON.parse(readFileSync(join(out, 'proxies.json'), 'utf8'));
  assert.deepEqual(
    json.proxies.map((p: { id: string }) => p.id),
    PROXIES.map((p) => p.id),
    'every registered proxy, in the registry order',
  );
  const { options, ...settings } = json.settings;
  assert.deepEqual(settings, { proxies: PROXIES.map((p) => p.id), seed: 0, fold: 0 });
  assert.deepEqual(Object.keys(options).sort(), Object.keys(PROXY_OPTIONS).sort(), "every proxy's own options");
  assert.equal(options.every, 1, 'as given');
  assert.equal(
    json.proxies[0].agreement.points.length,
    6,
    "the 3 real tasks' off-diagonal cells, not the null control's",
  );
  assert.match(run.stdout, /groupings \(average linkage at budgets 2\) against exact selection/);
  assert.ok(
    Number.isFinite(json.proxies.find((p: { id: string }) => p.id === 'correlation').grouping.meanRegret),
    'label correlation grouping is priced with the sweep losses',
  );
  const html = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(html, /id="view-proxies"/, 'the report is redrawn with the proxies section');
  assert.match(html, /Cheap proxies against the sweep/);
  // a flag overrides the definition, and the effective configuration is what proxies.json records and hashes
  const other = tra('proxies', def, '--proxies', 'correlation', '--epochs', '2');
  assert.equal(other.status, 0, other.stderr);
  assert.match(
    other.stdout,
    /trained with other settings \(engine .*"epochs":3.*here .*"epochs":2.*: not compared with it: standalone/,
  );
  const rerun = JSON.parse(readFileSync(join(out, 'proxies.json'), 'utf8'));
  assert.match(json.provenance.configHash, /^[0-9a-f]{64}$/);
  assert.notEqual(rerun.provenance.configHash, json.provenance.configHash, '--epochs 2 is hashed');
  assert.match(rerun.provenance.command, /--epochs 2/);
});

test('proxies run standalone without a sweep (matrices, implied grouping, report section); an explicit --truth that is missing is an error', () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const def = writeTemp(
    'def.json',
    JSON.stringify({
      name: 'p',
      data: csv,
      tasks: 'last:3',
      seeds: 1,
      split: { kind: 'holdout' },
      engine: { epochs: 3, hidden: [8] },
      out,
    }),
  );
  const run = tra('proxies', def, '--proxies', 'surrogate,correlation');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /standalone/);
  const json = JSON.parse(readFileSync(join(out, 'proxies.json'), 'utf8'));
  assert.deepEqual(
    json.proxies.map((p: { id: string }) => p.id),
    ['surrogate', 'correlation'],
  );
  assert.equal(json.proxies[0].networksTrained, 3, 'with 3 tasks the surrogate trains every pair');
  assert.equal(json.proxies[0].implied.groups.flat().length, 3, 'the implied grouping covers every task');
  assert.match(readFileSync(join(out, 'proxies.md'), 'utf8'), /sampled-subset surrogate/);
  const missing = tra('proxies', def, '--truth', join(out, 'nosuch'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /--truth: cannot read/);
  const unknown = tra('proxies', def, '--proxies', 'magic');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /--proxies: unknown proxy 'magic'/);
});

test('the planner: tra plan counts the networks and calibrates their time; a sweep over --max-hours is refused naming the flag, nothing written', () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const def = writeTemp(
    'def.json',
    JSON.stringify({
      name: 'p',
      data: csv,
      tasks: 'last:3',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 3, hidden: [8] },
      out,
    }),
  );
  const plan = tra('plan', def);
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(
    plan.stdout,
    /plan: 12 networks \(6 groups x 2 replications\); training estimated at \d+\.\d+ s on this machine \(predicted from a calibration of the built-in networks on backend \w+: 6 of its networks trained all 3 epochs in \d+\.\d\d s/,
  );
  const refused = tra(
    'sweep',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--seeds',
    '2',
    '--split',
    'holdout',
    '--epochs',
    '2',
    '--hidden',
    '4',
    '--out',
    out,
    '--quiet',
    '--max-hours',
    '1e-9',
  );
  assert.equal(refused.status, 2);
  assert.match(
    refused.stderr,
    /--max-hours 1e-9: this sweep would train 12 networks, estimated at \d+\.\d+ s; raise --max-hours to at least \d[\d.e-]*/,
  );
  assert.ok(!existsSync(join(out, 'journal.jsonl')), 'a refused sweep writes nothing');
  const bad = tra('run', def, '--max-hours', '0');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--max-hours '0' must be a number strictly between 0 and/);
});

test('group recommends a budget from a finished sweep and rejects an unknown main task with exit 2', async () => {
  const out = tempDir();
  const csv = writeTemp('ok.csv', validCsv());
  const def = writeTemp(
    'def.json',
    JSON.stringify({
      name: 'g',
      data: csv,
      tasks: 'last:3',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 3, hidden: [8] },
      out,
    }),
  );
  const bad = tra('group', def, '--main', 'nosuch', '--quiet');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--main 'nosuch' is neither a task name nor a task index \(0\.\.2\); tasks: a, b, r/);
  const run = tra('group', def, '--main', 'a', '--bootstrap', '3', '--quiet');
  assert.equal(run.status, 0, run.stderr);
  // The budget the one-SE rule picks on leave-one-seed-out validation totals, recomputed from the journal.
  const { records } = readJournal(join(out, 'journal.jsonl'));
  const tables = replicatedTables(records, ['a', 'b', 'r'], ['s0', 's1']);
  const heldOut = await heldOutValidationTotals(tables.validation, {
    budgets: [1, 2, 3],
    maxGroupSize: 3,
    method: 'auto',
    level: 0.95,
  });
  const expected = chooseBudget(heldOut.evidence, heldOut.scheme);
  assert.match(run.stdout, new RegExp(`recommended budget ${expected.budget}: `));
  assert.ok(run.stdout.includes(`recommended budget ${expected.budget}: ${expected.reason}`), run.stdout);
  const fixed = tra('group', def, '--budget', '3', '--quiet');
  assert.equal(fixed.status, 0, fixed.stderr);
  assert.equal(
    JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8')).chosenBudget.budget,
    3,
    '--budget overrides the choice',
  );
  assert.match(fixed.stdout, /^Train /, 'the decision comes first');
  assert.match(fixed.stdout, /recommended budget 3: set with --budget/);
  assert.match(run.stdout, /auxiliary tasks for a/);
  const csvText = readFileSync(join(out, 'grouping.csv'), 'utf8').trim().split('\n');
  assert.equal(csvText.length, 1 + 3, 'a header and one row per budget');
});

test('the baselines table takes the neural single and best-pair losses of a holdout sweep on the same test rows', () => {
  const csv = writeTemp('ok.csv', validCsv());
  const sweepDir = tempDir();
  assert.equal(
    tra(
      'sweep',
      '--data',
      csv,
      '--tasks',
      'last:3',
      '--split',
      'holdout',
      '--seeds',
      '1',
      '--epochs',
      '3',
      '--hidden',
      '8',
      '--out',
      sweepDir,
      '--quiet',
    ).status,
    0,
  );
  const out = tempDir();
  const run = tra(
    'baselines',
    '--data',
    csv,
    '--tasks',
    'last:3',
    '--cv-folds',
    '3',
    '--out',
    out,
    '--sweep',
    sweepDir,
  );
  assert.equal(run.status, 0, run.stderr);
  const table = JSON.parse(readFileSync(join(out, 'baselines.json'), 'utf8'));
  const names = table.columns.map((c: { name: string }) => c.name);
  assert.deepEqual(names.slice(-2), ['neural single', 'neural best pair (oracle)']);
  const journal = readFileSync(join(sweepDir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => JSON.parse(l));
  const testLoss = (group: number[], task: number): number =>
    journal.find((r: { id: string }) => r.id === `s0/${group.join('+')}`).testLoss[group.indexOf(task)];
  // Each task has two partners: the oracle takes the one with the lower test loss for that task.
  const partners = [
    [1, 2],
    [0, 2],
    [0, 1],
  ];
  partners.forEach((others, t) => {
    assert.equal(table.columns.at(-2).perTask[t], testLoss([t], t));
    const pairs = others.map((j) => testLoss(t < j ? [t, j] : [j, t], t));
    if (t < 2)
      assert.notEqual(
        pairs[0],
        pairs[1],
        "the classification tasks' two pairs differ, so picking the wrong one would show",
      );
    assert.equal(table.columns.at(-1).perTask[t], Math.min(...pairs), `task ${t}: the better of its pairs ${pairs}`);
  });
  const crossFitted = tempDir();
  assert.equal(
    tra(
      'sweep',
      '--data',
      csv,
      '--tasks',
      'a,b',
      '--seeds',
      '1',
      '--epochs',
      '2',
      '--hidden',
      '4',
      '--out',
      crossFitted,
      '--quiet',
    ).status,
    0,
  );
  const refused = tra('baselines', '--data', csv, '--tasks', 'a,b', '--out', tempDir(), '--sweep', crossFitted);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /need a holdout sweep/);
});
