/**
 * Run as a child process (test/analysis/writeMemory.test.ts, under a --max-old-space-size): the end step's page of a
 * one-seed sweep of `process.argv[3]` tasks into folder `process.argv[2]`, as writeArtefacts makes it after writing
 * the affinity files (the page from affinityAsRead's value), while the runner's affinity stays held as the CLI holds
 * it. The affinity is what estimateAffinity and inferCells make of one replication's losses (NaN intervals and
 * p-values), with the replication's losses dropped first, as the runner drops them.
 */
import { join } from 'node:path';
import { estimateAffinity } from '../../src/affinity/estimate.js';
import type { Replicate } from '../../src/affinity/gain.js';
import { inferCells } from '../../src/affinity/inference.js';
import { AFFINITY_FILES, affinityAsRead, type AffinityArtefact } from '../../src/artefacts/affinity.js';
import { refreshReport } from '../../src/report/html/index.js';

function oneSeedAffinity(T: number): AffinityArtefact {
  let state = 11;
  const draw = (): number => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const single = Array.from({ length: T }, () => 0.5 + draw());
  const pair = Array.from({ length: T }, (_, i) =>
    Float64Array.from({ length: T }, (_, j) => (i === j ? NaN : single[i] * (0.8 + 0.4 * draw()))),
  );
  const replicates: Replicate[] = [{ replication: 's1', single, pair: pair.map((row) => Array.from(row)) }];
  const taskNames = Array.from({ length: T }, (_, t) => `task${t}`);
  return { ...estimateAffinity(taskNames, replicates, 0.95), inference: inferCells(replicates, 0.1) };
}

const [dir, tasks] = process.argv.slice(2);
const affinity = oneSeedAffinity(Number(tasks));
refreshReport(dir, affinityAsRead(affinity, join(dir, AFFINITY_FILES.json)));
// held until the page is written, as the CLI holds the runner's result
process.stdout.write(`${affinity.taskNames.length} tasks\n`);
