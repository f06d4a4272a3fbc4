import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { claimOutputFolder } from '../report/outputFolder.js';
import { join } from 'node:path';
import type { Matrix } from '../affinity/gain.js';
import { agreement, type Agreement } from '../affinity/proxies/agreement.js';
import { labelCorrelation, labelMutualInformation } from '../affinity/proxies/labels.js';
import { DEFAULT_LOOKAHEAD_STEP, oneRunProxies, type LookaheadStep } from '../affinity/proxies/lookahead.js';
import { isNullControlName } from '../data/controls.js';
import { InputError } from '../data/errors.js';
import { prepareSplit, splitFor } from '../data/split.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import { loadSpecDataset, type AnalysisSpec } from './spec.js';
import { refreshReport } from '../report/html/index.js';
import { writeJson } from '../report/json.js';
import { journalPathOf } from './pairwise.js';
import { readJournal } from '../sweep/journal.js';
import { meanLossTable, replicatedTables } from '../grouping/replicated.js';
import { pairGainMatrix } from '../grouping/pairGain.js';
import { defaultMaxGroupSize, replicatedBudgetCurve } from '../grouping/curve.js';
import { reliabilityOverSeeds } from '../affinity/reliability.js';
import { groupingFromMatrix, halfVsHalfGroupingAri, type MatrixGrouping } from '../grouping/matrixGrouping.js';

export interface ProxyResult {
  proxy: string;
  matrix: Matrix;
  seconds: number;
  agreement?: Agreement;
  /** Its average-linkage groupings priced with the sweep's losses (when the sweep's journal is at hand). */
  grouping?: MatrixGrouping;
}

/** The sweep's own groupings, for scale: what exact selection and clustering of the full matrix achieve. */
export interface TruthGrouping {
  budgets: number[];
  sweepMatrix: MatrixGrouping;
  /** ARI of the groupings of two disjoint halves of the replications: a proxy cannot be expected to do better. */
  halfVsHalfAri: number;
}

export interface ProxiesOutcome {
  taskNames: string[];
  backend: BackendName;
  proxies: ProxyResult[];
  /** Of the full sweep the proxies are compared with: its cost and its own seed noise, for scale. */
  truth?: { dir: string; sweepSeconds: number; halfCorrelation: number; reliability: number; grouping?: TruthGrouping };
  probes: number;
  /** How the TAG lookahead was taken (its step, the /lr normalisation, the probes kept). */
  lookaheadMethod: string;
  file: string;
}

interface TruthFile {
  taskNames: string[];
  replications: string[];
  perReplication: Matrix[];
  level: number;
  mean: Matrix;
  provenance: { sweepSeconds: number };
  reliability: { halfCorrelation: number | null; reliability: number | null };
}

function readTruth(dir: string, taskNames: string[]): TruthFile {
  const path = join(dir, 'affinity.json');
  let truth: TruthFile;
  try {
    truth = JSON.parse(readFileSync(path, 'utf8')) as TruthFile;
  } catch (error) {
    throw new InputError(`--truth: cannot read ${path} (${(error as Error).message}); run a pairwise sweep into that folder first`);
  }
  const T = taskNames.length;
  const controlsOnly = truth.taskNames.slice(T).every(isNullControlName);
  if (truth.taskNames.slice(0, T).join('\u0000') !== taskNames.join('\u0000') || !controlsOnly)
    throw new InputError(`--truth: ${path} covers other tasks (${truth.taskNames.join(', ')})`);
  if (truth.taskNames.length === T) return truth;
  // a sweep with null controls: the proxies estimate the real tasks' block of its matrices
  const realBlock = (m: Matrix): Matrix => m.slice(0, T).map((row) => row.slice(0, T));
  const perReplication = truth.perReplication.map(realBlock);
  const reliability = reliabilityOverSeeds(perReplication, truth.replications);
  return { ...truth, taskNames, mean: realBlock(truth.mean), perReplication, reliability };
}

/**
 * Estimates the task-affinity matrix cheaply (one all-task run for lookahead and gradient cosine; the labels alone for
 * correlation and mutual information) and, given a full sweep's folder, how well each estimate agrees with it.
 */
export async function runProxies(spec: AnalysisSpec, truthDir?: string, every = 10, lookaheadStep: LookaheadStep = DEFAULT_LOOKAHEAD_STEP): Promise<ProxiesOutcome> {
  const dataset = loadSpecDataset(spec);
  const split = splitFor(spec.split, dataset.rows, 0, 0);
  const steps = Math.ceil(split.train.length / spec.engine.batchSize) * spec.engine.epochs;
  if (every > steps) throw new InputError(`--every ${every}: the all-task run takes only ${steps} steps, so it would keep no probe; choose at most ${steps}`);
  const truth = truthDir ? readTruth(truthDir, dataset.taskNames) : undefined;
  claimOutputFolder(spec.out);
  const backend = await selectBackend(spec.backend);
  const timed = <T>(f: () => T): [T, number] => {
    const start = performance.now();
    const value = f();
    return [value, (performance.now() - start) / 1000];
  };
  const data = prepareSplit(dataset, split);
  const [oneRun, oneRunSeconds] = timed(() => oneRunProxies(data, dataset.taskKinds, spec.engine, 0, every, lookaheadStep));
  // Without a probe the lookahead and cosine matrices would be all zeros, and every comparison with them meaningless.
  if (oneRun.probes === 0)
    throw new InputError(`--every ${every}: no probe fell within the ${oneRun.bestEpoch} epoch(s) model selection kept; choose a smaller --every`);
  const [correlation, correlationSeconds] = timed(() => labelCorrelation(dataset));
  const [information, informationSeconds] = timed(() => labelMutualInformation(dataset));
  const proxies: ProxyResult[] = [
    { proxy: 'lookahead (TAG)', matrix: oneRun.lookahead, seconds: oneRunSeconds },
    { proxy: 'gradient cosine', matrix: oneRun.gradientCosine, seconds: oneRunSeconds },
    { proxy: 'label correlation', matrix: correlation, seconds: correlationSeconds },
    { proxy: 'label mutual information', matrix: information, seconds: informationSeconds },
  ].map((p) => (truth ? { ...p, agreement: agreement(p.proxy, p.matrix, truth.mean) } : p));
  const truthGrouping = truth && truthDir ? await groupingAgainstSweep(truth, truthDir, proxies) : undefined;
  const file = join(spec.out, 'proxies.json');
  mkdirSync(spec.out, { recursive: true });
  const truthSummary = truth && truthDir
    ? { dir: truthDir, sweepSeconds: truth.provenance.sweepSeconds, halfCorrelation: truth.reliability.halfCorrelation ?? NaN, reliability: truth.reliability.reliability ?? NaN, grouping: truthGrouping }
    : undefined;
  const outcome = { taskNames: dataset.taskNames, backend, proxies, truth: truthSummary, probes: oneRun.probes, lookaheadMethod: oneRun.method, file };
  writeJson(file, { ...outcome, conflict: oneRun.conflict });
  refreshReport(spec.out);
  return outcome;
}

/**
 * Prices the grouping each proxy induces with the sweep's measured losses, against exact selection, at every budget
 * from 2 to T − 1 (budgets 1 and T have a single partition). Needs the sweep's journal; adds `grouping` to each proxy.
 */
async function groupingAgainstSweep(truth: TruthFile, truthDir: string, proxies: ProxyResult[]): Promise<TruthGrouping | undefined> {
  const path = journalPathOf(truthDir);
  const T = truth.taskNames.length;
  if (!existsSync(path) || T < 3) return undefined;
  const { test, validation } = replicatedTables(readJournal(path).records, truth.taskNames, truth.replications);
  const budgets = Array.from({ length: T - 2 }, (_, b) => b + 2);
  const curve = await replicatedBudgetCurve(validation, test, { budgets, maxGroupSize: defaultMaxGroupSize(T), level: truth.level });
  for (const p of proxies) p.grouping = groupingFromMatrix(p.matrix, test, curve, truth.level);
  return {
    budgets,
    // the sweep's own reference groups by its validation gains, like every choice, and is scored on test
    sweepMatrix: groupingFromMatrix(pairGainMatrix(meanLossTable(validation)), test, curve, truth.level) as MatrixGrouping,
    halfVsHalfAri: halfVsHalfGroupingAri(truth.perReplication, truth.replications, budgets),
  };
}
