import { createHash } from 'node:crypto';
import { readInputFile } from './csv.js';
import { DataError } from './errors.js';
import { lossProblem, parseDecimal } from './numbers.js';

/**
 * The table format of Standley et al.'s network selection (tstandley/taskgrouping, network_selection/results*.txt,
 * read by its main.cpp): tab-separated, one column per task. The first line holds half-size single-task networks
 * (one per column, cost 1/2); every further line is one full-size network (cost 1), with a loss in the columns of its
 * tasks and empty cells elsewhere.
 */
export interface StandleyTable {
  file: string;
  sha256: string;
  taskCount: number;
  /** Line 1: each task's loss in its half-size network. */
  halfSize: { line: number; loss: number[] };
  /** Lines 2+: full-size networks, each a sorted task set and its tasks' losses. */
  networks: { line: number; group: number[]; loss: number[] }[];
}

export const HALF_SIZE_COST = 0.5;

export function readStandleyTable(file: string): StandleyTable {
  const bytes = readInputFile(file);
  const lines = bytes.toString('utf8').replace(/\r/g, '').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length < 2)
    throw new DataError(file, 'expected a line of half-size networks and one line per full-size network');
  const taskCount = lines[0].split('\t').length;
  const cellsOf = (text: string, line: number): (number | undefined)[] => {
    const cells = text.split('\t');
    if (cells.length !== taskCount)
      throw new DataError(file, `expected ${taskCount} tab-separated cells as on line 1, found ${cells.length}`, line);
    return cells.map((cell, c) => {
      if (cell.trim() === '') return undefined;
      const value = parseDecimal(cell);
      const problem =
        value === undefined ? `expected a positive loss or an empty cell, got '${cell}'` : lossProblem(value);
      if (problem) throw new DataError(file, problem, line, `task ${c + 1}`);
      return value;
    });
  };
  const first = cellsOf(lines[0], 1);
  const missing = first.indexOf(undefined);
  if (missing >= 0)
    throw new DataError(
      file,
      "line 1 holds every task's half-size network: the cell is empty",
      1,
      `task ${missing + 1}`,
    );
  const seen = new Map<string, number>();
  const networks = lines.slice(1).map((text, k) => {
    const line = k + 2;
    const cells = cellsOf(text, line);
    const group = cells.flatMap((v, t) => (v === undefined ? [] : [t]));
    if (group.length === 0) throw new DataError(file, 'a network line with no loss', line);
    const key = group.join(',');
    if (seen.has(key))
      throw new DataError(
        file,
        `the network of tasks ${group.map((t) => t + 1).join('+')} is also on line ${seen.get(key)}`,
        line,
      );
    seen.set(key, line);
    return { line, group, loss: group.map((t) => cells[t] as number) };
  });
  return {
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    taskCount,
    halfSize: { line: 1, loss: first as number[] },
    networks,
  };
}
