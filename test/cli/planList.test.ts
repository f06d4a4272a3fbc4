import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { networkListSchema } from '../../src/artefacts/networks.js';
import { readJournal } from '../../src/sweep/journal.js';
import { testBackend } from '../helpers/backend.js';
import { tempDir, validCsv } from '../helpers/files.js';
import { tra } from '../helpers/hostile.js';

before(async () => {
  await testBackend();
});

test('tra plan --list --json: every network of a sweep (group x seed x fold) for a launcher, the ones its journal holds marked done', async () => {
  const ws = tempDir();
  writeFileSync(join(ws, 'data.csv'), validCsv());
  writeFileSync(
    join(ws, 'def.json'),
    JSON.stringify({
      name: 'listed',
      data: 'data.csv',
      tasks: 'last:3',
      seeds: '2,5',
      groups: 'a+b+r',
      split: { kind: 'kfold', folds: 3 },
      engine: { epochs: 1, hidden: [4] },
      out: 'out',
      ...(process.env.TRA_BACKEND ? { backend: process.env.TRA_BACKEND } : {}),
    }),
  );
  const listed = await tra(ws, ['plan', 'def.json', '--list', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  const list = networkListSchema.parse(JSON.parse(listed.stdout));
  // 3 singles + 3 pairs + the extra triple, on seeds 2 and 5, 3 folds each
  assert.equal(list.networks.length, 7 * 2 * 3);
  assert.equal(list.missing, 42);
  assert.deepEqual(list.seeds, [2, 5]);
  const triple = list.networks.find((n) => n.id === 's5f2/0+1+2');
  assert.deepEqual(triple, {
    id: 's5f2/0+1+2',
    replication: 's5f2',
    seed: 5,
    fold: 2,
    group: [0, 1, 2],
    tasks: ['a', 'b', 'r'],
    network: 'a+b+r',
    done: false,
  });
  const text = await tra(ws, ['plan', 'def.json', '--list']);
  assert.match(text.stdout, /^a\+b\+r\s+5\s+2\s+s5f2\/0\+1\+2\s+no$/m);

  // after the sweep: the same networks, every one of them in the journal; a sweep folder lists like its definition
  const run = await tra(ws, ['run', 'def.json', '--quiet']);
  assert.equal(run.code, 0, run.stderr);
  const after = networkListSchema.parse(JSON.parse((await tra(ws, ['plan', 'out', '--list', '--json'])).stdout));
  assert.equal(after.missing, 0);
  assert.deepEqual(
    after.networks.map((n) => n.id).sort(),
    [...readJournal(join(ws, 'out', 'journal.jsonl')).records.keys()].sort(),
  );
});
