/**
 * The training command as the network (docs/COMMAND.md), measured.
 * usage: node dist/bench/command.js [overhead|yeast|native|pytorch|all] [--tasks T] [--seeds S] [--parallel P] [--out DIR]
 *   [--reference-seeds N]
 *
 * overhead: tra's cost per network around a command that does nothing (a POSIX sh script writing a valid result):
 *   the command sweep's wall time per network against the same command launched directly (child_process.spawnSync,
 *   no tra), and the parts measured in this process: reading and checking a result, appending a record.
 * yeast: the reference protocol (PROTOCOL.md: one holdout split per seed, trunk 64-64, Adam 1e-3, batch 64, 30
 *   epochs, best-validation selection) on yeast through examples/pytorch/train.py against the native trainer, S seeds
 *   each (default 10): wall time of each, and how well the two affinity matrices agree (Spearman over the off-diagonal
 *   cells) next to how well each agrees with itself (split-half: the mean Spearman between the averages of two random
 *   halves of its seeds, and across frameworks between one's half and the other's complementary half). Needs a python3
 *   with torch: TRA_TORCH_PYTHON, else ~/.cache/task-relations/torch-venv/bin/python; skipped without one. With
 *   --out DIR the two sweeps are kept in DIR/native and DIR/pytorch (a rerun resumes them; tra group DIR/pytorch
 *   then decides on the PyTorch sweep); `native` or `pytorch` runs one of them (the table needs both in DIR). Times
 *   are wall and CPU seconds (this process and the commands it waited for). --reference-seeds N adds the agreement of
 *   each with the native trainer's mean matrix over N seeds (seconds to train), steadier than its own few seeds.
 *   --root DIR takes examples/ and analyses/ from DIR (a copy, so that a long sweep's code stays put while the
 *   checkout changes).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPairwiseAnalysis } from '../src/analysis/pairwise.js';
import { readSpecFile } from '../src/analysis/spec.js';
import type { Matrix } from '../src/affinity/gain.js';
import { mean, spearman } from '../src/affinity/stats.js';
import { readResult, resultLosses } from '../src/data/resultFile.js';
import { permutation, seededRandom } from '../src/data/random.js';
import { commandRef } from '../src/engine/command/ref.js';
import { runCommandSweep } from '../src/sweep/commandSweep.js';
import type { CommandConfig } from '../src/sweep/config.js';
import { Journal } from '../src/sweep/journal.js';
import { SweepGroups } from '../src/sweep/plan.js';
import { configHash } from '../src/sweep/config.js';

const args = process.argv.slice(2);
// --root: the folder whose examples/ and analyses/ are used (a copy keeps a long sweep's code still while the checkout
// changes under it: an edited train.py would stop the sweep, as it should)
const rootFlag = args.indexOf('--root');
const root = rootFlag >= 0 ? args[rootFlag + 1] : fileURLToPath(new URL('../../', import.meta.url));
const part = args[0] && !args[0].startsWith('--') ? args[0] : 'all';
const flag = (name: string, fallback: number): number => {
  const k = args.indexOf(name);
  return k >= 0 ? Number(args[k + 1]) : fallback;
};
const machine = (): string =>
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
const say = (line: string): void => void process.stdout.write(`${line}\n`);

/** A command that trains nothing: a POSIX sh script writing a result of loss 0.5 for every task it is given. */
const NOOP = `#!/bin/sh
tasks=""
IFS=,
for t in $TRA_TASKS; do tasks="$tasks\${tasks:+,}\\"$t\\":{\\"validation\\":0.5,\\"test\\":0.5}"; done
printf '{"seed":%s,"tasks":{%s}}' "$TRA_SEED" "$tasks" > "$TRA_RESULT"
`;

async function overhead(): Promise<void> {
  const tasks = flag('--tasks', 10);
  const seeds = flag('--seeds', 4);
  const dir = mkdtempSync(join(tmpdir(), 'tra-bench-command-'));
  try {
    writeFileSync(join(dir, 'noop.sh'), NOOP);
    const taskNames = Array.from({ length: tasks }, (_, t) => `t${t}`);
    const groups = SweepGroups.pairwise(tasks);
    const networks = groups.length * seeds;
    const ref = commandRef(['sh', 'noop.sh'], dir, [join(dir, 'noop.sh')], 'bench');
    const config: CommandConfig = {
      command: { argv: ref.argv, code: ref.code },
      taskNames,
      epochs: 1,
      split: { kind: 'holdout', validation: 0.2, test: 0.2 },
    };
    say(`overhead: ${networks} networks (${tasks} tasks, ${seeds} seeds) of a no-op command; ${machine()}`);
    const out = join(dir, 'out');
    const started = process.hrtime.bigint();
    await runCommandSweep({
      config,
      ref,
      groups,
      seeds: Array.from({ length: seeds }, (_, s) => s),
      journalPath: join(out, 'journal.jsonl'),
      run: { parallel: 1, retries: 0 },
      quiet: true,
    });
    const sweepSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    // the same command launched directly, as many times, with the environment tra would give it
    const direct = process.hrtime.bigint();
    for (let k = 0; k < networks; k++) {
      const env = {
        ...process.env,
        TRA_TASKS: taskNames.slice(0, 1 + (k % 2)).join(','),
        TRA_SEED: '0',
        TRA_RESULT: join(dir, 'direct.json'),
      };
      spawnSync('sh', ['noop.sh'], { cwd: dir, env });
    }
    const directSeconds = Number(process.hrtime.bigint() - direct) / 1e9;
    // reading and checking one result, and appending one record, in this process
    const resultPath = join(out, 'runs', 's0', '0+1', 'result.json');
    const parseStart = process.hrtime.bigint();
    const parses = 2000;
    for (let k = 0; k < parses; k++) resultLosses(readResult(resultPath), { tasks: ['t0', 't1'], seed: 0, epochs: 1 });
    const parseSeconds = Number(process.hrtime.bigint() - parseStart) / 1e9 / parses;
    const journal = Journal.open(join(dir, 'append', 'journal.jsonl'), {
      kind: 'header',
      version: 1,
      configHash: configHash(config),
      config,
    });
    const appends = 200;
    const appendStart = process.hrtime.bigint();
    for (let k = 0; k < appends; k++)
      journal.append([
        {
          kind: 'network',
          id: `s${k}/0`,
          replication: `s${k}`,
          seed: k,
          fold: 0,
          group: [0],
          testLoss: [0.5],
          validationLoss: [0.5],
          bestEpoch: 0,
          backend: 'command',
          seconds: 0,
          finishedAt: new Date().toISOString(),
        },
      ]);
    const appendSeconds = Number(process.hrtime.bigint() - appendStart) / 1e9 / appends;
    const ms = (seconds: number): string => `${(seconds * 1000).toFixed(1)} ms`;
    say(`  tra's command sweep: ${ms(sweepSeconds / networks)} per network (${sweepSeconds.toFixed(1)} s in all)`);
    say(`  the command alone (spawnSync, no tra): ${ms(directSeconds / networks)} per launch`);
    say(
      `  tra's overhead: ${ms((sweepSeconds - directSeconds) / networks)} per network, of which measured in-process:`,
    );
    say(`    reading and checking a result ${ms(parseSeconds)}, appending a record (fsync) ${ms(appendSeconds)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A python3 with torch, or why there is none. */
function torchPython(): string | undefined {
  const candidates = [process.env.TRA_TORCH_PYTHON, join(homedir(), '.cache/task-relations/torch-venv/bin/python')];
  return candidates.find(
    (python) => python && existsSync(python) && spawnSync(python, ['-c', 'import torch']).status === 0,
  );
}

const offDiagonal = (m: Matrix): number[] => m.flatMap((row, i) => row.filter((_, j) => i !== j));
const average = (matrices: Matrix[]): Matrix =>
  matrices[0].map((row, i) => row.map((_, j) => mean(matrices.map((m) => m[i][j]))));

/** Mean Spearman between a half of `a`'s seeds and the other half of `b`'s, over random splits (a = b: split-half). */
function halvesAgreement(a: Matrix[], b: Matrix[], splits = 200): number {
  const random = seededRandom(0, 11);
  const correlations: number[] = [];
  for (let s = 0; s < splits; s++) {
    const order = Array.from(permutation(a.length, random));
    const first = new Set(order.slice(0, Math.floor(a.length / 2)));
    const inFirst = a.filter((_, k) => first.has(k));
    const inSecond = b.filter((_, k) => !first.has(k));
    correlations.push(spearman(offDiagonal(average(inFirst)), offDiagonal(average(inSecond))));
  }
  return mean(correlations);
}

/** CPU seconds of this process and of the children it waited for (the commands): Linux's /proc/self/stat. */
function cpuSeconds(): { self: number; children: number } {
  const usage = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // fields from the state on: cutime and cstime are the 14th and 15th, in clock ticks of 1/100 s
  return { self: (usage.user + usage.system) / 1e6, children: (Number(fields[13]) + Number(fields[14])) / 100 };
}

/** One framework's sweep of the reference protocol on yeast, timed, into `dir` (kept with --out: a rerun resumes). */
async function yeastSweep(framework: 'native' | 'pytorch', dir: string, seeds: number, folder: string = framework) {
  const before = cpuSeconds();
  const started = Date.now();
  let spec = readSpecFile(join(root, 'analyses', 'yeast-pairwise.json'), root);
  if (framework === 'pytorch') {
    const python = torchPython();
    if (!python) return undefined;
    process.env.PATH = `${dirname(python)}:${process.env.PATH}`;
    spec = readSpecFile(join(root, 'examples', 'pytorch', 'yeast.json'), root);
    const command = spec.command;
    if (!command) throw new Error('examples/pytorch/yeast.json names no command');
    spec = { ...spec, command: { ...command, run: { ...command.run, parallel: flag('--parallel', 2) } } };
  }
  const run = await runPairwiseAnalysis({ ...spec, seeds: String(seeds), out: join(dir, folder) });
  const after = cpuSeconds();
  const cpu = after.self - before.self + after.children - before.children;
  say(
    `  ${framework}: ${run.sweep.trained} networks trained in ${((Date.now() - started) / 1000).toFixed(0)} s wall, ${cpu.toFixed(0)} CPU-s (${(cpu / Math.max(1, run.sweep.trained)).toFixed(2)} CPU-s per network); ${run.sweep.skipped} resumed; ${machine()}`,
  );
  return run;
}

async function yeast(): Promise<void> {
  const seeds = flag('--seeds', 10);
  const outFlag = args.indexOf('--out');
  const keep = outFlag >= 0 ? args[outFlag + 1] : undefined;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'tra-bench-yeast-'));
  try {
    say(`yeast, reference protocol, ${seeds} seeds (holdout): the native trainer and examples/pytorch/train.py`);
    const native = part === 'pytorch' ? undefined : await yeastSweep('native', dir, seeds);
    const torch = part === 'native' ? undefined : await yeastSweep('pytorch', dir, seeds);
    if (part !== 'native' && !torch)
      say('  pytorch: skipped, no python3 with torch (set TRA_TORCH_PYTHON, or pip install torch)');
    if (!native || !torch) return;
    const a = native.estimate.perReplication;
    const b = torch.estimate.perReplication;
    const rows = [
      ['affinity agreement (Spearman, off-diagonal cells)', 'native', 'pytorch'],
      [
        `within: split-half (${Math.floor(seeds / 2)} vs ${seeds - Math.floor(seeds / 2)} seeds)`,
        halvesAgreement(a, a).toFixed(2),
        halvesAgreement(b, b).toFixed(2),
      ],
      [
        `within: reliability (Spearman-Brown, ${seeds} seeds)`,
        native.estimate.reliability.reliability.toFixed(2),
        torch.estimate.reliability.reliability.toFixed(2),
      ],
      [
        'across: a half of one vs the other half of the other',
        halvesAgreement(a, b).toFixed(2),
        halvesAgreement(b, a).toFixed(2),
      ],
      [
        'across: all seeds of one vs all of the other',
        spearman(offDiagonal(average(a)), offDiagonal(average(b))).toFixed(2),
        '',
      ],
    ];
    // the native trainer on more seeds is cheap: its mean matrix is a steadier reference for a command run on few
    const referenceSeeds = flag('--reference-seeds', 0);
    const reference =
      referenceSeeds > seeds ? await yeastSweep('native', dir, referenceSeeds, `native-${referenceSeeds}`) : undefined;
    if (reference)
      rows.push([
        `across: all seeds of one vs the native trainer's ${referenceSeeds}`,
        spearman(offDiagonal(average(a)), offDiagonal(average(reference.estimate.perReplication))).toFixed(2),
        spearman(offDiagonal(average(b)), offDiagonal(average(reference.estimate.perReplication))).toFixed(2),
      ]);
    for (const row of rows) say(`  ${row[0].padEnd(54)}${row[1].padStart(8)}${row[2].padStart(9)}`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

// Ctrl-C or a kill ends the commands still running too (engine/command/process.ts ends them on exit).
process.once('SIGINT', () => process.exit(130));
process.once('SIGTERM', () => process.exit(143));
if (part === 'overhead' || part === 'all') await overhead();
if (part !== 'overhead') await yeast();
