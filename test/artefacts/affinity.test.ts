import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import {
  affinityAsRead,
  GRAPH_EVERY_PAIR_UP_TO,
  GRAPH_SOURCES_PER_TASK,
  readAffinity,
  writeAffinity,
  type AffinityArtefact,
} from '../../src/artefacts/affinity.js';
import {
  checkShape,
  finiteOrNull,
  jsonNumber,
  jsonPieces,
  jsonValue,
  list,
  matrixOf,
  numberMatrix,
  object,
} from '../../src/artefacts/files.js';
import { InputError } from '../../src/data/errors.js';
import { tempDir } from '../helpers/files.js';

/** An affinity artefact of T tasks as a sweep gives it to its writer: every field, a null cell, values drawn from a seed. */
function affinityOf(T: number): AffinityArtefact {
  let state = 7;
  const draw = (): number => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const matrix = <V>(cell: (i: number, j: number) => V): V[][] =>
    Array.from({ length: T }, (_, i) => Array.from({ length: T }, (_, j) => cell(i, j)));
  const mean = matrix((i, j) => (i === j ? 0 : i === 0 && j === 1 ? null : draw() - 0.6));
  const spread = matrix(() => draw() / 5);
  const pValue = matrix((i, j) => (i === j ? null : draw()));
  return {
    provenance: { tool: 'task-relations', command: 'tra sweep --data x.csv', sweepSeconds: 2.5 },
    taskNames: Array.from({ length: T }, (_, t) => `task "${t}", ünï`),
    replications: ['s0', 's1', 's2'],
    level: 0.95,
    mean,
    low: matrix((i, j) => (mean[i][j] === null ? null : (mean[i][j] as number) - spread[i][j])),
    high: matrix((i, j) => (mean[i][j] === null ? null : (mean[i][j] as number) + spread[i][j])),
    groupScore: matrix((i, j) => ((mean[i][j] ?? 0) + (mean[j][i] ?? 0)) / 2),
    perReplication: [0, 1, 2].map(() => matrix((i, j) => (i === j ? 0 : draw() - 0.6))),
    singleLoss: Array.from({ length: T }, () => 0.3 + draw()),
    reliability: { halfCorrelation: 0.4, reliability: 0.57, replications: 3, splits: 3 },
    cells: { method: 'decision', source: matrix((i, j) => (i === j ? null : 'measured')), seeds: matrix(() => 3) },
    inference: {
      method: 'paired t-test',
      fdr: 0.1,
      pValue,
      verdict: matrix((i, j) => (i === j ? null : (pValue[i][j] as number) < 0.05 ? 'helps' : 'no evidence')),
      counts: { helps: 3, hurts: 0, 'no evidence': 3 },
    },
  };
}

const lines = (path: string): string[] => readFileSync(path, 'utf8').trimEnd().split('\n');
const graphOf = (path: string) =>
  JSON.parse(readFileSync(path, 'utf8')) as {
    strongestSourcesPerTask?: number;
    graph: { nodes: unknown[]; edges: { source: string; target: string; attributes: { gain: number | null } }[] };
  };

test('affinity files read back as written: every cell in affinity.json and affinity.csv, every pair in the graph of a few tasks', () => {
  const data = affinityOf(4);
  const files = writeAffinity(tempDir(), data);
  assert.deepEqual(readAffinity(files.json), data);
  const csv = lines(files.csv);
  assert.equal(csv.length, 1 + 4 * 3, 'a header and one row per ordered pair');
  assert.equal(
    csv[0],
    'target,source,gain,ci_low,ci_high,group_score,replications,cell_source,cell_seeds,p_value,verdict',
  );
  assert.equal(
    csv[1],
    `"task ""0"", ünï","task ""1"", ünï",,,,${data.groupScore?.[0][1]},3,measured,3,${data.inference?.pValue?.[0][1]},${data.inference?.verdict?.[0][1]}`,
  );
  const graph = graphOf(files.graph);
  assert.equal(graph.strongestSourcesPerTask, undefined);
  assert.equal(graph.graph.edges.length, 4 * 3);
});

test('at many tasks the files read back as written, and the graph keeps each task its strongest sources only', () => {
  const T = GRAPH_EVERY_PAIR_UP_TO + 20;
  const data = affinityOf(T);
  const files = writeAffinity(tempDir(), data);
  assert.deepEqual(readAffinity(files.json), data);
  assert.equal(lines(files.csv).length, 1 + T * (T - 1));
  const graph = graphOf(files.graph);
  assert.equal(graph.strongestSourcesPerTask, GRAPH_SOURCES_PER_TASK);
  assert.equal(graph.graph.nodes.length, T);
  assert.equal(graph.graph.edges.length, T * GRAPH_SOURCES_PER_TASK);
  const target = data.taskNames[0];
  const largest = data.mean[0]
    .flatMap((gain, j) => (j === 0 || gain === null ? [] : [Math.abs(gain)]))
    .sort((a, b) => b - a)
    .slice(0, GRAPH_SOURCES_PER_TASK);
  const kept = graph.graph.edges.filter((e) => e.target === target).map((e) => Math.abs(e.attributes.gain as number));
  assert.deepEqual(kept, largest);
});

test('a writer that fails in the middle of affinity.json leaves the old file whole and no temporary file', () => {
  const dir = tempDir();
  const data = affinityOf(GRAPH_EVERY_PAIR_UP_TO);
  const files = writeAffinity(dir, data);
  const old = readFileSync(files.json, 'utf8');
  const changed = { ...data, mean: data.low, low: data.mean.map((row) => row.map((v) => (v === null ? null : v - 1))) };
  // the verdicts come after the matrices: megabytes of the new file are written when this cell fails
  Object.defineProperty(changed.inference?.verdict?.[150], 3, {
    get: () => {
      throw new Error('failed at cell (150, 3)');
    },
  });
  assert.throws(() => writeAffinity(dir, changed), /cell \(150, 3\)/);
  assert.equal(readFileSync(files.json, 'utf8'), old);
  assert.deepEqual(readdirSync(dir).sort(), ['affinity-graph.json', 'affinity.csv', 'affinity.json']);
});

test("JSON in pieces: compact is JSON.stringify's text; spaced is the same value, a matrix row to a line", () => {
  const value = {
    a: [1, -0, Number.NaN, Number.POSITIVE_INFINITY, null, undefined, 'x"<\u2028', true],
    b: { c: [], d: {}, e: undefined, f: [[1, 2], [3]], g: [{ h: 1 }, [], null] },
    when: new Date(0),
    text: 'ünï',
  };
  assert.equal([...jsonPieces(value, false)].join(''), JSON.stringify(value, finiteOrNull));
  const spaced = [...jsonPieces(value, true)].join('');
  assert.deepEqual(JSON.parse(spaced), JSON.parse(JSON.stringify(value, finiteOrNull)));
  assert.match(spaced, /\n {2}"f": \[\n {3}\[1,2\],\n {3}\[3\]\n {2}\]/);
});

test("jsonValue is JSON.parse of jsonPieces' text, built without the text", () => {
  const value = {
    a: [1, -0, Number.NaN, Number.NEGATIVE_INFINITY, null, undefined, 'x"<\u2028\ud800', true, () => 1, Symbol('s')],
    b: { c: [], d: {}, e: undefined, f: [[1, -0], [Number.NaN]], g: [{ h: 1, i: () => 1 }, [], null], j: Symbol('t') },
    when: new Date(0),
    typed: new Float64Array([0.5, Number.NaN]),
    map: new Map([[1, 2]]),
    ['__proto__']: { own: [-0] },
    nested: { toJSON: () => ({ made: [Number.POSITIVE_INFINITY] }) },
  };
  const parsed = JSON.parse([...jsonPieces(value, true)].join(''));
  const copied = jsonValue(value);
  assert.deepEqual(copied, parsed);
  assert.equal(Object.getPrototypeOf(copied), Object.prototype, 'a __proto__ key is a field, as JSON.parse makes it');
  assert.ok(Object.is((copied as { a: number[] }).a[1], 0), '-0 reads back as 0');
  assert.throws(() => jsonValue({ big: 1n }), TypeError, 'a bigint throws as JSON.stringify does');
});

test("a matrix is checked without a copy, and a bad one is refused with the message and path of zod's list of lists", () => {
  const holds = (v: number): boolean => v <= 1;
  const quick = object({ m: numberMatrix(holds, 'at most 1') });
  const zods = object({ m: list(list(jsonNumber.refine((v) => v === null || holds(v), { error: 'at most 1' }))) });
  const good = { m: [[0, null, -0.5], [1]] };
  assert.equal(checkShape(quick, good, 'x').m, good.m, 'the rows are the value given');
  const refusal = (schema: typeof quick | typeof zods, m: unknown): string => {
    try {
      checkShape(schema, { m }, 'x');
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };
  for (const m of [
    undefined,
    'no',
    [[0], 'row'],
    [[0, Number.NaN]],
    [[0, '1']],
    [[0], [2]],
    [[Infinity]],
    [[1.5, 'x']],
  ]) {
    assert.notEqual(refusal(zods, m), 'accepted', `zod refuses ${String(m)}`);
    assert.equal(refusal(quick, m), refusal(zods, m));
  }
  const strict = object({ m: matrixOf(jsonNumber, () => false) });
  assert.deepEqual(checkShape(strict, { m: [[0]] }, 'x').m, [[0]], 'where only the quick test refuses, zod decides');
});

test('affinityAsRead is what readAffinity gives back from the file writeAffinity wrote, and refuses what it refuses', () => {
  // as a sweep hands it to the writer: NaN cells, -0, undefined fields, fields the schema leaves out or does not name
  const data = affinityOf(5) as AffinityArtefact & Record<string, unknown>;
  data.low[0][2] = Number.NaN;
  data.high[0][2] = Number.NaN;
  data.mean[2][3] = -0;
  data.level = undefined;
  (data.inference as Record<string, unknown>).perCell = [{ t: Number.NaN }];
  data.nullControls = { bias: Number.POSITIVE_INFINITY, tasks: [undefined, 1] };
  const dir = tempDir();
  const files = writeAffinity(dir, data);
  assert.deepEqual(affinityAsRead(data, files.json), readAffinity(files.json));
  const wrong = { ...data, mean: data.mean.map((row) => row.map((v) => (v === null ? v : v + 0.3))) };
  const refusal = (read: () => unknown): string => {
    try {
      read();
    } catch (error) {
      assert.ok(error instanceof InputError);
      return error.message;
    }
    assert.fail('not refused');
  };
  const fromMemory = refusal(() => affinityAsRead(wrong, files.json));
  writeAffinity(dir, wrong);
  assert.equal(
    fromMemory,
    refusal(() => readAffinity(files.json)),
  );
  assert.match(fromMemory, /does not hold its mean/);
});
