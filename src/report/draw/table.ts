/** HTML beside the charts: sub-headings, notes and data tables, every value set as text (never `.html()`). */
import * as d3 from 'd3';

/** One cell of dataTable: text, chips (e.g. task groups), both as text only. */
export interface TableCell {
  text?: string;
  chips?: string[];
  /** A short marker after the text, e.g. "recommended". */
  badge?: string;
  className?: string;
}

/** A sub-heading inside a view. */
export function viewHeading(container: HTMLElement, text: string): void {
  d3.select(container).append('h3').attr('class', 'view-heading').text(text);
}

/** A paragraph of text inside a view (class `note` unless given). */
export function viewNote(container: HTMLElement, text: string, className = 'note'): void {
  d3.select(container).append('p').attr('class', className).text(text);
}

/**
 * A data table (first column as row headers) with a caption; every cell is set as text. `rowClass` marks rows
 * (e.g. the recommended budget). Returns the table.
 */
export function dataTable(
  container: HTMLElement,
  className: string,
  caption: string,
  columns: { label: string; num?: boolean }[],
  rows: (string | TableCell)[][],
  rowClass?: (k: number) => string | null,
): d3.Selection<HTMLTableElement, unknown, null, undefined> {
  const table = d3
    .select(container)
    .append('div')
    .attr('class', 'table-wrap')
    .append('table')
    .attr('class', `data ${className}`);
  if (caption) table.append('caption').text(caption);
  table
    .append('thead')
    .append('tr')
    .selectAll('th')
    .data(columns)
    .join('th')
    .attr('scope', 'col')
    .attr('class', (c) => (c.num ? 'num' : null))
    .text((c) => c.label);
  const body = table.append('tbody');
  rows.forEach((row, r) => {
    const tr = body.append('tr');
    const mark = rowClass ? rowClass(r) : null;
    if (mark) tr.attr('class', mark);
    row.forEach((raw, k) => {
      const cell: TableCell = typeof raw === 'string' ? { text: raw } : raw;
      const td = tr.append<HTMLTableCellElement>(k === 0 ? 'th' : 'td');
      if (k === 0) td.attr('scope', 'row');
      const classes = [columns[k]?.num ? 'num' : '', cell.className ?? ''].filter((c) => c !== '').join(' ');
      if (classes) td.attr('class', classes);
      if (cell.text !== undefined) td.append('span').text(cell.text);
      for (const chip of cell.chips ?? []) td.append('span').attr('class', 'chip').text(chip);
      if (cell.badge) td.append('span').attr('class', 'badge').text(cell.badge);
    });
  });
  return table;
}
