import { relative } from 'node:path';
import type { Command } from 'commander';
import { writeArtefacts } from '../analysis/write.js';
import { claimOutputFolder } from '../sweep/outputFolder.js';
import { guarded } from './errors.js';
import { checkAnalysisFolder } from './report.js';
import { PAPER_OPTIONS } from '../options/paper.js';
import { addOptions, givenValues } from './options.js';

export function registerPaper(program: Command): void {
  addOptions(
    program
      .command('paper')
      .description(
        'write a research report from an analysis folder: figures (SVG, and PDF through Chromium) at column and page width, LaTeX and Markdown tables, a methods section with BibTeX, and a reproducibility appendix',
      )
      .argument(
        '<dir>',
        'analysis folder with affinity.json (and whatever grouping, auxiliary, taxonomy, proxies and baselines files it has)',
      ),
    'paper',
  ).action(
    guarded(async (dir: string, flags: Record<string, unknown>) => {
      const { out, pdf = true } = givenValues(flags, PAPER_OPTIONS);
      checkAnalysisFolder(dir);
      const started = performance.now();
      // Chromium's driver (playwright-core) and the DOM (linkedom) load with tra paper, not with every command
      const { runPaper } = await import('../analysis/paper.js');
      const outcome = await runPaper({ dir, ...(out ? { out } : {}), pdf });
      claimOutputFolder(out ?? outcome.out);
      const written = writeArtefacts(outcome);
      for (const note of outcome.notes) process.stderr.write(`${note}\n`);
      for (const problem of outcome.labelProblems) process.stderr.write(`warning: ${problem}\n`);
      const figures = written.filter((p) => /figures\//.test(p)).length;
      process.stdout.write(
        `wrote ${written.length} files to ${relative(process.cwd(), outcome.out) || '.'} (${figures} figure files, paper.tex, paper.md) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
      );
    }),
  );
}
