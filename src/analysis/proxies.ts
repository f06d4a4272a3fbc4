import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Matrix } from '../affinity/gain.js';
import { agreement, type Agreement } from '../affinity/proxies/agreement.js';
import { labelCorrelation, labelMutualInformation } from '../affinity/proxies/labels.js';
import { oneRunProxies } from '../affinity/proxies/lookahead.js';
import { InputError } from '../data/errors.js';
import { loadDataset } from '../data/load.js';
import { prepareSplit, splitFor } from '../data/split.js';
import { selectBackend, type BackendName } from '../engine/backend.js';
import type { AnalysisSpec } from './spec.js';

export interface ProxyResult {
  proxy: string;
  matrix: Matrix;
  seconds: number;
  agreement?: Agreement;
}

export interface ProxiesOutcome {
  taskNames: string[];
  backend: BackendName;
  proxies: ProxyResult[];
  /** Of the full sweep the proxies are compared with: its cost and its own seed noise, for scale. */
  truth?: { dir: string; sweepSeconds: number; halfCorrelation: number; reliability: number };
  probes: number;
  file: string;
}

interface TruthFile {
  taskNames: string[];
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
  if (truth.taskNames.join('\u0000') !== taskNames.join('\u0000')) throw new InputError(`--truth: ${path} covers other tasks (${truth.taskNames.join(', ')})`);
  return truth;
}

/**
 * Estimates the task-affinity matrix cheaply (one all-task run for lookahead and gradient cosine; the labels alone for
 * correlation and mutual information) and, given a full sweep's folder, how well each estimate agrees with it.
 */
export async function runProxies(spec: AnalysisSpec, truthDir?: string, every = 10): Promise<ProxiesOutcome> {
  const dataset = loadDataset(spec.data, { tasks: spec.tasks, features: spec.features, taskKind: spec.taskKind });
  const truth = truthDir ? readTruth(truthDir, dataset.taskNames) : undefined;
  const backend = await selectBackend(spec.backend);
  const timed = <T>(f: () => T): [T, number] => {
    const start = performance.now();
    const value = f();
    return [value, (performance.now() - start) / 1000];
  };
  const data = prepareSplit(dataset, splitFor(spec.split, dataset.rows, 0, 0));
  const [oneRun, oneRunSeconds] = timed(() => oneRunProxies(data, dataset.taskKinds, spec.engine, 0, every));
  const [correlation, correlationSeconds] = timed(() => labelCorrelation(dataset));
  const [information, informationSeconds] = timed(() => labelMutualInformation(dataset));
  const proxies: ProxyResult[] = [
    { proxy: 'lookahead (TAG)', matrix: oneRun.lookahead, seconds: oneRunSeconds },
    { proxy: 'gradient cosine', matrix: oneRun.gradientCosine, seconds: oneRunSeconds },
    { proxy: 'label correlation', matrix: correlation, seconds: correlationSeconds },
    { proxy: 'label mutual information', matrix: information, seconds: informationSeconds },
  ].map((p) => (truth ? { ...p, agreement: agreement(p.proxy, p.matrix, truth.mean) } : p));
  const file = join(spec.out, 'proxies.json');
  mkdirSync(spec.out, { recursive: true });
  const truthSummary = truth && truthDir
    ? { dir: truthDir, sweepSeconds: truth.provenance.sweepSeconds, halfCorrelation: truth.reliability.halfCorrelation ?? NaN, reliability: truth.reliability.reliability ?? NaN }
    : undefined;
  const outcome = { taskNames: dataset.taskNames, backend, proxies, truth: truthSummary, probes: oneRun.probes, file };
  writeFileSync(file, JSON.stringify({ ...outcome, conflict: oneRun.conflict }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
  return outcome;
}
