import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plantedClusters } from '../../src/data/synthetic.js';
import { seededRandom } from '../../src/data/random.js';
import { tempDir } from './files.js';

export const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** A CSV of planted-cluster data: 8 features, 3 binary tasks. */
export function writePlantedCsv(path: string, rows: number): void {
  const { dataset } = plantedClusters({ rows, features: 8, clusters: 1, tasksPerCluster: 3, seed: 9 });
  const header = [...dataset.featureNames, ...dataset.taskNames].join(',');
  const lines = Array.from({ length: dataset.rows }, (_, r) =>
    [...dataset.features.subarray(r * 8, r * 8 + 8), ...dataset.targets.subarray(r * 3, r * 3 + 3)].join(','),
  );
  writeFileSync(path, `${[header, ...lines].join('\n')}\n`);
}

/**
 * The arguments of a small `tra sweep` of a planted CSV (3 tasks, a holdout split, one worker thread) into `out`, on the
 * backend under test (TRA_BACKEND; otherwise the CLI's default, native where built).
 */
export function sweepArgs(csv: string, out: string, size: { seeds: number; epochs: number; hidden: number }): string[] {
  const backend = process.env.TRA_BACKEND ? ['--backend', process.env.TRA_BACKEND] : [];
  return [cli, 'sweep', '--data', csv, '--tasks', 'last:3', '--split', 'holdout', '--seeds', String(size.seeds)].concat(
    ['--epochs', String(size.epochs), '--hidden', String(size.hidden), '--workers', '1'],
    [...backend, '--out', out, '--quiet'],
  );
}

export const recordsIn = (journal: string): number =>
  existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 2 : 0;

/**
 * Starts a sweep and SIGKILLs it at a random point after it has recorded at least one more network (so every kill
 * lands mid-sweep: mid-training, mid-write or between appends); resolves with whether it finished by itself first.
 */
function runAndKill(args: string[], journal: string, delayMs: number): Promise<boolean> {
  const before = recordsIn(journal);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: 'ignore' });
    const poll = setInterval(() => {
      if (recordsIn(journal) <= before) return;
      clearInterval(poll);
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    }, 10);
    child.on('exit', (code) => {
      clearInterval(poll);
      resolve(code === 0);
    });
  });
}

export interface KillResumeOutcome {
  kills: number;
  recordedAfterKill: number[];
  networks: number;
  ids: string[];
  /** Largest |difference| of the affinity matrix against an uninterrupted run. */
  maxDifference: number;
}

/** Runs one sweep uninterrupted and one killed up to `kills` times and resumed, and compares their journals and matrices. */
export async function killAndResume(kills: number, seeds: number, seed = 42): Promise<KillResumeOutcome> {
  const csv = join(tempDir(), 'data.csv');
  writePlantedCsv(csv, 200);
  const args = (out: string) => sweepArgs(csv, out, { seeds, epochs: 25, hidden: 16 });
  const reference = tempDir();
  const full = spawnSync(process.execPath, args(reference), { encoding: 'utf8' });
  if (full.status !== 0) throw new Error(`uninterrupted sweep failed: ${full.stderr}`);
  const out = tempDir();
  const journal = join(out, 'journal.jsonl');
  const random = seededRandom(seed);
  // Kills land within one seed's training time after a record (at most 300 ms): a run then advances a seed or two
  // before it dies, so the sweep outlives the kills on a fast backend too (the native trainer trains this sweep in
  // well under a second; with half the training time as the bound, a loaded machine saw it finish after 4 kills).
  const trainingMs =
    1000 *
    (JSON.parse(readFileSync(join(reference, 'affinity.json'), 'utf8')) as { provenance: { sweepSeconds: number } })
      .provenance.sweepSeconds;
  const maxDelayMs = Math.min(300, trainingMs / seeds);
  const recordedAfterKill: number[] = [];
  for (let attempt = 0; attempt < kills * 2 && recordedAfterKill.length < kills; attempt++) {
    if (await runAndKill(args(out), journal, random() * maxDelayMs)) break;
    recordedAfterKill.push(recordsIn(journal));
  }
  const last = spawnSync(process.execPath, args(out), { encoding: 'utf8' });
  if (last.status !== 0) throw new Error(`resumed sweep failed: ${last.stderr}`);
  const ids = readFileSync(journal, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => (JSON.parse(l) as { id: string }).id);
  const a = JSON.parse(readFileSync(join(reference, 'affinity.json'), 'utf8')) as { mean: number[][] };
  const b = JSON.parse(readFileSync(join(out, 'affinity.json'), 'utf8')) as { mean: number[][] };
  const maxDifference = Math.max(...a.mean.flatMap((row, i) => row.map((v, j) => Math.abs(v - b.mean[i][j]))));
  return { kills: recordedAfterKill.length, recordedAfterKill, networks: seeds * 6, ids, maxDifference };
}
