/** A table of the paper, written once and rendered as LaTeX (booktabs) and as a Markdown pipe table. */
import { latex, markdown, type Text } from './text.js';

export interface Cell {
  text: Text;
  bold?: boolean;
  /** A second line under the first (LaTeX stacks it in the cell; Markdown appends it). */
  below?: Text;
}

export interface Table {
  /** File stem and LaTeX label: tables/<name>.tex, \label{tab:<name>}. */
  name: string;
  caption: Text;
  /** `width` (a LaTeX length, e.g. 0.45\\textwidth) makes a column of wrapped text. */
  columns: { label: Text; align: 'l' | 'r' | 'c'; width?: string }[];
  rows: (Cell | Text | string)[][];
  /** A last row set off by a rule (totals). */
  footer?: (Cell | Text | string)[];
  /** Lines under the table (marks, what was left out). */
  notes?: Text[];
  /** Spans both columns of a two-column paper (table*). */
  wide?: boolean;
}

const cellOf = (c: Cell | Text | string): Cell =>
  typeof c === 'string' ? { text: [c] } : Array.isArray(c) ? { text: c } : c;

function latexCell(raw: Cell | Text | string, align: string): string {
  const c = cellOf(raw);
  const body = c.bold ? `\\textbf{${latex(c.text)}}` : latex(c.text);
  return c.below ? `\\begin{tabular}[t]{@{}${align}@{}}${body}\\\\\\relax ${latex(c.below)}\\end{tabular}` : body;
}

/** The table as a LaTeX float (booktabs, \footnotesize), with its caption above and notes below. */
export function latexTable(table: Table): string {
  const env = table.wide ? 'table*' : 'table';
  const aligns = table.columns.map((c) => c.align);
  const line = (cells: (Cell | Text | string)[]): string =>
    `${cells.map((c, k) => latexCell(c, aligns[k] ?? 'l')).join(' & ')} \\\\`;
  return [
    `\\begin{${env}}[tbp]`,
    '\\centering\\footnotesize',
    `\\caption{${latex(table.caption)}}`,
    `\\label{tab:${table.name}}`,
    `\\begin{tabular}{${table.columns.map((c) => (c.width ? `>{\\raggedright\\arraybackslash}p{${c.width}}` : c.align)).join('')}}`,
    '\\toprule',
    `${table.columns.map((c) => latex(c.label)).join(' & ')} \\\\`,
    '\\midrule',
    ...table.rows.map(line),
    ...(table.footer ? ['\\midrule', line(table.footer)] : []),
    '\\bottomrule',
    '\\end{tabular}',
    ...(table.notes?.length
      ? [`\\par\\smallskip\\parbox{\\linewidth}{\\scriptsize ${table.notes.map(latex).join(' ')}}`]
      : []),
    `\\end{${env}}`,
    '',
  ].join('\n');
}

function markdownCell(raw: Cell | Text | string): string {
  const c = cellOf(raw);
  const body = markdown(c.text) + (c.below ? ` ${markdown(c.below)}` : '');
  return c.bold && body ? `**${body}**` : body;
}

/** The table as Markdown: the caption as a bold line, a pipe table, the notes as a paragraph. */
export function markdownTable(table: Table): string {
  const align = { l: ':--', r: '--:', c: ':-:' };
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [
    `**Table: ${markdown(table.caption)}**`,
    '',
    line(table.columns.map((c) => markdown(c.label))),
    line(table.columns.map((c) => align[c.align])),
    ...table.rows.map((r) => line(r.map(markdownCell))),
    ...(table.footer ? [line(table.footer.map(markdownCell))] : []),
    ...(table.notes?.length ? ['', table.notes.map(markdown).join(' ')] : []),
    '',
  ].join('\n');
}
