import { existsSync } from 'node:fs';
import {
  closedLoopListPathOf,
  networkToTrain,
  readNetworkList,
  type NetworkListArtefact,
} from '../artefacts/networks.js';
import {
  closedLoopGroups,
  closedLoopResult,
  type ClosedLoopPlan,
  type ClosedLoopResult,
} from '../grouping/closedLoop.js';
import type { LossTable } from '../grouping/lossTable.js';
import { seedLossTables } from '../grouping/replicated.js';
import { closedLoopJournalPathOf, readJournal, type NetworkRecord, type Records } from '../sweep/journal.js';
import { groupKey, replicationKey, uniqueGroups, type Group } from '../sweep/plan.js';

/** The networks that grouping imported losses asks the user to train, listed for a launcher (artefacts/networks.ts). */

/** The closed loop on imported losses: its result once every listed network is imported, and the list either way. */
export interface ImportedClosedLoop {
  closedLoop?: ClosedLoopResult & { seeds: number[] };
  /** The networks to train on fresh seeds (written to closed-loop/networks.json and .csv), each marked done or not. */
  list: NetworkListArtefact;
}

/**
 * The closed loop of an imported folder: the grouping and its baselines (the plan `tra group --validate` draws, as for
 * the toolkit's own network) on fresh seeds, which the user trains. Lists those networks (the seeds after the sweep's,
 * or those listed or imported before while they are not the sweep's; the sweep's folds when it is cross-fitted) and
 * marks the ones the folder's closed-loop journal holds; when it holds them all, scores them exactly as the built-in
 * closed loop does.
 */
export function importedClosedLoop(
  outDir: string,
  taskNames: string[],
  plan: ClosedLoopPlan,
  sweepRecords: Records,
  sweepTestTables: readonly LossTable[],
  validateSeeds: number,
  level: number,
): ImportedClosedLoop {
  const records = [...sweepRecords.values()];
  const sweepSeeds = new Set(records.map((r) => r.seed));
  const crossFitted = records.some((r) => r.replication !== replicationKey(r, false));
  const folds = [...new Set(records.map((r) => r.fold))].sort((a, b) => a - b);
  const listPath = closedLoopListPathOf(outDir);
  const journalPath = closedLoopJournalPathOf(outDir);
  const done = existsSync(journalPath) ? readJournal(journalPath).records : new Map<string, NetworkRecord>();
  // the fresh seeds listed or imported before stay the closed loop's (the user trained on them), the first first;
  // more come after every seed used so far, as the built-in closed loop takes those after the sweep's
  const before = [
    ...(existsSync(listPath) ? readNetworkList(listPath).seeds : []),
    ...[...done.values()].map((r) => r.seed),
  ];
  const kept = [...new Set(before)].filter((s) => !sweepSeeds.has(s)).sort((a, b) => a - b);
  const next = Math.max(...sweepSeeds, ...kept) + 1;
  const seeds = [...kept, ...Array.from({ length: validateSeeds }, (_, k) => next + k)].slice(0, validateSeeds);
  const replications = seeds.flatMap((seed) =>
    folds.map((fold) => ({ seed, fold, key: replicationKey({ seed, fold }, crossFitted) })),
  );
  const groups = closedLoopGroups(plan).sort((a, b) => a.length - b.length || groupKey(a).localeCompare(groupKey(b)));
  const networks = replications.flatMap((r) =>
    groups.map((group) => networkToTrain(r, group, taskNames, crossFitted, (id) => done.has(id))),
  );
  const missing = networks.filter((n) => !n.done).length;
  const list: NetworkListArtefact = {
    purpose: `the closed loop of ${outDir}: the recommended grouping and its baselines on fresh seeds ${seeds.join(', ')}`,
    taskNames,
    seeds,
    networks,
    missing,
    next: `train each network on its seed${crossFitted ? ' and fold' : ''}, write its validation and test losses in the long format, import them (tra import ${outDir} <files>) and run tra group ${outDir} --validate again`,
  };
  if (missing > 0) return { list };
  const tables = seedLossTables(
    networks.map((n) => done.get(n.id) as NetworkRecord),
    taskNames,
    replications.map((r) => r.key),
  );
  return { closedLoop: { ...closedLoopResult(plan, tables, sweepTestTables, level), seeds }, list };
}

/**
 * Groups the grouping would rather have measured than approximated (--train-higher-order: the selection's groups of 3+
 * tasks; --auxiliary-top: the main task with its best auxiliaries), on every replication of the imported sweep: the
 * toolkit trains them into a sweep of its own; on imported losses the user does, then imports them into the folder
 * (every replication at once: a group trained in some replications only is a hole). Written to more-groups/.
 */
export function importedGroupsToTrain(
  outDir: string,
  taskNames: string[],
  groups: Group[],
  sweepRecords: Records,
): NetworkListArtefact {
  const records = [...sweepRecords.values()];
  const crossFitted = records.some((r) => r.replication !== replicationKey(r, false));
  const replications = [
    ...new Map(records.map((r) => [r.replication, { seed: r.seed, fold: r.fold, key: r.replication }])).values(),
  ].sort((a, b) => a.seed - b.seed || a.fold - b.fold);
  const networks = replications.flatMap((r) =>
    uniqueGroups(groups).map((group) => networkToTrain(r, group, taskNames, crossFitted, (id) => sweepRecords.has(id))),
  );
  const name = (group: Group): string => `{${group.map((t) => taskNames[t]).join(', ')}}`;
  return {
    purpose: `groups to measure rather than approximate from pairs, on every replication of the sweep in ${outDir}: ${groups.map(name).join(' ')}`,
    taskNames,
    seeds: [...new Set(replications.map((r) => r.seed))],
    networks,
    missing: networks.filter((n) => !n.done).length,
    next: `train each network on its seed${crossFitted ? ' and fold' : ''}, write its validation and test losses in the long format, import them all at once (tra import ${outDir} <files>) and run tra group ${outDir} again`,
  };
}
