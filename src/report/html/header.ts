import { reliabilityClamped } from '../../affinity/stats.js';
import { LOW_RELIABILITY } from '../../affinity/warnings.js';
import { escapeHtml as e } from './escape.js';
import type { AffinityFile, MadeBy, ReportInput } from './input.js';

/** The report's title: the given one, the analysis name (config or `tra run <file>`), or the data file's name. */
export function reportTitle(input: ReportInput): string {
  if (input.title) return input.title;
  const a = input.affinity;
  if (a.config?.name) return a.config.name;
  const run = /^tra run (\S+)/.exec(a.provenance?.command ?? '');
  if (run) return baseName(run[1]).replace(/\.json$/i, '');
  const source = a.provenance?.data?.source;
  return source ? baseName(source) : 'Task affinity report';
}

const baseName = (path: string): string => path.split(/[\\/]/).pop() || path;

/** "10 (2 seeds × 5 folds)" from keys s<seed>f<fold>. */
export function replicationText(keys: string[] | undefined, fallback?: number): string | undefined {
  if (!keys?.length) return fallback === undefined ? undefined : String(fallback);
  const seeds = new Set<string>();
  const folds = new Set<string>();
  for (const key of keys) {
    const m = /^s(\d+)(?:f(\d+))?$/.exec(key);
    if (!m) return String(keys.length);
    seeds.add(m[1]);
    if (m[2] !== undefined) folds.add(m[2]);
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [plural(seeds.size, 'seed'), ...(folds.size ? [plural(folds.size, 'fold')] : [])];
  return `${keys.length} (${parts.join(' \u00d7 ')})`;
}

export function durationText(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'n/a';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Reliability in plain language; `warning` when below LOW_RELIABILITY (same threshold and advice as the CLI). */
export function reliabilityFacts(a: AffinityFile): { headline: string; detail: string; warning?: string } {
  const r = a.reliability;
  const replications = r?.replications ?? a.replications?.length ?? 0;
  if (!r || r.reliability === null || !Number.isFinite(r.reliability))
    return {
      headline: 'not measurable',
      detail: `With ${replications} replication${replications === 1 ? '' : 's'}; run more seeds or cross-fit with folds`,
      warning: 'The matrix comes from too few replications to tell signal from seed noise.',
    };
  const half = r.halfCorrelation === null ? 'n/a' : r.halfCorrelation.toFixed(2);
  const detail =
    r.halfCorrelation !== null && reliabilityClamped(r.halfCorrelation)
      ? `Clamped to 0: the two halves of the seeds disagree (split-half Spearman ${half} over ${replications} replications), and Spearman\u2013Brown is not defined below 0`
      : `Split-half Spearman ${half} over ${replications} replications, Spearman\u2013Brown corrected`;
  const value = r.halfCorrelation !== null && reliabilityClamped(r.halfCorrelation) ? 0 : r.reliability;
  return value < LOW_RELIABILITY
    ? {
        headline: value.toFixed(2),
        detail,
        warning: `Below ${LOW_RELIABILITY}: most of this matrix is seed noise. Add seeds before grouping tasks on it; treat single cells as unconfirmed.`,
      }
    : { headline: value.toFixed(2), detail };
}

function createdText(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Each command once, with the files it wrote, in the order the page draws them. */
function madeByCommand(madeBy: MadeBy[]): { command: string; files: string[] }[] {
  const byCommand = new Map<string, string[]>();
  for (const { file, command } of madeBy) byCommand.set(command, [...(byCommand.get(command) ?? []), file]);
  return [...byCommand].map(([command, files]) => ({ command, files }));
}

/** The static page header (all data escaped): facts, reliability, and the commands that made the folder's files. */
export function headerHtml(input: ReportInput): { header: string; facts: string } {
  const a = input.affinity;
  const p = a.provenance ?? {};
  const T = a.taskNames.length;
  const source = p.data?.source;
  const rows = a.data?.rows ?? p.data?.rows;
  const epochs = a.config?.engine?.epochs ?? a.config?.epochs;
  const hidden = a.config?.engine?.hidden;
  const patience = a.config?.engine?.patience;
  const imported = p.imported;
  const facts: [string, string | undefined, string?][] = [
    ...(imported
      ? ([
          [
            'Losses',
            `imported (${imported.metric === 'accuracy' ? 'accuracy as error 1 \u2212 accuracy' : 'loss'}), not trained here`,
            imported.files?.join(', '),
          ],
        ] as [string, string, string][])
      : []),
    ['Data set', source ? baseName(source) : undefined, p.data?.sha256 ? `sha256 ${p.data.sha256}` : source],
    ['Rows', rows === undefined || imported ? undefined : rows.toLocaleString('en-US')],
    ['Features', a.data?.features === undefined ? undefined : String(a.data.features)],
    ['Tasks', String(T)],
    ['Backend', p.backends?.length ? p.backends.join(', ') : undefined],
    ['Replications', replicationText(a.replications, a.reliability?.replications)],
    [
      'Epochs',
      epochs === undefined
        ? undefined
        : typeof patience === 'number' && patience > 0
          ? `up to ${epochs}, patience ${patience}`
          : String(epochs),
    ],
    p.trainingCommand?.argv
      ? [
          'Network',
          `your command ${p.trainingCommand.argv.join(' ')}, one run per network`,
          p.trainingCommand.code?.map((c) => `${c.source} sha256 ${c.sha256}`).join('; '),
        ]
      : p.model?.source
        ? [
            'Network',
            `your model ${baseName(p.model.source)}, trained network by network`,
            p.model.sha256 ? `sha256 ${p.model.sha256}` : undefined,
          ]
        : ['Network', Array.isArray(hidden) ? `hidden ${hidden.join('\u00d7')}` : undefined],
    [
      'Start',
      p.initialisation ? "alike in every network of a seed; one head copied to every task's head" : undefined,
      p.initialisation,
    ],
    ['Sweep time', p.sweepSeconds === undefined || imported ? undefined : durationText(p.sweepSeconds)],
    ['Interval', a.level === undefined ? undefined : `${Math.round(a.level * 100)}% t-interval`],
    ['Created', createdText(p.createdAt)],
  ];
  const factHtml = facts
    .filter((f): f is [string, string, string?] => f[1] !== undefined)
    .map(
      ([k, v, title]) =>
        `<div class="fact"><dt>${e(k)}</dt><dd${title ? ` title="${e(title)}"` : ''}>${e(v)}</dd></div>`,
    )
    .join('');
  const rel = reliabilityFacts(a);
  const reliability = `<div class="reliability${rel.warning ? ' warn' : ''}" role="${rel.warning ? 'alert' : 'note'}">
  <div class="reliability-figure"><span class="label">Reliability</span><span class="value">${e(rel.headline)}</span></div>
  <div class="reliability-text"><p>${e(rel.detail)}.</p>${rel.warning ? `<p class="warning"><strong>Warning.</strong> ${e(rel.warning)}</p>` : '<p>Repeating the sweep with other seeds would give a matrix that ranks the cells much the same way.</p>'}</div>
</div>`;
  const made = madeByCommand(input.madeBy ?? (p.command ? [{ file: 'affinity.json', command: p.command }] : []));
  const command = made.length
    ? `<div class="reproduce"><h2 class="small">Reproduce</h2>${made
        .map(
          ({ command, files }) =>
            `<pre><code>${e(command)}</code></pre><p class="muted reproduce-files">wrote ${files.map(e).join(', ')}</p>`,
        )
        .join('')}${
        p.tool
          ? `<p class="muted">${e([p.tool, p.toolVersion].filter(Boolean).join(' '))}${p.node ? `, Node ${e(p.node)}` : ''}${p.tfjs ? `, tfjs ${e(p.tfjs)}` : ''}${p.configHash ? `, config ${e(p.configHash.slice(0, 12))}` : ''}</p>`
          : ''
      }</div>`
    : '';
  return {
    header: `<header class="page-header">
<p class="eyebrow">Task-relationship report</p>
<h1>${e(reportTitle(input))}</h1>
<p class="lede">How much each of ${T} task${T === 1 ? '' : 's'} helps or hurts the others when trained together${source ? ` on <span class="nowrap">${e(baseName(source))}</span>` : ''}.</p>
</header>`,
    facts: `<div class="analysis-facts">
<dl class="facts">${factHtml}</dl>
${reliability}
${command}
</div>`,
  };
}

/** The data set's tasks (static, escaped). */
export function tasksTableHtml(a: AffinityFile): string {
  const stats = new Map((a.data?.tasks ?? []).map((t) => [t.name, t]));
  const num = (x: number | null | undefined, digits = 3): string =>
    typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '\u2014';
  const rows = a.taskNames
    .map((name, i) => {
      const t = stats.get(name);
      const rate =
        t?.kind === 'binary'
          ? `${num(t.mean === null || t.mean === undefined ? undefined : t.mean * 100, 1)}% positive`
          : t
            ? `mean ${num(t.mean)}, sd ${num(t.sd)}`
            : '\u2014';
      return `<tr><th scope="row">${e(name)}</th><td>${e(t?.kind ?? '\u2014')}</td><td>${e(rate)}</td><td class="num">${num(a.singleLoss?.[i] ?? undefined, 4)}</td></tr>`;
    })
    .join('\n');
  return `<div class="table-wrap"><table class="data tasks">
<caption>Tasks of the data set; the single-task loss is L<sub>i</sub>({i}), the denominator of every gain in row i.</caption>
<thead><tr><th scope="col">Task</th><th scope="col">Kind</th><th scope="col">Target</th><th scope="col" class="num">Single-task loss</th></tr></thead>
<tbody>
${rows}
</tbody></table></div>`;
}
