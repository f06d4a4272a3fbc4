/**
 * The decisions on a command's networks, through the command: the grouping with its closed loop on fresh seeds,
 * higher-order training and the auxiliary ranking; the taxonomy from the command's per-example losses; adaptive seeds.
 * The fake command plants the answer: tasks a and b help each other, every partner hurts c.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandWorkspace, journalRecords, tra, BACKEND_INDEPENDENT } from '../helpers/command.js';

test(
  'tra group --validate --main --train-higher-order, then tra taxonomy, on a command definition',
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace({ seeds: 2, parallel: 2 });
    const group = await tra(ws.dir, [
      'group',
      ws.definition,
      '--validate',
      '--main',
      'a',
      '--train-higher-order',
      '--bootstrap',
      '5',
      '--quiet',
    ]);
    assert.equal(group.code, 0, group.stderr);
    assert.match(group.stdout, /^Train a with b; and c alone\./m);
    assert.match(
      group.stdout,
      /^closed loop on fresh seeds 2, 3, 4: .*; held: measurably better than all tasks in one network/m,
    );
    assert.match(group.stdout, /^ {2}b\s+\+0\.\d+ \[.*\]\s+helps$/m, 'b ranks as a helpful auxiliary of a');
    const ids = journalRecords(ws.out).map((r) => r.id);
    assert.ok(ids.includes('s0/0+1+2') && ids.includes('s1/0+1+2'), 'the higher-order group was trained');
    const loop = journalRecords(join(ws.out, 'closed-loop'));
    assert.deepEqual([...new Set(loop.map((r) => r.seed))].sort(), [2, 3, 4], 'fresh seeds');
    assert.ok(loop.every((r) => r.backend === 'command'));
    assert.ok(existsSync(join(ws.out, 'closed-loop', 'runs', 's2', '0+1', 'log.txt')));

    const taxonomy = await tra(ws.dir, ['taxonomy', ws.definition, '--quiet']);
    assert.equal(taxonomy.code, 0, taxonomy.stderr);
    assert.match(taxonomy.stdout, /taxonomy of 3 tasks from your command's networks/);
    const json = JSON.parse(readFileSync(join(ws.out, 'taxonomy.json'), 'utf8'));
    assert.match(json.transferDefinition, /your command's networks/);
    assert.equal(journalRecords(ws.out).length, ids.length, 'the taxonomy trained nothing more');
  },
);

test(
  'an adaptive command sweep adds seeds through the command until its reliability target or budget',
  BACKEND_INDEPENDENT,
  async () => {
    const ws = commandWorkspace({ seeds: 2, parallel: 2, untilReliability: 0.995, maxMinutes: 1 });
    const run = await tra(ws.dir, ['run', ws.definition]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /adaptive run: (reached|stopped)/);
    assert.ok(
      journalRecords(ws.out).some((r) => r.seed === 2),
      'a third seed was trained by the command',
    );
  },
);
