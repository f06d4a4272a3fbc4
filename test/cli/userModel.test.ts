import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/files.js';
import { finish, startRedis } from '../helpers/queue.js';
import { assertCommonStart, journalRecords } from '../helpers/command.js';
import { COMMON_START } from '../../src/engine/start.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const fixtures = fileURLToPath(new URL('../../../test/fixtures/user-model/', import.meta.url));
/** The suite's backend (TRA_BACKEND) when a user's model can train on it; else the toolkit picks. */
const backend =
  process.env.TRA_BACKEND && process.env.TRA_BACKEND !== 'native' ? { backend: process.env.TRA_BACKEND } : {};
const tra = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** 60 rows, four features, four binary tasks that depend on the features (two pairs of related tasks). */
function csv(): string {
  const lines = ['f1,f2,f3,f4,a,b,c,d'];
  for (let i = 0; i < 60; i++) {
    const f = [Math.sin(i), Math.cos(i * 1.3), ((i * 7) % 11) / 11, ((i * 5) % 13) / 13];
    lines.push(
      [
        ...f.map((v) => v.toFixed(4)),
        f[0] > 0 ? 1 : 0,
        f[0] + f[1] > 0 ? 1 : 0,
        f[2] > 0.5 ? 1 : 0,
        f[2] + f[3] > 1 ? 1 : 0,
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A folder with the data, a copy of the fixture module and a definition naming both; returns the definition's path. */
function analysis(module: string, extra: object = {}, data = true): { definition: string; dir: string; model: string } {
  const dir = tempDir();
  const model = join(dir, module);
  copyFileSync(join(fixtures, module), model);
  if (data) writeFileSync(join(dir, 'data.csv'), csv());
  const definition = join(dir, 'analysis.json');
  const spec = {
    name: 'tiny',
    model: `./${module}`,
    tasks: 'last:4',
    seeds: 2,
    split: { kind: 'holdout' },
    engine: { epochs: 4, patience: 2, learningRate: 0.01 },
    out: join(dir, 'out'),
    ...backend,
    ...(data ? { data: 'data.csv' } : {}),
    ...extra,
  };
  writeFileSync(definition, JSON.stringify(spec));
  return { definition, dir, model };
}

const networksOf = (journal: string) =>
  new Map(
    readFileSync(journal, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line))
      .map((r) => [r.id, { test: r.testLoss, validation: r.validationLoss, best: r.bestEpoch }]),
  );

test('a user model sweep runs end to end through the CLI: affinity.json, report, provenance naming the model; an edited module is refused', () => {
  const { definition, dir, model } = analysis('dense.js');
  const run = tra('run', definition, '--workers', '1');
  assert.equal(run.status, 0, run.stderr);
  assert.match(
    run.stderr,
    /plan: 20 networks .* calibration of the model \S*dense\.js \(network by network\) on backend (tensorflow|wasm|cpu): 2 of its networks trained/,
  );
  const affinity = JSON.parse(readFileSync(join(dir, 'out', 'affinity.json'), 'utf8'));
  assert.deepEqual(affinity.taskNames, ['a', 'b', 'c', 'd']);
  assert.equal(affinity.provenance.model.source, model);
  assert.match(affinity.provenance.model.sha256, /^[0-9a-f]{64}$/);
  assert.ok(existsSync(join(dir, 'out', 'index.html')));
  assert.match(
    readFileSync(join(dir, 'out', 'index.html'), 'utf8'),
    /your model dense\.js, trained network by network/,
  );
  const journal = join(dir, 'out', 'journal.jsonl');
  const before = readFileSync(journal, 'utf8');
  assert.equal(networksOf(journal).size, 20);

  appendFileSync(model, '// an edit: another model for all the journal knows\n');
  const edited = tra('run', definition, '--workers', '1');
  assert.equal(edited.status, 2, edited.stderr);
  assert.match(
    edited.stderr,
    /holds results of a different configuration \(the model module .*dense\.js changed since/,
  );
  assert.equal(readFileSync(journal, 'utf8'), before, 'the journal is untouched');
});

test("a user model's networks start alike: at a learning rate near 0 a task's losses in a pair equal its losses alone", () => {
  const { definition, dir } = analysis('dense.js', { engine: { epochs: 2, patience: 0, learningRate: 1e-9 } });
  const run = tra('run', definition, '--workers', '1');
  assert.equal(run.status, 0, run.stderr);
  assertCommonStart(journalRecords(join(dir, 'out')), 1e-5);
  const affinity = JSON.parse(readFileSync(join(dir, 'out', 'affinity.json'), 'utf8'));
  assert.equal(affinity.provenance.initialisation, COMMON_START);
});

test('a resumed user-model sweep (dropout, worker threads) equals an uninterrupted one', () => {
  const whole = analysis('dropout.js');
  assert.equal(tra('run', whole.definition, '--workers', '2').status, 0);
  const full = networksOf(join(whole.dir, 'out', 'journal.jsonl'));
  const part = analysis('dropout.js');
  const lines = readFileSync(join(whole.dir, 'out', 'journal.jsonl'), 'utf8')
    .trimEnd()
    .split('\n');
  // the same header (the configuration hash leaves paths out), half of the networks
  const kept = [lines[0], ...lines.slice(1).filter((_, i) => i % 2 === 1)];
  const journal = join(part.dir, 'out', 'journal.jsonl');
  mkdirSync(join(part.dir, 'out'));
  writeFileSync(journal, `${kept.join('\n')}\n`);
  const resumed = tra('run', part.definition, '--workers', '1');
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.match(resumed.stdout, /trained 10 networks/);
  const after = networksOf(journal);
  assert.equal(after.size, full.size);
  for (const [id, result] of full) assert.deepEqual(after.get(id), result, `network ${id}`);
});

test('a user-model sweep split into two shards and merged, and one served by a queue worker, equal the whole sweep record by record', async () => {
  const { definition, dir } = analysis('dense.js');
  const whole = tra('run', definition, '--workers', '1');
  assert.equal(whole.status, 0, whole.stderr);
  const full = networksOf(join(dir, 'out', 'journal.jsonl'));
  /** The same definition writing elsewhere: the same configuration, since the hash leaves paths out. */
  const writingTo = (name: string): string => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(definition, 'utf8')), out: join(dir, name) }));
    return path;
  };
  const assertSameRecords = (journal: string, how: string): void => {
    const records = networksOf(journal);
    assert.equal(records.size, full.size, how);
    for (const [id, result] of full) assert.deepEqual(records.get(id), result, `${how}: network ${id}`);
  };

  for (const shard of ['1/2', '2/2']) {
    const run = tra('run', writingTo(`shard-${shard[0]}`), '--shard', shard, '--workers', '1');
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      /when every shard is done: tra merge <folder> <each shard's journal\.jsonl>/,
      'a folder the definition names is not the default one',
    );
  }
  const merged = tra(
    'merge',
    join(dir, 'merged'),
    join(dir, 'shard-1', 'journal.jsonl'),
    join(dir, 'shard-2', 'journal.jsonl'),
  );
  assert.equal(merged.status, 0, merged.stderr);
  assert.match(merged.stdout, /merged 20 networks from 2 journals \(0 duplicates/);
  assertSameRecords(join(dir, 'merged', 'journal.jsonl'), 'shards merged');

  const redis = await startRedis();
  const worker = spawn(process.execPath, [cli, 'worker', '--queue', redis.url, '--workers', '1'], { stdio: 'ignore' });
  try {
    const queued = await finish(
      spawn(process.execPath, [cli, 'run', writingTo('queued'), '--queue', redis.url, '--quiet'], {
        stdio: ['ignore', 'ignore', 'pipe'],
      }),
    );
    assert.equal(queued.code, 0, queued.stderr);
  } finally {
    worker.kill('SIGKILL');
    redis.stop();
  }
  assertSameRecords(join(dir, 'queued', 'journal.jsonl'), 'through the queue');
});

test('a data loader replaces the CSV: sequences train through the same checks and sweep', () => {
  const { definition, dir } = analysis('sequences.js', { tasks: 'up,late,wide' }, false);
  const run = tra('run', definition, '--workers', '1');
  assert.equal(run.status, 0, run.stderr);
  const affinity = JSON.parse(readFileSync(join(dir, 'out', 'affinity.json'), 'utf8'));
  assert.deepEqual(affinity.taskNames, ['up', 'late', 'wide']);
  const header = JSON.parse(readFileSync(join(dir, 'out', 'journal.jsonl'), 'utf8').split('\n')[0]);
  assert.deepEqual(header.config.data.inputShape, [5, 2]);
});

test('a bad module stops the run with exit 2 naming it, before a journal exists (test/engine/userModel.test.ts has every case)', () => {
  const { definition, dir } = analysis('no-trunk.js');
  const run = tra('run', definition);
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /model .*no-trunk\.js: no 'trunk' export/);
  assert.doesNotMatch(run.stderr, /at .*\.js/);
  assert.ok(!existsSync(join(dir, 'out', 'journal.jsonl')));
});
