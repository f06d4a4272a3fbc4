/**
 * The paper's tables from the folder's data: the gain matrix with intervals and verdict marks (or, for many tasks,
 * the strongest cells and the clusters), the budget table, the closed loop, the auxiliary ranking and the baselines.
 * Numbers go through the page's formatters (report/draw/format.ts), so table, figure and page read alike.
 */
import { strongestCells, type TaskCluster } from '../report/draw/clusters.js';
import { verdictAt } from '../report/draw/compact.js';
import { pairedVerdict } from '../report/draw/groupingChecks.js';
import { groupsText, predictedText } from '../report/draw/budget.js';
import {
  formatInterval,
  formatLoss,
  formatNumber,
  formatPercent,
  isFiniteNumber,
  levelText,
} from '../report/draw/format.js';
import { auxiliaryRankings, type PaperFolder } from './folder.js';
import type { Cell, Table } from './table.js';
import { cite, math } from './text.js';
import { DEFAULT_LEVEL, DEFAULT_FDR } from '../options/inferenceDefaults.js';

/** Up to this many tasks the gain matrix is printed whole. */
export const MATRIX_UP_TO = 10;
/** Rows of a long list shown at most (the CSV files hold the rest). */
const LIST_ROWS = 25;

const dagger = '\u2020';

/** The gain matrix: each cell its gain in percent with its interval below, † where the paired test is significant. */
function gainMatrix(folder: PaperFolder): Table {
  const h = folder.data.heatmap;
  const level = levelText(h.level);
  const significant = (i: number, j: number): boolean => ['helps', 'hurts'].includes(verdictAt(h.verdicts, i, j) ?? '');
  const order = h.order;
  return {
    name: 'gain-matrix',
    wide: h.tasks.length > 4,
    caption: [
      'Gain of each row task from training with each column task, ',
      math('1 - L_i(\\{i,j\\}) / L_i(\\{i\\})', '1 \u2212 L_i({i,j}) / L_i({i})'),
      ' in percent ',
      cite('standley2020'),
      `, with ${level} intervals over seeds; tasks in dendrogram order.`,
    ],
    columns: [
      { label: ['helped \\ helping'], align: 'l' },
      ...order.map((j) => ({ label: [h.tasks[j]], align: 'r' as const })),
    ],
    rows: order.map((i) => [
      h.tasks[i],
      ...order.map((j): Cell => {
        if (i === j) return { text: ['\u2014'] };
        const mean = h.mean[i]?.[j];
        const low = h.low?.[i]?.[j];
        const high = h.high?.[i]?.[j];
        return {
          text: [`${formatPercent(mean, 1, '')}${significant(i, j) ? dagger : ''}`],
          bold: significant(i, j),
          below: [isFiniteNumber(low) && isFiniteNumber(high) ? formatInterval(low, high) : '[n/a]'],
        };
      }),
    ]),
    notes: [
      h.verdicts
        ? [
            `${dagger}: significant in a paired t-test over seeds, Benjamini\u2013Hochberg false-discovery rate ${Math.round((h.fdr ?? DEFAULT_FDR) * 100)}% `,
            cite('benjamini1995'),
            '.',
          ]
        : ['No per-cell tests in this folder: judge by the intervals.'],
    ],
  };
}

/** The strongest cells with evidence, for more tasks than a matrix can show. */
function strongestTable(folder: PaperFolder): Table {
  const h = folder.data.heatmap;
  const cells = strongestCells(h, LIST_ROWS);
  const level = levelText(h.level);
  const significant = cells.filter((c) => c.evidence).length;
  const evidence = (many: boolean): string =>
    h.verdicts ? `significant in ${many ? 'their' : 'its'} paired test` : `whose interval excludes 0`;
  return {
    name: 'gain-strongest',
    caption: [
      `The ${cells.length} strongest task pairs of ${h.tasks.length} tasks: gain of the helped task in percent `,
      cite('standley2020'),
      ` with its ${level} interval over seeds, ordered by |gain|`,
      significant
        ? `, the ${significant === 1 ? 'pair' : `${significant} pairs`} ${evidence(significant > 1)} first.`
        : ` (no pair is ${evidence(false)}).`,
    ],
    columns: [
      { label: ['helped task'], align: 'l' },
      { label: ['helping task'], align: 'l' },
      { label: ['gain (%)'], align: 'r' },
      { label: [`${level} interval`], align: 'r' },
      { label: ['verdict'], align: 'l' },
    ],
    rows: cells.map((c) => [
      h.tasks[c.target],
      h.tasks[c.source],
      formatPercent(c.mean, 1, ''),
      formatInterval(c.low, c.high),
      c.verdict ?? '\u2014',
    ]),
    notes: [[`Every pair is in affinity.csv.`]],
  };
}

/** The clusters the summarised heatmap shows, with their members. */
export function clustersTable(folder: PaperFolder, clusters: TaskCluster[]): Table {
  const tasks = folder.data.heatmap.tasks;
  const listed = 12;
  return {
    name: 'clusters',
    wide: true,
    caption: [
      `The ${clusters.length} clusters of the affinity figure: the average-linkage dendrogram cut into ${clusters.length}.`,
    ],
    columns: [
      { label: ['cluster'], align: 'l' },
      { label: ['tasks'], align: 'r' },
      { label: ['members'], align: 'l' },
    ],
    rows: clusters.map((c) => [
      `C${c.id}`,
      String(c.members.length),
      `${c.members
        .slice(0, listed)
        .map((t) => tasks[t])
        .join(', ')}${c.members.length > listed ? `, \u2026 (${c.members.length - listed} more)` : ''}`,
    ]),
  };
}

/** The best grouping for every budget. */
function budgetTable(folder: PaperFolder): Table | undefined {
  const g = folder.data.grouping;
  if (!g) return undefined;
  const level = levelText(g.level);
  const points = g.curve.slice().sort((a, b) => a.budget - b.budget);
  const measured = points.some((p) => p.actualLoss);
  const oneMethod = new Set(points.map((p) => p.method)).size === 1;
  const many = folder.data.heatmap.tasks.length > 30;
  const groups = (p: (typeof points)[number]): string =>
    many ? `${p.groups.length} networks of ${p.groups.map((n) => n.length).join(', ')} tasks` : groupsText(p);
  const approximated = points.some((p) => (p.approximatedGroups ?? []).length > 0);
  return {
    name: 'budget',
    wide: true,
    caption: [
      `The best grouping for every budget (number of networks), selected on mean validation loss and scored on test loss `,
      cite('standley2020'),
      `; predicted total test loss with its ${level} interval over seeds${measured ? ', and measured on fresh seeds' : ''}.`,
    ],
    columns: [
      { label: ['budget'], align: 'r' },
      { label: ['networks'], align: 'l', width: '0.42\\textwidth' },
      { label: ['predicted loss'], align: 'r' },
      ...(measured ? [{ label: ['measured loss'], align: 'r' as const }] : []),
      ...(oneMethod ? [] : [{ label: ['method'], align: 'l' as const, width: '0.16\\textwidth' }]),
    ],
    rows: points.map((p) => {
      const chosen = g.chosenBudget?.budget === p.budget;
      return [
        { text: [`${p.budget}${chosen ? '*' : ''}`], bold: chosen },
        { text: [groups(p)] },
        predictedText(p),
        ...(measured ? [p.actualLoss ? formatLoss(p.actualLoss) : '\u2014'] : []),
        ...(oneMethod ? [] : [p.method]),
      ];
    }),
    notes: [
      ...(oneMethod ? [[`Every budget solved by ${points[0].method}.`]] : []),
      ...(g.chosenBudget ? [[`*: the recommended budget (${g.chosenBudget.reason}).`]] : []),
      ...(approximated && !many
        ? [
            [
              '~: no network was trained for this group; its loss is approximated from its pairs (predicted, not measured).',
            ],
          ]
        : []),
    ],
  };
}

/** The closed loop: the recommended grouping and its baselines trained again on fresh seeds. */
function closedLoopTable(folder: PaperFolder): Table | undefined {
  const loop = folder.data.grouping?.closedLoop;
  if (!loop) return undefined;
  const level = levelText(folder.data.grouping?.level ?? DEFAULT_LEVEL);
  return {
    name: 'closed-loop',
    wide: true,
    caption: [
      `Closed loop: total test loss on seeds ${loop.seeds.join(', ')}, which the sweep never used (${level} intervals over seeds); the difference is paired by seed, negative when the selection is better.`,
    ],
    columns: [
      { label: ['grouping'], align: 'l' },
      { label: ['predicted'], align: 'r' },
      { label: ['measured'], align: 'r' },
      { label: ['selection \u2212 baseline'], align: 'r' },
      { label: ['verdict'], align: 'l' },
    ],
    rows: [
      [
        { text: ['recommended (selection)'], bold: true },
        formatLoss({ mean: loop.predicted }),
        formatLoss(loop.actual),
        '\u2014',
        '\u2014',
      ],
      ...loop.baselines.map((b) => [
        b.name,
        b.predicted === undefined ? '\u2014' : formatLoss({ mean: b.predicted }),
        formatLoss(b.actual),
        formatLoss(b.selectedMinusBaseline, true),
        pairedVerdict(b.selectedMinusBaseline, true),
      ]),
    ],
    notes: loop.verdict ? [[`${loop.verdict.text}.`]] : undefined,
  };
}

/** One auxiliary ranking: tra group --main's (`auxiliary`) or tra auxiliary's for one main task (`auxiliary-<main>`). */
function auxiliaryTable({ name, file, ranking: a }: ReturnType<typeof auxiliaryRankings>[number]): Table {
  const level = levelText(a.level ?? DEFAULT_LEVEL);
  const ranking = a.ranking.slice().sort((x, y) => y.mean - x.mean);
  const shown = ranking.slice(0, LIST_ROWS);
  return {
    name,
    caption: [
      `Auxiliary tasks for ${a.main}: its gain in percent when trained with each candidate, with ${level} intervals over seeds, best first.`,
    ],
    columns: [
      { label: ['candidate'], align: 'l' },
      { label: ['gain (%)'], align: 'r' },
      { label: [`${level} interval`], align: 'r' },
      { label: ['p'], align: 'r' },
      { label: ['verdict'], align: 'l' },
    ],
    rows: shown.map((r) => [
      r.task,
      formatPercent(r.mean, 1, ''),
      formatInterval(r.low, r.high),
      typeof r.p === 'number' ? (r.p < 0.001 ? '<0.001' : r.p.toFixed(3)) : '\u2014',
      r.verdict,
    ]),
    notes: [
      ...(shown.length < ranking.length
        ? [[`The best ${shown.length} of ${ranking.length} candidates; all are in ${file}.`]]
        : []),
      ...(a.recommended
        ? [
            [
              `Recommended set (chosen on validation, ${a.recommended.rule}): ${a.recommended.candidates.join(', ') || 'none'}.`,
            ],
          ]
        : []),
    ],
  };
}

/** Held-out loss of the linear baselines per task, the lowest of each row in bold. */
function baselinesTable(folder: PaperFolder): Table | undefined {
  const b = folder.data.baselines;
  if (!b) return undefined;
  const best = (values: (number | null)[]): number => Math.min(...values.filter(isFiniteNumber));
  const row = (values: (number | null)[]): Cell[] =>
    values.map((v) => ({ text: [formatNumber(v)], bold: isFiniteNumber(v) && v === best(values) }));
  const cites = b.columns.flatMap((c) =>
    c === 'mean-regularised' ? ['evgeniou2004' as const] : c.startsWith('clustered') ? ['jacob2008' as const] : [],
  );
  return {
    name: 'baselines',
    wide: b.columns.length > 4,
    caption: [
      'Held-out test loss of linear multi-task baselines per task (lower is better; the lowest of each row in bold)',
      ...(cites.length ? [' ', cite(...new Set(cites))] : []),
      '.',
    ],
    columns: [{ label: ['task'], align: 'l' }, ...b.columns.map((c) => ({ label: [c], align: 'r' as const }))],
    rows: b.rows.slice(0, LIST_ROWS).map((r) => [r.task, ...row(r.values)]),
    footer: b.total && b.total.length === b.columns.length ? [{ text: ['total'] }, ...row(b.total)] : undefined,
    notes:
      b.rows.length > LIST_ROWS
        ? [[`The first ${LIST_ROWS} of ${b.rows.length} tasks; all are in baselines.csv.`]]
        : undefined,
  };
}

/** Every table the folder has data for, in the paper's order. */
export function paperTables(folder: PaperFolder, clusters: TaskCluster[] | undefined): Table[] {
  const T = folder.data.heatmap.tasks.length;
  return [
    T <= MATRIX_UP_TO ? gainMatrix(folder) : strongestTable(folder),
    ...(clusters ? [clustersTable(folder, clusters)] : []),
    budgetTable(folder),
    closedLoopTable(folder),
    ...auxiliaryRankings(folder).map(auxiliaryTable),
    baselinesTable(folder),
  ].filter((t): t is Table => t !== undefined);
}
