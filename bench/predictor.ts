/**
 * The calibrated gain predictor against the proxies on pairs nobody trained. Per data set and repetition: a random
 * share of the pairs (default 30%) trained on the set's full-sweep seeds (drawn from the cached pool, other seeds each
 * repetition) with every single; the predictor learns from their validation gains and the cheap features (every
 * registered proxy, computed once per data set on seed 0's split, and the single-task networks' stopping epochs) and
 * predicts the other pairs. Scored against the reference sweep (40 other seeds, validation losses unless
 * `--reference-loss test`): Spearman over the untrained directed cells for the predictor and for each feature alone,
 * with 95% intervals over repetitions, and the predictor's own cross-validated error next to the measurement noise,
 * and the CPU and wall time of fitting it. Beside
 * the best single feature in hindsight (the highest mean over repetitions against the reference, which no user can
 * know), the comparator a user has without the predictor: per repetition, the single feature with the highest Spearman
 * with the trained gains (as it is, not reversed), scored on the same untrained cells.
 * planted174 (174 tasks, 4,515 of 15,051 pairs trained) has a 5-seed reference and a 3-seed pool (bench/allocation/sets.ts):
 * every repetition trains the same seeds, other pairs. `all` is the five small sets; planted174 and the held-out draws
 * (planted-conflict-b, planted-conflict-c, planted-clusters-b, planted-weak-b) run only when named.
 * usage: node dist/bench/predictor.js [all|yeast,emotions,planted-clusters,planted-conflict,planted-weak,planted174,...]
 *          [--repetitions 10] [--fraction 0.3] [--reference-seeds 40] [--pool-seeds 60] [--reference-loss validation|test]
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CellFeature, fitGainPredictor, type TrainedCell } from '../src/affinity/predictor/fit.js';
import { singleTaskFeatures, trainedCells } from '../src/affinity/predictor/features.js';
import { PROXIES, proxyContext, runProxy } from '../src/affinity/proxies/registry.js';
import { mean, spearman, tInterval } from '../src/affinity/stats.js';
import { permutation, seededRandom } from '../src/data/random.js';
import { holdoutSplit, prepareSplit } from '../src/data/split.js';
import { selectBackend } from '../src/engine/backend.js';
import { testLossOf, validationLossOf } from '../src/sweep/journal.js';
import type { NetworkRecord } from '../src/sweep/record.js';
import { type BenchSet, benchSets, cachedSweep } from './allocation/sets.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'all';
const repetitions = Number(flag('--repetitions', '10'));
const fraction = Number(flag('--fraction', '0.3'));
const referenceSeeds = Number(flag('--reference-seeds', '40'));
const poolSize = Number(flag('--pool-seeds', '60'));
// the reference measures what the predictor predicts (validation gains, what choices are made on) unless told otherwise
const referenceLoss = flag('--reference-loss', 'validation');
const load = (): string =>
  execSync('uptime')
    .toString()
    .trim()
    .replace(/^.*load/, 'load');
const pairsAndCells = (pairs: number): string => `${pairs} trained pairs (${2 * pairs} cells)`;
const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const interval = (values: number[], digits = 2): string => {
  const t = tInterval(values, 0.95);
  return `${fmt(t.mean, digits)} [${fmt(t.low, digits)}, ${fmt(t.high, digits)}]`;
};

/** Every registered proxy on seed 0's split, cached beside the set's journal (computed once). */
async function proxyFeatures(set: BenchSet, journalPath: string): Promise<CellFeature[]> {
  const path = join(dirname(journalPath), 'predictor-proxies.json');
  if (!existsSync(path)) {
    const context = proxyContext(set.dataset, prepareSplit(set.dataset, holdoutSplit(set.dataset.rows, 0)), set.engine);
    const out: CellFeature[] = [];
    for (const proxy of PROXIES) {
      const estimate = await runProxy(proxy, context);
      out.push({ id: proxy.id, label: proxy.label, matrix: estimate.matrix });
    }
    writeFileSync(
      path,
      JSON.stringify(out, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
    );
  }
  return (JSON.parse(readFileSync(path, 'utf8')) as CellFeature[]).map((f) => ({
    ...f,
    matrix: f.matrix.map((row) => row.map((v) => (v === null ? Number.NaN : v))),
  }));
}

const backend = await selectBackend();
process.stdout.write(
  `predictor bench: ${repetitions} repetitions, ${Math.round(fraction * 100)}% of the pairs trained, reference ${referenceSeeds} seeds (${referenceLoss} losses), pool ${poolSize} seeds, backend ${backend}; ${load()}\n`,
);
for (const set of benchSets().filter((s) => (which === 'all' ? !s.onlyWhenNamed : which.split(',').includes(s.name)))) {
  const started = Date.now();
  const cached = await cachedSweep(set, referenceSeeds, poolSize, backend);
  const T = set.dataset.taskNames.length;
  const records = [...cached.records.values()];
  const referenceSet = new Set(cached.referenceSeeds);
  const reference = Array.from({ length: T }, () => new Array<number>(T).fill(Number.NaN));
  for (const c of trainedCells(
    records.filter((r) => referenceSet.has(r.seed)),
    T,
    referenceLoss === 'test' ? testLossOf : validationLossOf,
  ))
    reference[c.i][c.j] = mean(c.gains);
  const proxies = await proxyFeatures(set, cached.journalPath);
  const allPairs: [number, number][] = [];
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) allPairs.push([i, j]);
  const trainedCount = Math.max(3, Math.round(fraction * allPairs.length));
  const rows: {
    predictor: number;
    inSweep: number;
    features: Map<string, number>;
    /** The feature that agrees best with the trained gains, and its Spearman on the untrained cells. */
    chosenId: string;
    chosen: number;
    heldOut: number;
    error: number;
    standsIn: boolean;
    noise: number;
    rmse: number;
    coverage: number;
    reliability: number;
    floored: boolean;
    anti: string[];
    trainedAgreement: Map<string, number>;
  }[] = [];
  let featureLabels: { id: string; label: string }[] = [];
  const fitTimes: { cpu: number; wall: number }[] = [];
  const sweepFits: number[] = [];
  for (let rep = 0; rep < repetitions; rep++) {
    const order = permutation(allPairs.length, seededRandom(rep, 71));
    const trainedPairs = new Set([...order.slice(0, trainedCount)].map((k) => allPairs[k].join('+')));
    const offset = (rep * set.fullSeeds) % cached.poolSeeds.length;
    const seeds = new Set(
      Array.from({ length: set.fullSeeds }, (_, k) => cached.poolSeeds[(offset + k) % cached.poolSeeds.length]),
    );
    const trainedRecords: NetworkRecord[] = records.filter(
      (r) => seeds.has(r.seed) && (r.group.length === 1 || trainedPairs.has(r.group.join('+'))),
    );
    const features = [...proxies, ...singleTaskFeatures(trainedRecords, T)];
    featureLabels = features.map((f) => ({ id: f.id, label: f.label }));
    const cells: TrainedCell[] = trainedCells(trainedRecords, T);
    const [cpuBefore, wallBefore] = [process.cpuUsage(), performance.now()];
    const predictor = fitGainPredictor(T, cells, features, { seed: rep });
    const cpu = process.cpuUsage(cpuBefore);
    fitTimes.push({ cpu: (cpu.user + cpu.system) / 1e6, wall: (performance.now() - wallBefore) / 1000 });
    // as `--allocation predict` uses it in a sweep: no proxies (none are computed there) and one seed
    const firstSeed = cached.poolSeeds[offset];
    const oneSeed = trainedRecords.filter((r) => r.seed === firstSeed);
    const sweepCpuBefore = process.cpuUsage();
    const inSweep = fitGainPredictor(T, trainedCells(oneSeed, T), singleTaskFeatures(oneSeed, T), { seed: rep });
    const sweepCpu = process.cpuUsage(sweepCpuBefore);
    sweepFits.push((sweepCpu.user + sweepCpu.system) / 1e6);
    const untrained: [number, number][] = [];
    for (let i = 0; i < T; i++)
      for (let j = 0; j < T; j++)
        if (i !== j && !trainedPairs.has(`${Math.min(i, j)}+${Math.max(i, j)}`)) untrained.push([i, j]);
    const truth = untrained.map(([i, j]) => reference[i][j]);
    const predicted = untrained.map(([i, j]) => predictor.predict(i, j));
    const agreement = (values: number[]): number => {
      const kept = values.flatMap((v, k) => (Number.isFinite(v) ? [[v, truth[k]]] : []));
      const rho =
        kept.length >= 3
          ? spearman(
              kept.map((p) => p[0]),
              kept.map((p) => p[1]),
            )
          : Number.NaN;
      return Number.isFinite(rho) ? rho : 0;
    };
    const report = predictor.report;
    const featureAgreement = new Map(features.map((f) => [f.id, agreement(untrained.map(([i, j]) => f.matrix[i][j]))]));
    const chosenId = report.features.reduce((a, b) => (b.spearman > a.spearman ? b : a)).id;
    rows.push({
      predictor: agreement(predicted.map((p) => p?.gain ?? Number.NaN)),
      inSweep: agreement(untrained.map(([i, j]) => inSweep.predict(i, j)?.gain ?? Number.NaN)),
      features: featureAgreement,
      chosenId,
      chosen: featureAgreement.get(chosenId) as number,
      heldOut: report.heldOutSpearman,
      error: report.error,
      standsIn: report.standsIn,
      noise: report.noise,
      rmse: report.heldOutRmse,
      // the share of untrained cells whose reference gain lies inside the interval (a measurement of the same seeds
      // is noisier than the reference, so this understates the coverage of a measurement)
      coverage: mean(predicted.map((p, k) => (p && truth[k] >= p.low && truth[k] <= p.high ? 1 : 0))),
      reliability: report.reliability,
      floored: report.slopeFloored,
      anti: report.features.filter((f) => f.verdict === 'anti-correlates').map((f) => f.id),
      trainedAgreement: new Map(report.features.map((f) => [f.id, f.spearman])),
    });
  }
  // what the trained cells can carry: a full sweep of every pair on the same number of seeds, against the reference;
  // and the predictor's form with its feature weights taken from the reference (an oracle no user has)
  const offDiagonal = allPairs.flatMap(([i, j]) => [
    [i, j],
    [j, i],
  ]);
  const fullSweep = tInterval(
    Array.from({ length: repetitions }, (_, rep) => {
      const offset = (rep * set.fullSeeds) % cached.poolSeeds.length;
      const seeds = new Set(
        Array.from({ length: set.fullSeeds }, (_, k) => cached.poolSeeds[(offset + k) % cached.poolSeeds.length]),
      );
      const measured = Array.from({ length: T }, () => new Array<number>(T).fill(Number.NaN));
      for (const c of trainedCells(
        records.filter((r) => seeds.has(r.seed)),
        T,
      ))
        measured[c.i][c.j] = mean(c.gains);
      return spearman(
        offDiagonal.map(([i, j]) => measured[i][j]),
        offDiagonal.map(([i, j]) => reference[i][j]),
      );
    }),
    0.95,
  );
  const lastFeatures = [
    ...proxies,
    ...singleTaskFeatures(
      records.filter((r) => r.seed === cached.poolSeeds[0]),
      T,
    ),
  ];
  const standardised = lastFeatures.map((f) => {
    const values = offDiagonal.map(([i, j]) => f.matrix[i][j]).filter(Number.isFinite);
    const [centre, sd] = [mean(values), Math.sqrt(mean(values.map((v) => (v - mean(values)) ** 2))) || 1];
    return offDiagonal.map(([i, j]) => (Number.isFinite(f.matrix[i][j]) ? (f.matrix[i][j] - centre) / sd : 0));
  });
  const truthAll = offDiagonal.map(([i, j]) => reference[i][j]);
  const oracleWeights = standardised.map((zk) => spearman(zk, truthAll) || 0);
  const oracle = spearman(
    offDiagonal.map((_, c) => standardised.reduce((sum, zk, k) => sum + oracleWeights[k] * zk[c], 0)),
    truthAll,
  );
  const best = featureLabels
    .map((f) => ({ ...f, mean: mean(rows.map((r) => r.features.get(f.id) as number)) }))
    .sort((a, b) => b.mean - a.mean)[0];
  process.stdout.write(
    `\n${set.name}: ${set.what}; ${T} tasks, ${trainedCount} of ${allPairs.length} pairs trained on ${set.fullSeeds} seeds; ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
  );
  process.stdout.write('Spearman with the reference over the untrained directed cells [95% CI over repetitions]\n');
  process.stdout.write(`  predictor: ${interval(rows.map((r) => r.predictor))}\n`);
  process.stdout.write(
    `  predictor as --allocation predict uses it (no proxies, one seed): ${interval(rows.map((r) => r.inSweep))}; its fit ${interval(sweepFits, 3)} s of CPU\n`,
  );
  for (const f of featureLabels)
    process.stdout.write(
      `  ${f.label} alone: ${interval(rows.map((r) => r.features.get(f.id) as number))}; on the trained cells ${interval(rows.map((r) => r.trainedAgreement.get(f.id) as number))}\n`,
    );
  process.stdout.write(
    `  predictor − best single feature in hindsight (${best.label}), paired: ${interval(rows.map((r) => r.predictor - (r.features.get(best.id) as number)))}\n`,
  );
  const chosenCounts = featureLabels
    .map((f) => ({ label: f.label, count: rows.filter((r) => r.chosenId === f.id).length }))
    .filter((f) => f.count > 0)
    .sort((a, b) => b.count - a.count);
  process.stdout.write(
    `  the single feature chosen on the trained cells (${chosenCounts.map((f) => `${f.label} ${f.count}`).join(', ')} of ${rows.length}): ${interval(rows.map((r) => r.chosen))}; predictor − it, paired: ${interval(rows.map((r) => r.predictor - r.chosen))}\n`,
  );
  process.stdout.write(
    `ceiling: a full sweep of every pair on ${set.fullSeeds} seeds agrees with the reference at ${fmt(fullSweep.mean)} [${fmt(fullSweep.low)}, ${fmt(fullSweep.high)}]; the combination with oracle weights (from the reference) at ${fmt(oracle)} over all cells, the best single feature there at ${fmt(Math.max(...oracleWeights))}\n`,
  );
  process.stdout.write(
    `predictor's own cross-validated Spearman over the trained cells (everything refitted per fold): ${interval(rows.map((r) => r.heldOut))}\n` +
      `held-out RMSE ${interval(
        rows.map((r) => r.rmse),
        4,
      )}; error without the noise ${interval(
        rows.map((r) => r.error),
        4,
      )} vs measurement noise (seed-level se) ${interval(
        rows.map((r) => r.noise),
        4,
      )}; stands in (its error's 95% upper bound within the noise, better than the mean, the held-out Spearman's 95% interval above 0) in ${rows.filter((r) => r.standsIn).length} of ${rows.length}\n` +
      `fitting the predictor (its held-out error included) on ${pairsAndCells(trainedCount)}: CPU ${interval(
        fitTimes.map((t) => t.cpu),
        3,
      )} s, wall ${interval(
        fitTimes.map((t) => t.wall),
        3,
      )} s per repetition\n` +
      `90% intervals hold the reference gain in ${interval(rows.map((r) => r.coverage))} of the untrained cells\n` +
      `trained cells' reliability beyond their seed noise ${interval(rows.map((r) => r.reliability))}; slope at its floor (the trained cells show none: ranked by the priors) in ${rows.filter((r) => r.floored).length} of ${rows.length}; reported anti-correlated: ${[...new Set(rows.flatMap((r) => r.anti))].join(', ') || 'none'}\n`,
  );
}
