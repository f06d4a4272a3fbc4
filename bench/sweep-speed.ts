/**
 * Wall time of the reference pairwise sweep (PROTOCOL.md: holdout 60/20/20, 1 seed, every task alone and every pair)
 * for this toolkit on each backend that loads and for the PyTorch peers in ../shared/peers, measured in the same run,
 * as whole processes and as training time alone (the sweep's `sweepSeconds`, the peer's `wall_s`), with the share of
 * the machine's peak floating-point rate that the training reaches (see `work` and `machinePeak`), the time outside
 * training (start-up: process - training, wall) and the peak resident memory.
 * usage: npm run bench:speed -- [yeast|emotions|all] [--epochs N] [--peers DIR] [--peer-threads N] [--workers N]
 *        [--backends native,tensorflow,wasm] [--python PATH] [--rounds N] [--peer-scripts torch_fused.py,torch_pairwise.py]
 * With --rounds N every program runs N times in alternation (A B C A B C ...) and the table gives the medians.
 * The peer runs under --python, else $TRA_PEER_PYTHON, else the first of python3, /usr/bin/python3 that imports torch.
 * Which torch matters: Debian's python3-torch 1.13 ran the fused peer 5-8x slower than PyPI's torch 2.15 on the same
 * machine (112 s against 14-21 s on yeast); `bash scripts/peer/install.sh` puts PyPI's torch in a cached venv.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AFFINITY_FILES, readAffinity } from '../src/artefacts/affinity.js';
import { selectBackend, BACKENDS, type BackendName } from '../src/engine/backend.js';
import { loadNativeTrainer } from '../src/engine/native.js';
import { DEFAULT_ENGINE } from '../src/options/engine.js';
import { journalPathOf, readJournal } from '../src/sweep/journal.js';
import { earlierSelections } from '../src/sweep/record.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'yeast';
const peersDir = resolve(flag('--peers', join(root, '..', 'shared', 'peers')));
const peerThreads = flag('--peer-threads', String(availableParallelism()));
const workers = flag('--workers', '');
const rounds = Math.max(1, Number(flag('--rounds', '1')) || 1);
const peerScripts = flag('--peer-scripts', 'torch_fused.py,torch_pairwise.py').split(',');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const PEER_VENV_PYTHON = join(homedir(), '.cache', 'task-relations', 'torch-venv', 'bin', 'python');
const DATASETS = { yeast: { labels: 14, epochs: 30 }, emotions: { labels: 6, epochs: 20 } } as const;
if (which !== 'all' && !(which in DATASETS)) throw new Error(`unknown data set '${which}': yeast, emotions or all`);
const names = which === 'all' ? (Object.keys(DATASETS) as (keyof typeof DATASETS)[]) : [which as keyof typeof DATASETS];

const GNU_TIME = '/usr/bin/time';

/**
 * Wall seconds of a whole process and, where GNU time is installed, its CPU seconds (user + system, all threads) and
 * its peak resident memory.
 */
function timed(
  command: string,
  argv: string[],
): { seconds: number; cpu: number; rssMB: number; ok: boolean; stdout: string; output: string } {
  const usage = join(mkdtempSync(join(tmpdir(), 'tra-time-')), 'usage');
  const wrapped = existsSync(GNU_TIME);
  const start = process.hrtime.bigint();
  const run = wrapped
    ? spawnSync(GNU_TIME, ['-f', '%U %S %M', '-o', usage, command, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = wrapped && existsSync(usage) ? readFileSync(usage, 'utf8').trim().split('\n').at(-1) : undefined;
  rmSync(dirname(usage), { recursive: true, force: true });
  return {
    seconds,
    cpu: cpu ? Number(cpu.split(' ')[0]) + Number(cpu.split(' ')[1]) : NaN,
    rssMB: cpu ? Number(cpu.split(' ')[2]) / 1024 : NaN,
    ok: run.status === 0,
    stdout: run.stdout,
    output: `${run.stdout}${run.stderr}`,
  };
}

/** The peer's interpreter and its torch version. */
function torchPython(): { python: string; torch: string } | undefined {
  const candidates = [
    flag('--python', ''),
    process.env.TRA_PEER_PYTHON ?? '',
    PEER_VENV_PYTHON,
    'python3',
    '/usr/bin/python3',
  ].filter((py) => py !== '');
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, torch: probe.stdout.trim() };
  }
  return undefined;
}

async function availableBackends(): Promise<BackendName[]> {
  const requested = flag('--backends', '');
  const found: BackendName[] = [];
  for (const name of requested ? (requested.split(',') as BackendName[]) : BACKENDS) {
    if (name === 'cpu' && !requested) continue; // minutes per sweep: not a contender
    try {
      await selectBackend(name);
      found.push(name);
    } catch {
      process.stdout.write(
        `backend ${name}: not available here${name === 'tensorflow' ? ' (bash scripts/native/install.sh installs it)' : name === 'native' ? ' (npm run build:native builds it)' : ''}\n`,
      );
    }
  }
  return found;
}

/**
 * Floating-point operations of one seed's sweep: the matrix products only (2 per multiply-add), which is where nearly
 * all the arithmetic is; Adam's and the losses' element-wise work is left out. Per network and training row: forward
 * 2P, backward 4P (weight and input gradients; the first layer needs no input gradient: 2·d·H1 less), with P = d·H1 +
 * H1·H2 + H2·S weights (S = 2 head slots, as in the peer); per validation row each epoch: 2P; per test row: 2P each time
 * the test part is evaluated. `nominal` evaluates it every epoch, as the fused peer does while any of its networks
 * improves; `counted` takes a toolkit run's own schedule from its journal: each network's epochs (all of them: the
 * bench runs with --patience 0), and one test pass per selection it made (the trainer evaluates the test part only at
 * epochs whose validation loss improved).
 */
function work(data: string, labels: number) {
  const lines = readFileSync(data, 'utf8').trim().split('\n');
  const rows = lines.length - 1;
  const features = lines[0].split(',').length - labels;
  const [h1, h2] = DEFAULT_ENGINE.hidden;
  const P = features * h1 + h1 * h2 + h2 * 2;
  const held = Math.floor(rows / 5); // the validation part, and the test part
  const epochFlops = (rows - 2 * held) * (6 * P - 2 * features * h1) + held * 2 * P;
  const testFlops = held * 2 * P;
  return {
    rows,
    features,
    nominal: (networks: number, epochs: number): number => networks * epochs * (epochFlops + testFlops),
    counted(journal: string): number {
      let flops = 0;
      for (const record of readJournal(journal).records.values()) {
        if (!record.perEpoch) continue;
        const selections =
          earlierSelections(record.perEpoch, record.group.length).length + (record.bestEpoch > 0 ? 1 : 0);
        flops += record.perEpoch.epochs * epochFlops + selections * testFlops;
      }
      return flops;
    },
  };
}

/**
 * Peak float32 rate of this machine: the rate of independent FMAs on the widest registers the build uses, measured by
 * the native addon on every core at once (machinePeak), summed over the cores. Per cycle of the scalar clock (measured
 * too) that is 64 FLOPs with two 512-bit FMA pipes at full clock; fewer where the FMA units are narrower or, as on an
 * Intel Xeon here (57 per cycle), the clock drops under 512-bit work: the measured rate, not cores x clock x 64, is what
 * the machine does. Undefined without the native addon.
 */
function machinePeak(): { flopsPerSecond: number; description: string } | undefined {
  const addon = loadNativeTrainer();
  if (typeof addon === 'string') return undefined;
  const cores = availableParallelism();
  const rates = addon.machinePeak(cores);
  const perCore = rates.reduce((sum, r) => sum + r.flopsPerSecond, 0) / cores;
  const clock = rates.reduce((sum, r) => sum + r.clockHz, 0) / cores;
  const flopsPerSecond = cores * perCore;
  return {
    flopsPerSecond,
    description:
      `${cores} cores x ${(perCore / 1e9).toFixed(0)} GFLOP/s (measured: independent float32 FMAs, every core at once) ` +
      `= ${(flopsPerSecond / 1e9).toFixed(0)} GFLOP/s; ${(perCore / clock).toFixed(1)} FLOPs per cycle of the ` +
      `${(clock / 1e9).toFixed(2)} GHz scalar clock (measured)`,
  };
}

/** The CPU as /proc/cpuinfo names it, with its family and model (a VM may show only "AMD EPYC"). */
function cpuName(): string {
  let info = '';
  try {
    info = readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return 'unknown (no /proc/cpuinfo)';
  }
  const field = (name: string): string => info.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, 'mi'))?.[1] ?? '?';
  const avx512 = /\bavx512f\b/.test(field('flags')) ? ', AVX-512' : '';
  return `${field('model name')} (family ${field('cpu family')}, model ${field('model')}${avx512}), ${availableParallelism()} cores`;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

interface Row {
  label: string;
  /** Whole process, wall seconds. */
  seconds: number;
  /** Whole process, CPU seconds (all threads; NaN without GNU time). */
  cpu: number;
  /** Training alone, as the program reports it. */
  training: number;
  /** Peak resident memory of the process (NaN without GNU time). */
  rssMB: number;
  /** The products' floating-point operations, counted from a toolkit run's journal; a peer's: the nominal ones. */
  flops?: number;
  load: string;
}

const backends = await availableBackends();
const peerPython = torchPython();
const python = peerPython?.python;
if (!peerPython)
  process.stdout.write('peers: skipped, no python with torch (bash scripts/peer/install.sh, or --python PATH)\n');
else if (!existsSync(join(peersDir, 'torch_fused.py')))
  process.stdout.write(`peers: skipped, ${peersDir}/torch_fused.py not found (--peers DIR)\n`);
else process.stdout.write(`peers: ${peerPython.python}, torch ${peerPython.torch}\n`);
const peak = machinePeak();
process.stdout.write(`cpu: ${cpuName()}\n`);
process.stdout.write(
  `machine peak (measured): ${peak ? peak.description : 'unknown (the native addon measures it: npm run build:native)'}\n`,
);

for (const name of names) {
  const { labels, epochs: defaultEpochs } = DATASETS[name];
  const epochs = flag('--epochs', String(defaultEpochs));
  const data = join(root, 'analyses', 'data', `${name}.csv`);
  const products = work(data, labels);
  const networks = (labels * (labels + 1)) / 2;
  const nominalFlops = products.nominal(networks, Number(epochs));
  const programs: { label: string; run: () => Omit<Row, 'label' | 'load'> | undefined }[] = backends.map((backend) => ({
    label: `toolkit (${backend}${workers ? `, ${workers} workers` : ''})`,
    run: () => {
      const out = mkdtempSync(join(tmpdir(), 'tra-bench-'));
      const argv = [
        'sweep',
        '--data',
        data,
        '--tasks',
        `last:${labels}`,
        '--seeds',
        '1',
        '--split',
        'holdout',
        '--epochs',
        epochs,
        '--patience',
        '0',
        '--backend',
        backend,
        '--out',
        out,
        '--quiet',
      ];
      const run = timed(process.execPath, [
        join(root, 'dist/src/cli/main.js'),
        ...argv,
        ...(workers ? ['--workers', workers] : []),
      ]);
      const training = run.ok ? (readAffinity(join(out, AFFINITY_FILES.json)).provenance?.sweepSeconds ?? NaN) : NaN;
      const flops = run.ok ? products.counted(journalPathOf(out)) : NaN;
      rmSync(out, { recursive: true, force: true });
      if (!run.ok) throw new Error(`toolkit on ${backend} failed:\n${run.output}`);
      return { seconds: run.seconds, cpu: run.cpu, rssMB: run.rssMB, training, flops };
    },
  }));
  for (const peer of peerScripts) {
    const script = join(peersDir, peer);
    if (!python || !existsSync(script)) continue;
    programs.push({
      label: `peer ${peer} (torch ${peerPython?.torch.split('+')[0]}, ${peerThreads} thread${peerThreads === '1' ? '' : 's'})`,
      run: () => {
        const run = timed(python, [script, data, epochs, '0', String(labels), peerThreads]);
        if (!run.ok) return undefined;
        try {
          return {
            seconds: run.seconds,
            cpu: run.cpu,
            rssMB: run.rssMB,
            training: Number(JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '').wall_s),
          };
        } catch {
          return { seconds: run.seconds, cpu: run.cpu, rssMB: run.rssMB, training: NaN }; // a peer that printed no JSON: whole-process time only
        }
      },
    });
  }
  // Rounds alternate the programs (A B C A B C ...), so that a change in the machine's load hits all of them alike.
  const runs = new Map<string, Row[]>(programs.map((p) => [p.label, []]));
  for (let round = 0; round < rounds; round++)
    for (const program of programs) {
      const before = load();
      const result = program.run();
      runs
        .get(program.label)
        ?.push(
          result
            ? { label: program.label, ...result, load: before }
            : { label: `${program.label} FAILED`, seconds: NaN, cpu: NaN, rssMB: NaN, training: NaN, load: before },
        );
    }
  const rows: Row[] = [...runs.values()].map((results) => ({
    label: results[0].label,
    seconds: median(results.map((r) => r.seconds)),
    cpu: median(results.map((r) => r.cpu)),
    training: median(results.map((r) => r.training)),
    rssMB: median(results.map((r) => r.rssMB)),
    flops: median(results.map((r) => r.flops ?? nominalFlops)),
    load: results.map((r) => r.load.split(' ')[0]).join('/'),
  }));
  const toolkitFlops = rows.find((r) => r.label.startsWith('toolkit') && Number.isFinite(r.flops))?.flops;
  process.stdout.write(
    `\n${name}: ${products.rows} rows, ${products.features} features, ${labels} tasks, ${networks} networks, ${epochs} epochs, holdout 60/20/20, 1 seed\n` +
      `  work (matrix products only, element-wise work not counted): ${(nominalFlops / 1e9).toFixed(0)} GFLOP with a test pass every epoch (the peers' GFLOP/s)` +
      (toolkitFlops === undefined
        ? '\n'
        : `; ${(toolkitFlops / 1e9).toFixed(0)} GFLOP as the toolkit's journal counts its passes (test passes only at improvements: its GFLOP/s and share of peak)\n`) +
      `  ${'program'.padEnd(46)} ${'process s'.padStart(9)} ${'CPU s'.padStart(6)} ${'train s'.padStart(8)} ${'start-up s'.padStart(10)} ${'max RSS MB'.padStart(10)} ${'GFLOP/s'.padStart(8)} ${'of peak'.padStart(8)}  ${'1-min load before each run'.padEnd(24)}  torch_fused / this\n`,
  );
  const fused = rows.find((r) => r.label.startsWith('peer torch_fused') && !r.label.endsWith('FAILED'));
  for (const r of rows) {
    const rate = (r.flops ?? nominalFlops) / r.training;
    const share = peak && Number.isFinite(rate) ? `${((100 * rate) / peak.flopsPerSecond).toFixed(1)}%` : '-';
    const ratio =
      fused && r !== fused
        ? `${(fused.seconds / r.seconds).toFixed(2)}x (train ${(fused.training / r.training).toFixed(2)}x)`
        : '';
    process.stdout.write(
      `  ${r.label.padEnd(46)} ${r.seconds.toFixed(1).padStart(9)} ${r.cpu.toFixed(1).padStart(6)} ${r.training.toFixed(1).padStart(8)} ${(r.seconds - r.training).toFixed(2).padStart(10)} ${r.rssMB.toFixed(0).padStart(10)} ${(rate / 1e9).toFixed(1).padStart(8)} ${share.padStart(8)}  ${r.load.padEnd(24)}  ${ratio}\n`,
    );
  }
  if (!fused) process.stdout.write('  (no torch_fused peer timing: no ratios)\n');
}
process.stdout.write(
  '\nRatios are peer time / this time (above 1: faster than the peer). The machine may be shared: compare the load column.\n',
);
