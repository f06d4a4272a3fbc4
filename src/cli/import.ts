import { basename, extname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { runImport, type ImportOutcome } from '../analysis/import.js';
import { writeArtefacts } from '../analysis/write.js';
import { InputError } from '../data/errors.js';
import { costedLabel } from '../grouping/costedSelection.js';
import { IMPORT_OPTIONS } from '../options/imports.js';
import { INFERENCE_OPTIONS } from '../options/inference.js';
import { matrixText, reliabilityText } from '../report/summary.js';
import { guarded } from './errors.js';
import { isFolder } from './flags.js';
import { addOptions, givenValues } from './options.js';

export function registerImport(program: Command): void {
  addOptions(
    program
      .command('import')
      .description(
        'import losses measured elsewhere (your model, your framework): validate them and write a journal that affinity, group, report read',
      )
      .argument(
        '<files...>',
        'files of losses in the long format (.csv or JSON lines; docs/IMPORT.md), or quoted patterns such as "runs/*.csv", merged into one folder; first an imported folder to add to it; or one Standley validation table with --format standley',
      ),
    'import',
  ).action(
    guarded(async (inputs: string[], flags: Record<string, unknown>) => {
      const { level, fdr } = INFERENCE_OPTIONS;
      const options = { ...givenValues(flags, IMPORT_OPTIONS), ...givenValues(flags, { level, fdr }) };
      // `tra import <imported folder> more.csv`: the folder first, then the files to add to it
      const [first, ...rest] = inputs;
      const intoFolder = isFolder(first);
      if (intoFolder && options.out !== undefined && resolve(options.out) !== resolve(first))
        throw new InputError(`${first} is a folder and --out names another: give the folder to import into once`);
      const files = intoFolder ? rest : inputs;
      if (files.length === 0) throw new InputError(`name the files of losses to import into ${first}`);
      const outcome = await runImport(files, {
        ...options,
        out: intoFolder ? first : (options.out ?? join('reports', basename(first, extname(first)))),
      });
      process.stdout.write(`${importText(outcome, [...outcome.journals, ...writeArtefacts(outcome)])}\n`);
    }),
  );
}

const fixed = (x: number | null): string => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(5));

export function importText(
  { journal, notes, added, known, closedLoop, estimate, inference, standley, out }: ImportOutcome,
  files: string[],
): string {
  const { config } = journal.header;
  const names = config.taskNames;
  const group = (g: number[]): string => `{${g.map((t) => names[t]).join(', ')}}`;
  const lines = [
    ...(known.length ? [`already imported, skipped: ${known.join(', ')}`] : []),
    `${added.length ? `added ${added.join(', ')}; ` : 'nothing new; '}the folder holds ${journal.records.length} networks of ${names.length} tasks (${names.join(', ')}) over ${estimate.replications.length} replication(s) from ${config.imported.files.join(', ')} (metric: ${config.imported.metric === 'accuracy' ? 'accuracy, imported as error 1 - accuracy' : 'loss'})`,
    ...(closedLoop
      ? [
          `closed loop (fresh seeds ${closedLoop.seeds.join(', ')}): ${closedLoop.imported} of the ${closedLoop.listed} networks tra group --validate listed are imported; ${closedLoop.imported === closedLoop.listed ? `tra group ${out} --validate scores them` : `${out}/closed-loop/networks.csv lists the rest`}`,
        ]
      : []),
    notes.largerGroups.length
      ? `measured groups of 3+ tasks: ${notes.largerGroups.map(group).join(' ')}; grouping approximates every other larger group from pairs`
      : 'no group of 3+ tasks was measured: grouping approximates every larger group from pairs (Standley et al.)',
    ...(notes.missingSplits.length
      ? [
          `no ${notes.missingSplits.join(' or ')} losses: tra group (chooses on validation, scores on test) cannot run on this import`,
        ]
      : []),
    config.epochs === undefined
      ? 'no per-epoch rows: the early-stopping approximation is not available'
      : `per-epoch rows up to epoch ${config.epochs}: the early-stopping approximation is available`,
    journal.examples
      ? `per-example test losses: tra taxonomy ${out} runs on them`
      : 'no per-example test losses: tra taxonomy cannot run on this import',
    ...(journal.costed.length
      ? [
          `networks at another cost than 1: ${[...new Set(journal.costed.map(({ record, cost }) => costedLabel({ group: record.group, cost, approximated: false }, names)))].join(' ')}; ${standley ? 'the costed selection below uses them, tra group selects among the full-size networks only' : 'no validation rows: no costed selection'}`,
        ]
      : []),
    '',
    matrixText(estimate, inference),
    '',
    reliabilityText(estimate),
  ];
  if (standley) {
    lines.push(
      '',
      "Standley et al.'s costed network selection (chosen on validation, scored on test; test total = each task's best chosen network on test; ~: approximated from pairs; @: cost other than 1):",
    );
    lines.push(
      `${'budget'.padEnd(8)}${'optimal'.padEnd(12)}${standley.earlyStopping ? 'early stop'.padEnd(12) : ''}${'pairwise approx.'.padEnd(18)}optimal networks`,
    );
    standley.optimal.forEach((p, k) =>
      lines.push(
        `${String(p.budget).padEnd(8)}${fixed(p.testTotal).padEnd(12)}${standley.earlyStopping ? fixed(standley.earlyStopping[k].testTotal).padEnd(12) : ''}${fixed(standley.approximation[k].testTotal).padEnd(18)}${p.networks.map((n) => costedLabel(n, names)).join(' ')}`,
      ),
    );
  }
  lines.push('', `wrote ${files.join(', ')}`);
  return lines.join('\n');
}
