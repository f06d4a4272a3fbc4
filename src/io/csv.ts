import { csvFormatRows } from 'd3-dsv';
import { parseDecimal } from '../data/numbers.js';

/**
 * A finite number's text, String(value)'s (JSON.stringify's is the same ECMAScript ToString), made without V8's
 * number-to-string cache: the cache keeps each new number's string alive across young-generation collections, which
 * moved them to the old heap (a 1000-task affinity.csv's four million numbers: 75 MB of the heap's peak as garbage).
 */
const numberText = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? JSON.stringify(value) : undefined;

/**
 * A cell a spreadsheet would evaluate as a formula (text starting with =, +, -, @, a tab or a carriage return: OWASP's
 * list) gets a leading apostrophe, which spreadsheets show as text; numbers, and text that is a plain decimal number
 * (-0.5), are left as they are. A task named `=HYPERLINK(…)` is shown, never run.
 */
export function spreadsheetSafe(cell: unknown): string {
  if (cell === undefined || cell === null) return '';
  const text = numberText(cell) ?? String(cell);
  if (typeof cell === 'number' || !/^[=+\-@\t\r]/.test(text) || parseDecimal(text) !== undefined) return text;
  return `'${text}`;
}

/**
 * CSV lines of rows (the first the header), each ending in a newline, every cell spreadsheet-safe, d3's quoting; the one
 * CSV writer of tra. Lines one at a time, so that a file of a million rows is written as it is made.
 */
export function* csvLines(rows: Iterable<readonly unknown[]>): Generator<string> {
  for (const row of rows) yield `${csvFormatRows([row.map(spreadsheetSafe)])}\n`;
}

/** CSV text of rows (the first the header): csvLines as one string. */
export const csvText = (rows: readonly (readonly unknown[])[]): string => [...csvLines(rows)].join('');

/** CSV text of objects, with a header row from the first object's keys (as d3's csvFormat), every cell safe. */
export function csvOfObjects(rows: readonly object[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return csvText([columns, ...rows.map((row) => columns.map((c) => (row as Record<string, unknown>)[c]))]);
}
