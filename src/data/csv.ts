import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { Papa } from '../vendor/papaparse.js';
import { DataError } from './errors.js';
import { lookAlikeProblem, nameProblem } from './names.js';

/** A CSV file as text cells, with the file line on which each data row starts (for error messages). */
export interface CsvTable {
  file: string;
  header: string[];
  rows: string[][];
  lines: number[];
  bytes: Buffer;
  /** What the user should know about how the file was read (e.g. it is not UTF-8). */
  notes: string[];
}

/** A user's input file as bytes; an unreadable one is a DataError naming it. */
export function readInputFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new DataError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** Reads a CSV with a header row. Blank lines are skipped (they hold no row); every other irregularity is an error. */
export function readCsv(file: string): CsvTable {
  const bytes = readInputFile(file);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const notes = isUtf8(bytes)
    ? []
    : [
        `${file} is not valid UTF-8 (Latin-1 or another encoding?): characters it cannot decode read as '\uFFFD' in column names; save it as UTF-8`,
      ];
  const records: { cells: string[]; line: number }[] = [];
  let line = 1;
  let consumed = 0;
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      const startLine = line;
      // A line ends at \n, \r\n or a lone \r (old Mac files), as Papa Parse splits them.
      for (let i = consumed; i < end; i++) {
        const code = text.charCodeAt(i);
        if (code === 10 || (code === 13 && text.charCodeAt(i + 1) !== 10)) line++;
      }
      consumed = end;
      if (result.errors.length > 0 && result.errors[0].type === 'Quotes')
        throw new DataError(file, `malformed quoting (${result.errors[0].message})`, startLine);
      const isBlank = result.data.length === 1 && result.data[0].trim() === '';
      if (!isBlank) records.push({ cells: result.data, line: startLine });
    },
  });
  if (records.length === 0) throw new DataError(file, 'the file is empty: expected a header row and data rows');
  const [head, ...body] = records;
  const header = head.cells.map((name) => name.trim());
  header.forEach((name, index) => {
    if (name === '') throw new DataError(file, `column ${index + 1} of the header has no name`, head.line);
    const problem = nameProblem(name);
    if (problem) throw new DataError(file, `column ${index + 1} of the header: ${problem}`, head.line);
    const first = header.indexOf(name);
    if (first !== index)
      throw new DataError(file, `duplicate column name (columns ${first + 1} and ${index + 1})`, head.line, name);
  });
  const lookAlike = lookAlikeProblem(header);
  if (lookAlike) throw new DataError(file, `header: ${lookAlike}`, head.line);
  for (const record of body) {
    if (record.cells.length !== header.length)
      throw new DataError(
        file,
        `expected ${header.length} fields as in the header, found ${record.cells.length}`,
        record.line,
      );
  }
  return { file, header, rows: body.map((r) => r.cells), lines: body.map((r) => r.line), bytes, notes };
}
