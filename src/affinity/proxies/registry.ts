import type { z } from 'zod';
import type { Dataset } from '../../data/dataset.js';
import type { PreparedSplit } from '../../data/split.js';
import { InputError } from '../../data/errors.js';
import type { EngineSettings } from '../../engine/settings.js';
import {
  flagName,
  groupSchema,
  type GroupValues,
  integer,
  oneOf,
  type OptionGroup,
  withDefault,
} from '../../options/option.js';
import type { CheaperRoute } from '../../sweep/planner.js';
import type { Matrix } from '../gain.js';
import { labelCorrelation, labelMutualInformation } from './labels.js';

/** What every proxy gets: the data set, one seeded split of it (seed 0) and the engine settings. */
export interface ProxyContext {
  dataset: Dataset;
  data: PreparedSplit;
  settings: EngineSettings;
  /** Runs shared by several proxies (the one all-task run of lookahead and gradient cosine), computed once. */
  shared: Map<string, { value: unknown; seconds: number }>;
}

/** A context with nothing computed yet. */
export const proxyContext = (dataset: Dataset, data: PreparedSplit, settings: EngineSettings): ProxyContext => ({
  dataset,
  data,
  settings,
  shared: new Map(),
});

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
  /** One line for the terminal under the table (how it was computed), when there is something to say. */
  note?: string;
}

/**
 * One proxy: an id for flags, a label for tables, the paper it computes, its own options (flags of `tra proxies`,
 * declared here with it) and the estimator, which loads its implementation when it runs.
 */
export interface ProxyDefinition<G extends OptionGroup = OptionGroup> {
  id: string;
  label: string;
  reference: string;
  options?: G;
  estimate: (context: ProxyContext, options: GroupValues<G>) => ProxyEstimate | Promise<ProxyEstimate>;
  /**
   * For proxies that scale to hundreds of tasks: their cost, which the planner offers as a cheaper route than a large
   * sweep. Their error is measured, never written here: on other data by `npm run bench:estimators` (docs/BENCHMARKS.md
   * "Proxies at scale"), on the user's own by `tra proxies --truth` against the networks trained so far.
   */
  atScale?: { cost: string };
}

/** A registry entry, its options' types checked against its estimator, then stored like every other. */
const proxy = <G extends OptionGroup>(definition: ProxyDefinition<G>): ProxyDefinition =>
  definition as unknown as ProxyDefinition;

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

/**
 * The options of the one all-task run that lookahead and gradient cosine share (declared once for both).
 * `lookaheadStep` default `adam`: TAG's lookahead is "the update the training optimizer would make"; here that
 * optimizer is Adam. A plain SGD step at Adam's learning rate (1e-3) moves the weights so little that the loss change
 * sits near float32 rounding, while Adam's step is the one training actually takes.
 */
export const ALL_TASK_RUN_OPTIONS = {
  every: withDefault({
    flag: 'every',
    placeholder: 'steps',
    help: 'lookahead, cosine: probe the all-task network every this many steps',
    unit: 'steps',
    kind: integer(1, 1_000_000),
    default: 10,
  }),
  lookaheadStep: withDefault({
    flag: 'lookahead-step',
    placeholder: 'kind',
    help: "lookahead: its step, 'adam' (the training optimizer's own step) or 'sgd' (plain SGD at the learning rate, as TAG's code)",
    kind: oneOf(['adam', 'sgd']),
    default: 'adam',
  }),
};
export type AllTaskRunOptions = GroupValues<typeof ALL_TASK_RUN_OPTIONS>;
export type LookaheadStep = z.output<typeof ALL_TASK_RUN_OPTIONS.lookaheadStep.schema>;

const allTaskRun = async (context: ProxyContext, options: AllTaskRunOptions) =>
  (await import('./lookahead.js')).allTaskRun(context, options);

/** Every proxy the toolkit offers, cheapest last. A new proxy is one module plus one entry here (with its options). */
export const PROXIES: readonly ProxyDefinition[] = [
  proxy({
    id: 'linearised',
    label: 'linearised gradients',
    reference: 'Li, Sharma, Zhang, KDD 2024 (Grad-TAE)',
    estimate: async (context) =>
      (await import('./linearised.js')).linearisedGradientEstimate(
        context.data,
        context.dataset.taskKinds,
        context.settings,
      ),
    atScale: {
      cost: 'one all-task network and a linear solve per pair',
    },
  }),
  proxy({
    id: 'surrogate',
    label: 'sampled-subset surrogate',
    reference: 'Li, Nguyen, Zhang, TMLR 2023; Li et al., KDD 2023',
    estimate: async (context) =>
      (await import('./surrogate.js')).sampledSubsetSurrogate(
        context.data,
        context.dataset.taskKinds,
        context.settings,
      ),
    atScale: {
      cost: 'about 6·T²/s² networks of s = T/4 tasks',
    },
  }),
  proxy({
    id: 'lookahead',
    label: 'lookahead (TAG)',
    reference: 'Fifty et al., NeurIPS 2021',
    options: ALL_TASK_RUN_OPTIONS,
    estimate: async (context, options) => {
      const run = await allTaskRun(context, options);
      return {
        matrix: run.value.lookahead,
        sharedSeconds: run.seconds,
        networksTrained: 1,
        details: { probes: run.value.probes, method: run.value.method, conflict: run.value.conflict },
        note: `${run.value.method} (${run.value.probes} lookahead probes kept)`,
      };
    },
  }),
  proxy({
    id: 'cosine',
    label: 'gradient cosine',
    reference: 'Yu et al., NeurIPS 2020 (PCGrad conflict); Fifty et al. 2021',
    options: ALL_TASK_RUN_OPTIONS,
    estimate: async (context, options) => {
      const run = await allTaskRun(context, options);
      return { matrix: run.value.gradientCosine, sharedSeconds: run.seconds, networksTrained: 1 };
    },
    atScale: {
      cost: 'one all-task network',
    },
  }),
  proxy({
    id: 'correlation',
    label: 'label correlation',
    reference: '|Pearson| of the task columns',
    estimate: (context) => ({ matrix: labelCorrelation(context.dataset), networksTrained: 0 }),
  }),
  proxy({
    id: 'mutual-information',
    label: 'label mutual information',
    reference: 'mutual information of binary task columns',
    estimate: (context) => ({ matrix: labelMutualInformation(context.dataset), networksTrained: 0 }),
  }),
];

/**
 * The proxies' own options, gathered from the registry: the flags of `tra proxies` beyond its own. Two proxies may
 * share an option only by sharing its declaration (lookahead and cosine share the all-task run's).
 */
export const PROXY_OPTIONS: OptionGroup = (() => {
  const gathered: OptionGroup = {};
  for (const { id, options = {} } of PROXIES)
    for (const [key, option] of Object.entries(options)) {
      const other = gathered[key];
      if (other && other !== option)
        throw new Error(`proxy ${id} declares ${flagName(option)}, which another proxy declares differently`);
      gathered[key] = option;
    }
  return gathered;
})();

/** A proxy's estimate with its own options (their declared defaults where not given). */
export async function runProxy(
  definition: ProxyDefinition,
  context: ProxyContext,
  given: Record<string, unknown> = {},
): Promise<ProxyEstimate> {
  const options = definition.options ?? {};
  const own = Object.fromEntries(Object.keys(options).flatMap((key) => (key in given ? [[key, given[key]]] : [])));
  return definition.estimate(context, groupSchema(options).parse(own));
}

/** The proxies that scale, as the planner's cheaper routes than a large sweep (their cost; their error is measured, see atScale). */
export const cheaperRoutes = (): CheaperRoute[] =>
  PROXIES.flatMap((p) =>
    p.atScale
      ? [{ kind: 'proxy' as const, route: `tra proxies <definition> --proxies ${p.id}`, proxy: p.id, ...p.atScale }]
      : [],
  );

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
