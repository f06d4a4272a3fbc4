import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/data/errors.js';
import { resolveTaskColumns } from '../../src/data/columns.js';
import { pairwiseGroups, parseGroups, parseSeeds, SweepGroups, uniqueGroups } from '../../src/sweep/plan.js';
import { slicesOf, SLICE_NETWORKS } from '../../src/sweep/run.js';

const names = ['a', 'b', 'c', 'd'];
const rejects = (run: () => unknown, pattern: RegExp): void =>
  assert.throws(run, (e: unknown) => e instanceof InputError && pattern.test((e as Error).message));

test('--groups takes task names or 0-based indices, sorted within a group; unknown or repeated tasks are errors naming the flag', () => {
  assert.deepEqual(parseGroups('c+a+b; 3+1', names), [
    [0, 1, 2],
    [1, 3],
  ]);
  assert.deepEqual(parseGroups('a+b;;', names), [[0, 1]], 'empty parts are ignored');
  rejects(() => parseGroups('a+e', names), /--groups: 'e' is neither a task name nor a task index \(0\.\.3\)/);
  rejects(() => parseGroups('a+4', names), /--groups: '4'/);
  rejects(() => parseGroups('a+0', names), /--groups: group 'a\+0' names a task twice/);
});

test('--seeds takes a count (seeds 0..N-1) or a list (duplicates dropped); anything else is an error naming the flag', () => {
  assert.deepEqual(parseSeeds('3'), [0, 1, 2]);
  assert.deepEqual(parseSeeds(2), [0, 1]);
  assert.deepEqual(parseSeeds('7, 2,7'), [7, 2]);
  rejects(() => parseSeeds('0'), /--seeds/);
  for (const bad of ['-1,2', '1.5', 'x', '1;2']) rejects(() => parseSeeds(bad), /--seeds/);
});

test('--tasks first:N and last:N take columns from either end and leave at least one feature', () => {
  const header = ['f1', 'f2', 'f3', 't1', 't2'];
  assert.deepEqual(resolveTaskColumns(header, 'last:2', 'x.csv'), ['t1', 't2']);
  assert.deepEqual(resolveTaskColumns(header, 'first:1', 'x.csv'), ['f1']);
  assert.deepEqual(resolveTaskColumns(header, 't2,f1', 'x.csv'), ['t2', 'f1']);
  rejects(
    () => resolveTaskColumns(header, 'last:5', 'x.csv'),
    /x\.csv: --tasks last:5 asks for 5 task columns, but the file has 5 columns/,
  );
  rejects(() => resolveTaskColumns(header, 'last:0', 'x.csv'), /--tasks last:0/);
  rejects(() => resolveTaskColumns(header, 't3', 'x.csv'), /unknown column\(s\) 't3'/);
});

test('the pairwise plan is every task alone and every unordered pair, and extra groups join it once each', () => {
  const plan = pairwiseGroups(4);
  assert.equal(plan.length, 4 + 6);
  assert.deepEqual(plan.slice(0, 5), [[0], [1], [2], [3], [0, 1]]);
  const merged = uniqueGroups([...plan, ...parseGroups('a+b+c;b+a;a+b+c', names)]);
  assert.equal(merged.length, 11, 'the triple once; b+a is the pair a+b');
  assert.deepEqual(merged.at(-1), [0, 1, 2]);
});

test('a replication trains (and queues) in slices of at most SLICE_NETWORKS, in order, each group once; only a split one is labelled by part', () => {
  const groups = SweepGroups.pairwise(33); // 561 networks: two slices
  const all = Uint32Array.from({ length: groups.length }, (_, k) => k);
  const slices = [
    ...slicesOf({
      groups,
      pending: [
        { seed: 0, fold: 0, key: 's0', indices: all },
        { seed: 1, fold: 0, key: 's1', indices: all.subarray(0, 3) },
        { seed: 2, fold: 0, key: 's2', indices: new Uint32Array() },
      ],
    }),
  ];
  assert.deepEqual(
    slices.map((s) => [s.key, s.label, s.groups.length]),
    [
      ['s0', 's0 part 1/2', SLICE_NETWORKS],
      ['s0', 's0 part 2/2', 561 - SLICE_NETWORKS],
      ['s1', 's1', 3],
    ],
  );
  assert.deepEqual(
    slices.filter((s) => s.key === 's0').flatMap((s) => s.groups),
    pairwiseGroups(33),
  );
});

test('unique groups are ordered by size, then task by task as numbers (10 after 2), each once', () => {
  const groups = [[9, 10, 11], [1, 10], [10], [2, 3, 100], [1, 2], [2], [1, 10], [2, 10], [2, 3, 20]];
  assert.deepEqual(uniqueGroups(groups), [[2], [10], [1, 2], [1, 10], [2, 10], [2, 3, 20], [2, 3, 100], [9, 10, 11]]);
});

/** `groups` written as a journal header's plan.groups and read back are `listed`, in order, by iteration and by index. */
function assertHeaderRoundTrip(groups: SweepGroups, listed: number[][], what: string): void {
  const read = SweepGroups.fromHeader(JSON.parse(JSON.stringify(groups)));
  assert.equal(read.length, listed.length, `${what}: read back, its length`);
  assert.deepEqual([...read], listed, `${what}: read back`);
  if (listed.length > 0) assert.deepEqual(read.at(listed.length - 1), listed.at(-1), `${what}: its last group`);
}

/** The Standley sweep's groups as plan.ts listed them before they were found by index: singles, then pairs row by row. */
function listedPairwise(tasks: number): number[][] {
  const groups: number[][] = [];
  for (let i = 0; i < tasks; i++) groups.push([i]);
  for (let i = 0; i < tasks; i++) for (let j = i + 1; j < tasks; j++) groups.push([i, j]);
  return groups;
}

test("a sweep's groups found by index are the list it held before, in its order, with extra groups as uniqueGroups put them", () => {
  for (const T of [0, 1, 2, 3, 7, 33, 200, 1000]) {
    const listed = listedPairwise(T);
    const groups = SweepGroups.pairwise(T);
    assert.equal(groups.length, listed.length, `${T} tasks`);
    assert.deepEqual([...groups], listed, `${T} tasks: in order`);
    // by index: every group at its place (the pairs' row found from the index, at the ends of rows too)
    for (let k = 0; k < listed.length; k++)
      if (groups.at(k)[0] !== listed[k][0] || groups.at(k)[1] !== listed[k][1])
        assert.fail(`${T} tasks, group ${k}: ${groups.at(k)} instead of ${listed[k]}`);
    assertHeaderRoundTrip(groups, listed, `${T} tasks`);
    if (T >= 2) assert.equal(JSON.stringify(groups), `{"singlesAndPairs":${T}}`, `${T} tasks: the header's text`);
  }
  const extra = parseGroups('a+b+c;b+a;c;a+b+c;b+c+d', names);
  const withExtra = SweepGroups.pairwise(4, extra);
  const before = uniqueGroups([...listedPairwise(4), ...extra]);
  assert.deepEqual([...withExtra], before);
  assert.deepEqual(
    Array.from({ length: withExtra.length }, (_, k) => withExtra.at(k)),
    before,
  );
  assert.deepEqual([...SweepGroups.pairwise(4).with(extra)], before);
  assertHeaderRoundTrip(withExtra, before, 'with extra groups');
  assert.equal(JSON.stringify(withExtra), '{"singlesAndPairs":4,"more":[[0,1,2],[1,2,3]]}');
  // a list is kept as given
  const given = [[2, 3], [0], [1, 2, 3]];
  assert.deepEqual([...SweepGroups.of(given)], given);
  assert.deepEqual(SweepGroups.of(given).at(2), [1, 2, 3]);
  assert.equal(JSON.stringify(SweepGroups.of([])), '[]');
  assert.equal(JSON.stringify(SweepGroups.of(given)), JSON.stringify(given), 'a list is written as a list');
  assertHeaderRoundTrip(SweepGroups.of(given), given, 'a list');
});
