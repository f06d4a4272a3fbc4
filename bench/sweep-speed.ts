/**
 * Wall time of the reference pairwise sweep (PROTOCOL.md; 1 seed) for this toolkit on each backend that loads and for
 * the PyTorch peers in ../shared/peers, measured in the same run, as whole processes.
 * usage: npm run bench -- [yeast|emotions|all] [--epochs N] [--peers DIR]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { selectBackend, BACKENDS, type BackendName } from '../src/engine/backend.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'yeast';
const peersDir = resolve(flag('--peers', join(root, '..', 'shared', 'peers')));
const DATASETS = { yeast: { labels: 14, epochs: 30 }, emotions: { labels: 6, epochs: 20 } } as const;
const names = which === 'all' ? (Object.keys(DATASETS) as (keyof typeof DATASETS)[]) : [which as keyof typeof DATASETS];

function timed(command: string, argv: string[]): { seconds: number; ok: boolean; output: string } {
  const start = process.hrtime.bigint();
  const run = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

function torchPython(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
}

async function availableBackends(): Promise<BackendName[]> {
  const found: BackendName[] = [];
  for (const name of BACKENDS) {
    if (name === 'cpu') continue; // minutes per sweep: not a contender
    try {
      await selectBackend(name);
      found.push(name);
    } catch {
      process.stdout.write(`backend ${name}: not available here\n`);
    }
  }
  return found;
}

const backends = await availableBackends();
const python = torchPython();
if (!python) process.stdout.write('peers: skipped, no python with torch (apt-get install python3-torch, or pip install torch)\n');
for (const name of names) {
  const { labels, epochs: defaultEpochs } = DATASETS[name];
  const epochs = flag('--epochs', String(defaultEpochs));
  const data = join(root, 'analyses', 'data', `${name}.csv`);
  const rows: [string, number][] = [];
  for (const backend of backends) {
    const out = mkdtempSync(join(tmpdir(), 'tra-bench-'));
    const run = timed(process.execPath, [join(root, 'dist/src/cli/main.js'), 'sweep', '--data', data, '--tasks', `last:${labels}`, '--seeds', '1', '--epochs', epochs, '--backend', backend, '--out', out, '--quiet']);
    rmSync(out, { recursive: true, force: true });
    if (!run.ok) throw new Error(`toolkit on ${backend} failed:\n${run.output}`);
    rows.push([`toolkit (${backend})`, run.seconds]);
  }
  for (const peer of ['torch_fused.py', 'torch_pairwise.py']) {
    const script = join(peersDir, peer);
    if (!python || !existsSync(script)) continue;
    const run = timed(python, [script, data, epochs, '0', String(labels), '1']);
    rows.push(run.ok ? [`peer ${peer} (1 thread)`, run.seconds] : [`peer ${peer} FAILED`, NaN]);
  }
  process.stdout.write(`\n${name}: ${labels} tasks, ${(labels * (labels + 1)) / 2} networks, ${epochs} epochs, 1 seed (whole-process wall seconds)\n`);
  const best = Math.min(...rows.filter(([label]) => label.startsWith('toolkit')).map(([, s]) => s));
  for (const [label, seconds] of rows) {
    const ratio = label.startsWith('peer') ? `  peer / best toolkit = ${(seconds / best).toFixed(2)}x` : '';
    process.stdout.write(`  ${label.padEnd(34)} ${seconds.toFixed(1).padStart(7)} s${ratio}\n`);
  }
}
