/**
 * The paper's files as text: the methods section, each table, the appendix and the references, in LaTeX and
 * Markdown, and two documents that put them together with the figures (paper.tex compiles with pdflatex alone: its
 * bibliography is inline; references.bib is for the user's own paper).
 */
import { levelText } from '../report/draw/format.js';
import { appendixLines, appendixRows } from './appendix.js';
import type { PaperFolder } from './folder.js';
import { methodsSections, type MethodsSection } from './methods.js';
import { BIBLIOGRAPHY, bibtex, type Reference, type ReferenceKey } from './references.js';
import { latexTable, markdownTable, type Table } from './table.js';
import { citations, cite, escapeLatex, escapeMarkdown, latex, markdown, type Text } from './text.js';

/** A figure of the paper: its files and caption. */
export interface PaperFigure {
  name: string;
  caption: Text;
  /** Which size paper.tex includes: a column figure, or one across the page (figure*). */
  placement: 'column' | 'page';
  /** Whether the PDFs were made (Chromium). */
  pdf: boolean;
}

const blockTexts = (sections: MethodsSection[]): Text[] =>
  sections.flatMap((s) => s.blocks.flatMap((b) => ('items' in b ? b.items : [b])));

export function methodsLatex(sections: MethodsSection[]): string {
  return sections
    .map(
      (s) =>
        `\\subsection*{${escapeLatex(s.title)}}\n${s.blocks
          .map((b) =>
            'items' in b
              ? `\\begin{itemize}\n${b.items.map((i) => `\\item ${latex(i)}`).join('\n')}\n\\end{itemize}`
              : latex(b),
          )
          .join('\n\n')}\n`,
    )
    .join('\n');
}

export function methodsMarkdown(sections: MethodsSection[]): string {
  return sections
    .map(
      (s) =>
        `### ${escapeMarkdown(s.title)}\n\n${s.blocks
          .map((b) => ('items' in b ? b.items.map((i) => `- ${markdown(i)}`).join('\n') : markdown(b)))
          .join('\n\n')}\n`,
    )
    .join('\n');
}

export function appendixLatex(folder: PaperFolder): string {
  return appendixRows(folder)
    .map(
      (row) =>
        `\\paragraph{${escapeLatex(row.artefact)}}\n\\begin{description}\\setlength{\\itemsep}{0pt}\\small\n${appendixLines(
          row,
        )
          .map((l) => `\\item[${escapeLatex(l.label)}] \\raggedright ${latex(l.value)}`)
          .join('\n')}\n\\end{description}\n`,
    )
    .join('\n');
}

export function appendixMarkdown(folder: PaperFolder): string {
  return appendixRows(folder)
    .map(
      (row) =>
        `**${escapeMarkdown(row.artefact)}**\n\n${appendixLines(row)
          .map((l) => `- ${escapeMarkdown(l.label)}: ${markdown(l.value)}`)
          .join('\n')}\n`,
    )
    .join('\n');
}

/** A reference as text: authors, year, title, venue, volume and pages. */
function referenceText(key: ReferenceKey): string {
  const { fields } = BIBLIOGRAPHY[key] as Reference;
  const authors = fields.author
    .split(' and ')
    .map((a) =>
      a
        .replace(/\\'\{?([a-z])\}?/gi, '$1')
        .replace(/\{\\o\}/g, '\u00f8')
        .replace(/[{}]/g, ''),
    )
    .join(', ');
  const venue = fields.booktitle ?? fields.journal ?? '';
  const extra = [
    fields.volume && `vol. ${fields.volume}`,
    fields.pages && `pp. ${fields.pages.replace('--', '\u2013')}`,
  ]
    .filter(Boolean)
    .join(', ');
  const title = /[.?!]$/.test(fields.title) ? fields.title : `${fields.title}.`;
  return `${authors} (${fields.year}). ${title} ${venue}${extra ? `, ${extra}` : ''}.`;
}

export function figureLatex(figure: PaperFigure): string {
  const env = figure.placement === 'page' ? 'figure*' : 'figure';
  const file = `figures/${figure.name}-${figure.placement}.pdf`;
  const body = figure.pdf
    ? `\\includegraphics{${file}}`
    : `\\fbox{\\parbox{0.9\\linewidth}{\\centering\\small figures/${figure.name}-${figure.placement}.svg (the PDF needs Chromium: rerun tra paper where it is installed)}}`;
  return `\\begin{${env}}[tbp]\n\\centering\n${body}\n\\caption{${latex(figure.caption)}}\n\\label{fig:${figure.name}}\n\\end{${env}}\n`;
}

export interface PaperText {
  methodsTex: string;
  methodsMd: string;
  appendixTex: string;
  appendixMd: string;
  bib: string;
  documentTex: string;
  documentMd: string;
  tables: { name: string; tex: string; md: string }[];
}

/** Everything textual of the paper. */
export function paperText(folder: PaperFolder, tables: Table[], figures: PaperFigure[], title: string): PaperText {
  const sections = methodsSections(folder);
  const used = citations([
    ...blockTexts(sections),
    ...tables.flatMap((t) => [t.caption, ...(t.notes ?? []), ...t.columns.map((c) => c.label)]),
    ...figures.map((f) => f.caption),
  ]);
  const methodsTex = methodsLatex(sections);
  const methodsMd = methodsMarkdown(sections);
  const appendixTex = appendixLatex(folder);
  const appendixMd = appendixMarkdown(folder);
  const tableFiles = tables.map((t) => ({ name: t.name, tex: latexTable(t), md: markdownTable(t) }));
  const bibliographyTex = `\\begin{thebibliography}{${used.length}}\n${used
    .map((key) => `\\bibitem{${key}} ${escapeLatex(referenceText(key))}`)
    .join('\n')}\n\\end{thebibliography}\n`;
  const documentTex = [
    '\\documentclass[10pt,twocolumn]{article}',
    '\\usepackage[T1]{fontenc}',
    '\\usepackage[utf8]{inputenc}',
    '\\usepackage{lmodern}',
    '\\usepackage[letterpaper,margin=0.75in]{geometry}',
    '\\usepackage{booktabs,array,graphicx,amsmath}',
    '\\setlength{\\columnsep}{0.25in}',
    `\\title{${escapeLatex(title)}}`,
    '\\author{Generated by tra paper}',
    '\\date{}',
    '\\begin{document}',
    '\\maketitle',
    '\\section{Methods}',
    '\\input{methods}',
    '\\section{Results}',
    ...figures.map(figureLatex),
    ...tableFiles.map((t) => `\\input{tables/${t.name}}`),
    '\\clearpage',
    '\\onecolumn',
    '\\appendix',
    '\\section{Reproducibility}',
    '\\input{appendix}',
    bibliographyTex,
    '\\end{document}',
    '',
  ].join('\n');
  const documentMd = [
    `# ${escapeMarkdown(title)}`,
    '',
    '## Methods',
    '',
    methodsMd,
    '## Results',
    '',
    ...figures.flatMap((f) => [
      `![${markdown(f.caption).replace(/[[\]]/g, '')}](figures/${f.name}-${f.placement}.svg)`,
      '',
      `*Figure: ${markdown(f.caption)}*`,
      '',
    ]),
    ...tableFiles.map((t) => t.md),
    '## Reproducibility',
    '',
    appendixMd,
    '## References',
    '',
    ...used.map((key) => `- ${escapeMarkdown(referenceText(key))}`),
    '',
  ].join('\n');
  return {
    methodsTex,
    methodsMd,
    appendixTex,
    appendixMd,
    bib: bibtex(used),
    documentTex,
    documentMd,
    tables: tableFiles,
  };
}

/** The captions of the figures, from their data (`data`: the figure's own, where a section draws several). */
export function figureCaption(name: string, folder: PaperFolder, summary: boolean, data?: unknown): Text {
  const h = folder.data.heatmap;
  const level = levelText(h.level);
  switch (name) {
    case 'affinity':
      return summary
        ? [
            `Task affinity of ${h.tasks.length} tasks summarised by the clusters of the average-linkage dendrogram (members in the clusters table): each block is the mean gain of the row cluster\u2019s tasks from the column cluster\u2019s `,
            cite('standley2020'),
            '; +/\u2212 where significant cells mostly help (hurt).',
          ]
        : [
            `Task affinity: gain of each row task from training with each column task `,
            cite('standley2020'),
            `, tasks in dendrogram order. Hatched: the ${level} interval over seeds includes 0; +/\u2212 (or the value): the interval excludes 0; outlined: significant at the false-discovery rate.`,
          ];
    case 'budget':
      return [
        `Total test loss of the best grouping for every budget, with ${level} intervals over seeds; diamonds: measured when trained again on fresh seeds.`,
      ];
    case 'grouping':
      return ['The networks of the recommended grouping (or of the lowest predicted loss when none was recommended).'];
    case 'taxonomy':
      return summary
        ? ['Source tasks of the taxonomy with the number of targets transferring from each ', cite('zamir2018'), '.']
        : [
            'Task taxonomy: arrows from source tasks to the targets that transfer from them, labelled by score ',
            cite('zamir2018'),
            '.',
          ];
    case 'proxies':
      return [
        'Cheap proxies against the sweep: each estimate (x) against the measured gain (y), one point (or cell of the density grid) per ordered task pair.',
      ];
    case 'auxiliary':
      return [
        `Auxiliary tasks for ${(data as { main?: string } | undefined)?.main ?? 'the main task'}: its gain from each candidate with ${level} intervals, coloured and labelled by verdict.`,
      ];
    default:
      return [name];
  }
}
