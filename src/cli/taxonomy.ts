import type { Command } from 'commander';
import { readSpecFile } from '../analysis/spec.js';
import { readFolderDefinition } from '../analysis/folderDefinition.js';
import { isImportedFolder } from '../sweep/imported.js';
import type { BackendName } from '../engine/backend.js';
import { ownNetworkBetter } from '../taxonomy/build.js';
import { DEFAULT_TAXONOMY, runImportedTaxonomy, runTaxonomy, type TaxonomyOutcome } from '../analysis/taxonomy.js';
import { InputError } from '../data/errors.js';
import { transferOrder } from '../taxonomy/transfers.js';
import { guarded } from './errors.js';
import { isFolder, numberList, numeric } from './flags.js';

interface TaxonomyFlags {
  budgets: string;
  drawBudget?: string;
  orders?: string;
  beam?: string;
  readoutHidden?: string;
  backend?: BackendName;
  quiet?: boolean;
}

export function registerTaxonomy(program: Command): void {
  program
    .command('taxonomy')
    .description(
      'Taskonomy: which tasks to train from scratch under a supervision budget and which source(s) each other task should transfer from (frozen encoders, readouts, AHP, exact selection)',
    )
    .argument(
      '<definition>',
      'analysis definition JSON (data, tasks, seeds, split, engine), e.g. analyses/emotions-pairwise.json; writes into its output folder; or the folder of imported losses with per-example test losses (`tra import`)',
    )
    .option(
      '--budgets <list>',
      "supervision budgets to solve (tasks trained from scratch), comma-separated, or 'all' (1..T)",
      'all',
    )
    .option(
      '--draw-budget <n>',
      'the budget whose taxonomy taxonomy.json and the report draw (default: half the tasks, rounded up)',
    )
    .option(
      '--orders <list>',
      `transfer orders: 1 = one source, k = a readout on k sources' concatenated trunks (default: ${DEFAULT_TAXONOMY.orders.join(',')}, those the task count allows)`,
    )
    .option(
      '--beam <n>',
      `higher-order source sets are combinations of a target's N best first-order sources (default: ${DEFAULT_TAXONOMY.beam})`,
    )
    .option(
      '--readout-hidden <widths>',
      `hidden layer widths of a readout on frozen trunks (default: ${DEFAULT_TAXONOMY.readoutHidden.join(',')})`,
    )
    .option(
      '--backend <name>',
      "native, tensorflow, wasm or cpu (default: the definition's, else the fastest that loads)",
    )
    .option('--quiet', 'no progress on stderr')
    .action(
      guarded(async (definition: string, flags: TaxonomyFlags) => {
        const budgets = {
          budgets: flags.budgets === 'all' ? undefined : numberList('--budgets', flags.budgets),
          drawBudget: flags.drawBudget === undefined ? undefined : numeric('--draw-budget', flags.drawBudget),
        };
        let outcome: TaxonomyOutcome;
        if (isFolder(definition) && isImportedFolder(definition)) {
          // Imported networks are the transfers: the flags that say what to train have nothing to act on.
          const training = [
            flags.orders && '--orders',
            flags.beam && '--beam',
            flags.readoutHidden && '--readout-hidden',
            flags.backend && '--backend',
          ].filter(Boolean);
          if (training.length)
            throw new InputError(
              `${training.join(', ')}: ${definition} holds imported losses, and the toolkit cannot train your model; its measured networks are the transfers`,
            );
          outcome = await runImportedTaxonomy(definition, budgets);
        } else
          outcome = await runTaxonomy(
            isFolder(definition) ? readFolderDefinition(definition) : readSpecFile(definition),
            {
              ...budgets,
              orders: flags.orders === undefined ? undefined : numberList('--orders', flags.orders),
              beam: flags.beam === undefined ? DEFAULT_TAXONOMY.beam : numeric('--beam', flags.beam),
              readoutHidden:
                flags.readoutHidden === undefined
                  ? DEFAULT_TAXONOMY.readoutHidden
                  : numberList('--readout-hidden', flags.readoutHidden),
              backend: flags.backend,
              quiet: flags.quiet,
            },
          );
        process.stdout.write(`${summary(outcome).join('\n')}\n`);
      }),
    );
}

function summary({
  taskNames,
  backend,
  measurements,
  tournaments,
  problem,
  choices,
  drawBudget,
  comparison,
  files,
  report,
}: TaxonomyOutcome): string[] {
  const names = (tasks: number[]): string => tasks.map((t) => taskNames[t]).join('+');
  const count = (order: (o: number) => boolean): number =>
    measurements.transfers.filter((t) => order(transferOrder(t))).length;
  const counts = `${count((o) => o === 0)} own networks, ${count((o) => o === 1)} first-order and ${count((o) => o > 1)} higher-order transfers, each over ${measurements.replications.length} replications`;
  const lines = [
    backend === 'imported'
      ? `taxonomy of ${taskNames.length} tasks from imported losses: ${counts}; a transfer is the target's head in the measured multi-task network (not a frozen-encoder readout as in Taskonomy)`
      : `taxonomy of ${taskNames.length} tasks on backend '${backend}': ${counts}; ${measurements.seconds.toFixed(0)} s of training`,
    'AHP consistency ratio per target, first-order tournament / all transfers (Saaty: below 0.1 is consistent):',
    ...tournaments.map(
      (t, k) =>
        `  ${taskNames[t.target].padEnd(24)} ${measurements.firstOrder.tournaments[k].ahp.consistencyRatio.toFixed(3)} / ${t.ahp.consistencyRatio.toFixed(3)}`,
    ),
    'budget  total score  sources (trained from scratch)',
    ...choices.map((c) => `  ${String(c.budget).padStart(4)}  ${c.total.toFixed(3).padStart(11)}  ${names(c.sources)}`),
  ];
  const drawn = choices.find((c) => c.budget === drawBudget);
  if (drawn) {
    lines.push(
      `taxonomy at budget ${drawBudget} (score: AHP-normalised affinity; own: the target's own network's score):`,
    );
    for (const s of drawn.served) {
      const how = s.own ? 'own network (source)' : `from ${names(s.sources)}`;
      const warning = ownNetworkBetter(problem, s) ? '  own network better' : '';
      lines.push(
        `  ${taskNames[s.target].padEnd(24)} ${how.padEnd(40)} score ${s.score.toFixed(3)}  own ${problem.ownScore[s.target].toFixed(3)}${warning}`,
      );
    }
  }
  lines.push(
    comparison
      ? `against the pairwise gain matrix: Spearman ${comparison.spearman.toFixed(2)} over ${comparison.cells} cells (Kendall ${comparison.kendall.toFixed(2)}; mean within-target Spearman ${comparison.meanWithinTarget.toFixed(2)})`
      : 'no affinity.json of a pairwise sweep of these tasks in the output folder: run `tra run <definition>` to compare with it',
  );
  lines.push(`wrote ${files.json}, ${files.losses}, ${files.affinity}${report ? ` and ${report}` : ''}`);
  return lines;
}
