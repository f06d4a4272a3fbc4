/**
 * The adaptive run's stopping rule replayed on a journal: for every seed count from --from up to the journal's, the
 * split-half reliability, its jackknife lower bound and the grouping decision `tra group` would make on those seeds
 * (the budget chosen on held-out validation seeds and its selection); then where each rule stops and how often the
 * decision changed over the seeds it added.
 * usage: node dist/bench/adaptive-stop.js <folder> [--from N] [--target r] [--confidence c] [--every k] [--sparse-after M]
 *   (--from: the definition's first seed count; --every: decide at every k-th seed count only, and beyond M seeds at
 *   every 10th: a decision's nested budget choice selects once per held-out seed, slow for many tasks and seeds)
 */
import { loadavg } from 'node:os';
import { estimateAffinity, reliabilityBoundOf } from '../src/affinity/estimate.js';
import { replicatesFromRecords } from '../src/affinity/gain.js';
import { SWEEP_OPTIONS } from '../src/options/sweep.js';
import { isImportedConfig, type SweepConfig } from '../src/sweep/config.js';
import { journalPathOf, readJournal } from '../src/sweep/journal.js';
import {
  chooseBudget,
  defaultMaxGroupSize,
  heldOutValidationTotals,
  replicatedBudgetCurve,
  type CurveOptions,
} from '../src/grouping/curve.js';
import { replicatedTables } from '../src/grouping/replicated.js';
import { replicationsOf, pairwiseGroups } from '../src/sweep/plan.js';

const args = process.argv.slice(2);
const folder = args[0];
if (!folder || folder.startsWith('--')) throw new Error('usage: adaptive-stop <folder> [--from N] [--target r]');
const flag = (name: string, fallback: number): number =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const from = flag('--from', 4);
const target = flag('--target', 0.7);
const confidence = flag('--confidence', SWEEP_OPTIONS.reliabilityConfidence.default);
const every = flag('--every', 1);
const sparseAfter = flag('--sparse-after', Infinity);

const { header, records } = readJournal(journalPathOf(folder));
const config = header.config as SweepConfig;
if (isImportedConfig(config)) throw new Error('an imported journal has no seeds in the order a sweep added them');
const taskNames = config.data.taskNames;
const pairs = pairwiseGroups(taskNames.length).length;
const count = new Map<number, number>();
for (const r of records.values()) if (r.group.length <= 2) count.set(r.seed, (count.get(r.seed) ?? 0) + 1);
const seeds = [...count]
  .filter(([, n]) => n === pairs * replicationsOf(config.split, [0]).length)
  .map(([s]) => s)
  .sort((a, b) => a - b);

/** What `tra group` recommends on these seeds: the budget chosen on held-out validation seeds, and its networks. */
async function decision(keys: string[]): Promise<string> {
  const tables = replicatedTables(records, taskNames, keys);
  const options: CurveOptions = { maxGroupSize: defaultMaxGroupSize(taskNames.length), level: 0.95 };
  const held = await heldOutValidationTotals(tables.validation, options);
  const { budget } = chooseBudget(held.evidence, held.scheme);
  const [point] = await replicatedBudgetCurve(tables.validation, tables.test, { ...options, budgets: [budget] });
  const { groups, assignment } = point.selection;
  return groups
    .map((g, k) => {
      const serves = g.filter((t) => assignment[t] === k);
      return `{${g.map((t) => (serves.includes(t) ? taskNames[t] : `(${taskNames[t]})`)).join(' ')}}`;
    })
    .sort()
    .join(' ');
}

interface Row {
  seeds: number;
  reliability: number;
  low: number;
  decision?: string;
}
const rows: Row[] = [];
const started = performance.now();
for (let n = from; n <= seeds.length; n++) {
  const keys = replicationsOf(config.split, seeds.slice(0, n)).map((r) => r.key);
  const replicates = replicatesFromRecords(records, taskNames.length, keys);
  const bound = reliabilityBoundOf(estimateAffinity(taskNames, replicates, 0.95), confidence);
  const decide = (n <= sparseAfter ? (n - from) % every === 0 : n % 10 === 0) || n === seeds.length;
  rows.push({
    seeds: n,
    reliability: bound.reliability,
    low: bound.low,
    decision: decide ? await decision(keys) : undefined,
  });
  process.stderr.write(`\r${n}/${seeds.length} seeds`);
}
process.stderr.write('\n');

const firstCrossing = rows.find((r) => r.reliability >= target);
const lowerBound = rows.find((r) => r.low >= target);
const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');
process.stdout.write(
  `${folder}: ${taskNames.length} tasks, seeds ${from}..${seeds.length}, target ${target}, lower bound at one-sided ${confidence} (jackknife over seeds); load ${loadavg()[0].toFixed(1)}; ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
);
process.stdout.write('seeds  reliability  lower bound  decision (changed: *)\n');
let previous: string | undefined;
for (const r of rows) {
  const changed = r.decision !== undefined && previous !== undefined && r.decision !== previous;
  process.stdout.write(
    `${String(r.seeds).padStart(5)}  ${fmt(r.reliability).padStart(11)}  ${fmt(r.low).padStart(11)}  ${r.decision === undefined ? '' : `${changed ? '*' : ' '} ${r.decision}`}\n`,
  );
  if (r.decision !== undefined) previous = r.decision;
}

/** How often the decision changed between consecutive decided seed counts in [start, end], and how many it compared. */
function changes(start: number, end: number): { changed: number; compared: number } {
  const decided = rows.filter((r) => r.decision !== undefined && r.seeds >= start && r.seeds <= end);
  let changed = 0;
  for (let k = 1; k < decided.length; k++) if (decided[k].decision !== decided[k - 1].decision) changed++;
  return { changed, compared: Math.max(0, decided.length - 1) };
}
const last = rows[rows.length - 1];
const decisionAt = (n: number): string | undefined =>
  [...rows].reverse().find((r) => r.seeds <= n && r.decision !== undefined)?.decision;
for (const [rule, stop] of [
  ['first crossing (the old rule)', firstCrossing],
  [`lower bound >= target (the new rule)`, lowerBound],
] as const) {
  if (!stop) {
    process.stdout.write(`${rule}: not reached within ${last.seeds} seeds\n`);
    continue;
  }
  const before = changes(from, stop.seeds);
  const after = changes(stop.seeds, last.seeds);
  process.stdout.write(
    `${rule}: stops at ${stop.seeds} seeds (reliability ${fmt(stop.reliability)}, lower bound ${fmt(stop.low)}); the decision changed ${before.changed} times in ${before.compared} seed additions up to it, ${after.changed} in ${after.compared} after it up to ${last.seeds}; at the stop it ${decisionAt(stop.seeds) === last.decision ? 'equals' : 'differs from'} the decision on all ${last.seeds} seeds\n`,
  );
}
