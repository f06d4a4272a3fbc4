import { COMMON_START } from '../../src/engine/start.js';
import type { AffinityFile, GroupingReport, ProxiesReport, ReportInput } from '../../src/report/html/index.js';

export const HOSTILE = '<img src=x onerror=alert(1)>';
export const SCRIPT_BREAKER = '</script><script>alert(1)</script>';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A synthetic affinity.json with T tasks (two of them with hostile names), 2 seeds × 3 folds, inference included. */
export function syntheticAffinity(T = 7): AffinityFile {
  const base = [
    'speech',
    'music',
    HOSTILE,
    'noise-level',
    SCRIPT_BREAKER,
    'tempo & rhythm',
    'valence "quoted"',
    'arousal',
    'genre',
    'mood',
  ];
  const taskNames = Array.from({ length: T }, (_, i) => base[i] ?? `task ${i}`);
  const rand = random(42);
  const cluster = (i: number): number => (i < T / 2 ? 0 : 1);
  const mean = taskNames.map((_, i) =>
    taskNames.map((_, j) => (i === j ? 0 : (cluster(i) === cluster(j) ? 0.03 : -0.025) + (rand() - 0.5) * 0.03)),
  );
  const width = taskNames.map((_, i) => taskNames.map((_, j) => (i === j ? 0 : 0.008 + rand() * 0.03)));
  const low: (number | null)[][] = mean.map((row, i) => row.map((m, j) => (i === j ? 0 : m - width[i][j])));
  const high: (number | null)[][] = mean.map((row, i) => row.map((m, j) => (i === j ? 0 : m + width[i][j])));
  // One interval unknown (as affinity.json writes NaN): drawn as uncertain.
  if (T > 2) {
    low[0][1] = null;
    high[0][1] = null;
  }
  const groupScore = mean.map((row, i) => row.map((m, j) => (i === j ? 0 : (m + mean[j][i]) / 2)));
  const crosses = (i: number, j: number): boolean => {
    const [a, b] = [low[i][j], high[i][j]];
    return a === null || b === null || (a <= 0 && b >= 0);
  };
  const verdict = mean.map((row, i) =>
    row.map((m, j) => (i === j ? null : crosses(i, j) ? 'no evidence' : m > 0 ? 'helps' : 'hurts')),
  );
  const pValue = mean.map((row, i) =>
    row.map((_, j) => (i === j ? null : crosses(i, j) ? 0.2 + rand() * 0.7 : rand() * 0.01)),
  );
  const counts = { helps: 0, hurts: 0, 'no evidence': 0 } as Record<string, number>;
  verdict.flat().forEach((v) => v && counts[v]++);
  const replications = ['s0f0', 's0f1', 's0f2', 's1f0', 's1f1', 's1f2'];
  return {
    provenance: {
      tool: 'task-relations',
      toolVersion: '0.1.0',
      node: 'v20.20.2',
      tfjs: '4.22.0',
      backends: ['wasm'],
      command: `tra run analyses/synthetic.json --tasks '${HOSTILE}'`,
      data: { source: '/data/synthetic.csv', sha256: 'ab'.repeat(32), rows: 1234 },
      configHash: 'cd'.repeat(32),
      createdAt: '2026-01-02T03:04:05.000Z',
      sweepSeconds: 754.2,
      initialisation: COMMON_START,
    },
    data: {
      rows: 1234,
      features: 40,
      tasks: taskNames.map((name, i) => ({
        name,
        kind: i === 3 ? 'regression' : 'binary',
        mean: i === 3 ? 1.7 : 0.2 + i * 0.05,
        sd: 0.4,
        min: 0,
        max: 1,
      })),
    },
    config: { engine: { epochs: 30, hidden: [64, 64] } },
    taskNames,
    replications,
    level: 0.95,
    mean,
    low,
    high,
    groupScore,
    singleLoss: taskNames.map((_, i) => 0.3 + i * 0.02),
    reliability: { halfCorrelation: 0.31, reliability: 0.47, replications: replications.length, splits: 200 },
    inference: { method: 'paired t-test', fdr: 0.05, pValue, verdict, counts },
  };
}

/** `tasks` cut into `n` contiguous groups, the larger first (7 tasks in 2: 4 + 3). */
function chunks(tasks: string[], n: number): string[][] {
  const size = Math.ceil(tasks.length / n);
  return Array.from({ length: Math.min(n, tasks.length) }, (_, k) => tasks.slice(k * size, (k + 1) * size)).filter(
    (g) => g.length,
  );
}

/** A layered taxonomy: the first two tasks are sources; each later task receives from the task two before it. */
function taxonomyEdges(t: string[]): { source: string; target: string; score: number }[] {
  if (t.length === 7)
    return [
      { source: t[0], target: t[2], score: 0.04 },
      { source: t[0], target: t[3], score: 0.02 },
      { source: t[1], target: t[4], score: 0.03 },
      { source: t[2], target: t[5], score: 0.015 },
      { source: t[4], target: t[6], score: 0.01 },
      { source: t[3], target: t[6], score: 0.025 },
    ];
  return t
    .slice(2)
    .flatMap((target, k) => [
      { source: t[k], target, score: 0.01 + ((k * 7) % 5) * 0.006 },
      ...(k % 3 === 1 ? [{ source: t[k - 1], target, score: 0.012 }] : []),
    ]);
}

/** Every optional section filled, so every view is drawn (grouping and proxies in their full object forms); T ≥ 3 tasks. */
export function fullInput(T = 7): ReportInput & { grouping: GroupingReport; proxies: ProxiesReport } {
  const synthetic = syntheticAffinity(T);
  const t = synthetic.taskNames;
  // An adaptive run that reached its target, and one null control (as affinity.json records them).
  const affinity = {
    ...synthetic,
    adaptive: {
      target: 0.7,
      confidence: 0.9,
      reliability: 0.81,
      low: 0.72,
      reached: true,
      reason: 'reached reliability 0.81 (one-sided 0.9 lower bound 0.72) >= 0.7 with 5 seeds',
      seeds: [0, 1, 2, 3, 4],
    },
    nullControls: {
      tasks: [`null: ${t[0]}`],
      bias: { mean: -0.0135, low: -0.0241, high: -0.0029, n: 2 },
      counts: { helps: 0, hurts: 1, 'no evidence': 6 },
      cells: 7,
    },
  };
  return {
    affinity,
    grouping: {
      level: 0.95,
      chosenBudget: {
        budget: 2,
        reason:
          'smallest budget not significantly worse than the best (budget 4): difference 0.03 [-0.01, 0.07] over 6 replications',
      },
      curve: [
        {
          budget: 1,
          predictedLoss: 3.41,
          predictedInterval: { mean: 3.41, low: 3.3, high: 3.52, n: 6 },
          groups: [t.slice()],
          method: 'exact (ILP, HiGHS)',
          status: 'optimal',
          solveSeconds: 0.4,
        },
        {
          budget: 2,
          predictedLoss: 3.22,
          predictedInterval: { mean: 3.22, low: 3.12, high: 3.32, n: 6 },
          groups: chunks(t, 2),
          method: 'exact (ILP, HiGHS)',
          status: 'optimal',
          solveSeconds: 0.2,
          actualLoss: { mean: 3.27, low: 3.2, high: 3.33, n: 6 },
        },
        {
          budget: 3,
          predictedLoss: 3.15,
          predictedInterval: { mean: 3.15, low: null, high: null, n: 1 },
          groups: T === 7 ? [t.slice(0, 2), t.slice(2, 4), t.slice(4)] : chunks(t, 3),
          method: 'exact (ILP, HiGHS)',
        },
        {
          budget: 4,
          predictedLoss: 3.12,
          predictedInterval: { mean: 3.12, low: 3.03, high: 3.21, n: 6 },
          groups: T === 7 ? [t.slice(0, 2), t.slice(2, 4), t.slice(4, 6), t.slice(6)] : chunks(t, 4),
          method: 'ILP stopped at its time limit (best found, not proven optimal)',
          status: 'feasible',
          solveSeconds: 60.1,
        },
      ],
      infeasibleBudgets: [{ budget: 5, status: 'infeasible' }],
      clustering: [
        {
          method: 'louvain',
          budget: 2,
          groups: [t.slice(0, 3), t.slice(3)],
          predicted: { mean: 3.3, low: 3.2, high: 3.4, n: 6 },
          versusSelection: { mean: 0.08, low: 0.02, high: 0.14, n: 6 },
          ari: 0.4,
        },
        {
          method: 'average linkage',
          budget: 2,
          groups: chunks(t, 2),
          predicted: { mean: 3.22, low: 3.12, high: 3.32, n: 6 },
          versusSelection: { mean: 0, low: 0, high: 0, n: 6 },
          ari: 1,
        },
        {
          method: 'average linkage',
          budget: 5,
          groups: t.slice(0, 5).map((x) => [x]),
          predicted: { mean: 3.5, low: 3.4, high: 3.6, n: 6 },
        },
      ],
      earlyStopping: [
        {
          epochs: 3,
          costShare: 0.1,
          spearman: 0.12,
          kendall: 0.08,
          groups: [t.slice()],
          ari: 0,
          regret: { mean: 0.19, low: 0.1, high: 0.28, n: 6 },
        },
        {
          epochs: 15,
          costShare: 0.5,
          spearman: 0.81,
          kendall: 0.66,
          groups: chunks(t, 2),
          ari: 1,
          regret: { mean: 0, low: 0, high: 0, n: 6 },
        },
      ],
      stability: { draws: 50, sameGrouping: 0.86, meanAri: 0.93 },
      pairwiseApproximation: {
        meanAbsError: 0.0069,
        meanRelError: 0.0165,
        groups: [{ group: t.slice(0, 3), meanAbsError: 0.005, meanRelError: 0.012 }],
      },
      closedLoop: {
        seeds: [2, 3],
        predicted: 3.22,
        actual: { mean: 3.27, low: 3.2, high: 3.33, n: 6 },
        baselines: [
          {
            name: 'all tasks in one network',
            predicted: 3.41,
            actual: { mean: 3.45, low: 3.38, high: 3.52, n: 6 },
            selectedMinusBaseline: { mean: -0.18, low: -0.25, high: -0.11, n: 6 },
          },
          {
            name: 'every task alone',
            actual: { mean: 3.29, low: 3.21, high: 3.37, n: 6 },
            selectedMinusBaseline: { mean: -0.02, low: -0.07, high: 0.03, n: 6 },
          },
          {
            name: 'random grouping, same budget (mean of 5 draws)',
            actual: { mean: 3.31, low: 3.22, high: 3.4, n: 6 },
            selectedMinusBaseline: { mean: -0.04, low: -0.06, high: -0.02, n: 6 },
          },
        ],
      },
    },
    auxiliary: {
      main: t[0],
      ranking: t.slice(1).map((task, k) => {
        const mean = 0.04 - k * 0.013;
        const verdict: 'helps' | 'hurts' | 'no evidence' =
          mean > 0.02 ? 'helps' : mean < -0.02 ? 'hurts' : 'no evidence';
        return { task, mean, low: mean - 0.015, high: mean + 0.015, verdict };
      }),
      top: { tasks: [t[1], t[2]], gain: { mean: 0.031, low: 0.004, high: 0.058, n: 6 } },
      heuristics: [
        {
          label: 'label entropy (bits)',
          source: 'Alonso and Plank 2017',
          expected: 1,
          spearman: 0.4,
          spearmanLow: -0.2,
          spearmanHigh: 0.8,
          kendall: 0.3,
          pick: t[1],
          pickRank: 1,
        },
        {
          label: 'main plateau point (share of epochs)',
          source: 'Bingel and Sogaard 2017',
          expected: -1,
          spearman: null,
          spearmanLow: null,
          spearmanHigh: null,
          kendall: null,
          pick: null,
          pickRank: null,
        },
      ],
      recommended: { candidates: [t[1]], rule: 'positive validation gain' },
      closedLoop: {
        seeds: [3, 4],
        set: [t[1]],
        gain: { mean: 0.02, low: 0.001, high: 0.04, n: 2 },
        netGain: { mean: 0.02, low: 0.001, high: 0.04, n: 2 },
      },
    },
    // tra auxiliary for two more main tasks, each in its own folder
    auxiliaryCandidates: [t[1], HOSTILE].map((main) => ({
      main,
      decision: {
        headline: `For ${main}, future:x helps as an auxiliary task.`,
        evidence: 'gain +2.0% [+0.4%, +3.6%]',
      },
      ranking: ['future:x', 'moved:top2', 'autoencoder'].map((task, k) => {
        const mean = 0.02 - k * 0.02;
        const verdict: 'helps' | 'hurts' | 'no evidence' = k === 0 ? 'helps' : k === 2 ? 'hurts' : 'no evidence';
        return { task, mean, low: mean - 0.016, high: mean + 0.016, verdict };
      }),
      recommended: { candidates: ['future:x'], rule: 'positive validation gain' },
    })),
    taxonomy: {
      nodes: t.map((name, i) => ({ name, source: i < 2 })),
      edges: taxonomyEdges(t),
    },
    proxies: {
      proxies: ['lookahead (TAG)', 'gradient cosine', HOSTILE].map((proxy, p) => ({
        proxy,
        spearman: 0.6 - p * 0.3,
        points: t.flatMap((target, i) =>
          t.flatMap((source, j) =>
            i === j
              ? []
              : [
                  {
                    source,
                    target,
                    truth: affinity.mean[i][j] as number,
                    estimate:
                      ((affinity.mean[i][j] as number) + (p * 0.01 * ((i * 7 + j * 3) % 5)) / 5) *
                      10 ** (p === 0 ? -3 : 1),
                  },
                ],
          ),
        ),
        ...(p === 1
          ? {}
          : {
              grouping: {
                meanAri: 0.5 - p * 0.2,
                meanRegret: 0.02 + p * 0.01,
                points: [2, 3].map((budget) => ({
                  budget,
                  groups: [t.slice(0, budget), t.slice(budget)],
                  ari: 0.5,
                  versusSelection: { mean: 0.03, low: budget === 2 ? 0.01 : -0.01, high: 0.05, n: 6 },
                })),
              },
            }),
      })),
      truth: {
        grouping: { budgets: [2, 3, 4, 5, 6], sweepMatrix: { meanAri: 0.71, meanRegret: 0.011 }, halfVsHalfAri: 0.42 },
      },
    },
    baselines: {
      columns: ['independent', 'pooled', 'mean-regularised', 'clustered'],
      rows: t.map((task, i) => ({
        task,
        values: [0.5 + i * 0.01, 0.52 + i * 0.008, 0.49 + i * 0.011, i === 2 ? null : 0.495 + i * 0.009],
        metric: i === 3 ? 'mse' : 'bce',
      })),
      total: [3.71, 3.81, 3.66, 3.05],
    },
  };
}

/** Only the sweep: a complete report without any optional section. */
export function sweepOnlyInput(): ReportInput {
  return { affinity: syntheticAffinity(5) };
}

/** The taxonomy `tra taxonomy` drew for the emotions main job (6 tasks): two of its edge labels overlapped by 11 px. */
export function emotionsTaxonomyInput(): ReportInput {
  const names = ['amazed-suprised', 'happy-pleased', 'relaxing-calm', 'quiet-still', 'sad-lonely', 'angry-aggresive'];
  const edge = (source: string, target: string, score: number) => ({ source, target, score });
  return {
    affinity: { ...syntheticAffinity(6), taskNames: names },
    taxonomy: {
      nodes: names.map((name) => ({ name, source: ['relaxing-calm', 'quiet-still', 'sad-lonely'].includes(name) })),
      edges: [
        edge('relaxing-calm', 'amazed-suprised', 0.1388),
        edge('quiet-still', 'amazed-suprised', 0.1388),
        edge('quiet-still', 'happy-pleased', 0.1133),
        edge('sad-lonely', 'happy-pleased', 0.1133),
        edge('relaxing-calm', 'angry-aggresive', 0.1264),
        edge('quiet-still', 'angry-aggresive', 0.1264),
      ],
    },
  };
}
