import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env } });

const csv = writeTemp('ok.csv', validCsv());
const sweepArgs = [
  '--data',
  csv,
  '--tasks',
  'last:3',
  '--seeds',
  '1',
  '--epochs',
  '2',
  '--hidden',
  '4',
  '--split',
  'holdout',
  '--quiet',
];

/** Trains shard i of 2 (or the whole sweep) into a fresh folder; returns its journal. */
function sweep(shard?: string, extra: string[] = []): string {
  const out = tempDir();
  const run = tra('sweep', ...sweepArgs, ...extra, '--out', out, ...(shard ? ['--shard', shard] : []));
  assert.equal(run.status, 0, run.stderr);
  return join(out, 'journal.jsonl');
}

const records = (journal: string) =>
  readFileSync(journal, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line))
    .filter((r) => r.kind === 'network');

let shards: [string, string] | undefined;
/** The two shard journals, trained once for both tests. */
const shardJournals = (): [string, string] => (shards ??= [sweep('1/2'), sweep('2/2')]);

test("tra merge: two shards give the whole sweep's matrix; one shard alone is reported incomplete with exit 3", () => {
  const [first, second] = shardJournals();
  const whole = sweep();
  assert.equal(
    records(first).length + records(second).length,
    records(whole).length,
    'the shards split the 6 networks',
  );

  const partial = tempDir();
  const incomplete = tra('merge', partial, first);
  assert.equal(incomplete.status, 3, incomplete.stderr);
  assert.match(
    incomplete.stdout,
    new RegExp(`incomplete: ${records(second).length} planned networks are in no journal`),
  );
  assert.ok(!existsSync(join(partial, 'affinity.json')), 'no matrix from an incomplete merge');

  const target = tempDir();
  const merged = tra('merge', target, first, second);
  assert.equal(merged.status, 0, merged.stderr);
  assert.match(merged.stdout, /merged 6 networks from 2 journals \(0 duplicates/);
  const fromShards = JSON.parse(readFileSync(join(target, 'affinity.json'), 'utf8'));
  const wholeDir = join(whole, '..');
  const fromWhole = JSON.parse(readFileSync(join(wholeDir, 'affinity.json'), 'utf8'));
  fromWhole.mean.forEach((row: number[], i: number) =>
    row.forEach((gain, j) =>
      assert.ok(
        Math.abs(gain - fromShards.mean[i][j]) < 1e-5,
        `gain [${i}][${j}]: ${gain} vs ${fromShards.mean[i][j]}`,
      ),
    ),
  );
  // the shards' definition comes along: the merged folder is grouped like a sweep's, training nothing
  const journal = readFileSync(join(target, 'journal.jsonl'), 'utf8');
  const group = tra('group', target, '--bootstrap', '2', '--quiet');
  assert.equal(group.status, 0, group.stderr);
  assert.match(group.stdout, /^Train /);
  assert.equal(readFileSync(join(target, 'journal.jsonl'), 'utf8'), journal);
});

test('tra merge refuses journals of another configuration and two different results for one network, exit 2', () => {
  const [first] = shardJournals();
  const otherSettings = sweep('2/2', ['--epochs', '3']);
  const mixed = tra('merge', tempDir(), first, otherSettings);
  assert.equal(mixed.status, 2);
  assert.match(mixed.stderr, /was made with another configuration/);
  assert.doesNotMatch(mixed.stderr, /at .*\.js/);

  const tampered = join(tempDir(), 'journal.jsonl');
  const lines = readFileSync(first, 'utf8').trim().split('\n');
  const k = lines.findIndex((line) => JSON.parse(line).kind === 'network');
  const record = JSON.parse(lines[k]);
  record.testLoss[0] += 0.01;
  lines[k] = JSON.stringify(record);
  writeFileSync(tampered, `${lines.join('\n')}\n`);
  const conflicting = tra('merge', tempDir(), first, tampered);
  assert.equal(conflicting.status, 2);
  assert.match(
    conflicting.stderr,
    new RegExp(`network ${record.id.replace(/[+]/g, '\\+')} has a different result than in another journal`),
  );
});
