/**
 * `tra paper`'s runner: from an analysis folder, the figures (SVG always, PDF through Chromium), the tables, the
 * methods section, the references and the reproducibility appendix, returned as files to write (writeArtefacts and
 * src/artefacts/paper.ts write them). Every figure is checked for label collisions as Chromium renders it.
 */
import { join, resolve } from 'node:path';
import type { PaperArtefact, PaperFile } from '../artefacts/paper.js';
import { folderName } from '../artefacts/auxiliary.js';
import type { Decided } from './write.js';
import { summaryClusters, heatmapFitsOneRowPerTask } from '../report/draw/heatmapFigure.js';
import { FIGURE_SIZES } from '../report/draw/figure.js';
import { FIGURES } from '../report/draw/figures.js';
import { describeLabelProblems } from '../report/labels.js';
import { reportTitle } from '../report/html/header.js';
import { figureCaption, paperText, type PaperFigure } from '../paper/document.js';
import { readPaperFolder, type PaperFolder } from '../paper/folder.js';
import { openChromium, printFigure } from '../paper/pdf.js';
import { drawSvg } from '../paper/svg.js';
import { paperTables } from '../paper/tables.js';
import { SUMMARY_ABOVE } from '../report/draw/clusters.js';

export interface PaperOptions {
  /** The analysis folder (affinity.json and whatever else the commands wrote). */
  dir: string;
  /** Where the paper goes; default <dir>/paper. */
  out?: string;
  /** Make PDFs through Chromium when it is installed (default true). */
  pdf?: boolean;
}

/** What tra paper decided: the paper's folder and its files (analysis/write.ts writeArtefacts writes them). */
export interface PaperOutcome extends Decided {
  artefacts: { paper: PaperArtefact };
  /** One line each: what could not be made and why (e.g. PDFs without Chromium). */
  notes: string[];
  /** Label collisions Chromium found in the figures (none expected; reported, not hidden). */
  labelProblems: string[];
}

/** Where each figure sits in paper.tex: across the page for the wide ones. */
const PLACEMENT: Record<string, PaperFigure['placement']> = {
  affinity: 'column',
  budget: 'page',
  grouping: 'column',
  taxonomy: 'page',
  proxies: 'page',
  auxiliary: 'column',
};

/** The figures the folder has data for (`kind` is the registry's name, `name` the file's stem), each at both sizes. */
function figureSvgs(folder: PaperFolder): { name: string; kind: string; data: unknown; size: string; svg: string }[] {
  return FIGURES.flatMap((figure) => {
    const data = folder.data[figure.section];
    if (!data || (figure.shows && !figure.shows(data as never))) return [];
    // a figure per main task is named as its folder is (auxiliary-<main>), so its table and figure share the stem
    const instances = figure.each
      ? figure.each(data as never).map(({ key, data }) => ({ name: `${figure.name}-${folderName(key)}`, data }))
      : [{ name: figure.name, data }];
    return instances.flatMap((instance) =>
      Object.values(FIGURE_SIZES).map((size) => ({
        name: instance.name,
        kind: figure.name,
        data: instance.data,
        size: size.name,
        svg: drawSvg((container) => figure.draw(container, instance.data as never, size)),
      })),
    );
  });
}

export async function runPaper(options: PaperOptions): Promise<PaperOutcome> {
  const dir = resolve(options.dir);
  const out = resolve(options.out ?? join(dir, 'paper'));
  const folder = readPaperFolder(dir);
  const svgs = figureSvgs(folder);
  const notes: string[] = [];
  const labelProblems: string[] = [];
  const pdfs = new Map<string, Uint8Array>();
  const browser = options.pdf === false ? undefined : await openChromium();
  if (options.pdf !== false && !browser)
    notes.push(
      'PDF figures need Chromium (apt-get install chromium, or TRA_CHROMIUM=<path>): wrote SVG, LaTeX and Markdown',
    );
  if (browser)
    try {
      for (const { name, size, svg } of svgs) {
        const printed = await printFigure(browser, svg);
        pdfs.set(`${name}-${size}`, printed.pdf);
        labelProblems.push(...describeLabelProblems(printed.labels).map((p) => `figures/${name}-${size}: ${p}`));
      }
    } finally {
      await browser.close();
    }
  const summary = !heatmapFitsOneRowPerTask(folder.data.heatmap, FIGURE_SIZES.column);
  const clusters = summary ? summaryClusters(folder.data.heatmap) : undefined;
  const tables = paperTables(folder, clusters);
  const T = folder.data.heatmap.tasks.length;
  const figures: PaperFigure[] = svgs
    .filter((s, k) => svgs.findIndex((t) => t.name === s.name) === k)
    .map(({ name, kind, data }) => ({
      name,
      placement: PLACEMENT[kind] ?? 'column',
      pdf: pdfs.size > 0,
      caption: figureCaption(kind, folder, kind === 'affinity' ? summary : T > SUMMARY_ABOVE, data),
    }));
  const title = `${reportTitle({ affinity: folder.affinity })}: task relationships`;
  const text = paperText(folder, tables, figures, title);
  const files: PaperFile[] = [
    ...svgs.map((s) => ({ path: `figures/${s.name}-${s.size}.svg`, content: s.svg })),
    ...[...pdfs].map(([stem, pdf]) => ({ path: `figures/${stem}.pdf`, content: pdf })),
    ...text.tables.flatMap((t) => [
      { path: `tables/${t.name}.tex`, content: t.tex },
      { path: `tables/${t.name}.md`, content: t.md },
    ]),
    { path: 'methods.tex', content: text.methodsTex },
    { path: 'methods.md', content: text.methodsMd },
    { path: 'appendix.tex', content: text.appendixTex },
    { path: 'appendix.md', content: text.appendixMd },
    { path: 'references.bib', content: text.bib },
    { path: 'paper.tex', content: text.documentTex },
    { path: 'paper.md', content: text.documentMd },
  ];
  return { out, artefacts: { paper: { files } }, notes, labelProblems };
}
