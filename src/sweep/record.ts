import { createHash } from 'node:crypto';
import { z } from 'zod';
import { configHash, type SweepConfig } from './config.js';
import { networkId, type Group } from './plan.js';
import type { EpochLosses } from '../engine/train.js';
import { issuesText } from '../data/schemaIssues.js';

/**
 * The journal's line formats, declared once: `tra` checks every line it reads against them (a sweep's own journal,
 * shard journals in `tra merge`), and so can an importer of results measured elsewhere. Unknown fields are kept,
 * and not checked, so that a journal written by a newer version still reads.
 */

/** A held-out loss: finite (JSON has no Infinity; 1e999 parses to it) and not negative (BCE and MSE never are). */
const loss = z.number().min(0, 'a loss cannot be negative');
const losses = z.array(loss);
const index = z.number().int().min(0);

export const epochLossesSchema = z.object({ validation: losses, test: losses });

export const networkRecordSchema = z
  .looseObject({
    kind: z.literal('network'),
    id: z.string(),
    replication: z.string().min(1),
    seed: index,
    fold: index,
    group: z.array(index).min(1),
    testLoss: losses.describe("one held-out test loss per task of the group, in the group's order"),
    validationLoss: losses.describe('one validation loss per task of the group: what choices are made on'),
    bestEpoch: index.describe('1-based epoch model selection chose (0: none improved)'),
    byEpoch: z.array(epochLossesSchema).optional(),
    backend: z.string(),
    seconds: z.number().min(0),
    finishedAt: z.string(),
  })
  .superRefine((record, context) => {
    const sorted = record.group.every((task, k) => k === 0 || task > record.group[k - 1]);
    if (!sorted)
      context.addIssue({ code: 'custom', path: ['group'], message: 'task indices must be increasing, each once' });
    // an import of test losses only (e.g. a peer that reports no validation losses) has none, and says so
    const testOnlyImport = record.backend === 'imported' && record.validationLoss.length === 0;
    for (const key of ['testLoss', 'validationLoss'] as const)
      if (record[key].length !== record.group.length && !(key === 'validationLoss' && testOnlyImport))
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `${record[key].length} losses for a group of ${record.group.length} tasks`,
        });
    record.byEpoch?.forEach((epoch, e) => {
      for (const key of ['test', 'validation'] as const)
        if (epoch[key].length !== record.group.length)
          context.addIssue({
            code: 'custom',
            path: ['byEpoch', e, key],
            message: `${epoch[key].length} losses for a group of ${record.group.length} tasks`,
          });
    });
    if (sorted && record.id !== networkId(record.replication, record.group))
      context.addIssue({
        code: 'custom',
        path: ['id'],
        message: `'${record.id}' does not name replication ${record.replication}, group ${record.group.join('+')}`,
      });
  });

/** One trained network's outcome; the journal is the source of truth for every later analysis. */
export interface NetworkRecord {
  kind: 'network';
  id: string;
  replication: string;
  seed: number;
  fold: number;
  group: Group;
  testLoss: number[];
  validationLoss: number[];
  bestEpoch: number;
  /** See NetworkOutcome.byEpoch; absent in journals written before it was recorded. */
  byEpoch?: EpochLosses[];
  backend: string;
  /** Wall seconds of the fused batch this network was trained in, divided by the batch's network count. */
  seconds: number;
  finishedAt: string;
}

const sweepConfigSchema = z.object({
  data: z.object({
    source: z.string(),
    sha256: z.string(),
    rows: z.number().int().min(1),
    featureNames: z.array(z.string()).min(1),
    taskNames: z.array(z.string()).min(1),
    taskKinds: z.array(z.enum(['binary', 'regression'])),
  }),
  engine: z.object({
    hidden: z.array(z.number().int().min(1)).min(1),
    learningRate: z.number(),
    batchSize: z.number().int(),
    epochs: z.number().int().min(1),
  }),
  split: z.object({ kind: z.enum(['kfold', 'holdout']) }),
  model: z.object({ source: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex') }).optional(),
});

/** An imported journal's configuration (src/sweep/imported.ts): where the losses came from, not how they were trained. */
const importedConfigSchema = z.looseObject({
  imported: z.looseObject({
    files: z.array(z.string()).min(1),
    sha256: z.string(),
    metric: z.enum(['loss', 'accuracy']),
  }),
  taskNames: z.array(z.string()).min(2),
  splits: z.array(z.enum(['validation', 'test'])).min(1),
  epochs: z.number().int().min(1).optional(),
});

/** The hash of an imported journal's configuration: its JSON as written. */
export const importedConfigHash = (config: unknown): string =>
  createHash('sha256').update(JSON.stringify(config)).digest('hex');

export const journalHeaderSchema = z.object({
  kind: z.literal('header'),
  version: z.literal(1),
  configHash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'),
  config: z.union([sweepConfigSchema, importedConfigSchema]),
  dataSummary: z.unknown().optional(),
  plan: z.object({ seeds: z.array(index), groups: z.array(z.array(index)) }).optional(),
  createdAt: z.string(),
});

/** First line of a journal: what every result in it was computed from. */
export interface JournalHeader {
  kind: 'header';
  version: 1;
  configHash: string;
  config: SweepConfig;
  /** Not part of the hash: a description of the data for reports. */
  dataSummary?: unknown;
  /** Not part of the hash: what the sweep set out to train, so that a merge can tell what is missing. */
  plan?: { seeds: number[]; groups: Group[] };
  createdAt: string;
}

/** A parsed line checked against a schema: the value, or one line saying every problem and where it is. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

export function checkNetworkRecord(entry: unknown): Checked<NetworkRecord> {
  const parsed = networkRecordSchema.safeParse(entry);
  // The line as written (fields this version does not know included), now known to have the checked shape.
  return parsed.success
    ? { ok: true, value: entry as NetworkRecord }
    : { ok: false, problem: issuesText(parsed.error, 'record') };
}

/** The header's shape, and its configuration against its hash (an edited configuration would mislabel every result). */
export function checkJournalHeader(entry: unknown): Checked<JournalHeader> {
  const parsed = journalHeaderSchema.safeParse(entry);
  if (!parsed.success) return { ok: false, problem: issuesText(parsed.error, 'record') };
  // Hash the configuration as read (key order included), exactly as it was hashed when written.
  const config = (entry as { config: SweepConfig }).config;
  const found = 'imported' in config ? importedConfigHash(config) : configHash(config);
  if (found !== parsed.data.configHash)
    return {
      ok: false,
      problem: `the configuration does not match its hash (${parsed.data.configHash.slice(0, 12)} recorded, ${found.slice(0, 12)} computed): the header was edited`,
    };
  return { ok: true, value: entry as JournalHeader };
}

/** Tolerance for "the same network": results of one job trained on different machines may differ in the last bits. */
const SAME_LOSS = 1e-5;

/** Two records of one network that agree: the same network trained twice, not two different results. */
export const sameResult = (a: NetworkRecord, b: NetworkRecord): boolean =>
  a.testLoss.length === b.testLoss.length &&
  a.testLoss.every((value, k) => Math.abs(value - b.testLoss[k]) <= SAME_LOSS) &&
  a.validationLoss.every((value, k) => Math.abs(value - b.validationLoss[k]) <= SAME_LOSS);

export const networkRecordJsonSchema = (): unknown =>
  z.toJSONSchema(networkRecordSchema, { io: 'input', unrepresentable: 'any' });
