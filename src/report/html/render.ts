import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../data/errors.js';
import { createFolder, writeFileAtomic } from '../../io/write.js';
import { DATA_ELEMENT_ID } from '../draw/dataElement.js';
import { decisionHtml } from '../views/decision.js';
import { SECTIONS, sectionData, sectionInput, type ReportData } from '../views/registry.js';
import type { Section } from '../views/section.js';
import { cspHash, escapeHtml as e, scriptSafeJsonPieces } from './escape.js';
import { headerHtml, reportTitle, tasksTableHtml } from './header.js';
import type { ReportInput } from './input.js';
import { STYLES } from './styles.js';
import { checkAffinity, text } from './validate.js';

let pageScript: string | undefined;

/** The page script: the views and the parts of d3 they use, bundled by `npm run build` (scripts/report/bundle.mjs). */
export function pageBundle(): string {
  if (pageScript === undefined) {
    const file = new URL('../draw/page.bundle.js', import.meta.url);
    if (!existsSync(file))
      throw new Error(`${file.pathname} is missing: run npm run build (it bundles the page script)`);
    const source = readFileSync(file, 'utf8');
    assertInlineable(source, 'the page script');
    pageScript = source;
  }
  return pageScript;
}

/** An inline script must not contain its own end tag or an HTML comment opener. */
function assertInlineable(script: string, what: string): void {
  if (/<\/script|<!--/i.test(script)) throw new Error(`${what} cannot be inlined: it contains '</script' or '<!--'`);
}

/**
 * Each section's data, in page order, where it has something to draw: what the paper's tables and figures read, or with
 * `page` the JSON the page embeds (above PAGE_BOUNDS_UP_TO tasks, no bounds or p-values: views/heatmap.ts).
 */
export function reportData(input: ReportInput, page = false): ReportData {
  const data: Record<string, unknown> = {};
  for (const section of SECTIONS as readonly Section[]) {
    const value = sectionData(section, input, page);
    if (value !== undefined) data[section.key] = value;
  }
  return data as ReportData;
}

/** Checks the shapes the report draws from; a mismatch is an InputError naming the place (`origin`, then the path). */
export function checkReportInput(input: ReportInput, origin = 'report input'): ReportInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new InputError(`${origin}: expected an object with an 'affinity' field`);
  checkAffinity(input.affinity, `${origin} affinity`);
  if (input.title !== undefined) text(input.title, `${origin} title`);
  for (const section of SECTIONS as readonly Section[]) {
    if (section.file === undefined) section.check?.(input.affinity, `${origin} affinity`);
    else {
      const own = sectionInput(input, section);
      if (own !== undefined) section.check(own, `${origin} ${section.key}`);
    }
  }
  return input;
}

interface PagePart {
  key: string;
  title: string;
  /** Short name in the section navigation. */
  nav: string;
  intro: string;
  body?: string;
}

/** The page's sections: the decision first (when there is one), each drawn view, then the tasks table. */
function pageParts(input: ReportInput, data: ReportData): PagePart[] {
  const views = (SECTIONS as readonly Section[]).flatMap((section): PagePart[] => {
    const own = (data as Record<string, unknown>)[section.key];
    return own === undefined
      ? []
      : [{ key: section.key, nav: section.nav, title: section.title, intro: section.intro(own, input.affinity) }];
  });
  const decision = decisionHtml(data);
  return [
    ...(decision ? [{ key: 'decision', nav: 'Decision', title: 'Decision', intro: '', body: decision }] : []),
    ...views,
    { key: 'tasks', title: 'Tasks', nav: 'Tasks', intro: '', body: tasksTableHtml(input.affinity) },
  ];
}

/** One self-contained HTML file: the inlined page script (views and d3), embedded data, strict CSP (hashed scripts), no network access. */
export const renderReport = (input: ReportInput): string => [...reportPieces(input)].join('');

/** The page in pieces (its embedded data a piece per matrix row), so that a large page is never one string. */
function* reportPieces(input: ReportInput): Generator<string> {
  checkReportInput(input);
  const data = reportData(input, true);
  const app = pageBundle();
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(app)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "font-src 'none'",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const parts = pageParts(input, data);
  const { header, facts } = headerHtml(input);
  // the decision is the first thing read after the title; the facts, reliability and commands follow it
  const decisionFirst = parts[0]?.key === 'decision' ? 1 : 0;
  const nav = parts.map((s) => `<li><a href="#section-${s.key}">${e(s.nav)}</a></li>`).join('');
  const section = (
    s: PagePart,
  ): string => `<section class="report-section" id="section-${s.key}" aria-labelledby="heading-${s.key}">
<h2 id="heading-${s.key}">${e(s.title)}</h2>
${s.intro ? `<p class="intro">${s.intro}</p>` : ''}
${s.body ?? `<figure class="view" id="view-${s.key}"></figure>`}
</section>`;
  const body = [...parts.slice(0, decisionFirst).map(section), facts, ...parts.slice(decisionFirst).map(section)].join(
    '\n',
  );
  const p = input.affinity.provenance;
  const title = `${reportTitle(input)} \u2014 task-relationship report`;
  yield `<!DOCTYPE html>
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
${header}
<noscript><p>The charts need JavaScript (all of it is inside this file; nothing is loaded from the network). The tables below work without it.</p></noscript>
<nav class="toc" aria-label="Sections"><ol>${nav}</ol></nav>
<main>
${body}
</main>
<footer class="page-footer">
<p>Self-contained report: charts drawn in the page with d3 from the data embedded below; it opens offline and loads nothing from the network. The full numbers are in <code>affinity.json</code> and <code>affinity.csv</code> next to this file.</p>
</footer>
</div>
<script type="application/json" id="${DATA_ELEMENT_ID}">`;
  yield* scriptSafeJsonPieces(data);
  yield `</script>
<script>${app}</script>
</body>
</html>
`;
}

/** Writes `<dir>/index.html` and returns its path. */
export function writeReport(dir: string, input: ReportInput): string {
  createFolder(dir);
  const file = join(dir, 'index.html');
  writeFileAtomic(file, reportPieces(input));
  return file;
}
