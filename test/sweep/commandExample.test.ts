/** The dependency-free example command (examples/command/) runs as a user would copy it: CI drives it, no PyTorch. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertCommonStart, journalRecords, tra, BACKEND_INDEPENDENT } from '../helpers/command.js';
import { perEpochLength, type NetworkRecord } from '../../src/sweep/record.js';
import { tempDir } from '../helpers/files.js';

const example = fileURLToPath(new URL('../../../examples/command/emotions.json', import.meta.url));

test(
  'examples/command/emotions.json: a real multi-task script on the shipped data follows the contract',
  BACKEND_INDEPENDENT,
  async () => {
    const out = join(tempDir(), 'out');
    const run = await tra(process.cwd(), ['run', example, '--seeds', '1', '--epochs', '2', '--out', out]);
    assert.equal(run.code, 0, run.stderr);
    const records = journalRecords(out);
    assert.equal(records.length, 21, '6 labels alone and 15 pairs');
    for (const record of records) {
      assert.equal(perEpochLength(record as unknown as NetworkRecord), 2, record.id as string);
      const examples = record.examples as number[][];
      assert.equal(examples.length, (record.group as number[]).length);
      assert.equal(examples[0].length, 119, 'per-example losses of the 20% test rows of 593');
      // binary cross-entropies of a trained logistic head: between a perfect 0 and far worse than chance
      for (const loss of record.testLoss as number[]) assert.ok(loss > 0.05 && loss < 1.5, `${record.id}: ${loss}`);
    }
    assert.match(run.stdout, /trained 21 networks through your command/);
  },
);

test(
  'examples/command/train.mjs starts every network of a seed alike: at learning rate 0 a task scores in a pair as alone',
  BACKEND_INDEPENDENT,
  async () => {
    // Without a common start (each head drawn anew, the batch order shifted by the extra draws) a task's loss in a
    // pair differs from its loss alone by the partner's initialisation as well: on yeast that made the PyTorch
    // example's affinity matrix seed noise (docs/COMMAND.md, "Initialisation").
    const definition = JSON.parse(readFileSync(example, 'utf8'));
    const dir = tempDir();
    const path = join(dir, 'emotions.json');
    const argv = definition.command as string[];
    const tasksAt = argv.indexOf('--');
    writeFileSync(
      path,
      JSON.stringify({
        ...definition,
        command: [...argv.slice(0, tasksAt), '--lr', '0', ...argv.slice(tasksAt)],
        cwd: dirname(example),
        code: definition.code.map((file: string) => join(dirname(example), file)),
        tasks: definition.tasks.slice(0, 3),
        seeds: 2,
        engine: { epochs: 1 },
        out: 'out',
      }),
    );
    const run = await tra(dir, ['run', path, '--quiet']);
    assert.equal(run.code, 0, run.stderr);
    const records = journalRecords(join(dir, 'out'));
    assert.equal(records.length, 12, '3 labels alone and 3 pairs, 2 seeds');
    assertCommonStart(records, 0);
  },
);
