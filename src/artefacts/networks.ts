import { join } from 'node:path';
import type { z } from 'zod';
import { networkId, type Group, type Replication } from '../sweep/plan.js';
import {
  artefactObject,
  count,
  filesIn,
  flag,
  list,
  object,
  readArtefact,
  text,
  writeCsv,
  writeJson,
} from './files.js';

/** One network to train, in the words of a launcher and of the long format (`network` is its `network` column). */
const networkSchema = object({
  /** The journal's id of the network: `<replication>/<task indices joined by +>`. */
  id: text,
  replication: text,
  seed: count,
  /** Cross-fitted sweeps only: the fold of the replication. */
  fold: count.optional(),
  /** Task indices, increasing. */
  group: list(count),
  tasks: list(text),
  /** The task names joined by `+`, as the long format's `network` column names the network. */
  network: text,
  /** Whether the folder holds its losses already. */
  done: flag,
  /** Where a training command writes the network's result (tra plan --list). */
  result: text.optional(),
});

/**
 * A list of networks for an external launcher: the closed loop's networks on fresh seeds (tra group <imported folder>
 * --validate: closed-loop/networks.json and .csv), or a sweep's networks (tra plan --list --json).
 */
export const networkListSchema = artefactObject({
  /** What the networks are for, in words. */
  purpose: text,
  taskNames: list(text),
  seeds: list(count),
  networks: list(networkSchema),
  /** How many are not done yet. */
  missing: count,
  /** What to do with the losses once trained. */
  next: text,
});

export type NetworkListArtefact = z.infer<typeof networkListSchema>;
export type NetworkToTrain = z.infer<typeof networkSchema>;

/** One list entry: `group` of `replication` (its fold given when the sweep is cross-fitted), named for a launcher. */
export function networkToTrain(
  replication: Replication & { key: string },
  group: Group,
  taskNames: string[],
  crossFitted: boolean,
  done: (id: string) => boolean,
): NetworkToTrain {
  const tasks = group.map((t) => taskNames[t]);
  const id = networkId(replication.key, group);
  return {
    id,
    replication: replication.key,
    seed: replication.seed,
    ...(crossFitted ? { fold: replication.fold } : {}),
    group,
    tasks,
    network: tasks.join('+'),
    done: done(id),
  };
}

export const NETWORK_LIST_FILES = { json: 'networks.json', csv: 'networks.csv' };

/** The closed loop's list lives beside its journal. */
export const closedLoopListPathOf = (outDir: string): string => join(outDir, 'closed-loop', NETWORK_LIST_FILES.json);
/** The list of further groups to train on the sweep's own seeds. */
export const moreGroupsListPathOf = (outDir: string): string => join(outDir, 'more-groups', NETWORK_LIST_FILES.json);

/** networks.json (everything) and networks.csv (one row per network: network, seed[, fold], replication, id, done). */
export function writeNetworkList(dir: string, data: NetworkListArtefact): string[] {
  const files = filesIn(dir, NETWORK_LIST_FILES);
  writeJson(files.json, data);
  const folds = data.networks.some((n) => n.fold !== undefined);
  writeCsv(
    files.csv,
    data.networks.map((n) => ({
      network: n.network,
      seed: n.seed,
      ...(folds ? { fold: n.fold } : {}),
      replication: n.replication,
      id: n.id,
      done: n.done,
      ...(n.result === undefined ? {} : { result: n.result }),
    })),
  );
  return [files.json, files.csv];
}

/** A checked networks.json: an InputError names the file and the field of the first problem. */
export const readNetworkList = (path: string): NetworkListArtefact => readArtefact(networkListSchema, path, 'networks');
