import type { Command } from 'commander';
import { planAnalysis } from '../analysis/pairwise.js';
import { sweepNetworkList } from '../analysis/networkList.js';
import type { NetworkListArtefact } from '../artefacts/networks.js';
import { InputError } from '../data/errors.js';
import { EXECUTION_OPTIONS } from '../options/execution.js';
import { readDefinition } from './definition.js';
import { addOptions } from './options.js';
import { runOptionsOf } from './run.js';
import { hoursAbove, planText } from '../sweep/planner.js';
import { isImportedFolder } from '../sweep/imported.js';
import { guarded } from './errors.js';
import { existsSync } from 'node:fs';
import type { AnalysisSpec } from '../analysis/spec.js';
import { journalPathOf, readJournal } from '../sweep/journal.js';
import { commandPlan, commandPlanText } from '../sweep/commandPlan.js';
import { isFolder } from './flags.js';

export function registerPlan(program: Command): void {
  addOptions(
    program
      .command('plan')
      .description(
        'before a sweep: how many networks an analysis definition trains, its time on this machine (a short calibration) and, when large, the cheaper routes and where their error is measured; --list: the networks themselves, for an external launcher; flags override the definition',
      )
      .argument(
        '<definition>',
        "analysis definition JSON, e.g. analyses/yeast-pairwise.json, or a sweep's output folder (it holds its definition)",
      ),
    'plan',
  ).action(
    guarded(async (definition: string, flags: Record<string, unknown>) => {
      if (flags.json && !flags.list) throw new InputError('--json goes with --list (the list of networks as JSON)');
      if (isFolder(definition) && isImportedFolder(definition))
        throw new InputError(
          `${definition} holds imported losses: nothing of it is trained here (tra group ${definition} --validate lists the closed loop's networks to train)`,
        );
      const spec = readDefinition(definition, flags);
      if (flags.list) {
        const list = await sweepNetworkList(spec);
        process.stdout.write(
          flags.json ? `${JSON.stringify(list, null, 1)}\n` : `${networkListText(list).join('\n')}\n`,
        );
        return;
      }
      const limit = runOptionsOf(flags).maxHours ?? EXECUTION_OPTIONS.maxHours.default;
      if (spec.command) {
        process.stdout.write(`${commandPlanLines(await sweepNetworkList(spec), spec, limit).join('\n')}\n`);
        return;
      }
      const { plan, taskCount, routes } = await planAnalysis(spec);
      const lines = planText(plan, taskCount, routes);
      if (plan.estimatedSeconds > limit * 3600)
        lines.push(
          `over the limit of ${limit} hour(s): tra run refuses it unless --max-hours is at least ${hoursAbove(plan.estimatedSeconds)}`,
        );
      process.stdout.write(`${lines.join('\n')}\n`);
    }),
  );
}

/** A list of networks as aligned columns a shell loop can read (network, seed, fold, id, done). */
export function networkListText(list: NetworkListArtefact): string[] {
  const folds = list.networks.some((n) => n.fold !== undefined);
  const width = Math.max(7, ...list.networks.map((n) => n.network.length)) + 2;
  const idWidth = Math.max(2, ...list.networks.map((n) => n.id.length)) + 2;
  return [
    `# ${list.purpose}: ${list.networks.length} networks, ${list.missing} not in the journal`,
    `${'network'.padEnd(width)}${'seed'.padEnd(6)}${folds ? 'fold'.padEnd(6) : ''}${'id'.padEnd(idWidth)}done`,
    ...list.networks.map(
      (n) =>
        `${n.network.padEnd(width)}${String(n.seed).padEnd(6)}${folds ? String(n.fold).padEnd(6) : ''}${n.id.padEnd(idWidth)}${n.done ? 'yes' : 'no'}`,
    ),
  ];
}

/** A command's plan: its networks, and their time from the durations its journal measured (no calibration run). */
function commandPlanLines(list: NetworkListArtefact, spec: AnalysisSpec, maxHours: number): string[] {
  const journal = journalPathOf(spec.out);
  const measured = existsSync(journal) ? Array.from(readJournal(journal).records.values(), (r) => r.seconds) : [];
  const { parallel, devices } = spec.command?.run ?? { parallel: 1 };
  const plan = commandPlan(list.missing, Math.min(parallel, devices?.length ?? parallel), measured);
  return [
    `${list.networks.length} networks (${list.missing} not trained yet) run through your command, ${plan.slots} at a time`,
    commandPlanText(plan),
    ...(plan.estimatedSeconds !== undefined && plan.estimatedSeconds > maxHours * 3600
      ? [
          `over the limit of ${maxHours} hour(s): tra run refuses it unless --max-hours is at least ${hoursAbove(plan.estimatedSeconds)}`,
        ]
      : []),
    'tra plan --list prints the networks themselves',
  ];
}
