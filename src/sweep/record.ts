import { createHash } from 'node:crypto';
import { z } from '../vendor/zod.js';
import { configHash, taskNamesOf, type CommandConfig, type SweepConfig } from './config.js';
import { networkId, SweepGroups, type Group } from './plan.js';
import type { EpochLosses } from '../engine/train.js';
import { issuesText } from '../data/schemaIssues.js';
import { nameProblem } from '../data/names.js';
import { lossProblem, MAX_INDEX } from '../data/numbers.js';

/**
 * The journal's line formats, declared once: `tra` checks every line it reads against them (a sweep's own journal,
 * shard journals in `tra merge`), and so can an importer of results measured elsewhere. Unknown fields are kept,
 * and not checked, so that a journal written by a newer version still reads.
 */

/**
 * A held-out loss: finite (JSON has no Infinity; 1e999 parses to it), not negative (BCE and MSE never are), and within
 * the range of every loss reader (data/numbers.ts), 0 allowed.
 */
const loss = z.number().superRefine((value, context) => {
  const problem = lossProblem(value, true);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});
const losses = z.array(loss);
const index = z.number().int().min(0).max(MAX_INDEX);

export const epochLossesSchema = z.object({ validation: losses, test: losses });

/**
 * The per-epoch losses, compactly: a run of `epochs` epochs, and every selection the network made before its final one
 * (each epoch at which its validation objective improved; the final one is bestEpoch with validationLoss and testLoss).
 * Training for e epochs would have reported the last selection at or before epoch e. `earlier` is binary, in base64:
 * per selection a uint16 epoch, then the group's validation losses and its test losses as float32, little-endian
 * (18 bytes for a pair, so at most 696 characters for a pair at 30 epochs; the losses are the trainer's float32 exactly).
 */
export interface PerEpoch {
  epochs: number;
  earlier: string;
}

/** One selection: the epoch and the losses it chose. */
export interface Selection {
  epoch: number;
  validation: number[];
  test: number[];
}

const perEpochSchema = z.object({ epochs: z.number().int().min(1), earlier: z.base64() });

/** Bytes of one selection of a group of `size` tasks in PerEpoch.earlier. */
const selectionBytes = (size: number): number => 2 + 8 * size;

/**
 * One side's losses of the selection at byte `at` of PerEpoch.earlier (its epoch, then the validation losses, then the
 * test losses, as float32), as the same doubles a record's losses are read as.
 */
function selectionSide(bytes: Buffer, at: number, size: number, side: keyof EpochLosses): number[] {
  const start = at + 2 + (side === 'test' ? 4 * size : 0);
  return Array.from({ length: size }, (_, j) => float32Loss(bytes.readFloatLE(start + 4 * j)));
}

/** The selections `earlier` holds. */
export function earlierSelections(perEpoch: PerEpoch, size: number): Selection[] {
  const bytes = Buffer.from(perEpoch.earlier, 'base64');
  const step = selectionBytes(size);
  return Array.from({ length: Math.floor(bytes.length / step) }, (_, k) => ({
    epoch: bytes.readUInt16LE(k * step),
    validation: selectionSide(bytes, k * step, size, 'validation'),
    test: selectionSide(bytes, k * step, size, 'test'),
  }));
}

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
    byEpoch: z
      .array(epochLossesSchema)
      .optional()
      .describe(
        'per-epoch losses in full (older journals, imports, and a command whose selection the compact form cannot say)',
      ),
    perEpoch: perEpochSchema
      .optional()
      .describe(
        'per-epoch losses, compactly: the epochs run, and in base64 every earlier selection (uint16 epoch, float32 validation then test losses, little-endian)',
      ),
    examples: z
      .array(z.array(loss))
      .optional()
      .describe("per task of the group, each test example's loss at the selected epoch (the taxonomy's tournaments)"),
    cost: z
      .number()
      .gt(0)
      .optional()
      .describe('what training the network cost, relative to a full-size one (default 1)'),
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
    if (record.examples && record.examples.length !== record.group.length)
      context.addIssue({
        code: 'custom',
        path: ['examples'],
        message: `${record.examples.length} lists of per-example losses for a group of ${record.group.length} tasks`,
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
    if (record.perEpoch) {
      const raw = Buffer.from(record.perEpoch.earlier, 'base64');
      const bytes = raw.length;
      const step = selectionBytes(record.group.length);
      if (bytes % step !== 0)
        context.addIssue({
          code: 'custom',
          path: ['perEpoch', 'earlier'],
          message: `${bytes} bytes are not whole selections of ${step} bytes (a group of ${record.group.length} tasks)`,
        });
      else {
        // the epochs alone: decoding every loss (float32Loss) took 1.4 s of an adaptive emotions run's 7.7 s of CPU
        const epochs = Array.from({ length: bytes / step }, (_, k) => raw.readUInt16LE(k * step));
        epochs.forEach((epoch, k) => {
          const previous = k > 0 ? epochs[k - 1] : 0;
          if (epoch <= previous || epoch >= record.bestEpoch)
            context.addIssue({
              code: 'custom',
              path: ['perEpoch', 'earlier'],
              message: `selection ${k + 1} at epoch ${epoch}: epochs must increase from ${previous} and stay before bestEpoch ${record.bestEpoch}`,
            });
        });
        if (record.bestEpoch > record.perEpoch.epochs)
          context.addIssue({
            code: 'custom',
            path: ['bestEpoch'],
            message: `bestEpoch ${record.bestEpoch} is past the run's ${record.perEpoch.epochs} epochs`,
          });
      }
    }
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
  /** See NetworkOutcome.byEpoch; in full, as older journals (and imports) write it. Read through lossAtEpoch or lossesAtEpoch. */
  byEpoch?: EpochLosses[];
  /** The same compactly (see PerEpoch), as sweeps write it. Read through lossAtEpoch or lossesAtEpoch. */
  perEpoch?: PerEpoch;
  /** Per task of the group, each test example's loss at the selected epoch (a command's result may report them). */
  examples?: number[][];
  /** What training the network cost relative to a full-size one (a command's result may report it; default 1). */
  cost?: number;
  backend: string;
  /** Wall seconds of the fused batch this network was trained in, divided by the batch's network count; a command's own. */
  seconds: number;
  finishedAt: string;
}

/** A task name as every output shows it: no control characters (data/names.ts). */
const taskName = z.string().superRefine((name, context) => {
  const problem = nameProblem(name);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

const sweepConfigSchema = z.object({
  data: z.object({
    source: z.string(),
    sha256: z.string(),
    rows: z.number().int().min(1),
    featureNames: z.array(z.string()).min(1),
    taskNames: z.array(taskName).min(1),
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

/** A command sweep's configuration (sweep/config.ts CommandConfig). */
const commandConfigSchema = z.object({
  command: z.object({
    argv: z.array(z.string()).min(1),
    code: z.array(z.object({ source: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex') })),
  }),
  taskNames: z.array(z.string()).min(2),
  epochs: z.number().int().min(1),
  split: z.object({ kind: z.enum(['kfold', 'holdout']) }),
});

/** An imported journal's configuration (src/sweep/imported.ts): where the losses came from, not how they were trained. */
const importedConfigSchema = z.looseObject({
  imported: z.looseObject({
    files: z.array(z.string()).min(1),
    sha256: z.string(),
    metric: z.enum(['loss', 'accuracy']),
  }),
  taskNames: z.array(taskName).min(2),
  splits: z.array(z.enum(['validation', 'test'])).min(1),
  epochs: z.number().int().min(1).optional(),
});

/** The hash of an imported journal's configuration: its JSON as written. */
export const importedConfigHash = (config: unknown): string =>
  createHash('sha256').update(JSON.stringify(config)).digest('hex');

const groupList = z.array(z.array(index));
/** Every single and pair of `singlesAndPairs` tasks, then `more`'s groups (SweepGroups.toJSON). */
const singlesAndPairs = z.object({
  singlesAndPairs: z.number().int().min(2).max(MAX_INDEX),
  more: groupList.optional(),
});

/**
 * A journal's first line. The plan's groups are listed (every journal before session 10), or said as every single and
 * pair of T tasks then a list (SweepGroups.toJSON); both read back as SweepGroups (SweepGroups.fromHeader).
 */
export const journalHeaderSchema = z.object({
  kind: z.literal('header'),
  version: z.literal(1),
  configHash: z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex'),
  config: z.union([sweepConfigSchema, commandConfigSchema, importedConfigSchema]),
  dataSummary: z.unknown().optional(),
  plan: z.object({ seeds: z.array(index), groups: z.union([groupList, singlesAndPairs]) }).optional(),
  createdAt: z.string(),
});

/** First line of a journal: what every result in it was computed from. */
export interface JournalHeader {
  kind: 'header';
  version: 1;
  configHash: string;
  config: SweepConfig | CommandConfig;
  /** Not part of the hash: a description of the data for reports. */
  dataSummary?: unknown;
  /**
   * Not part of the hash: what the sweep set out to train, so that a merge can tell what is missing (written as
   * `SweepGroups.toJSON` says, read back as the groups found by index).
   */
  plan?: { seeds: number[]; groups: SweepGroups };
  createdAt: string;
}

/**
 * The compact form of a run's per-epoch losses (NetworkOutcome.byEpoch, float32 values): the epochs before the last
 * at which they changed (NaN entries, before anything was selected, are not selections).
 */
export function perEpochOf(byEpoch: readonly EpochLosses[]): PerEpoch {
  const changes: number[] = [];
  byEpoch.forEach(({ validation, test }, e) => {
    if (validation.some(Number.isNaN)) return;
    const previous = changes.length > 0 ? byEpoch[changes[changes.length - 1]] : undefined;
    const same = (a: number[], b: number[]): boolean => a.every((value, k) => value === b[k]);
    if (!previous || !same(previous.validation, validation) || !same(previous.test, test)) changes.push(e);
  });
  const size = byEpoch[0]?.validation.length ?? 0;
  const bytes = Buffer.alloc(Math.max(changes.length - 1, 0) * selectionBytes(size));
  changes.slice(0, -1).forEach((e, k) => {
    const at = k * selectionBytes(size);
    bytes.writeUInt16LE(e + 1, at);
    [...byEpoch[e].validation, ...byEpoch[e].test].forEach((loss, j) => bytes.writeFloatLE(loss, at + 2 + 4 * j));
  });
  return { epochs: byEpoch.length, earlier: bytes.toString('base64') };
}

/** How many epochs a record's per-epoch losses cover; undefined when it has none. */
export const perEpochLength = (record: NetworkRecord): number | undefined =>
  record.perEpoch?.epochs ?? record.byEpoch?.length;

/**
 * One side of the losses training for only `epochs` epochs would have reported (undefined without per-epoch losses,
 * before the first selection, or past them), decoding only the selection chosen and only that side's losses: the
 * early-stopping approximation reads every record of a sweep this way per epoch count and side (6 passes over
 * 1,001,000 records at 1000 tasks, where decoding every selection's losses of both sides took 54 of 190 s of CPU).
 */
export function lossAtEpoch(record: NetworkRecord, epochs: number, side: keyof EpochLosses): number[] | undefined {
  if (record.byEpoch) return record.byEpoch[epochs - 1]?.[side];
  if (!record.perEpoch || epochs < 1 || epochs > record.perEpoch.epochs) return undefined;
  if (record.bestEpoch > 0 && epochs >= record.bestEpoch)
    return side === 'test' ? record.testLoss : record.validationLoss;
  const bytes = Buffer.from(record.perEpoch.earlier, 'base64');
  const size = record.group.length;
  const step = selectionBytes(size);
  let chosen = -1;
  for (let k = 0; k < Math.floor(bytes.length / step); k++) if (bytes.readUInt16LE(k * step) <= epochs) chosen = k;
  return chosen < 0 ? undefined : selectionSide(bytes, chosen * step, size, side);
}

/** Both sides of lossAtEpoch: the losses training for only `epochs` epochs would have reported. */
export function lossesAtEpoch(record: NetworkRecord, epochs: number): EpochLosses | undefined {
  const validation = lossAtEpoch(record, epochs, 'validation');
  const test = lossAtEpoch(record, epochs, 'test');
  return validation && test ? { validation, test } : undefined;
}

/** The last of `selections` (in epoch order) made within `epochs` epochs. */
function selectedBy(selections: readonly Selection[], epochs: number): EpochLosses | undefined {
  let chosen: Selection | undefined;
  for (const selection of selections) if (selection.epoch <= epochs) chosen = selection;
  return chosen && { validation: chosen.validation, test: chosen.test };
}

/**
 * Each epoch's losses (undefined before the first selection); undefined without per-epoch losses. The compact form is
 * decoded once, not once per epoch (per epoch, it was most of the time a sweep spent writing a network's record).
 */
export function lossesByEpoch(record: NetworkRecord): (EpochLosses | undefined)[] | undefined {
  if (record.byEpoch) return record.byEpoch;
  if (!record.perEpoch) return undefined;
  const selections = earlierSelections(record.perEpoch, record.group.length);
  const final = { validation: record.validationLoss, test: record.testLoss };
  return Array.from({ length: record.perEpoch.epochs }, (_, e) =>
    record.bestEpoch > 0 && e + 1 >= record.bestEpoch ? final : selectedBy(selections, e + 1),
  );
}

/** Every epoch's losses in full (undefined without per-epoch losses or before the first selection). */
export function epochLosses(record: NetworkRecord): EpochLosses[] | undefined {
  const all = lossesByEpoch(record);
  return all?.every((e) => e !== undefined) ? (all as EpochLosses[]) : undefined;
}

/**
 * A float32 loss as the shortest decimal that reads back as the same float32: what the trainers compute is float32,
 * and its 17-digit double spelling doubled a journal's size for no information.
 */
export function float32Loss(value: number): number {
  const single = Math.fround(value);
  for (let digits = 6; digits < 9; digits++) {
    const shorter = Number(single.toPrecision(digits));
    if (Math.fround(shorter) === single) return shorter;
  }
  return Number(single.toPrecision(9));
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
  const config = (entry as { config: SweepConfig | CommandConfig }).config;
  const found = 'imported' in config ? importedConfigHash(config) : configHash(config);
  if (found !== parsed.data.configHash)
    return {
      ok: false,
      problem: `the configuration does not match its hash (${parsed.data.configHash.slice(0, 12)} recorded, ${found.slice(0, 12)} computed): the header was edited`,
    };
  const plan = parsed.data.plan;
  // a count of tasks is not bounded by the line's length as a list is: it is bounded by the configuration's tasks
  const tasks = taskNamesOf(config as SweepConfig).length;
  if (plan && !Array.isArray(plan.groups) && plan.groups.singlesAndPairs > tasks)
    return {
      ok: false,
      problem: `plan.groups: the singles and pairs of ${plan.groups.singlesAndPairs} tasks, but the configuration has ${tasks}`,
    };
  const value = entry as JournalHeader;
  return {
    ok: true,
    value: plan
      ? { ...value, plan: { ...value.plan, seeds: plan.seeds, groups: SweepGroups.fromHeader(plan.groups) } }
      : value,
  };
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
