import type { Command } from 'commander';
import { isImportedFolder } from '../sweep/imported.js';
import { ownNetworkBetter } from '../taxonomy/build.js';
import type { TaxonomyOutcome } from '../analysis/taxonomy.js';
import { writeArtefacts } from '../analysis/write.js';
import { InputError } from '../data/errors.js';
import { flagName } from '../options/option.js';
import { TAXONOMY_OPTIONS } from '../options/taxonomy.js';
import { transferOrder } from '../taxonomy/transfers.js';
import { importedFolderOptions, readDefinition } from './definition.js';
import { guarded } from './errors.js';
import { isFolder } from './flags.js';
import { addOptions, givenValues } from './options.js';

export function registerTaxonomy(program: Command): void {
  addOptions(
    program
      .command('taxonomy')
      .description(
        'Taskonomy: which tasks to train from scratch under a supervision budget and which source(s) each other task should transfer from (frozen encoders, readouts, AHP, exact selection); flags override the definition',
      )
      .argument(
        '<definition>',
        'analysis definition JSON (data, tasks, seeds, split, engine), e.g. analyses/emotions-pairwise.json; writes into its output folder; or the folder of imported losses with per-example test losses (`tra import`)',
      ),
    'taxonomy',
  ).action(
    guarded(async (definition: string, flags: Record<string, unknown>) => {
      const { budgets, drawBudget, ...training } = givenValues(flags, TAXONOMY_OPTIONS);
      // imported when run: measuring transfers loads tfjs, which no other command's start-up should pay for
      const { runImportedTaxonomy, runTaxonomy } = await import('../analysis/taxonomy.js');
      let outcome: TaxonomyOutcome;
      if (isFolder(definition) && isImportedFolder(definition)) {
        // Imported networks are the transfers: the flags that say what to train have nothing to act on.
        const refused = Object.keys(training).map((key) => flagName(TAXONOMY_OPTIONS[key as keyof typeof training]));
        if (refused.length)
          throw new InputError(
            `${refused.join(', ')}: ${definition} holds imported losses, and the toolkit cannot train your model; its measured networks are the transfers`,
          );
        importedFolderOptions(definition, flags);
        outcome = await runImportedTaxonomy(definition, { budgets, drawBudget });
      } else
        outcome = await runTaxonomy(readDefinition(definition, flags), {
          budgets,
          drawBudget,
          ...training,
          progress: flags.quiet !== true,
        });
      process.stdout.write(`${summary(outcome, writeArtefacts(outcome)).join('\n')}\n`);
    }),
  );
}

function summary(
  { taskNames, backend, measurements, tournaments, problem, choices, drawBudget, comparison }: TaxonomyOutcome,
  files: string[],
): string[] {
  const names = (tasks: number[]): string => tasks.map((t) => taskNames[t]).join('+');
  const count = (order: (o: number) => boolean): number =>
    measurements.transfers.filter((t) => order(transferOrder(t))).length;
  const counts = `${count((o) => o === 0)} own networks, ${count((o) => o === 1)} first-order and ${count((o) => o > 1)} higher-order transfers, each over ${measurements.replications.length} replications`;
  const lines = [
    backend === 'imported' || backend === 'command'
      ? `taxonomy of ${taskNames.length} tasks from ${backend === 'imported' ? 'imported losses' : "your command's networks"}: ${counts}; a transfer is the target's head in the measured multi-task network (not a frozen-encoder readout as in Taskonomy)`
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
  lines.push(`wrote ${files.join(', ')}`);
  return lines;
}
