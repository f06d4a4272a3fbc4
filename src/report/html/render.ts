import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { clientScript } from '../views/client.js';
import type { ReportData } from '../views/types.js';
import { averageLinkage } from './cluster.js';
import { cspHash, escapeHtml as e, scriptSafeJson } from './escape.js';
import { headerHtml, reportTitle, tasksTableHtml } from './header.js';
import { groupingReport, proxiesReport, type JsonMatrix, type ReportInput } from './input.js';
import { STYLES } from './styles.js';
import { checkReportInput } from './validate.js';

export const DATA_ELEMENT_ID = 'report-data';

let d3Source: string | undefined;

/** The d3 UMD bundle (defines the global `d3`), read once from the installed package. */
export function d3Bundle(): string {
  if (d3Source === undefined) {
    const entry = createRequire(import.meta.url).resolve('d3');
    const source = readFileSync(join(dirname(entry), 'd3.min.js'), 'utf8');
    assertInlineable(source, 'd3.min.js');
    d3Source = source;
  }
  return d3Source;
}

/** An inline script must not contain its own end tag or an HTML comment opener. */
function assertInlineable(script: string, what: string): void {
  if (/<\/script|<!--/i.test(script)) throw new Error(`${what} cannot be inlined: it contains '</script' or '<!--'`);
}

/** Symmetric group score from a directed gain matrix: mean of the two directions, null when both are unknown. */
function symmetrise(m: JsonMatrix): JsonMatrix {
  return m.map((row, i) =>
    row.map((v, j) => {
      const both = [v, m[j]?.[i]].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
      return both.length ? both.reduce((a, b) => a + b, 0) / both.length : null;
    }),
  );
}

/** The JSON the page draws from: only what the views need, with the heatmap order precomputed. */
export function reportData(input: ReportInput): ReportData {
  const a = input.affinity;
  const { order, merges } = averageLinkage(a.groupScore ?? symmetrise(a.mean));
  const data: ReportData = {
    heatmap: {
      tasks: a.taskNames,
      order,
      merges,
      mean: a.mean,
      low: a.low,
      high: a.high,
      level: a.level ?? 0.95,
      ...(a.inference?.pValue ? { pValue: a.inference.pValue } : {}),
      ...(a.inference?.verdict ? { verdict: a.inference.verdict } : {}),
      ...(a.inference?.fdr !== undefined ? { fdr: a.inference.fdr } : {}),
    },
  };
  const grouping = input.grouping && groupingReport(input.grouping);
  if (grouping?.curve.length) {
    const { curve, level, chosenBudget, infeasibleBudgets, clustering, earlyStopping, stability, pairwiseApproximation, closedLoop } = grouping;
    data.grouping = { curve, level: level ?? a.level ?? 0.95, chosenBudget, infeasibleBudgets, clustering, earlyStopping, stability, pairwiseApproximation, closedLoop };
  }
  if (input.auxiliary?.ranking.length) data.auxiliary = { level: a.level ?? 0.95, ...input.auxiliary };
  if (input.taxonomy?.nodes.length) data.taxonomy = input.taxonomy;
  const proxies = input.proxies && proxiesReport(input.proxies);
  if (proxies?.proxies.length) data.proxies = { proxies: proxies.proxies, ...(proxies.truth?.grouping ? { truth: { grouping: proxies.truth.grouping } } : {}) };
  if (input.baselines?.rows.length) data.baselines = input.baselines;
  return data;
}

interface Section {
  key: keyof ReportData | 'tasks' | 'recommendation';
  title: string;
  /** Short name in the section navigation. */
  nav: string;
  intro: string;
  body?: string;
}

function sections(input: ReportInput, data: ReportData): Section[] {
  const a = input.affinity;
  const level = `${Math.round((a.level ?? 0.95) * 100)}%`;
  const n = a.replications?.length ?? a.reliability?.replications;
  const counts = a.inference?.counts;
  const verdicts = counts
    ? ` Paired tests per cell${a.inference?.fdr !== undefined ? ` at a false-discovery rate of ${Math.round(a.inference.fdr * 100)}%` : ''}: <strong>${counts.helps ?? 0} helps</strong>, <strong>${counts.hurts ?? 0} hurts</strong>, ${counts['no evidence'] ?? 0} without evidence; significant cells are outlined.`
    : '';
  const list: Section[] = [
    {
      key: 'heatmap',
      nav: 'Affinity',
      title: 'Task affinity',
      intro: `Each cell is the Standley gain 1 &minus; L<sub>i</sub>({i,j}) / L<sub>i</sub>({i}): how much training the <strong>column</strong> task alongside the <strong>row</strong> task lowers the row task's held-out loss (blue helps, red hurts)${n ? `, averaged over ${n} replications` : ''}. Hatched cells have a ${level} interval that includes zero: they are not distinguishable from no effect. Hover or focus a cell for its interval. Tasks are ordered by average-linkage clustering of the symmetric group score (dendrogram on the right).${verdicts}`,
    },
  ];
  const recommendation = recommendationHtml(data);
  if (recommendation) list.unshift({ key: 'recommendation', nav: 'Recommendation', title: 'Recommendation', intro: '', body: recommendation });
  if (data.grouping) {
    const g = data.grouping;
    const gLevel = `${Math.round(g.level * 100)}%`;
    const checks = [g.closedLoop && 'a closed-loop check on fresh seeds', g.clustering?.length && 'clustering alternatives', g.earlyStopping !== undefined && 'early stopping', (g.stability || g.pairwiseApproximation) && 'robustness'].filter(
      (x): x is string => typeof x === 'string',
    );
    list.push({
      key: 'grouping',
      nav: 'Grouping',
      title: 'Task grouping by budget',
      intro: `The best partition of the tasks into a given number of networks and its total test loss${g.curve.some((p) => p.predictedInterval) ? ` (selected on validation loss, scored on test loss), with ${gLevel} interval whiskers over replications` : ''}${g.curve.some((p) => p.actualLoss) ? '; diamonds are the losses measured after training those groups on fresh seeds (closed loop), with their intervals' : ''}.${g.chosenBudget ? ' The shaded band and ring mark the recommended budget.' : ''}${checks.length ? ` Below: ${checks.join(', ').replace(/, ([^,]*)$/, ' and $1')}.` : ''}`,
    });
  }
  if (data.auxiliary)
    list.push({
      key: 'auxiliary',
      nav: 'Auxiliary tasks',
      title: 'Auxiliary tasks',
      intro: `Which tasks to train alongside <strong>${e(data.auxiliary.main)}</strong>: its gain from each partner, best first, with ${level} interval whiskers.`,
    });
  if (data.taxonomy)
    list.push({
      key: 'taxonomy',
      nav: 'Taxonomy',
      title: 'Task taxonomy',
      intro: 'Directed transfer structure: an arrow from a source task to a target task means training with the source helps the target; thicker arrows transfer more.',
    });
  if (data.proxies)
    list.push({
      key: 'proxies',
      nav: 'Proxies',
      title: 'Cheap proxies against the sweep',
      intro: `Each panel compares a cheap estimate of task affinity (x) with the gain measured by the full pairwise sweep (y), one point per ordered task pair. Spearman &rho; near 1 means the proxy ranks the pairs like the sweep does.${data.proxies.truth?.grouping || data.proxies.proxies.some((p) => p.grouping) ? ' The table below prices the grouping each estimate induces with the sweep&rsquo;s measured losses.' : ''}`,
    });
  if (data.baselines)
    list.push({
      key: 'baselines',
      nav: 'Baselines',
      title: 'Linear baselines',
      intro: 'Held-out loss of linear multi-task baselines on the same tasks, for scale: a neural grouping should beat these to be worth its cost.',
    });
  list.push({ key: 'tasks', title: 'Tasks', nav: 'Tasks', intro: '', body: tasksTableHtml(a) });
  return list;
}

/** The answer first: the recommended grouping, why that budget, and whether it held on fresh seeds. */
function recommendationHtml(data: ReportData): string | undefined {
  const g = data.grouping;
  const point = g?.chosenBudget && g.curve.find((p) => p.budget === g.chosenBudget?.budget);
  if (!g?.chosenBudget || !point) return undefined;
  const networks = point.groups.map((group) => `{${group.map(e).join(', ')}}`).join(' ');
  const verdict = g.closedLoop?.verdict;
  const loop = verdict
    ? `<p><strong>Closed loop on fresh seeds ${g.closedLoop?.seeds.join(', ')}: ${e(verdict.text)}.</strong></p>`
    : '<p>Not yet checked on fresh seeds (<code>tra group --validate</code>).</p>';
  return `<p class="intro"><strong>Train ${g.chosenBudget.budget} network${g.chosenBudget.budget === 1 ? '' : 's'}: ${networks}.</strong> ${e(g.chosenBudget.reason)}.</p>\n${loop}`;
}

/** One self-contained HTML file: inlined d3, embedded data, strict CSP (hashed scripts), no network access. */
export function renderReport(input: ReportInput): string {
  checkReportInput(input);
  const data = reportData(input);
  const d3 = d3Bundle();
  const app = clientScript(DATA_ELEMENT_ID);
  assertInlineable(app, 'the report script');
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(d3)} ${cspHash(app)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "font-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const parts = sections(input, data);
  const nav = parts.map((s) => `<li><a href="#section-${s.key}">${e(s.nav)}</a></li>`).join('');
  const body = parts
    .map(
      (s) => `<section class="report-section" id="section-${s.key}" aria-labelledby="heading-${s.key}">
<h2 id="heading-${s.key}">${e(s.title)}</h2>
${s.intro ? `<p class="intro">${s.intro}</p>` : ''}
${s.body ?? `<figure class="view" id="view-${s.key}"></figure>`}
</section>`,
    )
    .join('\n');
  const p = input.affinity.provenance;
  const title = `${reportTitle(input)} \u2014 task-relationship report`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="${e([p?.tool ?? 'task-relations', p?.toolVersion].filter(Boolean).join(' '))}">
<title>${e(title)}</title>
<link rel="icon" href="data:,">
<style>${STYLES}</style>
</head>
<body>
<div class="page">
${headerHtml(input)}
<noscript><p>The charts need JavaScript (all of it is inside this file; nothing is loaded from the network). The tables below work without it.</p></noscript>
<nav class="toc" aria-label="Sections"><ol>${nav}</ol></nav>
<main>
${body}
</main>
<footer class="page-footer">
<p>Self-contained report: charts drawn in the page with d3 from the data embedded below; it opens offline and loads nothing from the network. The full numbers are in <code>affinity.json</code> and <code>affinity.csv</code> next to this file.</p>
</footer>
</div>
<script type="application/json" id="${DATA_ELEMENT_ID}">${scriptSafeJson(data)}</script>
<script>${d3}</script>
<script>${app}</script>
</body>
</html>
`;
}

/** Writes `<dir>/index.html` and returns its path. */
export function writeReport(dir: string, input: ReportInput): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'index.html');
  writeFileSync(file, renderReport(input));
  return file;
}
