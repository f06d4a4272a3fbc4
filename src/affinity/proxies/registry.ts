import type { Dataset } from '../../data/dataset.js';
import type { PreparedSplit } from '../../data/split.js';
import { InputError } from '../../data/errors.js';
import type { EngineSettings } from '../../engine/settings.js';
import type { CheaperRoute } from '../../sweep/planner.js';
import type { Matrix } from '../gain.js';
import { labelCorrelation, labelMutualInformation } from './labels.js';
import { PROXIES_OPTIONS } from '../../options/proxies.js';
import { oneRunProxies, type LookaheadStep, type OneRunProxies } from './lookahead.js';
import { sampledSubsetSurrogate } from './surrogate.js';
import { linearisedGradientEstimate } from './linearised.js';

/** What every proxy gets: the data set, one seeded split of it (seed 0) and the engine settings. */
export interface ProxyContext {
  dataset: Dataset;
  data: PreparedSplit;
  settings: EngineSettings;
  /** Lookahead probes every this many steps, with this step. */
  every: number;
  lookaheadStep: LookaheadStep;
  /** Runs shared by several proxies (the one all-task run of lookahead and gradient cosine), computed once. */
  shared: Map<string, { value: unknown; seconds: number }>;
}

/** A context with nothing computed yet; the lookahead's options default to their declarations (src/options/proxies.ts). */
export function proxyContext(
  dataset: Dataset,
  data: PreparedSplit,
  settings: EngineSettings,
  options: { every?: number; lookaheadStep?: LookaheadStep } = {},
): ProxyContext {
  return {
    dataset,
    data,
    settings,
    every: options.every ?? PROXIES_OPTIONS.every.default,
    lookaheadStep: options.lookaheadStep ?? PROXIES_OPTIONS.lookaheadStep.default,
    shared: new Map(),
  };
}

/** A proxy's answer: its estimate of the gain matrix (oriented like it: [i][j] > 0 means j helps i). */
export interface ProxyEstimate {
  matrix: Matrix;
  /** Wall time of a run this proxy shares with another, counted in full for each of them (its own time is measured). */
  sharedSeconds?: number;
  /** Networks (or network-equivalents) trained, for its cost next to a sweep's. */
  networksTrained: number;
  /** Estimated per-task loss of any task subset, when the proxy models subsets (for selection beyond pairs). */
  subsetLoss?: (group: readonly number[]) => number[];
  /** Where the computation departs from the paper it names. */
  deviation?: string;
  /** Extra numbers worth writing next to the matrix (e.g. the surrogate's fit). */
  details?: Record<string, unknown>;
}

/** One proxy: an id for flags, a label for tables, the paper it computes, and the estimator. */
export interface ProxyDefinition {
  id: string;
  label: string;
  reference: string;
  estimate: (context: ProxyContext) => ProxyEstimate;
  /**
   * For proxies that scale to hundreds of tasks: the cost and the error `npm run bench` measured (bench/proxies-accuracy.ts,
   * bench/proxies-planted.ts; docs/BENCHMARKS.md "Proxies at scale"), which the planner offers as a cheaper route than a large sweep.
   */
  atScale?: { cost: string; measured: string };
}

/** Runs `compute` once per context under `key`; later callers get the value and the time it took. */
export function sharedRun<T>(context: ProxyContext, key: string, compute: () => T): { value: T; seconds: number } {
  const cached = context.shared.get(key);
  if (cached) return cached as { value: T; seconds: number };
  const start = performance.now();
  const value = compute();
  const entry = { value, seconds: (performance.now() - start) / 1000 };
  context.shared.set(key, entry);
  return entry;
}

/** The one all-task run of lookahead and cosine; an --every that keeps no probe is an error (all-zero matrices otherwise). */
function allTaskRun(context: ProxyContext): { value: OneRunProxies; seconds: number } {
  const { data, settings, every } = context;
  const steps = Math.ceil(data.train.rows / settings.batchSize) * settings.epochs;
  if (every > steps)
    throw new InputError(
      `--every ${every}: the all-task run takes only ${steps} steps, so it would keep no probe; choose at most ${steps}`,
    );
  const run = sharedRun(context, 'all-task run', () =>
    oneRunProxies(data, context.dataset.taskKinds, settings, 0, every, context.lookaheadStep),
  );
  if (run.value.probes === 0)
    throw new InputError(
      `--every ${every}: no probe fell within the ${run.value.bestEpoch} epoch(s) model selection kept; choose a smaller --every`,
    );
  return run;
}

/** Every proxy the toolkit offers, cheapest last. A new proxy is one module plus one entry here. */
export const PROXIES: readonly ProxyDefinition[] = [
  {
    id: 'linearised',
    label: 'linearised gradients',
    reference: 'Li, Sharma, Zhang, KDD 2024 (Grad-TAE)',
    estimate: (context) => linearisedGradientEstimate(context.data, context.dataset.taskKinds, context.settings),
    atScale: {
      cost: 'one all-task network and a linear solve per pair',
      measured: 'yeast: Spearman 0.18 in 23 s; planted 174 tasks: no cluster found (ARI 0.00)',
    },
  },
  {
    id: 'surrogate',
    label: 'sampled-subset surrogate',
    reference: 'Li, Nguyen, Zhang, TMLR 2023; Li et al., KDD 2023',
    estimate: (context) => sampledSubsetSurrogate(context.data, context.dataset.taskKinds, context.settings),
    atScale: {
      cost: 'about 6·T²/s² networks of s = T/4 tasks',
      measured:
        "yeast: Spearman 0.30 with a 4-seed sweep at 91 of its 420 networks; grouping regret -0.012 (the sweep's own matrix: -0.025)",
    },
  },
  {
    id: 'lookahead',
    label: 'lookahead (TAG)',
    reference: 'Fifty et al., NeurIPS 2021',
    estimate: (context) => {
      const run = allTaskRun(context);
      return {
        matrix: run.value.lookahead,
        sharedSeconds: run.seconds,
        networksTrained: 1,
        details: { probes: run.value.probes, method: run.value.method, conflict: run.value.conflict },
      };
    },
  },
  {
    id: 'cosine',
    label: 'gradient cosine',
    reference: 'Yu et al., NeurIPS 2020 (PCGrad conflict); Fifty et al. 2021',
    estimate: (context) => {
      const run = allTaskRun(context);
      return { matrix: run.value.gradientCosine, sharedSeconds: run.seconds, networksTrained: 1 };
    },
    atScale: {
      cost: 'one all-task network',
      measured:
        'planted 174 tasks: groups at ARI 1.00 in 120 s; yeast: Spearman -0.07 with a 4-seed sweep (its halves agree at 0.19)',
    },
  },
  {
    id: 'correlation',
    label: 'label correlation',
    reference: '|Pearson| of the task columns',
    estimate: (context) => ({ matrix: labelCorrelation(context.dataset), networksTrained: 0 }),
  },
  {
    id: 'mutual-information',
    label: 'label mutual information',
    reference: 'mutual information of binary task columns',
    estimate: (context) => ({ matrix: labelMutualInformation(context.dataset), networksTrained: 0 }),
  },
];

/** The proxies that scale, as the planner's cheaper routes than a large sweep. Numbers, not promises: rerun the bench on your data. */
export const cheaperRoutes = (): CheaperRoute[] =>
  PROXIES.flatMap((p) => (p.atScale ? [{ route: `tra proxies <definition> --proxies ${p.id}`, ...p.atScale }] : []));

/** Parses `--proxies a,b` against the registry; 'all' (the default) is every proxy. */
export function selectProxies(spec = 'all'): ProxyDefinition[] {
  if (spec.trim() === 'all') return [...PROXIES];
  return spec.split(',').map((id) => {
    const found = PROXIES.find((p) => p.id === id.trim());
    if (!found)
      throw new InputError(
        `--proxies: unknown proxy '${id.trim()}' (choose from ${PROXIES.map((p) => p.id).join(', ')}, or all)`,
      );
    return found;
  });
}
