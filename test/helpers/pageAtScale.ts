/**
 * Run as a child process (test/analysis/writeMemory.test.ts, under a --max-old-space-size): the end step's page of a
 * one-seed sweep of `process.argv[3]` tasks into folder `process.argv[2]`, as writeArtefacts makes it after writing
 * the affinity files (the page from affinityAsRead's value), while the runner's affinity stays held as the CLI holds
 * it. The affinity has the runner's eight T x T matrices in the shapes one seed gives them (NaN intervals and
 * p-values off the diagonal), made directly: nothing else is live when the page starts.
 */
import { join } from 'node:path';
import { AFFINITY_FILES, affinityAsRead, type AffinityArtefact } from '../../src/artefacts/affinity.js';
import { refreshReport } from '../../src/report/html/index.js';

function oneSeedAffinity(T: number): AffinityArtefact {
  let state = 11;
  const draw = (): number => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const matrix = <V>(cell: (i: number, j: number) => V): V[][] =>
    Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => cell(i, j)));
  const gain = matrix((i, j) => (i === j ? 0 : 0.4 * draw() - 0.2));
  const bound = (): number[][] => matrix((i, j) => (i === j ? 0 : Number.NaN));
  return {
    taskNames: Array.from({ length: T }, (_, t) => `task${t}`),
    replications: ['s1'],
    level: 0.95,
    mean: gain,
    low: bound(),
    high: bound(),
    groupScore: matrix((i, j) => (gain[i][j] + gain[j][i]) / 2),
    perReplication: [matrix((i, j) => gain[i][j])],
    singleLoss: Array.from({ length: T }, () => 0.5 + draw()),
    inference: {
      method: 'paired t-test over 1 seed',
      fdr: 0.1,
      meanDifference: matrix((i, j) => 0.3 * gain[i][j]),
      pValue: matrix(() => Number.NaN),
      verdict: matrix((i, j) => (i === j ? null : 'no evidence')),
      counts: { helps: 0, hurts: 0, 'no evidence': T * (T - 1) },
    },
  } as AffinityArtefact;
}

const [dir, tasks] = process.argv.slice(2);
const affinity = oneSeedAffinity(Number(tasks));
refreshReport(dir, affinityAsRead(affinity, join(dir, AFFINITY_FILES.json)));
// held until the page is written, as the CLI holds the runner's result
process.stdout.write(`${affinity.taskNames.length} tasks\n`);
