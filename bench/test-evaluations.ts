/**
 * What computing test losses only where validation improved saves, on the native trainer: the yeast reference sweep
 * (1 seed, holdout, 105 networks, 30 epochs) with the default patience and without, each timed as it runs and with
 * a test pass for every network at every epoch added back (the former rule), alternating A B A B in one process.
 * usage: npm run bench:test-evaluations -- [--rounds N] [--backend native|tensorflow|wasm]
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/data/load.js';
import { holdoutSplit, prepareSplit } from '../src/data/split.js';
import { selectBackend, type BackendName } from '../src/engine/backend.js';
import { NativeFusedNetworks } from '../src/engine/native.js';
import { PROTOCOL_ENGINE } from '../src/engine/settings.js';
import { DEFAULT_ENGINE } from '../src/options/engine.js';
import { testEvaluations, trainNetworks } from '../src/engine/train.js';
import { pairwiseGroups } from '../src/sweep/plan.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string =>
  args.includes(name) ? args[args.indexOf(name) + 1] : fallback;
const rounds = Math.max(1, Number(flag('--rounds', '2')) || 2);
const backend = await selectBackend(flag('--backend', 'native') as BackendName);
if (backend !== 'native')
  throw new Error("the per-network test pass is the native trainer's; run with --backend native");
const dataset = loadDataset(fileURLToPath(new URL('../../analyses/data/yeast.csv', import.meta.url)), {
  tasks: 'last:14',
});
const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
const groups = pairwiseGroups(dataset.taskNames.length);

const validate = NativeFusedNetworks.prototype.validate;
/** The former rule: every network's test loss at every epoch (the value is discarded; only its cost matters here). */
function everyEpoch(this: NativeFusedNetworks): ReturnType<typeof validate> {
  const result = validate.call(this);
  this.test(Array.from(result.totals, (_, j) => j));
  return result;
}

for (const [name, settings] of [
  ['protocol, no patience', PROTOCOL_ENGINE],
  ['default, patience 8', DEFAULT_ENGINE],
] as const) {
  const seconds = { improved: [] as number[], every: [] as number[] };
  let counts = { needed: 0, trained: 0 };
  for (let round = 0; round < rounds; round++)
    for (const rule of ['improved', 'every'] as const) {
      NativeFusedNetworks.prototype.validate = rule === 'every' ? everyEpoch : validate;
      const before = { ...testEvaluations };
      const start = process.hrtime.bigint();
      trainNetworks(data, dataset.taskKinds, groups, settings, 0);
      seconds[rule].push(Number(process.hrtime.bigint() - start) / 1e9);
      counts = { needed: testEvaluations.needed - before.needed, trained: testEvaluations.trained - before.trained };
    }
  NativeFusedNetworks.prototype.validate = validate;
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
  const [a, b] = [median(seconds.improved), median(seconds.every)];
  process.stdout.write(
    `yeast, ${groups.length} networks, ${name}: test passes ${counts.needed} of ${counts.trained} network-epochs (${((100 * counts.needed) / counts.trained).toFixed(0)}%); ` +
      `training ${a.toFixed(2)} s against ${b.toFixed(2)} s with a test pass every epoch (saves ${((100 * (b - a)) / b).toFixed(1)}%; medians of ${rounds}, load ${loadavg()[0].toFixed(2)})\n`,
  );
}
