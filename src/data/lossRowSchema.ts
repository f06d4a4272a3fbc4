import { z } from '../vendor/zod.js';
import { LOSS_SCHEMA, LOSS_SCHEMA_VERSION } from './lossFile.js';

/**
 * One row of the long import format (`tra import`, docs/IMPORT.md) as a JSON-lines object, for `tra schema import`:
 * the reader (data/lossFile.ts) checks rows itself, with messages naming file:line and field; this describes what it
 * accepts (test/data/resultFile.test.ts holds the two together). A CSV has the same columns.
 */
export const lossRowSchema = z
  .strictObject({
    network: z.string().min(1).describe("the network's tasks joined by '+', e.g. depth+normal"),
    task: z.string().min(1).describe("the task this row's value is of: one of the network's tasks"),
    seed: z.number().int().min(0).describe('the replication: the seed the network was trained with'),
    fold: z.number().int().min(0).optional().describe('the test fold of a cross-fitted sweep: on every row or none'),
    split: z.enum(['validation', 'test']).describe('validation (what choices are made on) or test (what scores)'),
    loss: z.number().gt(0).optional().describe('the value as a loss (lower is better); give loss or accuracy'),
    accuracy: z
      .number()
      .min(0)
      .lt(1)
      .optional()
      .describe('the value as an accuracy in [0, 1), imported as 1 - accuracy'),
    epoch: z.number().int().min(1).optional().describe('the epoch of a per-epoch row: on every row or none'),
    examples: z
      .array(z.number().min(0))
      .min(1)
      .optional()
      .describe("test rows: each test example's loss, the same examples in the same order in every network (v2)"),
    cost: z.number().gt(0).optional().describe('what training the network cost; absent: 1, a full-size network (v2)'),
  })
  .describe(
    `${LOSS_SCHEMA} v${LOSS_SCHEMA_VERSION}: one row of the long import format; a JSON-lines file may start with {"schema": "${LOSS_SCHEMA}", "version": ${LOSS_SCHEMA_VERSION}}`,
  );

export const lossRowJsonSchema = (): unknown => z.toJSONSchema(lossRowSchema, { io: 'input', unrepresentable: 'any' });
