import type { Command } from 'commander';
import { groupImported, runGroupAnalysis, type GroupOptions, type GroupResult } from '../analysis/group.js';
import { groupKey } from '../sweep/plan.js';
import type { NetworkListArtefact } from '../artefacts/networks.js';
import { measuredGroups } from '../analysis/groupOutput.js';
import { writeArtefacts } from '../analysis/write.js';
import { isImportedConfig } from '../sweep/config.js';
import { isImportedFolder } from '../sweep/imported.js';
import { InputError } from '../data/errors.js';
import { guarded } from './errors.js';
import { closedLoopVerdict } from '../grouping/closedLoop.js';
import { GROUPING_OPTIONS } from '../options/grouping.js';
import { importedFolderOptions, readDefinition } from './definition.js';
import { isFolder } from './flags.js';
import { addOptions, givenValues } from './options.js';
import { runOptionsOf } from './run.js';
import { auxiliaryRankingDecision } from '../grouping/decision.js';
import { difference, fixed, percent, span } from './format.js';

export function registerGroup(program: Command): void {
  addOptions(
    program
      .command('group')
      .description(
        'which tasks to train together for every budget of networks (Standley et al.), with intervals, clustering alternatives and an optional closed-loop check; runs or resumes the pairwise sweep first; flags override the definition',
      )
      .argument(
        '<definition>',
        "analysis definition JSON (e.g. analyses/emotions-pairwise.json), or an output folder: a sweep's (it holds the definition it ran) or imported losses (`tra import`)",
      ),
    'group',
  ).action(
    guarded(async (definition: string, flags: Record<string, unknown>) => {
      const options: GroupOptions = { ...givenValues(flags, GROUPING_OPTIONS), ...runOptionsOf(flags) };
      // A folder holds imported losses (nothing to train) or a sweep, whose definition it holds.
      const imported = isFolder(definition) && isImportedFolder(definition);
      const moreGroups = options.trainHigherOrder === true || options.auxiliaryTop !== undefined;
      if (flags.json && !(imported && (options.validate === true) !== moreGroups))
        throw new InputError(
          "--json prints one list of networks to train on imported losses: give an imported folder and either --validate (the closed loop's networks on fresh seeds) or --train-higher-order / --auxiliary-top (more groups on the sweep's seeds)",
        );
      const result = imported
        ? await groupImported(definition, { ...options, ...importedFolderOptions(definition, flags) })
        : await runGroupAnalysis(readDefinition(definition, flags), options);
      const files = writeArtefacts(result);
      process.stdout.write(
        flags.json
          ? `${JSON.stringify(result.closedLoopList ?? result.moreGroupsList, null, 1)}\n`
          : `${groupingText(result, files)}\n`,
      );
    }),
  );
}

/** The --main ranking's decision: which tasks measurably help the main task. */
function auxiliaryDecisionLines(result: GroupResult): string[] {
  const { auxiliary, taskNames } = result;
  if (!auxiliary) return [];
  const words = auxiliaryRankingDecision(
    taskNames[auxiliary.main],
    auxiliary.ranking.map((r) => ({ ...r, name: taskNames[r.task] })),
  );
  return [words.headline, `  ${words.evidence}`];
}

export function groupingText(result: GroupResult, files: string[]): string {
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
  const { decision } = result;
  const loop = result.closedLoop;
  const verdict =
    loop &&
    closedLoopVerdict(loop, chosen?.predicted, chosen && { budget: chosen.budget, taskCount: taskNames.length });
  const lines = [
    decision.headline,
    `  ${decision.evidence}`,
    ...(decision.cut ? [`  ${decision.cut}`] : []),
    ...(decision.howToTrain ? [`  ${decision.howToTrain}`] : []),
    ...(result.auxiliary ? auxiliaryDecisionLines(result) : []),
    ...result.warnings.map((w) => `WARNING: ${w}`),
    ...(loop && verdict
      ? [
          `closed loop on fresh seeds ${loop.seeds.join(', ')}: measured ${span(loop.actual)} against ${chosen ? span(chosen.predicted) : fixed(loop.predicted)} predicted; ${verdict.text}`,
          ...(verdict.outsidePrediction ? [`  FLAG: ${verdict.outsidePrediction}`] : []),
          ...(verdict.noRandom ? [`  ${verdict.noRandom}`] : []),
        ]
      : result.closedLoopList
        ? [
            `closed loop: waiting for ${result.closedLoopList.missing} of the ${result.closedLoopList.networks.length} networks on fresh seeds ${result.closedLoopList.seeds.join(', ')} (listed at the end): train them, import their losses, run this again`,
          ]
        : [
            imported
              ? 'closed loop: not run (add --validate: it lists the networks to train on fresh seeds, and scores them once imported)'
              : 'closed loop: not run (add --validate to check the recommendation on fresh seeds)',
          ]),
    '',
    `recommended budget ${choice.budget}: ${choice.reason}`,
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
  const { stability } = result;
  lines.push(
    `stability over ${stability.draws} bootstrap resamples of the seeds: the same networks in ${percent(stability.sameGrouping)}; the tasks split among networks the same way in ${percent(stability.samePartition)} (mean ARI ${fixed(stability.meanAri, 2)}, which compares only which network serves each task)`,
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
  if (result.evidence.allocation)
    lines.push(
      `early stopping: not computed (--allocation ${result.evidence.allocation.strategy} left some pairs untrained on a seed; short runs' agreement with full training is in affinity.json)`,
    );
  else if (result.earlyStopping === undefined)
    lines.push('early stopping: the losses have no per-epoch rows (imported ones: add an epoch column to get it)');
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
  if (loop) {
    lines.push(`closed loop on fresh seeds ${loop.seeds.join(', ')}, grouping by grouping:`);
    lines.push(
      `  ${'the recommendation'.padEnd(48)} predicted ${fixed(loop.predicted)}, measured ${span(loop.actual)}`,
    );
    for (const b of loop.baselines)
      lines.push(
        `  vs ${b.name.padEnd(48)} predicted ${fixed(b.predicted)}, measured ${span(b.actual)}; selection minus it ${difference(b.selectedMinusBaseline)}`,
      );
  }
  if (result.moreGroupsList)
    lines.push(
      ...(result.moreGroupsList.missing
        ? networksToTrainText(result.moreGroupsList, "groups to measure on the sweep's seeds", 'more-groups')
        : [
            'groups to measure: none (every group of 3+ tasks the selection picked, and the top auxiliaries, are measured)',
          ]),
    );
  if (result.closedLoopList?.missing)
    lines.push(...networksToTrainText(result.closedLoopList, 'the closed loop', 'closed-loop'));
  lines.push(`wrote ${files.join(', ')}`);
  return lines.join('\n');
}

/** A list's networks still to train, one per line in the long format's terms, and what to do with them. */
export function networksToTrainText(list: NetworkListArtefact, purpose: string, dir: string): string[] {
  const folds = list.networks.some((n) => n.fold !== undefined);
  const missing = list.networks.filter((n) => !n.done);
  return [
    `networks to train for ${purpose} (${missing.length}; network = the long format's network column):`,
    `  ${'network'.padEnd(24)} seed${folds ? '  fold' : ''}`,
    ...missing.map((n) => `  ${n.network.padEnd(24)} ${folds ? `${String(n.seed).padEnd(4)}  ${n.fold}` : n.seed}`),
    `next: ${list.next} (the list as CSV and JSON: ${dir}/networks.csv, ${dir}/networks.json; --json prints it)`,
  ];
}
