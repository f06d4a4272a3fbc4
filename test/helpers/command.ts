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
