/**
 * --max-hours holds while training, beyond the sweep of this process: the closed loop's fresh seeds stop between
 * replications with exit 3, and a rerun resumes to what an uninterrupted run trains (the queue's coordinator:
 * test/sweep/queue.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';
import { readJournal } from '../../src/sweep/journal.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

test('the closed loop stops at --max-hours between its fresh seeds (exit 3) and a rerun completes it as an uninterrupted run', () => {
  const csv = writeTemp('closed.csv', validCsv());
  const definition = (out: string): string =>
    writeTemp(
      'closed.json',
      JSON.stringify({
        name: 'closed',
        data: csv,
        tasks: 'last:3',
        seeds: 2,
        split: { kind: 'holdout' },
        engine: { epochs: 2, hidden: [4] },
        out,
      }),
    );
  const group = (def: string, ...more: string[]) =>
    tra('group', def, '--quiet', '--bootstrap', '2', '--validate', '--validate-seeds', '3', ...more);
  const whole = tempDir();
  const uninterrupted = group(definition(whole));
  assert.equal(uninterrupted.status, 0, uninterrupted.stderr);

  const out = tempDir();
  const def = definition(out);
  assert.equal(tra('run', def, '--quiet').status, 0, 'the sweep, complete before the closed loop');
  // a limit passed at once: the sweep has nothing left to train, the closed loop trains its first seed and stops
  const stopped = group(def, '--max-hours', '1e-9');
  assert.equal(stopped.status, 3, stopped.stderr);
  const first = readJournal(join(out, 'closed-loop', 'journal.jsonl')).records;
  const groups = first.size;
  assert.ok(groups > 0);
  assert.deepEqual(new Set([...first.values()].map((r) => r.seed)), new Set([2]), 'fresh seed 2 only');
  assert.match(
    stopped.stderr,
    new RegExp(
      `^tra: stopped at --max-hours 1e-9: trained ${groups} networks in this run, ${2 * groups} left to train \\(every finished network is in .*closed-loop/journal\\.jsonl\\); rerun the same command`,
      'm',
    ),
  );
  const rerun = group(def);
  assert.equal(rerun.status, 0, rerun.stderr);
  const resumed = readJournal(join(out, 'closed-loop', 'journal.jsonl')).records;
  const reference = readJournal(join(whole, 'closed-loop', 'journal.jsonl')).records;
  assert.deepEqual([...resumed.keys()].sort(), [...reference.keys()].sort(), 'the same networks on seeds 2, 3 and 4');
  for (const [id, record] of reference)
    record.testLoss.forEach((loss, k) =>
      assert.ok(Math.abs(loss - (resumed.get(id)?.testLoss[k] ?? Number.NaN)) < 1e-5, `${id}: ${loss}`),
    );
});
