/**
 * Cost per network at scale (issue 32): time and peak resident memory of a sweep per seed at 14, 174 and 1000 tasks,
 * flat in the number of seeds, the journal's bytes per network, and a 1000-task sweep through one and two
 * `tra worker` processes on a local Redis (a redis-server this bench starts on a free port and stops).
 * usage: npm run bench:scale -- [local|queue|all] [--cases yeast14,planted174,planted1000] [--workers-runs 1x1,2x1]
 *   [--queue-case planted1000]
 *   --workers-runs: per run, workers x native threads each (2x1: two workers of one thread, as on two one-core machines)
 * Every figure is one `tra` process: `node --import dist/bench/peakMemory.js dist/src/cli/main.js sweep ...`, its wall
 * time, the training time it measured (affinity.json plan), its peak resident memory (worker threads included), with
 * the 1-minute load before it, and the sizes of the files it wrote. Data: yeast (analyses/data, the last 14 tasks); planted 174 tasks (502 rows, 72
 * features, 29 clusters of 6: the size of the issue's real 174-task set), 30 epochs; planted 1000 tasks (150 rows, 16
 * features, 100 clusters of 10) at 5 epochs so that one seed (500,500 networks) takes minutes on two cores. Holdout
 * 60/20/20 (one replication per seed), patience 8, backend native.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AFFINITY_FILES, readAffinity } from '../src/artefacts/affinity.js';
import { plantedClusters } from '../src/data/synthetic.js';
import { journalFirstLine, journalPathOf } from '../src/sweep/journal.js';
import { datasetCsv } from '../test/helpers/files.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const main = join(root, 'dist/src/cli/main.js');
const peakHook = join(root, 'dist/bench/peakMemory.js');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'all';
if (!['local', 'queue', 'all'].includes(which)) throw new Error(`unknown part '${which}': local, queue or all`);
const work = mkdtempSync(join(tmpdir(), 'tra-bench-scale-'));

interface Case {
  label: string;
  tasks: number;
  data: () => string;
  epochs: number;
  seeds: number[];
}
const planted = (name: string, options: Parameters<typeof plantedClusters>[0]) => (): string => {
  const data = join(work, `${name}.csv`);
  if (!existsSync(data)) writeFileSync(data, datasetCsv(plantedClusters(options).dataset));
  return data;
};
const CASES: Record<string, Case> = {
  yeast14: {
    label: 'yeast, 14 tasks (2417 rows, 103 features)',
    tasks: 14,
    data: () => join(root, 'analyses', 'data', 'yeast.csv'),
    epochs: 30,
    seeds: [1, 3],
  },
  planted174: {
    label: 'planted, 174 tasks (502 rows, 72 features)',
    tasks: 174,
    data: planted('planted174', { rows: 502, features: 72, clusters: 29, tasksPerCluster: 6, seed: 3 }),
    epochs: 30,
    seeds: [1, 3],
  },
  planted1000: {
    label: 'planted, 1000 tasks (150 rows, 16 features)',
    tasks: 1000,
    data: planted('planted1000', { rows: 150, features: 16, clusters: 100, tasksPerCluster: 10, seed: 3 }),
    epochs: 5,
    seeds: [1],
  },
};
const caseNames = flag('--cases', Object.keys(CASES).join(',')).split(',');
for (const name of caseNames) if (!(name in CASES)) throw new Error(`unknown case '${name}'`);

const cpuName = (): string => {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.startsWith('Model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // no lscpu: node's name for it
  }
  return cpus()[0]?.model ?? 'unknown';
};
const load = (): string => loadavg()[0].toFixed(1);
const mb = (kb: number): string => (kb / 1024).toFixed(0);

/** A child `tra` process whose peak memory the hook records; resolves with its wall seconds (exit 0 required). */
function tra(argv: string[], peakFile: string, env: NodeJS.ProcessEnv = {}): { done: Promise<number>; pid: number } {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--import', peakHook, main, ...argv], {
    env: { ...process.env, ...env, TRA_BENCH_PEAK_FILE: peakFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  // kept short: a worker logs two lines per job
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const done = new Promise<number>((resolve, reject) =>
    child.on('exit', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve(seconds);
      else reject(new Error(`tra ${argv.join(' ')} ended with ${code ?? signal}:\n${stderr}`));
    }),
  );
  return { done, pid: child.pid ?? -1 };
}

/** Peak resident memory (kB) per process id, as the hook wrote it. */
const peaks = (file: string): Map<number, number> =>
  new Map(
    (existsSync(file) ? readFileSync(file, 'utf8') : '')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ').map(Number) as [number, number]),
  );

/** Bytes per network of a journal: everything after its header line over its records. */
function journalBytesPerNetwork(out: string, networks: number): number {
  const path = journalPathOf(out);
  return (statSync(path).size - Buffer.byteLength(journalFirstLine(path)) - 1) / networks;
}

/** The sizes of the files a sweep writes beside its journal (the affinity files and the page), in MB. */
const outputSizes = (out: string): string =>
  [...Object.values(AFFINITY_FILES), 'index.html']
    .map((name) => `${name} ${(statSync(join(out, name)).size / 1e6).toFixed(1)} MB`)
    .join(', ');

const sweepArgs = (c: Case, seeds: number, out: string): string[] => [
  'sweep',
  '--data',
  c.data(),
  '--tasks',
  `last:${c.tasks}`,
  '--seeds',
  String(seeds),
  '--split',
  'holdout',
  '--epochs',
  String(c.epochs),
  '--backend',
  'native',
  '--max-hours',
  '100',
  '--quiet',
  '--out',
  out,
];

process.stdout.write(`scale bench; cpu: ${cpuName()}, ${cpus().length} cores; wall seconds, peak resident MB\n`);

if (which !== 'queue') {
  process.stdout.write(
    `\nsweeps in one process (tra sweep, holdout, patience 8, native)\n` +
      `  ${'data'.padEnd(44)} ${'epochs'.padStart(6)} ${'seeds'.padStart(5)} ${'networks'.padStart(8)} ${'wall s'.padStart(7)} ${'training s'.padStart(10)} ${'s/seed'.padStart(7)} ${'peak MB'.padStart(7)} ${'journal B/net'.padStart(13)}  load\n`,
  );
  for (const name of caseNames) {
    const c = CASES[name];
    for (const seeds of c.seeds) {
      const out = join(work, `${name}-${seeds}`);
      const peakFile = join(work, `${name}-${seeds}.peak`);
      const before = load();
      const run = tra(sweepArgs(c, seeds, out), peakFile);
      const wall = await run.done;
      const plan = readAffinity(join(out, AFFINITY_FILES.json)).plan;
      const networks = plan?.networks ?? NaN;
      const training = plan?.measuredSeconds ?? NaN;
      const peak = peaks(peakFile).get(run.pid) ?? NaN;
      process.stdout.write(
        `  ${c.label.padEnd(44)} ${String(c.epochs).padStart(6)} ${String(seeds).padStart(5)} ${String(networks).padStart(8)} ${wall.toFixed(1).padStart(7)} ${training.toFixed(1).padStart(10)} ${(training / seeds).toFixed(1).padStart(7)} ${mb(peak).padStart(7)} ${journalBytesPerNetwork(out, networks).toFixed(0).padStart(13)}  ${before}\n`,
      );
      process.stdout.write(`    files: ${outputSizes(out)}\n`);
      rmSync(out, { recursive: true, force: true });
    }
  }
}

/** A free TCP port on the loopback (the OS picks it; redis-server takes it a moment later). */
const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Starts redis-server (no persistence) on a free port; resolves once it answers. */
async function startRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
      break;
    } catch (error) {
      if (attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      server.kill('SIGTERM');
      await exited;
    },
  };
}

if (which !== 'local') {
  const c = CASES[flag('--queue-case', 'planted1000')];
  const runs = flag('--workers-runs', '1x1,2x1')
    .split(',')
    .map((spec) => spec.split('x').map(Number) as [number, number]);
  process.stdout.write(
    `\n${c.label}, ${c.epochs} epochs, 1 seed through a local Redis: tra sweep --queue (the coordinator) and tra worker processes\n` +
      `  ${'workers x threads'.padEnd(17)} ${'networks'.padStart(8)} ${'queue s'.padStart(8)} ${'wall s'.padStart(7)} ${'speed-up'.padStart(8)} ${'coordinator MB'.padStart(14)} ${'worker MB'.padStart(12)}  load\n`,
  );
  let first: number | undefined;
  for (const [workers, threads] of runs) {
    const redis = await startRedis();
    const peakFile = join(work, `queue-${workers}x${threads}.peak`);
    const out = join(work, `queue-${workers}x${threads}`);
    const started: ReturnType<typeof tra>[] = [];
    try {
      for (let w = 0; w < workers; w++)
        started.push(
          tra(['worker', '--queue', redis.url, '--workers', '1'], peakFile, { TRA_NATIVE_THREADS: String(threads) }),
        );
      const before = load();
      const coordinator = tra([...sweepArgs(c, 1, out), '--queue', redis.url], peakFile);
      const wall = await coordinator.done;
      const plan = readAffinity(join(out, AFFINITY_FILES.json)).plan;
      for (const worker of started) process.kill(worker.pid, 'SIGTERM');
      await Promise.all(started.map((w) => w.done));
      const peak = peaks(peakFile);
      const queueSeconds = plan?.measuredSeconds ?? NaN;
      first ??= queueSeconds;
      process.stdout.write(
        `  ${`${workers} x ${threads}`.padEnd(17)} ${String(plan?.networks ?? NaN).padStart(8)} ${queueSeconds.toFixed(1).padStart(8)} ${wall.toFixed(1).padStart(7)} ${(first / queueSeconds).toFixed(2).padStart(8)} ${mb(peak.get(coordinator.pid) ?? NaN).padStart(14)} ${started
          .map((w) => mb(peak.get(w.pid) ?? NaN))
          .join(', ')
          .padStart(12)}  ${before}\n`,
      );
    } finally {
      // workers still running after a failure: ended by their pids
      for (const worker of started) {
        worker.done.catch(() => undefined);
        try {
          process.kill(worker.pid, 'SIGKILL');
        } catch {
          // already stopped
        }
      }
      await redis.stop();
      rmSync(out, { recursive: true, force: true });
    }
  }
  process.stdout.write(
    '  queue s: from queuing to the last network in the journal (affinity.json plan); wall: the coordinator process\n',
  );
}
rmSync(work, { recursive: true, force: true });
