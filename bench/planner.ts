/**
 * The planner against the run it plans: for each data set `tra plan <definition>` (a process of its own, as a user runs
 * it first), then `tra run <definition>`, which plans again before training and keeps its estimate beside the measured
 * training time (affinity.json `plan`). The target (issue 32): every estimate within 2x of the measured time.
 * usage: npm run bench:planner -- [emotions|yeast|planted174|all] [--backend native] [--max-hours 100]
 * Data: emotions (6 tasks, 4 seeds) and yeast (14 tasks, 3 seeds) from analyses/data, and a planted 174-task binary table
 * of 502 rows and 72 features (1 seed: 15,225 networks), the size of the real 174-task set of the issue; the default
 * engine (30 epochs, patience 8), holdout 60/20/20.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AFFINITY_FILES, readAffinity } from '../src/artefacts/affinity.js';
import { plantedClusters } from '../src/data/synthetic.js';
import { datasetCsv } from '../test/helpers/files.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const which = args[0] && !args[0].startsWith('--') ? args[0] : 'all';
const backend = flag('--backend', 'native');
const maxHours = flag('--max-hours', '100');
const work = mkdtempSync(join(tmpdir(), 'tra-bench-planner-'));

/** The data sets: a CSV and its definition's fields. */
const DATASETS: Record<string, () => { data: string; tasks: string; seeds: number }> = {
  emotions: () => ({ data: join(root, 'analyses', 'data', 'emotions.csv'), tasks: 'last:6', seeds: 4 }),
  yeast: () => ({ data: join(root, 'analyses', 'data', 'yeast.csv'), tasks: 'last:14', seeds: 3 }),
  planted174: () => {
    const { dataset } = plantedClusters({ rows: 502, features: 72, clusters: 29, tasksPerCluster: 6, seed: 3 });
    const data = join(work, 'planted174.csv');
    writeFileSync(data, datasetCsv(dataset));
    return { data, tasks: 'last:174', seeds: 1 };
  },
};
if (which !== 'all' && !(which in DATASETS))
  throw new Error(`unknown data set '${which}': ${Object.keys(DATASETS).join(', ')} or all`);
const names = which === 'all' ? Object.keys(DATASETS) : [which];

const load = (): string => loadavg()[0].toFixed(1);
const tra = (...argv: string[]) => {
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [join(root, 'dist/src/cli/main.js'), ...argv], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`tra ${argv.join(' ')} failed (${run.status}):\n${run.stderr}`);
  return { ...run, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
};
/** The estimate in a plan line: `training estimated at 18.9 s` or `at 1:02:03`. */
const estimateOf = (text: string): number => {
  const match = /training estimated at (?:([\d.]+) s|(\d+(?::\d+)+))/.exec(text);
  if (!match) return NaN;
  if (match[1]) return Number(match[1]);
  return match[2].split(':').reduce((total, part) => total * 60 + Number(part), 0);
};

/** Seconds to the millisecond under ten (an emotions run trains in a fifth of a second), else to the tenth. */
const seconds = (value: number): string => value.toFixed(value < 10 ? 3 : 1);

process.stdout.write(
  `planner vs run, backend ${backend}; cpu: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; all times are wall seconds\n` +
    `  ${'data set'.padEnd(11)} ${'networks'.padStart(8)} ${'tra plan'.padStart(9)} ${"run's plan".padStart(10)} ${'measured'.padStart(9)} ${'measured/tra plan'.padStart(17)} ${"measured/run's plan".padStart(19)}  ${'within 2x'.padEnd(9)}  load before plan/run\n`,
);
let allWithin = true;
for (const name of names) {
  const { data, tasks, seeds } = DATASETS[name]();
  const out = join(work, name);
  const definition = join(work, `${name}.json`);
  writeFileSync(definition, JSON.stringify({ name, data, tasks, seeds, split: { kind: 'holdout' }, out }));
  const planLoad = load();
  const planned = estimateOf(tra('plan', definition, '--backend', backend).stdout);
  const runLoad = load();
  tra('run', definition, '--backend', backend, '--max-hours', maxHours);
  const check = readAffinity(join(out, AFFINITY_FILES.json)).plan;
  if (!check) throw new Error(`${name}: affinity.json holds no plan`);
  const ratios = [check.measuredSeconds / planned, check.measuredSeconds / check.predictedSeconds];
  const within = ratios.every((r) => r >= 0.5 && r <= 2);
  allWithin &&= within;
  process.stdout.write(
    `  ${name.padEnd(11)} ${String(check.networks).padStart(8)} ${seconds(planned).padStart(9)} ${seconds(check.predictedSeconds).padStart(10)} ${seconds(check.measuredSeconds).padStart(9)} ${ratios[0].toFixed(2).padStart(17)} ${ratios[1].toFixed(2).padStart(19)}  ${(within ? 'yes' : 'NO').padEnd(9)}  ${planLoad}/${runLoad}\n`,
  );
  rmSync(out, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${allWithin ? 'every estimate within 2x of the measured time' : 'SOME ESTIMATE IS OFF BY MORE THAN 2x'} (the machine may be shared: compare the load)\n`,
);
