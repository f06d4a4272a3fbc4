import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir, validCsv, writeTemp } from '../helpers/files.js';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const tra = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { ...process.env } });

/** The one-line summaries a command prints per phase on stderr (progress bars and adaptive rounds leave none in a log). */
const PHASE = /^(\S+\.csv: \d+ rows|task '\w+' has only|plan: |sweep: |selection: |closed loop: )/;

test('tra group: the first line on stdout is the decision, the evidence under it; stderr holds one line per phase, on a resume too', () => {
  const out = tempDir();
  const def = writeTemp(
    'adaptive.json',
    JSON.stringify({
      name: 'd',
      data: writeTemp('ok.csv', validCsv()),
      tasks: 'last:3',
      seeds: 2,
      split: { kind: 'holdout' },
      engine: { epochs: 2, hidden: [4] },
      untilReliability: 0.999,
      maxMinutes: 0.05,
      out,
    }),
  );
  for (const run of ['first', 'resume']) {
    const result = tra(
      'group',
      def,
      '--bootstrap',
      '2',
      '--early-fractions',
      '0.5',
      '--validate',
      '--validate-seeds',
      '2',
    );
    assert.equal(result.status, 0, result.stderr);
    const [decision, evidence] = result.stdout.split('\n');
    assert.match(decision, /^(Train |No )/, `${run}: ${result.stdout}`);
    assert.match(evidence, /^ {2}predicted total test loss \d+\.\d{4} \[/);
    const grouping = JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8'));
    assert.equal(grouping.decision.headline, decision, 'the page shows the same decision');
    const seeds = grouping.adaptive.seeds.length;
    const lines = result.stderr.trim().split('\n');
    assert.ok(
      lines.every((l) => PHASE.test(l)),
      `${run}: only phase lines on stderr, got:\n${result.stderr}`,
    );
    assert.ok(lines.length <= 7, `${run}: ${lines.length} lines for ${seeds} seeds:\n${result.stderr}`);
    assert.doesNotMatch(result.stderr, /adding seed/);
    // the resume replays every seed the journal holds (the time budget starts again, so it may add one): one line;
    // how many seeds the first run's 3 s held depends on the machine's load, so only that there were some
    if (run === 'resume')
      assert.match(result.stderr, /^sweep: (nothing to train|trained \d+ networks in [\d:]+) \([1-9]\d* already in /m);
  }
});

/**
 * Losses of tasks t0..t3 in the long format: every single at 1, task i in the pair {i, j} at 1 - gain(seed, i, j), the
 * same on validation and test; with `epochs`, one row per epoch, every loss falling to its value at the last epoch.
 */
function lossCsv(seeds: number, gain: (seed: number, i: number, j: number) => number, epochs?: number): string {
  const rows: string[] = [];
  const row = (network: string, task: string, seed: number, loss: number) => {
    for (const split of ['validation', 'test'])
      if (epochs === undefined) rows.push(`${network},${task},${seed},${split},${loss.toFixed(6)}`);
      else
        for (let e = 1; e <= epochs; e++)
          rows.push(`${network},${task},${seed},${split},${(loss * (1 + 0.1 * (epochs - e))).toFixed(6)},${e}`);
  };
  for (let s = 0; s < seeds; s++)
    for (let i = 0; i < 4; i++) {
      row(`t${i}`, `t${i}`, s, 1);
      for (let j = 0; j < 4; j++)
        if (j !== i) row(`t${Math.min(i, j)}+t${Math.max(i, j)}`, `t${i}`, s, 1 - gain(s, i, j));
    }
  return `${[`network,task,seed,split,loss${epochs === undefined ? '' : ',epoch'}`, ...rows].join('\n')}\n`;
}

/** A fixed pattern of pair gains (-3% .. +3%), distinct per cell. */
const pattern = (i: number, j: number): number => 0.005 * (((i * 4 + j) * 5) % 13) - 0.03;

function groupOn(csv: string): { stdout: string; warnings: string[] } {
  const out = join(tempDir(), 'imported');
  const imported = tra('import', writeTemp('losses.csv', csv), '--out', out, '--task-names', 't0,t1,t2,t3');
  assert.equal(imported.status, 0, imported.stderr);
  const run = tra('group', out, '--quiet', '--bootstrap', '2');
  assert.equal(run.status, 0, run.stderr);
  return { stdout: run.stdout, warnings: JSON.parse(readFileSync(join(out, 'grouping.json'), 'utf8')).warnings };
}

test('warnings in the terminal: halves that disagree give a clamped reliability 0, explained', () => {
  // two seeds with opposite gains: split-half Spearman -1, where Spearman-Brown would give -infinity
  const { stdout, warnings } = groupOn(lossCsv(2, (s, i, j) => (s === 0 ? 1 : -1) * pattern(i, j)));
  assert.match(
    stdout,
    /^WARNING: reliability 0 \(clamped\): the two halves of the seeds disagree \(split-half Spearman -1\.00; Spearman-Brown is not defined below 0\)/m,
  );
  assert.equal(warnings.length, 1);
  assert.doesNotMatch(stdout, /reliability -/);
});

test('warnings in the terminal: a matrix below reliability 0.5', () => {
  // the second seed makes the pattern symmetric: the two seeds' matrices agree weakly (Spearman 0.09)
  const { stdout } = groupOn(lossCsv(2, (s, i, j) => (s === 0 || i < j ? pattern(i, j) : pattern(j, i))));
  const low = /^WARNING: reliability (0\.\d\d) is below 0\.5: most of the matrix is seed noise/m.exec(stdout);
  assert.ok(low, stdout);
  assert.ok(Number(low[1]) > 0);
});

test('warnings in the terminal: networks mostly best at their last epoch are under-trained; a reliable matrix warns of nothing else', () => {
  const { stdout, warnings } = groupOn(lossCsv(3, (_, i, j) => pattern(i, j), 4));
  assert.match(
    stdout,
    /^WARNING: 30 of 30 networks were best at their last epoch \(4\): they were still improving when training stopped \(under-trained\); raise the epochs/m,
  );
  assert.equal(warnings.length, 1, warnings.join('\n'));
  const clean = groupOn(lossCsv(3, (_, i, j) => pattern(i, j)));
  assert.deepEqual(clean.warnings, []);
  assert.doesNotMatch(clean.stdout, /WARNING/);
});
