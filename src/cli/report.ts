import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { InputError } from '../data/errors.js';
import { writeReportForDir } from '../report/html/index.js';
import { guarded } from './errors.js';
import { lockFolder } from '../io/lock.js';
import { checkMayReplace } from '../sweep/outputFolder.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write <dir>/index.html: a self-contained, offline HTML report of the analysis in <dir>')
    .argument(
      '<dir>',
      'analysis folder with affinity.json (optional: grouping.json, auxiliary.json, auxiliary-<main>/auxiliary.json, taxonomy.json, proxies.json, baselines.json)',
    )
    .action(
      guarded((dir: string) => {
        checkAnalysisFolder(dir);
        checkMayReplace(dir, 'index.html', 'tra report');
        lockFolder(dir);
        const file = writeReportForDir(dir);
        process.stdout.write(`wrote ${file}\n`);
      }),
    );
}

/** `dir` exists and is a folder (an InputError says which it is not). */
export function checkAnalysisFolder(dir: string): void {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new InputError(`${dir}: no such folder`);
  }
  if (!isDir) throw new InputError(`${dir}: not a folder (give the analysis folder, e.g. reports/emotions-pairwise)`);
}
