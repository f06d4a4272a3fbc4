import type { Command } from 'commander';
import {
  DEFAULT_GROUP_OPTIONS,
  groupImported,
  runGroupAnalysis,
  type GroupOptions,
  type GroupResult,
} from '../analysis/group.js';
import { groupKey } from '../sweep/plan.js';
import type { NetworkListArtefact } from '../artefacts/networks.js';
import { measuredGroups } from '../analysis/groupOutput.js';
import { isImportedConfig, isImportedFolder } from '../sweep/imported.js';
import { readFolderDefinition } from '../analysis/folderDefinition.js';
import { readSpecFile } from '../analysis/spec.js';
import { InputError } from '../data/errors.js';
import { guarded } from './errors.js';
import { closedLoopVerdict } from '../grouping/closedLoop.js';
import { methodChoices } from '../grouping/select.js';
import { isFolder, numberList, numeric } from './flags.js';
import { difference, fixed, percent, span } from './format.js';

interface GroupFlags {
  budgets?: string;
  budget?: string;
  maxGroupSize?: string;
  method: string;
  trainHigherOrder?: boolean;
  main?: string;
  auxiliaryTop?: string;
  validate?: boolean;
  validateSeeds: string;
  randomDraws: string;
  bootstrap: string;
  earlyFractions: string;
  quiet?: boolean;
  json?: boolean;
}

const METHODS = methodChoices();

export function registerGroup(program: Command): void {
  program
    .command('group')
    .description(
      'which tasks to train together for every budget of networks (Standley et al.), with intervals, clustering alternatives and an optional closed-loop check; runs or resumes the pairwise sweep first',
    )
    .argument(
      '<definition>',
      "analysis definition JSON (e.g. analyses/emotions-pairwise.json), or an output folder: a sweep's (it holds the definition it ran) or imported losses (`tra import`)",
    )
    .option(
      '--budgets <list>',
      'budgets (numbers of networks) of the curve, e.g. 1,2,3 (default: 1 to the number of tasks)',
    )
    .option(
      '--budget <n>',
      'budget to recommend, check and train (default: the smallest budget within one standard error of the best)',
    )
    .option(
      '--max-group-size <k>',
      'candidate groups of up to k tasks (untrained ones approximated from pairs); default: as many as keep the exact solver fast',
    )
    .option(
      '--method <m>',
      `selection method: ${METHODS.join(', ')} (auto: exact ILP unless the candidates are too many)`,
      DEFAULT_GROUP_OPTIONS.method,
    )
    .option(
      '--train-higher-order',
      'train the groups of 3+ tasks the selection picked from approximations, report the approximation error, and select again',
    )
    .option('--main <task>', 'rank every other task as an auxiliary for this main task (name or index)')
    .option(
      '--auxiliary-top <k>',
      'with --main: also train the main task with its k best auxiliaries and report its gain',
    )
    .option(
      '--validate',
      'closed loop: train the recommended grouping and its baselines (all-in-one, all-separate, random) on fresh seeds',
    )
    .option('--validate-seeds <n>', 'fresh seeds of the closed loop', String(DEFAULT_GROUP_OPTIONS.validateSeeds))
    .option(
      '--random-draws <n>',
      'random groupings of the same budget in the closed loop',
      String(DEFAULT_GROUP_OPTIONS.randomDraws),
    )
    .option(
      '--bootstrap <n>',
      'bootstrap resamples of the seeds for the stability of the recommended grouping',
      String(DEFAULT_GROUP_OPTIONS.bootstrap),
    )
    .option(
      '--early-fractions <list>',
      'fractions of the epochs for the early-stopping approximation',
      DEFAULT_GROUP_OPTIONS.earlyFractions.join(','),
    )
    .option(
      '--json',
      "with --validate on imported losses: print only the closed loop's networks to train, as JSON (for a launcher)",
    )
    .option('--quiet', 'no progress output')
    .action(
      guarded(async (definition: string, flags: GroupFlags) => {
        if (!METHODS.includes(flags.method))
          throw new InputError(`--method '${flags.method}': expected one of ${METHODS.join(', ')}`);
        const earlyFractions = numberList('--early-fractions', flags.earlyFractions);
        const options: GroupOptions = {
          budgets: flags.budgets === undefined ? undefined : numberList('--budgets', flags.budgets),
          budget: flags.budget === undefined ? undefined : numeric('--budget', flags.budget),
          maxGroupSize: flags.maxGroupSize === undefined ? undefined : numeric('--max-group-size', flags.maxGroupSize),
          method: flags.method as GroupOptions['method'],
          trainHigherOrder: flags.trainHigherOrder === true,
          main: flags.main,
          auxiliaryTop: flags.auxiliaryTop === undefined ? undefined : numeric('--auxiliary-top', flags.auxiliaryTop),
          validate: flags.validate === true,
          validateSeeds: numeric('--validate-seeds', flags.validateSeeds),
          randomDraws: numeric('--random-draws', flags.randomDraws),
          bootstrap: numeric('--bootstrap', flags.bootstrap),
          earlyFractions,
          quiet: flags.quiet,
        };
        // A folder holds imported losses (nothing to train) or a sweep, whose definition it holds.
        const imported = isFolder(definition) && isImportedFolder(definition);
        if (flags.json && !(imported && options.validate))
          throw new InputError(
            "--json prints the closed loop's networks to train on imported losses: give an imported folder and --validate",
          );
        const result = !isFolder(definition)
          ? await runGroupAnalysis(readSpecFile(definition), options)
          : imported
            ? await groupImported(definition, options)
            : await runGroupAnalysis(readFolderDefinition(definition), options);
        process.stdout.write(
          flags.json ? `${JSON.stringify(result.closedLoopList, null, 1)}\n` : `${groupingText(result)}\n`,
        );
      }),
    );
}

export function groupingText(result: GroupResult): string {
  const { taskNames, curve, choice } = result;
  const level = percent(result.level);
  const measured = measuredGroups(result.evidence.records);
  // ~ marks a group no network was trained for: its losses are approximated from its pairs.
  const groups = (gs: number[][]): string =>
    gs.map((g) => `${measured.has(groupKey(g)) ? '' : '~'}{${g.map((t) => taskNames[t]).join(', ')}}`).join(' ');
  const imported = isImportedConfig(result.evidence.config)
    ? `, imported from ${result.evidence.config.imported.files.join(', ')}`
    : '';
  const chosen = curve.find((p) => p.budget === choice.budget);
  const lines = [
    `RECOMMENDATION: ${choice.budget} network(s): ${chosen ? groups(chosen.selection.groups) : '?'}; predicted total test loss ${chosen ? span(chosen.predicted) : 'n/a'} (${choice.reason})`,
    ...(result.closedLoop
      ? [`CLOSED LOOP: ${closedLoopVerdict(result.closedLoop).text}`]
      : result.closedLoopList
        ? [
            `CLOSED LOOP: waiting for ${result.closedLoopList.missing} of the ${result.closedLoopList.networks.length} networks on fresh seeds ${result.closedLoopList.seeds.join(', ')} (listed at the end): train them, import their losses, run this again`,
          ]
        : [
            imported
              ? 'CLOSED LOOP: not run (add --validate: it lists the networks to train on fresh seeds, and scores them once imported)'
              : 'CLOSED LOOP: not run (add --validate to check the recommendation on fresh seeds)',
          ]),
    '',
    ...(result.evidence.adaptive ? [`adaptive run: ${result.evidence.adaptive.reason}`] : []),
    `grouping ${taskNames.length} tasks over ${result.evidence.estimate.replications.length} replications${imported}: every choice on validation loss, scored on test loss (${level} intervals over seeds; ~{...}: approximated from pairs, never trained)`,
    `${'budget'.padEnd(7)}${'total test loss [interval]'.padEnd(34)}${'solve'.padStart(9)}  networks`,
  ];
  for (const p of curve) {
    const found = p.selection.groups.length > 0;
    const note = p.selection.status === 'optimal' ? '' : ` (${p.selection.status}, ${p.selection.method})`;
    lines.push(
      `${String(p.budget).padEnd(7)}${(found ? span(p.predicted) : 'no selection').padEnd(34)}${`${p.seconds.toFixed(2)} s`.padStart(9)}  ${groups(p.selection.groups)}${note}`,
    );
  }
  lines.push(`recommended budget ${choice.budget}: ${choice.reason}`);
  const { stability } = result;
  lines.push(
    `stability: the same grouping in ${percent(stability.sameGrouping)} of ${stability.draws} bootstrap resamples of the seeds (mean ARI ${fixed(stability.meanAri, 2)})`,
  );
  lines.push(
    'clustering instead of exact selection (clustering minus selection at the same budget; positive: the selection is better):',
  );
  for (const c of result.clustering)
    lines.push(
      `  ${`${c.method}, ${c.budget} network(s)`.padEnd(30)} ${c.versusSelection ? difference(c.versusSelection) : 'no selection at this budget'}${c.ari === undefined ? '' : `  ARI ${fixed(c.ari, 2)}`}`,
    );
  const { approximation } = result;
  if (approximation)
    lines.push(
      `pairwise approximation of ${approximation.groups.length} trained group(s) of 3+ tasks: mean |error| ${fixed(approximation.meanAbsError)} (${(approximation.meanRelError * 100).toFixed(1)}% of the loss)`,
    );
  if (result.earlyStopping === undefined)
    lines.push(
      imported
        ? 'early stopping: the imported losses have no per-epoch rows (add an epoch column to get it)'
        : 'early stopping: this journal predates per-epoch losses; rerun the sweep into a fresh folder to get it',
    );
  else
    for (const e of result.earlyStopping)
      lines.push(
        `early stopping at ${e.epochs} epochs (~${percent(e.costShare)} of the training cost): Spearman ${fixed(e.spearman, 2)} with full training; at budget ${choice.budget} it picks ${groups(e.groups)} (ARI ${fixed(e.ari, 2)}), regret ${difference(e.regret)}`,
      );
  const { auxiliary } = result;
  if (auxiliary) {
    lines.push(
      `auxiliary tasks for ${taskNames[auxiliary.main]} (gain 1 - L(main with task) / L(main alone), ${level} interval):`,
    );
    for (const r of auxiliary.ranking) lines.push(`  ${taskNames[r.task].padEnd(20)} ${difference(r)}  ${r.verdict}`);
    if (auxiliary.top)
      lines.push(
        `  trained with its top ${auxiliary.top.tasks.length} (${auxiliary.top.tasks.map((t) => taskNames[t]).join(', ')}): gain ${difference(auxiliary.top.gain)}`,
      );
  }
  const loop = result.closedLoop;
  if (loop) {
    lines.push(
      `closed loop on fresh seeds ${loop.seeds.join(', ')}: predicted ${fixed(loop.predicted)}, measured ${span(loop.actual)}`,
    );
    for (const b of loop.baselines)
      lines.push(
        `  vs ${b.name.padEnd(48)} predicted ${fixed(b.predicted)}, measured ${span(b.actual)}; selection minus it ${difference(b.selectedMinusBaseline)}`,
      );
  }
  if (result.closedLoopList?.missing) lines.push(...networksToTrainText(result.closedLoopList));
  lines.push(`wrote ${result.files.join(', ')}`);
  return lines.join('\n');
}

/** The closed loop's networks still to train, one per line in the long format's terms, and what to do with them. */
export function networksToTrainText(list: NetworkListArtefact): string[] {
  const folds = list.networks.some((n) => n.fold !== undefined);
  const missing = list.networks.filter((n) => !n.done);
  return [
    `networks to train for the closed loop (${missing.length}; network = the long format's network column):`,
    `  ${'network'.padEnd(24)} seed${folds ? '  fold' : ''}`,
    ...missing.map((n) => `  ${n.network.padEnd(24)} ${folds ? `${String(n.seed).padEnd(4)}  ${n.fold}` : n.seed}`),
    `next: ${list.next} (the list as CSV and JSON: closed-loop/networks.csv, networks.json; --json prints it)`,
  ];
}
