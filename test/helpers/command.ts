import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './files.js';

/** The stand-in training command (test/fixtures/command/fake.mjs): planted losses, misbehaviour on request. */
export const FAKE_COMMAND = fileURLToPath(new URL('../../../test/fixtures/command/fake.mjs', import.meta.url));

/** The fake's argv: its tasks as JSON, its seed and result path, then any extra arguments (--mode, --only). */
export const fakeArgv = (...extra: string[]): string[] => [
  'node',
  'fake.mjs',
  '--tasks-json',
  '{tasks_json}',
  '--seed',
  '{seed}',
  '--result',
  '{result}',
  ...extra,
];

/**
 * A workspace holding the fake command (as the definition's code) and a definition `def.json` of a command sweep of
 * three tasks, one seed, holdout split and 3 epochs, into `out/`; `fields` override the definition's.
 */
export function commandWorkspace(fields: Record<string, unknown> = {}): {
  dir: string;
  definition: string;
  out: string;
} {
  const dir = tempDir();
  copyFileSync(FAKE_COMMAND, join(dir, 'fake.mjs'));
  const definition = join(dir, 'def.json');
  writeFileSync(
    definition,
    JSON.stringify({
      name: 'fake',
      command: fakeArgv(),
      code: ['fake.mjs'],
      tasks: ['a', 'b', 'c'],
      seeds: 1,
      split: { kind: 'holdout' },
      engine: { epochs: 3 },
      out: 'out',
      ...fields,
    }),
  );
  return { dir, definition, out: join(dir, 'out') };
}

/** The journal's network records (header left out), in the order written. */
export const journalRecords = (out: string): Record<string, unknown>[] =>
  readFileSync(join(out, 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .slice(1)
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The records' losses by network id: what two sweeps must agree on (times and dates aside). */
export const lossesById = (out: string): Map<string, unknown> =>
  new Map(
    journalRecords(out).map((r) => [
      r.id as string,
      {
        testLoss: r.testLoss,
        validationLoss: r.validationLoss,
        byEpoch: r.byEpoch,
        perEpoch: r.perEpoch,
        examples: r.examples,
      },
    ]),
  );

export { tra } from './hostile.js';

/**
 * A command's sweep does not touch tra's backends: CI runs these tests on its native leg only (and every local run
 * without TRA_BACKEND), keeping the three legs within their time.
 */
export const BACKEND_INDEPENDENT = {
  skip:
    process.env.TRA_BACKEND !== undefined && process.env.TRA_BACKEND !== '' && process.env.TRA_BACKEND !== 'native'
      ? `backend-independent: runs on the native leg (TRA_BACKEND=${process.env.TRA_BACKEND})`
      : false,
};

/**
 * Asserts that a sweep trained at learning rate 0 started every network of a seed from the same weights: each task's
 * validation and test loss in every group equals its loss alone on that seed (within `tolerance`, relative), and the
 * seeds differ (each network got its own seed's split and start). A script that draws a task's head anew in each
 * network (PyTorch's default) fails here: the partner, not only training, would change a task's loss.
 */
export function assertCommonStart(records: Record<string, unknown>[], tolerance: number): void {
  const alone = new Map<string, { validation: number; test: number }>();
  for (const r of records)
    if ((r.group as number[]).length === 1)
      alone.set(`${r.seed}/${(r.group as number[])[0]}`, {
        validation: (r.validationLoss as number[])[0],
        test: (r.testLoss as number[])[0],
      });
  let compared = 0;
  for (const r of records) {
    const group = r.group as number[];
    if (group.length < 2) continue;
    group.forEach((task, k) => {
      const single = alone.get(`${r.seed}/${task}`);
      assert.ok(single, `${r.id}: task ${task} was not trained alone on seed ${r.seed}`);
      for (const [split, losses] of [
        ['validation', r.validationLoss],
        ['test', r.testLoss],
      ] as const) {
        const inGroup = (losses as number[])[k];
        const relative = Math.abs(inGroup - single[split]) / single[split];
        assert.ok(
          relative <= tolerance,
          `${r.id}: task ${task}'s ${split} loss ${inGroup} differs from its loss alone ${single[split]} (${relative.toExponential(1)}) at learning rate 0: the network did not start as the task's single network did`,
        );
      }
      compared++;
    });
  }
  assert.ok(compared > 0, 'no group of two or more tasks to compare');
  const seeds = [...new Set(records.map((r) => r.seed as number))];
  assert.ok(seeds.length >= 2, 'two seeds at least');
  const [first, second] = seeds.map((s) => alone.get(`${s}/0`)?.test);
  assert.notEqual(first, second, "task 0's loss alone is the same on two seeds: the seed did not reach the command");
}
