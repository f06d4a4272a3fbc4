/**
 * The planner against the run it plans: for each data set `tra plan <definition>` (a process of its own, as a user runs
 * it first), then `tra run <definition>`, which plans again before training and keeps its estimate beside the measured
 * training time (affinity.json `plan`). The target (issue 32): every estimate within 2x of the measured time.
 * usage: npm run bench:planner -- [all|others|<name>,<name>...] [--backend native] [--max-hours 100]
 * Data (all): emotions (6 tasks, 4 seeds) and yeast (14 tasks, 3 seeds) from analyses/data, and a planted 174-task
 * binary table of 502 rows and 72 features (1 seed: 15,225 networks), the size of the real 174-task set of the issue;
 * the default engine (30 epochs, patience 8), holdout 60/20/20, on --backend. Other trainers (others): conv1d, a user's
 * model (analyses/emotions-conv1d.json, 3 seeds, on the tfjs backend it picks unless --backend is given), and command,
 * a user's training command (examples/command/emotions.json, 3 seeds), which tra plan cannot time before its first
 * networks: the run plans it from their durations.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
const backendGiven = args.includes('--backend');
const backend = flag('--backend', 'native');
const maxHours = flag('--max-hours', '100');
const work = mkdtempSync(join(tmpdir(), 'tra-bench-planner-'));

/** The data sets: a definition's fields (the CSV, or a user's model or training command on a CSV). */
const DATASETS: Record<string, () => Record<string, unknown>> = {
  emotions: () => ({ data: join(root, 'analyses', 'data', 'emotions.csv'), tasks: 'last:6', seeds: 4 }),
  yeast: () => ({ data: join(root, 'analyses', 'data', 'yeast.csv'), tasks: 'last:14', seeds: 3 }),
  planted174: () => {
    const { dataset } = plantedClusters({ rows: 502, features: 72, clusters: 29, tasksPerCluster: 6, seed: 3 });
    const data = join(work, 'planted174.csv');
    writeFileSync(data, datasetCsv(dataset));
    return { data, tasks: 'last:174', seeds: 1 };
  },
  // a user's model (analyses/emotions-conv1d.json): trained network by network in a thread on a tfjs backend
  conv1d: () => ({
    ...readDefinitionFields(join(root, 'analyses', 'emotions-conv1d.json')),
    data: join(root, 'analyses', 'data', 'emotions.csv'),
    model: join(root, 'analyses', 'models', 'conv1d.js'),
  }),
  // a user's training command (examples/command: a Node.js script), one process per network, planned from the
  // durations of its first networks
  command: () => {
    const folder = join(root, 'examples', 'command');
    const definition = readDefinitionFields(join(folder, 'emotions.json'));
    const argv = (definition.command as string[]).map((a) =>
      a.endsWith('emotions.csv') ? join(root, 'analyses', 'data', 'emotions.csv') : a,
    );
    return { ...definition, command: argv, code: [join(folder, 'train.mjs')], cwd: folder };
  },
};
const SETS: Record<string, string[]> = { all: ['emotions', 'yeast', 'planted174'], others: ['conv1d', 'command'] };
const names = which.split(',').flatMap((name) => SETS[name] ?? [name]);
for (const name of names)
  if (!(name in DATASETS))
    throw new Error(`unknown data set '${name}': ${Object.keys(DATASETS).join(', ')}, all or others (comma-separated)`);

/** A definition's fields but its name and output folder (the bench sets them). */
function readDefinitionFields(path: string): Record<string, unknown> {
  const { name: _name, out: _out, description: _description, ...fields } = JSON.parse(readFileSync(path, 'utf8'));
  return fields;
}

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
const seconds = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(value < 10 ? 3 : 1));
const ratio = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(2));

process.stdout.write(
  `planner vs run, backend ${backend}; cpu: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores; all times are wall seconds\n` +
    `  ${'data set'.padEnd(11)} ${'trainer'.padEnd(18)} ${'networks'.padStart(8)} ${'tra plan'.padStart(9)} ${"run's plan".padStart(10)} ${'measured'.padStart(9)} ${'measured/tra plan'.padStart(17)} ${"measured/run's plan".padStart(19)}  ${'within 2x'.padEnd(9)}  load before plan/run  run's plan from\n`,
);
let allWithin = true;
for (const name of names) {
  const fields = DATASETS[name]();
  const out = join(work, name);
  const definition = join(work, `${name}.json`);
  writeFileSync(definition, JSON.stringify({ name, ...fields, split: fields.split ?? { kind: 'holdout' }, out }));
  // a command trains with no backend of tra's; a user's model picks its tfjs backend itself unless one is asked for
  const backendArgs = fields.command || (fields.model && !backendGiven) ? [] : ['--backend', backend];
  const planLoad = load();
  // a command's time is not known before its first networks: tra plan gives no estimate (NaN)
  const planned = estimateOf(tra('plan', definition, ...backendArgs).stdout);
  const runLoad = load();
  tra('run', definition, ...backendArgs, '--max-hours', maxHours);
  const affinity = readAffinity(join(out, AFFINITY_FILES.json));
  const check = affinity.plan;
  if (!check) throw new Error(`${name}: affinity.json holds no plan`);
  const ratios = [check.measuredSeconds / planned, check.measuredSeconds / check.predictedSeconds];
  const within = ratios.every((r) => Number.isNaN(r) || (r >= 0.5 && r <= 2));
  allWithin &&= within;
  const trainer = fields.command
    ? 'command'
    : `${fields.model ? 'model, ' : ''}${affinity.provenance?.backends?.join('+') ?? '?'}`;
  process.stdout.write(
    `  ${name.padEnd(11)} ${trainer.padEnd(18)} ${String(check.networks).padStart(8)} ${seconds(planned).padStart(9)} ${seconds(check.predictedSeconds).padStart(10)} ${seconds(check.measuredSeconds).padStart(9)} ${ratio(ratios[0]).padStart(17)} ${ratio(ratios[1]).padStart(19)}  ${(within ? 'yes' : 'NO').padEnd(9)}  ${planLoad}/${runLoad}  ${check.from}\n`,
  );
  rmSync(out, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(
  `${allWithin ? 'every estimate within 2x of the measured time' : 'SOME ESTIMATE IS OFF BY MORE THAN 2x'} (the machine may be shared: compare the load)\n`,
);
