import { existsSync } from 'node:fs';
import { networkToTrain, type NetworkListArtefact } from '../artefacts/networks.js';
import { withNullControls } from '../data/controls.js';
import { configHash, sweepConfig, type CommandConfig, type SweepConfig } from '../sweep/config.js';
import { readJournal, type NetworkRecord, type Records } from '../sweep/journal.js';
import { parseSeeds, replicationsOf } from '../sweep/plan.js';
import { analysisData } from './modelData.js';
import { journalPathOf } from './pairwise.js';
import { commandConfigOf, sweepGroupsOf } from './trainers.js';
import type { AnalysisSpec } from './spec.js';

/**
 * Every network a definition's sweep trains (group x seed x fold), for an external launcher: its id and replication,
 * its tasks, and whether the output folder's journal holds it already (a journal of another configuration holds none
 * of them). Reads the data (for the task names), trains nothing.
 */
export async function sweepNetworkList(spec: AnalysisSpec): Promise<NetworkListArtefact> {
  const { taskNames, config } = await tasksAndConfig(spec);
  const groups = sweepGroupsOf(spec, taskNames);
  const seeds = parseSeeds(spec.seeds);
  const journalPath = journalPathOf(spec.out);
  let done: Records = new Map<string, NetworkRecord>();
  if (existsSync(journalPath)) {
    const journal = readJournal(journalPath);
    if (journal.header.configHash === configHash(config)) done = journal.records;
  }
  const crossFitted = spec.split.kind === 'kfold';
  const networks = replicationsOf(spec.split, seeds).flatMap((r) =>
    Array.from(groups, (group) => networkToTrain(r, group, taskNames, crossFitted, (id) => done.has(id))),
  );
  return {
    purpose: `the sweep of ${spec.name} into ${spec.out}: every task alone, every pair${spec.groups ? ' and the extra groups' : ''}, on seeds ${seeds.join(', ')}${spec.split.kind === 'kfold' ? ` x ${spec.split.folds} folds` : ''}${spec.untilReliability === undefined ? '' : ' (an adaptive run adds seeds after these)'}`,
    taskNames,
    seeds,
    networks,
    missing: networks.filter((n) => !n.done).length,
    next: `tra run on the definition trains the networks its journal (${journalPath}) lacks; losses trained elsewhere come in with tra import`,
  };
}

/** A definition's task names and configuration: a command's from its definition, the built-in's from its data. */
async function tasksAndConfig(
  spec: AnalysisSpec,
): Promise<{ taskNames: string[]; config: SweepConfig | CommandConfig }> {
  if (spec.command) return { taskNames: spec.command.taskNames, config: commandConfigOf(spec, spec.command).config };
  const { dataset: loaded, model } = await analysisData(spec);
  const { dataset } = withNullControls(loaded, spec.nullTasks);
  return { taskNames: dataset.taskNames, config: sweepConfig(dataset, spec.engine, spec.split, model) };
}
