import { existsSync } from 'node:fs';
import { claimOutputFolder } from '../sweep/outputFolder.js';
import { join } from 'node:path';
import type { Matrix } from '../affinity/gain.js';
import { agreement, type Agreement } from '../affinity/proxies/agreement.js';
import type { z } from 'zod';
import { parseOptions } from '../options/option.js';
import { proxiesSchema } from '../options/proxies.js';
import { PROXY_OPTIONS, proxyContext, runProxy, selectProxies } from '../affinity/proxies/registry.js';
import { groupSchema } from '../options/option.js';
import { impliedGrouping, type ImpliedGrouping } from '../grouping/impliedGrouping.js';
import { AFFINITY_FILES, readAffinity, type AffinityArtefact } from '../artefacts/affinity.js';
import type { ProxyEntry } from '../artefacts/proxies.js';
import { isNullControlName } from '../data/controls.js';
import type { Dataset } from '../data/dataset.js';
import { InputError } from '../data/errors.js';
import { prepareSplit, splitFor } from '../data/split.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import { builtInModelOnly, loadSpecDataset, type AnalysisSpec } from './spec.js';
import type { Decided } from './write.js';
import { type Provenance, provenanceOf } from '../report/provenance.js';
import { isCommandConfig, isImportedConfig, sweepConfig, taskNamesOf } from '../sweep/config.js';
import { journalPathOf } from './pairwise.js';
import { readJournal, type NetworkRecord } from '../sweep/journal.js';
import { meanLossTable, replicatedTables } from '../grouping/replicated.js';
import { pairGainMatrix } from '../grouping/pairGain.js';
import { defaultMaxGroupSize, replicatedBudgetCurve } from '../grouping/curve.js';
import { reliabilityOverSeeds } from '../affinity/reliability.js';
import { groupingFromMatrix, halfVsHalfGroupingAri, type MatrixGrouping } from '../grouping/matrixGrouping.js';
import { type GainPrediction, predictUntrainedPairs } from '../affinity/predictor/predict.js';

/** One proxy's outcome: what its files record (the registry's label and id, matrix, cost, deviation), in full. */
export interface ProxyResult extends ProxyEntry {
  id: string;
  reference: string;
  matrix: Matrix;
  seconds: number;
  networksTrained: number;
  /** The grouping the estimate implies on its own (no loss of any network involved); with predicted losses when the proxy models subsets. */
  implied?: ImpliedGrouping & { predictedLoss?: number[][] };
  agreement?: Agreement;
  /** One line for the terminal (how it was computed). */
  note?: string;
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

export interface ProxiesOutcome extends Decided {
  taskNames: string[];
  backend: BackendName;
  /** How the estimates were made: the effective engine and split (hashed as a sweep's are), data, machine. */
  provenance: Provenance;
  /** What the estimates depend on beyond the configuration: the proxies run, their own options, the split's seed. */
  settings: { proxies: string[]; options: Record<string, unknown>; seed: number; fold: number };
  proxies: ProxyResult[];
  /** Why the definition's own sweep was not compared with (trained with other settings than these estimates). */
  notCompared?: string;
  /** Of the full sweep the proxies are compared with: its cost and its own seed noise, for scale. */
  truth?: { dir: string; sweepSeconds: number; halfCorrelation: number; reliability: number; grouping?: TruthGrouping };
  /** With --predict: the gains of the pairs that folder's sweep did not train, predicted from those it did. */
  predictor?: GainPrediction & { dir: string };
}

/** `tra proxies`' options (declared in src/options/proxies.ts); absent ones take their declared defaults. */
export type ProxiesOptions = Omit<z.input<typeof proxiesSchema>, 'truth'> & {
  /** The proxies' own options (declared with each proxy in the registry), e.g. `every`. */
  [proxyOption: string]: unknown;
  /** Folder of a finished pairwise sweep to compare with; `required` makes its absence an error (an explicit --truth). */
  truth?: { dir: string; required: boolean };
  /** Progress lines on stderr; a library call is silent unless it asks for them. */
  progress?: boolean;
};

/** The fields of a sweep's affinity.json the comparison needs (a bare matrix cannot be compared per seed). */
type Truth = AffinityArtefact & {
  taskNames: string[];
  replications: string[];
  perReplication: Matrix[];
  level: number;
  mean: Matrix;
};

function readTruth(dir: string, dataset: Dataset): Truth {
  const { taskNames } = dataset;
  const path = join(dir, AFFINITY_FILES.json);
  let file: AffinityArtefact;
  try {
    file = readAffinity(path);
  } catch (error) {
    throw new InputError(`--truth: ${(error as Error).message}; run a pairwise sweep into that folder first`);
  }
  checkTruthData(path, file, dataset);
  const { replications, perReplication, level } = file;
  if (!replications || !perReplication || level === undefined)
    throw new InputError(
      `--truth: ${path} has no per-replication matrices (replications, perReplication, level): not a sweep's affinity.json`,
    );
  // an undefined cell (written as null) stays undefined: NaN, as the sweep computed it
  const numbers = (m: (number | null)[][]): Matrix => m.map((row) => row.map((x) => x ?? NaN));
  const truth = { ...file, replications, perReplication: perReplication.map(numbers), level, mean: numbers(file.mean) };
  const T = taskNames.length;
  const controlsOnly = truth.taskNames.slice(T).every(isNullControlName);
  if (truth.taskNames.slice(0, T).join('\u0000') !== taskNames.join('\u0000') || !controlsOnly)
    throw new InputError(`--truth: ${path} covers other tasks (${truth.taskNames.join(', ')})`);
  if (truth.taskNames.length === T) return truth;
  // a sweep with null controls: the proxies estimate the real tasks' block of its matrices
  const realBlock = (m: Matrix): Matrix => m.slice(0, T).map((row) => row.slice(0, T));
  const block = truth.perReplication.map(realBlock);
  return {
    ...truth,
    taskNames,
    mean: realBlock(truth.mean),
    perReplication: block,
    reliability: reliabilityOverSeeds(block, truth.replications),
  };
}

/** The proxies train on one replication of the definition's split: its first seed's first fold. */
const SEED = 0;
const FOLD = 0;

/**
 * A sweep is a truth for these proxies only when it measured the same data (its provenance's sha256) with the same
 * settings (its journal's engine and split): the same task names on other data, or another network, would compare
 * unlike things without a word. Other data is refused here; other settings are for the caller to weigh
 * (settingsDifference).
 */
function checkTruthData(path: string, file: AffinityArtefact, dataset: Dataset): void {
  const sha256 = file.provenance?.data?.sha256;
  if (sha256 === undefined)
    throw new InputError(
      `--truth: ${path} does not say which data it was computed from (provenance.data.sha256); give the folder of a sweep tra ran`,
    );
  if (sha256 !== dataset.sha256)
    throw new InputError(
      `--truth: ${path} was computed from other data (sha256 ${sha256.slice(0, 12)}; ${dataset.source} is ${dataset.sha256.slice(0, 12)}); give the sweep of this data set`,
    );
}

/** How the sweep in `dir` was trained differently from `spec` (engine, split), or undefined when alike. */
function settingsDifference(dir: string, spec: AnalysisSpec): string | undefined {
  const journalPath = journalPathOf(dir);
  if (!existsSync(journalPath)) return undefined;
  const config = readJournal(journalPath).header.config;
  // an import's and a command's settings are not tra's engine: the data check is what can be compared
  if (isImportedConfig(config) || isCommandConfig(config)) return undefined;
  const stable = (value: unknown): string =>
    JSON.stringify(value, (_key, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
    );
  const differ = (['engine', 'split'] as const).filter((key) => stable(config[key]) !== stable(spec[key]));
  return differ.length > 0
    ? `the sweep in ${dir} was trained with other settings (${differ.map((key) => `${key} ${stable(config[key])}, here ${stable(spec[key])}`).join('; ')})`
    : undefined;
}

/**
 * Estimates the task-affinity matrix cheaply with every selected proxy of the registry, writes each estimate and the
 * grouping it implies, and, given a full sweep's folder, how well each estimate agrees with it. Runs on any data set.
 */
export async function runProxies(spec: AnalysisSpec, given: ProxiesOptions = {}): Promise<ProxiesOutcome> {
  builtInModelOnly(spec, 'tra proxies');
  const { truth: truthOption, progress, proxies: ids, predict, ...own } = given;
  const options = { ...parseOptions(proxiesSchema, { proxies: ids, predict }, 'proxies options'), truth: truthOption };
  const proxyOptions = parseOptions(groupSchema(PROXY_OPTIONS), own, 'proxies options');
  const definitions = selectProxies(options.proxies);
  const dataset = loadSpecDataset(spec);
  const truthDir =
    options.truth && (options.truth.required || existsSync(join(options.truth.dir, 'affinity.json')))
      ? options.truth.dir
      : undefined;
  // --truth named by the user must match; the definition's own folder trained with other settings (a flag such as
  // --epochs overriding the definition) is not compared with, and the outcome says so
  const unlike = truthDir ? settingsDifference(truthDir, spec) : undefined;
  if (unlike && options.truth?.required)
    throw new InputError(`--truth: ${unlike}; run tra proxies with the sweep's definition`);
  const truth = truthDir && !unlike ? readTruth(truthDir, dataset) : undefined;
  const trainedSoFar = options.predict === undefined ? undefined : readTrainedSoFar(options.predict, spec, dataset);
  claimOutputFolder(spec.out);
  const backend = await selectBackend(spec.backend);
  const split = splitFor(spec.split, dataset.rows, SEED, FOLD);
  const context = proxyContext(dataset, prepareSplit(dataset, split), spec.engine);
  const proxies: ProxyResult[] = [];
  for (const definition of definitions) {
    const start = performance.now();
    const estimate = await runProxy(definition, context, proxyOptions);
    const seconds = Math.max((performance.now() - start) / 1000, estimate.sharedSeconds ?? 0);
    if (progress) process.stderr.write(`${definition.label}: ${seconds.toFixed(1)} s\n`);
    const implied = impliedGrouping(estimate.matrix);
    const { subsetLoss } = estimate;
    proxies.push({
      proxy: definition.label,
      id: definition.id,
      reference: definition.reference,
      matrix: estimate.matrix,
      seconds,
      networksTrained: estimate.networksTrained,
      deviation: estimate.deviation,
      details: estimate.details,
      implied:
        implied && subsetLoss ? { ...implied, predictedLoss: implied.groups.map((g) => subsetLoss(g)) } : implied,
      agreement: truth ? agreement(definition.label, estimate.matrix, truth.mean) : undefined,
      note: estimate.note,
    });
  }
  const truthGrouping = truth && truthDir ? await groupingAgainstSweep(truth, truthDir, proxies) : undefined;
  const truthSummary =
    truth && truthDir
      ? {
          dir: truthDir,
          sweepSeconds: truth.provenance?.sweepSeconds ?? NaN,
          halfCorrelation: truth.reliability?.halfCorrelation ?? NaN,
          reliability: truth.reliability?.reliability ?? NaN,
          grouping: truthGrouping,
        }
      : undefined;
  const provenance = provenanceOf(
    sweepConfig(dataset, spec.engine, spec.split),
    [backend],
    proxies.reduce((total, p) => total + p.seconds, 0),
  );
  const settings = { proxies: proxies.map((p) => p.id), options: proxyOptions, seed: SEED, fold: FOLD };
  const predictor = trainedSoFar && {
    dir: options.predict as string,
    ...predictUntrainedPairs(
      trainedSoFar,
      dataset.taskNames.length,
      proxies.map((p) => ({ id: p.id, label: p.proxy, matrix: p.matrix })),
    ),
  };
  const artefact = {
    provenance,
    settings,
    taskNames: dataset.taskNames,
    backend,
    proxies,
    truth: truthSummary,
    ...(predictor ? { predictor } : {}),
  };
  return {
    ...artefact,
    ...(unlike ? { notCompared: `${unlike}: not compared with it` } : {}),
    out: spec.out,
    artefacts: { proxies: artefact },
  };
}

/**
 * The networks a sweep folder trained so far, for the gain predictor: the folder must hold a journal of the same data
 * and engine settings (a sweep tra ran, an import or a command's sweep) with at least 3 pairs and every single.
 */
function readTrainedSoFar(dir: string, spec: AnalysisSpec, dataset: Dataset): NetworkRecord[] {
  const path = journalPathOf(dir);
  if (!existsSync(path))
    throw new InputError(`--predict: ${dir} holds no journal (journal.jsonl): run a sweep into it first`);
  const unlike = settingsDifference(dir, spec);
  if (unlike) throw new InputError(`--predict: ${unlike}; run tra proxies with the sweep's definition`);
  const journal = readJournal(path);
  const { config } = journal.header;
  if ('data' in config && config.data.sha256 !== dataset.sha256)
    throw new InputError(
      `--predict: ${path} was trained on other data (sha256 ${config.data.sha256.slice(0, 12)}; ${dataset.source} is ${dataset.sha256.slice(0, 12)})`,
    );
  if (taskNamesOf(config).join('\u0000') !== dataset.taskNames.join('\u0000'))
    throw new InputError(`--predict: ${path} covers other tasks (${taskNamesOf(config).join(', ')})`);
  const records = [...journal.records.values()];
  const pairs = new Set(records.filter((r) => r.group.length === 2).map((r) => r.group.join('+'))).size;
  if (pairs < 3)
    throw new InputError(`--predict: ${path} holds ${pairs} trained pair(s); the predictor learns from at least 3`);
  return records;
}

/**
 * Prices the grouping each proxy induces with the sweep's measured losses, against exact selection, at every budget
 * from 2 to T − 1 (budgets 1 and T have a single partition). Needs the sweep's journal; adds `grouping` to each proxy.
 */
async function groupingAgainstSweep(
  truth: Truth,
  truthDir: string,
  proxies: ProxyResult[],
): Promise<TruthGrouping | undefined> {
  const path = journalPathOf(truthDir);
  const T = truth.taskNames.length;
  if (!existsSync(path) || T < 3) return undefined;
  const { test, validation } = replicatedTables(readJournal(path).records, truth.taskNames, truth.replications);
  const budgets = Array.from({ length: T - 2 }, (_, b) => b + 2);
  const curve = await replicatedBudgetCurve(validation, test, {
    budgets,
    maxGroupSize: defaultMaxGroupSize(T),
    level: truth.level,
  });
  for (const p of proxies) p.grouping = groupingFromMatrix(p.matrix, test, curve, truth.level);
  return {
    budgets,
    // the sweep's own reference groups by its validation gains, like every choice, and is scored on test
    sweepMatrix: groupingFromMatrix(
      pairGainMatrix(meanLossTable(validation)),
      test,
      curve,
      truth.level,
    ) as MatrixGrouping,
    halfVsHalfAri: halfVsHalfGroupingAri(truth.perReplication, truth.replications, budgets),
  };
}
