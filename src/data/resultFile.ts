import { readFileSync } from 'node:fs';
import { z } from '../vendor/zod.js';
import { issuePath, issuesText } from './schemaIssues.js';

/**
 * The result contract (docs/COMMAND.md): the file a training command writes for the one network it trained, and that
 * `tra import` reads too. Per task of the network's group: the validation and test loss at the epoch the command
 * selected, optionally its per-epoch losses (the early-stopping approximation needs them) and its per-example test
 * losses (the taxonomy needs them). tra turns it into one journal record (sweep/record.ts).
 */
export const RESULT_SCHEMA = 'task-relations/result';
export const RESULT_SCHEMA_VERSION = 1;

/** JSON has no NaN or Infinity; Python's json.dump writes them anyway. They are read as this marker, then refused by name. */
const NON_FINITE = '\uFFFFnon-finite:';

/** A loss the affinity divides by: positive. */
const selectedLoss = z.number().gt(0, 'a loss must be positive (the affinity divides by it)');
/** Curves and per-example losses: any loss of at least 0. */
const anyLoss = z.number().min(0, 'a loss cannot be negative');

const taskResultSchema = z.strictObject({
  validation: selectedLoss.describe('validation loss at the selected epoch: what tra chooses on'),
  test: selectedLoss.describe('test loss at the selected epoch: what tra scores with'),
  epochs: z
    .strictObject({ validation: z.array(anyLoss).min(1), test: z.array(anyLoss).min(1) })
    .optional()
    .describe('optional: the loss after every epoch 1..E, for the early-stopping approximation'),
  examples: z
    .array(anyLoss)
    .min(1)
    .optional()
    .describe(
      'optional: each test example’s loss at the selected epoch, the same examples in the same order in every network of a seed (the taxonomy needs them)',
    ),
});

export const resultSchema = z
  .strictObject({
    schema: z.literal(RESULT_SCHEMA).optional(),
    version: z.literal(RESULT_SCHEMA_VERSION).optional(),
    seed: z.number().int().min(0).describe('the seed the network was trained with ({seed}); checked'),
    fold: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('the fold it was tested on ({fold}); required under a k-fold split, checked'),
    tasks: z
      .record(z.string().min(1), taskResultSchema)
      .refine((tasks) => Object.keys(tasks).length > 0, 'no tasks')
      .describe("one entry per task of the network's group, by task name"),
    epoch: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('optional: the 1-based epoch the losses were selected at (checked against the per-epoch losses)'),
    cost: z
      .number()
      .gt(0)
      .optional()
      .describe('optional: what training this network cost, relative to a full-size network (default 1)'),
    info: z.record(z.string(), z.unknown()).optional().describe('optional: anything else; kept, not read'),
  })
  .superRefine((result, context) => {
    for (const [task, losses] of Object.entries(result.tasks)) {
      const curves = losses.epochs;
      if (!curves) continue;
      if (curves.validation.length !== curves.test.length)
        context.addIssue({
          code: 'custom',
          path: ['tasks', task, 'epochs'],
          message: `${curves.validation.length} validation losses but ${curves.test.length} test losses`,
        });
      if (result.epoch !== undefined && result.epoch > curves.validation.length)
        context.addIssue({
          code: 'custom',
          path: ['epoch'],
          message: `epoch ${result.epoch}, but task '${task}' has losses for ${curves.validation.length} epochs`,
        });
      else if (result.epoch !== undefined)
        for (const split of ['validation', 'test'] as const) {
          const atEpoch = curves[split][result.epoch - 1];
          if (Math.abs(atEpoch - losses[split]) > 1e-6 * Math.max(1, Math.abs(atEpoch)))
            context.addIssue({
              code: 'custom',
              path: ['tasks', task, split],
              message: `${losses[split]}, but epochs.${split}[${result.epoch - 1}] (epoch ${result.epoch}) is ${atEpoch}`,
            });
        }
    }
    const lengths = new Set(Object.values(result.tasks).flatMap((t) => (t.epochs ? [t.epochs.validation.length] : [])));
    if (lengths.size > 1)
      context.addIssue({
        code: 'custom',
        path: ['tasks'],
        message: `per-epoch losses of different lengths (${[...lengths].join(', ')}): give every task's or none`,
      });
    const withEpochs = Object.values(result.tasks).filter((t) => t.epochs).length;
    const withExamples = Object.values(result.tasks).filter((t) => t.examples).length;
    for (const [field, count] of [
      ['epochs', withEpochs],
      ['examples', withExamples],
    ] as const)
      if (count > 0 && count < Object.keys(result.tasks).length)
        context.addIssue({
          code: 'custom',
          path: ['tasks'],
          message: `'${field}' on ${count} of ${Object.keys(result.tasks).length} tasks: give every task's or none`,
        });
  })
  .describe(
    `${RESULT_SCHEMA} v${RESULT_SCHEMA_VERSION}: the result file a training command writes for one network (docs/COMMAND.md)`,
  );

/** One network's result as its command wrote it. */
export type NetworkResult = z.output<typeof resultSchema>;

/** What a result must be about: the network tra asked for. */
export interface ExpectedResult {
  /** The group's task names, in the group's order. */
  tasks: string[];
  seed: number;
  /** The fold under a k-fold split; undefined under a holdout split. */
  fold?: number;
  /** The most epochs the network may report (the sweep's `epochs`). */
  epochs: number;
}

/** A result's losses in the shape of a journal record, tasks in the group's order. */
export interface ResultLosses {
  validationLoss: number[];
  testLoss: number[];
  /** The selected epoch (0: the command did not say and gave no per-epoch losses). */
  bestEpoch: number;
  /** byEpoch[e - 1]: what stopping after e epochs would have reported (as the toolkit's own sweep selects). */
  byEpoch?: { validation: number[]; test: number[] }[];
  /** Per task, each test example's loss at the selected epoch. */
  examples?: number[][];
  cost?: number;
}

/** A result that cannot be used; `field` names where (a dotted path), `problem` says what. */
export class ResultError extends Error {
  override name = 'ResultError';
}

/** Parses a result file's text (NaN and Infinity, which JSON lacks, are read so that the field can be named). */
export function parseResult(text: string): NetworkResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/(?<=[:[,]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, `"${NON_FINITE}$1"`));
  } catch (error) {
    throw new ResultError(
      text.trim() === '' ? 'the file is empty' : `not valid JSON (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const nonFinite = nonFiniteAt(raw, []);
  if (nonFinite)
    throw new ResultError(
      `${issuePath(nonFinite.path)}: ${nonFinite.value} is not a finite number (did training diverge?)`,
    );
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) throw new ResultError(issuesText(parsed.error, 'result'));
  return parsed.data;
}

/** The first NaN or Infinity in a parsed result, and where. */
function nonFiniteAt(
  value: unknown,
  path: (string | number)[],
): { path: (string | number)[]; value: string } | undefined {
  if (typeof value === 'string' && value.startsWith(NON_FINITE)) return { path, value: value.slice(NON_FINITE.length) };
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFiniteAt(inner, [...path, Array.isArray(value) ? Number(key) : key]);
    if (found) return found;
  }
  return undefined;
}

/** Reads a result file; a missing file and every problem are ResultErrors. */
export function readResult(path: string): NetworkResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ResultError(code === 'ENOENT' ? 'no result file was written' : `cannot be read (${code})`);
  }
  return parseResult(text);
}

const names = (tasks: string[]): string => `{${tasks.map((t) => JSON.stringify(t)).join(', ')}}`;

/**
 * Checks a result against the network it should describe (its tasks, seed, fold, epochs) and returns its losses in
 * the group's task order. Per-epoch losses become byEpoch: after epoch e, the losses of the epoch with the lowest total
 * validation loss among 1..e, padded to `epochs` with the last (a network that stopped early keeps its selection).
 */
export function resultLosses(result: NetworkResult, expected: ExpectedResult): ResultLosses {
  const given = Object.keys(result.tasks);
  const extra = given.filter((t) => !expected.tasks.includes(t));
  const missing = expected.tasks.filter((t) => !given.includes(t));
  if (extra.length || missing.length)
    throw new ResultError(
      `tasks: the result is for ${names(given)}, but this network trains ${names(expected.tasks)}` +
        `${missing.length ? `; missing ${names(missing)}` : ''}${extra.length ? `; not in the group ${names(extra)}` : ''}`,
    );
  if (result.seed !== expected.seed)
    throw new ResultError(`seed: ${result.seed}, but this network was trained with seed ${expected.seed}`);
  if (expected.fold !== undefined && result.fold === undefined)
    throw new ResultError(`fold: missing; under a k-fold split it must say the fold ({fold}, here ${expected.fold})`);
  if (result.fold !== undefined && result.fold !== (expected.fold ?? 0))
    throw new ResultError(`fold: ${result.fold}, but this network was tested on fold ${expected.fold ?? 0}`);
  const ordered = expected.tasks.map((t) => result.tasks[t]);
  const curves = ordered[0].epochs
    ? ordered.map((t) => t.epochs as { validation: number[]; test: number[] })
    : undefined;
  const length = curves?.[0].validation.length ?? 0;
  if (length > expected.epochs)
    throw new ResultError(
      `tasks.${expected.tasks[0]}.epochs: losses for ${length} epochs, but the sweep trains at most ${expected.epochs} ({epochs})`,
    );
  let byEpoch: ResultLosses['byEpoch'];
  let bestEpoch = result.epoch ?? 0;
  if (curves) {
    byEpoch = [];
    let best = { total: Infinity, epoch: 0 };
    for (let e = 0; e < length; e++) {
      const total = curves.reduce((sum, c) => sum + c.validation[e], 0);
      if (total < best.total) best = { total, epoch: e };
      byEpoch.push({
        validation: curves.map((c) => c.validation[best.epoch]),
        test: curves.map((c) => c.test[best.epoch]),
      });
    }
    while (byEpoch.length < expected.epochs) byEpoch.push(byEpoch[byEpoch.length - 1]);
    if (result.epoch === undefined) bestEpoch = best.epoch + 1;
  }
  const examples = ordered[0].examples ? ordered.map((t) => t.examples as number[]) : undefined;
  if (examples && new Set(examples.map((e) => e.length)).size > 1)
    throw new ResultError(
      `tasks: per-example losses of different lengths (${examples.map((e, k) => `${expected.tasks[k]}: ${e.length}`).join(', ')}): every task is scored on the same test examples`,
    );
  return {
    validationLoss: ordered.map((t) => t.validation),
    testLoss: ordered.map((t) => t.test),
    bestEpoch,
    ...(byEpoch ? { byEpoch } : {}),
    ...(examples ? { examples } : {}),
    ...(result.cost === undefined ? {} : { cost: result.cost }),
  };
}

/** The contract as JSON Schema (`tra schema result`). */
export const resultJsonSchema = (): unknown => z.toJSONSchema(resultSchema, { io: 'input', unrepresentable: 'any' });
