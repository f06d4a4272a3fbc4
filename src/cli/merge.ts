import { dirname } from 'node:path';
import type { Command } from 'commander';
import { hasFolderDefinition, readFolderDefinition, writeFolderDefinition } from '../analysis/folderDefinition.js';
import { affinityFromJournal, journalPathOf } from '../analysis/pairwise.js';
import { writeArtefacts } from '../analysis/write.js';
import { mergeJournals } from '../sweep/merge.js';
import { matrixText, reliabilityText } from '../report/summary.js';
import { CliExit, EXIT, guarded } from './errors.js';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description(
      'combine shard journals into one analysis folder, check completeness and duplicates, and compute the matrix',
    )
    .argument('<dir>', 'analysis output folder to merge into, e.g. reports/yeast-pairwise')
    .argument('<journals...>', 'shard journals (journal.jsonl of each shard folder)')
    .action(
      guarded((dir: string, journals: string[]) => {
        const merged = mergeJournals(journalPathOf(dir), journals);
        // the shards ran one definition: the merged folder keeps it, so tra group <dir> works as on a sweep's folder
        const shard = journals.map(dirname).find(hasFolderDefinition);
        if (shard && !hasFolderDefinition(dir)) writeFolderDefinition(readFolderDefinition(shard), dir);
        process.stdout.write(
          `merged ${merged.networks} networks from ${merged.journals} journals (${merged.duplicates} duplicates, identical results)\n`,
        );
        if (merged.missing.length > 0) {
          const shown = merged.missing.slice(0, 10).join(', ');
          process.stdout.write(
            `incomplete: ${merged.missing.length} planned networks are in no journal (${shown}${merged.missing.length > 10 ? ', …' : ''}); finish the missing shards and merge again\n`,
          );
          throw new CliExit(EXIT.incomplete);
        }
        const result = affinityFromJournal(dir);
        const files = writeArtefacts(result);
        process.stdout.write(
          `\n${matrixText(result.estimate, result.inference)}\n\n${reliabilityText(result.estimate)}\n\nwrote ${files.join(', ')}\n`,
        );
      }),
    );
}
