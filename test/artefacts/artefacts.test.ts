import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../src/data/errors.js';
import {
  readAffinity,
  readAuxiliary,
  readBaselines,
  readGrouping,
  readNetworkList,
  readProxies,
  readStandley,
  readTaxonomy,
  writeAffinity,
  writeAuxiliary,
  writeBaselines,
  writeGrouping,
  writeNetworkList,
  writeProxies,
  writeStandley,
  writeTaxonomy,
} from '../../src/artefacts/index.js';
import { tempDir } from '../helpers/files.js';

type Json = Record<string, unknown>;
const interval = { mean: 2.5, low: 2.4, high: null, n: 3 };
const provenance = {
  tool: 'task-relations',
  toolVersion: '0.1.0',
  command: 'tra run x.json',
  data: { source: 'x.csv', sha256: 'ab', rows: 40 },
  configHash: 'cd',
  sweepSeconds: 1.5,
};

/** One artefact: a small instance as its writer is given it, and two corruptions its reader must name. */
interface Case {
  name: string;
  file: string;
  data: Json;
  write: (dir: string, data: never) => unknown;
  read: (path: string) => unknown;
  /** Files besides the JSON the writer must produce. */
  also: string[];
  /** A wrong type at a nested field: [mutate, the message it must give after the file's path]. */
  wrong: [(data: Json) => void, RegExp];
  missing: [(data: Json) => void, RegExp];
}

const CASES: Case[] = [
  {
    name: 'affinity',
    file: 'affinity.json',
    data: {
      provenance,
      taskNames: ['a', 'b'],
      replications: ['s0', 's1'],
      level: 0.95,
      mean: [
        [0, 0.1],
        [-0.2, 0],
      ],
      low: [
        [0, null],
        [-0.3, 0],
      ],
      high: [
        [0, null],
        [-0.1, 0],
      ],
      groupScore: [
        [0, -0.05],
        [-0.05, 0],
      ],
      perReplication: [
        [
          [0, 0.1],
          [-0.2, 0],
        ],
        [
          [0, 0.1],
          [-0.2, 0],
        ],
      ],
      singleLoss: [0.5, 0.6],
      reliability: { halfCorrelation: 0.5, reliability: 0.6, replications: 2, splits: 1 },
      inference: {
        method: 'paired t-test',
        fdr: 0.05,
        pValue: [
          [null, 0.2],
          [0.01, null],
        ],
        verdict: [
          [null, 'no evidence'],
          ['hurts', null],
        ],
        counts: { hurts: 1, 'no evidence': 1 },
      },
      nullControls: { kept: 'a field this schema does not name is kept at the top level' },
    },
    write: writeAffinity,
    read: readAffinity,
    also: ['affinity.csv', 'affinity-graph.json'],
    wrong: [
      (d) => (((d.inference as Json).pValue as unknown[][])[1][0] = 'x'),
      /affinity\.inference\.pValue\[1\]\[0\]: expected a finite number or null$/,
    ],
    missing: [(d) => delete d.mean, /affinity\.mean: expected a list \(missing\)$/],
  },
  {
    name: 'grouping',
    file: 'grouping.json',
    data: {
      provenance: { ...provenance, sweepJournal: 'x/journal.jsonl' },
      taskNames: ['a', 'b', 'c'],
      level: 0.9,
      chosenBudget: { budget: 2, reason: 'smallest budget not significantly worse than the best' },
      curve: [
        {
          budget: 2,
          predictedLoss: 2.5,
          predictedInterval: interval,
          groups: [['a', 'b'], ['c']],
          approximatedGroups: [],
          servedBy: { a: 0, b: 0, c: 1 },
          method: 'exact (ILP, HiGHS)',
          status: 'optimal',
          solveSeconds: 0.1,
          taskTestLoss: [0.8, 0.9, null],
        },
      ],
      infeasibleBudgets: [{ budget: 1, status: 'infeasible' }],
      trainedGroups: [],
      clustering: [
        {
          method: 'louvain',
          budget: 2,
          groups: [['a', 'b'], ['c']],
          predicted: interval,
          versusSelection: null,
          ari: 1,
        },
      ],
      earlyStopping: null,
      stability: { draws: 10, sameGrouping: 0.9, meanAri: 0.95 },
      closedLoop: {
        seeds: [5],
        predicted: 2.5,
        actual: interval,
        baselines: [{ name: 'every task alone', actual: interval, selectedMinusBaseline: interval }],
        verdict: { held: true, text: 'held' },
      },
    },
    write: writeGrouping,
    read: readGrouping,
    also: ['grouping.csv', 'grouping-graph.json'],
    wrong: [
      (d) => ((d.closedLoop as Json).actual = { ...interval, low: 'x' }),
      /grouping\.closedLoop\.actual\.low: expected a finite number or null$/,
    ],
    missing: [
      (d) => delete (d.chosenBudget as Json).reason,
      /grouping\.chosenBudget\.reason: expected a string \(missing\)$/,
    ],
  },
  {
    name: 'auxiliary',
    file: 'auxiliary.json',
    data: {
      provenance,
      main: 'a',
      level: 0.95,
      ranking: [
        {
          task: 'b',
          mean: 0.02,
          low: 0.01,
          high: 0.03,
          n: 3,
          p: 0.01,
          verdict: 'helps',
          kind: 'task',
          rule: 'task b',
          columns: [{ names: ['b'], replications: 3 }],
          validationGain: 0.02,
          heuristics: { correlation: 0.4 },
        },
      ],
      heuristics: [
        {
          label: 'label correlation',
          source: 'x',
          expected: 1,
          spearman: 0.5,
          spearmanLow: null,
          spearmanHigh: null,
          kendall: 0.4,
          pick: 'b',
          pickRank: 1,
        },
      ],
      recommended: { candidates: ['b'], rule: 'positive validation gain' },
    },
    write: writeAuxiliary,
    read: readAuxiliary,
    also: ['auxiliary-candidates.csv'],
    wrong: [
      (d) => (((d.ranking as Json[])[0].columns as Json[])[0].replications = '3'),
      /auxiliary\.ranking\[0\]\.columns\[0\]\.replications: expected a finite number$/,
    ],
    missing: [(d) => delete d.main, /auxiliary\.main: expected a string \(missing\)$/],
  },
  {
    name: 'proxies',
    file: 'proxies.json',
    data: {
      taskNames: ['a', 'b'],
      backend: 'wasm',
      proxies: [
        {
          proxy: 'label correlation',
          id: 'correlation',
          reference: 'Pearson correlation of the labels',
          matrix: [
            [0, 0.3],
            [0.3, 0],
          ],
          seconds: 0.01,
          networksTrained: 0,
          implied: { labels: [0, 1], groups: [[0], [1]], silhouette: 0.2 },
          agreement: {
            proxy: 'label correlation',
            spearman: 1,
            kendall: 1,
            points: [{ target: 0, source: 1, truth: 0.01, estimate: 0.3 }],
          },
        },
      ],
    },
    write: writeProxies,
    read: readProxies,
    also: ['proxies.csv', 'proxies.md'],
    wrong: [
      (d) => ((((d.proxies as Json[])[0].agreement as Json).points as Json[])[0].target = 'a'),
      /proxies\.proxies\[0\]\.agreement\.points\[0\]\.target: expected a whole number$/,
    ],
    missing: [(d) => delete d.taskNames, /proxies\.taskNames: expected a list \(missing\)$/],
  },
  {
    name: 'baselines',
    file: 'baselines.json',
    data: {
      seed: 0,
      folds: 3,
      taskNames: ['a', 'r'],
      taskKinds: ['binary', 'regression'],
      metrics: ['bce', 'mse'],
      columns: [{ name: 'independent', perTask: [0.5, 1.25], total: 1.75, details: { params: { lambda: 1 } } }],
    },
    write: writeBaselines,
    read: readBaselines,
    also: ['baselines.csv'],
    wrong: [
      (d) => (((d.columns as Json[])[0].perTask as unknown[])[1] = 'x'),
      /baselines\.columns\[0\]\.perTask\[1\]: expected a finite number or null$/,
    ],
    missing: [
      (d) => delete (d.columns as Json[])[0].name,
      /baselines\.columns\[0\]\.name: expected a string \(missing\)$/,
    ],
  },
  {
    name: 'taxonomy',
    file: 'taxonomy.json',
    data: {
      provenance,
      taskNames: ['a', 'b'],
      budget: 1,
      nodes: [
        { name: 'a', source: true },
        { name: 'b', source: false },
      ],
      edges: [{ source: 'a', target: 'b', score: 0.7, order: 1, ownNetworkBetter: false }],
      firstOrder: {
        loss: [
          [0.5, 0.6],
          [0.7, 0.4],
        ],
        affinity: [
          [0.5, 0.5],
          [0.3, 0.7],
        ],
      },
    },
    write: writeTaxonomy,
    read: readTaxonomy,
    also: ['taxonomy-losses.csv', 'taxonomy-affinity.csv'],
    wrong: [(d) => ((d.edges as Json[])[0].score = 'x'), /taxonomy\.edges\[0\]\.score: expected a finite number$/],
    missing: [
      (d) => delete (d.nodes as Json[])[1].source,
      /taxonomy\.nodes\[1\]\.source: expected true or false \(missing\)$/,
    ],
  },
  {
    name: 'imported (standley)',
    file: 'standley.json',
    data: {
      provenance,
      taskNames: ['a', 'b'],
      selectedOn: { optimal: 'val.csv', approximation: 'val.csv, approximated' },
      optimal: [
        {
          budget: 1,
          method: 'ilp',
          status: 'optimal',
          networks: [{ group: [0, 1], loss: [0.5, 0.6], cost: 1, approximated: false }],
          cost: 1,
          selectedTotal: 1.1,
          testTotal: 1.2,
          servedTestTotal: null,
        },
      ],
      approximation: [],
      scoring: 'testTotal: lowest test loss among the chosen networks',
    },
    write: writeStandley,
    read: readStandley,
    also: ['standley.csv'],
    wrong: [
      (d) => (((d.optimal as Json[])[0].networks as Json[])[0].cost = '1'),
      /standley\.optimal\[0\]\.networks\[0\]\.cost: expected a finite number$/,
    ],
    missing: [
      (d) => delete (d.selectedOn as Json).approximation,
      /standley\.selectedOn\.approximation: expected a string \(missing\)$/,
    ],
  },
  {
    name: 'networks (closed-loop list)',
    file: 'networks.json',
    data: {
      purpose: 'the closed loop of out',
      taskNames: ['a', 'b'],
      seeds: [3],
      networks: [
        { id: 's3/0+1', replication: 's3', seed: 3, group: [0, 1], tasks: ['a', 'b'], network: 'a+b', done: false },
        { id: 's3/0', replication: 's3', seed: 3, group: [0], tasks: ['a'], network: 'a', done: true },
      ],
      missing: 1,
      next: 'tra import out <file>',
    },
    write: writeNetworkList,
    read: readNetworkList,
    also: ['networks.csv'],
    wrong: [
      (d) => (((d.networks as Json[])[1] as Json).seed = -1),
      /networks\.networks\[1\]\.seed: expected a whole number$/,
    ],
    missing: [
      (d) => delete (d.networks as Json[])[0].network,
      /networks\.networks\[0\]\.network: expected a string \(missing\)$/,
    ],
  },
];

for (const c of CASES) {
  test(`${c.name}: write then read gives the same data, with its other files beside it`, () => {
    const dir = tempDir();
    c.write(dir, structuredClone(c.data) as never);
    assert.deepEqual(c.read(join(dir, c.file)), c.data);
    for (const file of c.also) assert.ok(existsSync(join(dir, file)), file);
  });

  test(`${c.name}: a wrong type at a nested field and a missing field are rejected naming the file and the field`, () => {
    const dir = tempDir();
    const path = join(dir, c.file);
    for (const [mutate, says] of [c.wrong, c.missing]) {
      const data = structuredClone(c.data);
      mutate(data);
      writeFileSync(path, JSON.stringify(data));
      assert.throws(
        () => c.read(path),
        (e: unknown) => e instanceof InputError && e.message.startsWith(`${path} `) && says.test(e.message),
      );
    }
  });
}

test('affinity: a matrix of the wrong size, an unreadable file and broken JSON are InputErrors naming the file', () => {
  const dir = tempDir();
  const path = join(dir, 'affinity.json');
  writeFileSync(
    path,
    JSON.stringify({
      taskNames: ['a', 'b'],
      mean: [[0, 1]],
      low: [
        [0, 0],
        [0, 0],
      ],
      high: [
        [0, 0],
        [0, 0],
      ],
    }),
  );
  assert.throws(
    () => readAffinity(path),
    new InputError(`${path} affinity.mean: expected a 2x2 matrix (one row and column per task)`),
  );
  writeFileSync(path, '{ not json');
  assert.throws(
    () => readAffinity(path),
    (e: unknown) => e instanceof InputError && e.message.startsWith(`${path}: not valid JSON`),
  );
  assert.throws(
    () => readAffinity(join(dir, 'none.json')),
    (e: unknown) => e instanceof InputError && /cannot read .*none\.json \(ENOENT\)/.test(e.message),
  );
});

test('grouping.csv has one row per budget, infeasible ones included, never-trained groups marked; the graph marks the serving network', () => {
  const dir = tempDir();
  const grouping = CASES.find((c) => c.name === 'grouping') as Case;
  const data = structuredClone(grouping.data) as Json;
  ((data.curve as Json[])[0] as Json).approximatedGroups = [['a', 'b']];
  writeGrouping(dir, data as never);
  const rows = readFileSync(join(dir, 'grouping.csv'), 'utf8').trim().split('\n');
  assert.deepEqual(
    rows.map((r) => r.split(',')[0]),
    ['budget', '1', '2'],
  );
  assert.match(rows[0], /,networks,never_trained$/);
  assert.match(rows[2], /,~a\+b \| c,a\+b$/, 'the approximated group carries ~ and is listed as never trained');
  const graph = JSON.parse(readFileSync(join(dir, 'grouping-graph.json'), 'utf8')).graph;
  const serves = graph.edges
    .filter((e: { attributes: { serves: boolean } }) => e.attributes.serves)
    .map((e: { source: string; target: string }) => `${e.source}>${e.target}`);
  assert.deepEqual(serves.sort(), ['network:0>task:a', 'network:0>task:b', 'network:1>task:c']);
});
