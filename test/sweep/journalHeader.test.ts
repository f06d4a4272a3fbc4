import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { headerEntry, readJournal } from '../../src/sweep/journal.js';
import { pairwiseGroups, SweepGroups, type Group } from '../../src/sweep/plan.js';
import { configHash, type SweepConfig } from '../../src/sweep/config.js';
import { CONFIG, header, lines, records } from '../helpers/hostile.js';
import { tempDir } from '../helpers/files.js';

/** A header line as JSON.stringify wrote it before session 10: the plan's groups listed. */
const listedLine = (groups: unknown, config: SweepConfig = CONFIG): string =>
  JSON.stringify({ ...header(config, configHash(config)), plan: { seeds: [0, 1], groups } });

/** What headerEntry reads `line` as, and what JSON.parse does, are one header: the same groups in the same order. */
function assertSameHeader(line: string, what: string): void {
  const parsed = JSON.parse(line) as { plan: { groups: Group[] } };
  const entry = headerEntry(line) as { plan: { groups: Group[] | { singlesAndPairs: number } } }; // or what JSON holds
  const { plan, ...rest } = entry;
  const { plan: parsedPlan, ...parsedRest } = parsed;
  assert.deepEqual(rest, parsedRest, `${what}: besides the plan`);
  const compact = typeof plan.groups === 'object' && !Array.isArray(plan.groups);
  const groups = compact ? [...SweepGroups.fromHeader(plan.groups)] : plan.groups;
  assert.deepEqual(groups, parsedPlan.groups, `${what}: the plan's groups`);
}

test("an old header's listed singles and pairs are read as the one field new journals write, not as arrays", () => {
  for (const T of [2, 3, 40, 1000]) {
    const line = listedLine(pairwiseGroups(T));
    const entry = headerEntry(line) as { plan: { groups: unknown } };
    assert.deepEqual(entry.plan.groups, { singlesAndPairs: T }, `${T} tasks`);
    assertSameHeader(line, `${T} tasks`);
  }
  // the groups after the singles and pairs (larger ones, or anything else) follow in `more`, as listed
  const more = [[0, 1, 2], [2], [0, 2]];
  const line = listedLine([...pairwiseGroups(3), ...more]);
  assert.deepEqual((headerEntry(line) as { plan: { groups: unknown } }).plan.groups, { singlesAndPairs: 3, more });
  assertSameHeader(line, 'with groups after them');
  // and so in the journal's header as read
  const path = join(tempDir(), 'journal.jsonl');
  writeFileSync(path, lines([JSON.parse(line), ...records()]));
  const read = readJournal(path).header.plan?.groups;
  assert.ok(read);
  assert.deepEqual([...read], [...pairwiseGroups(3), ...more]);
  assert.equal(JSON.stringify(read), JSON.stringify({ singlesAndPairs: 3, more }), 'written back in the new form');
});

test('a header whose groups are not every single then every pair is read exactly as JSON.parse reads it', () => {
  const pairs = pairwiseGroups(4);
  const cases: [string, unknown][] = [
    ['a pair missing', pairs.filter((g) => g.join() !== '1,3')],
    ['two pairs swapped', [...pairs.slice(0, 5), pairs[6], pairs[5], ...pairs.slice(7)]],
    ['singles only', [[0], [1], [2]]],
    ['one single and no pair', [[0]]],
    ['pairs only', pairs.slice(4)],
    ['singles from 1', [[1], [2], [1, 2]]],
    ['empty', []],
    ['not groups', 'all'],
  ];
  for (const [what, groups] of cases) assertSameHeader(listedLine(groups), what);
  // spacing, and numbers JSON.parse reads as the same tasks (0.0, 1e0): read as they are, not as singles and pairs
  const spaced = listedLine(pairs).replace('[[0],[1]', '[ [0], [1]');
  assertSameHeader(spaced, 'spaced');
  assert.ok(Array.isArray((headerEntry(spaced) as { plan: { groups: unknown } }).plan.groups));
  const otherNumbers = listedLine(pairs).replace('[[0],[1]', '[[0.0],[1e0]');
  assertSameHeader(otherNumbers, 'other spellings');
  // a task name holding the text of a plan does not mislead the walk to the header's own plan
  const tricky = { ...CONFIG, data: { ...CONFIG.data, taskNames: ['"plan":{"groups":[[0],[1],[0,1]]}', 'b\\"', 'r'] } };
  const line = listedLine(pairwiseGroups(3), tricky);
  assertSameHeader(line, 'task names with JSON in them');
  assert.deepEqual((headerEntry(line) as { plan: { groups: unknown } }).plan.groups, { singlesAndPairs: 3 });
  // members repeated: JSON.parse keeps the last, and so does the walk; a name spelled with escapes is the same name
  const twice = listedLine(pairs).replace('"plan":', '"plan":{"groups":[[0],[1],[0,1]]},"pl\\u0061n":');
  assertSameHeader(twice, 'plan twice');
  assert.deepEqual((headerEntry(twice) as { plan: { groups: unknown } }).plan.groups, { singlesAndPairs: 4 });
});

test('a header line that is not JSON stays an error, whatever its groups', () => {
  const line = listedLine(pairwiseGroups(3));
  const broken = [
    line.replace('[0,2],[1,2]]', '[0,2],[1,2],]'), // a trailing comma after the pairs
    line.replace('[0,2],[1,2]]', '[0,2],[1,2],[0,1,2],]'),
    line.replace('[0,2],[1,2]]', '[0,2],[1,2],,[0,1,2]]'),
    line.replace('[0,2],[1,2]]', '[0,2],[1,2],[0,1,2'),
    line.replace('[0,2],[1,2]]', '[0,2],[1,2]'),
    line.replace('"createdAt"', 'createdAt'),
    line.slice(0, -1),
  ];
  for (const text of broken) {
    assert.throws(() => JSON.parse(text), SyntaxError, text.slice(-60));
    assert.throws(() => headerEntry(text), SyntaxError, text.slice(-60));
  }
});

test("a header's plan is checked in either form: a bad group, a count of tasks that is not one or beyond the configuration's", () => {
  const path = join(tempDir(), 'journal.jsonl');
  const read = (groups: unknown): string => {
    writeFileSync(path, lines([{ ...header(), plan: { seeds: [0, 1], groups } }, ...records()]));
    try {
      readJournal(path);
      return 'read';
    } catch (error) {
      return (error as Error).message;
    }
  };
  assert.equal(read({ singlesAndPairs: 3 }), 'read');
  assert.equal(read({ singlesAndPairs: 3, more: [[0, 1, 2]] }), 'read');
  assert.match(read({ singlesAndPairs: 1 }), /journal\.jsonl:1: bad journal header: .*plan\.groups/);
  assert.match(
    read({ singlesAndPairs: 1e9 }),
    /journal\.jsonl:1: bad journal header: plan\.groups: the singles and pairs of 1000000000 tasks, but the configuration has 3/,
  );
  assert.match(read({ singlesAndPairs: 2.5 }), /journal\.jsonl:1: bad journal header: .*plan\.groups/);
  assert.match(read({ singlesAndPairs: 3, more: [[-1]] }), /journal\.jsonl:1: bad journal header: .*plan\.groups/);
  assert.match(read([...pairwiseGroups(3), [0, -1]]), /journal\.jsonl:1: bad journal header: .*plan\.groups/);
});
