import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJournal } from '../../src/sweep/journal.js';
import { pairwiseGroups, type SweepGroups, type Group } from '../../src/sweep/plan.js';
import { configHash, type SweepConfig } from '../../src/sweep/config.js';
import { CONFIG, header, lines, records } from '../helpers/hostile.js';
import { tempDir } from '../helpers/files.js';

/** A header line as JSON.stringify wrote it before session 10: the plan's groups listed. */
const listedLine = (groups: unknown, config: SweepConfig = CONFIG): string =>
  JSON.stringify({ ...header(config, configHash(config)), plan: { seeds: [0, 1], groups } });

/** The plan's groups of a journal whose header is `line`, as readJournal reads them. */
function groupsRead(line: string): SweepGroups {
  const path = join(tempDir(), 'journal.jsonl');
  writeFileSync(path, lines([JSON.parse(line), ...records()]));
  const groups = readJournal(path).header.plan?.groups;
  assert.ok(groups);
  return groups;
}

test("an old header's listed singles and pairs read back as the same groups, held as a count and written so", () => {
  for (const T of [2, 3, 40]) {
    const read = groupsRead(listedLine(pairwiseGroups(T)));
    assert.deepEqual([...read], pairwiseGroups(T), `${T} tasks`);
    assert.equal(JSON.stringify(read), JSON.stringify({ singlesAndPairs: T }), `${T} tasks written back`);
  }
  // the groups after the singles and pairs (larger ones, or anything else) follow in `more`, as listed
  const more = [[0, 1, 2], [2], [0, 2]];
  const read = groupsRead(listedLine([...pairwiseGroups(3), ...more]));
  assert.deepEqual([...read], [...pairwiseGroups(3), ...more]);
  assert.equal(JSON.stringify(read), JSON.stringify({ singlesAndPairs: 3, more }), 'written back in the new form');
});

test('a listed plan that does not start with every single then every pair is read and written as listed', () => {
  const pairs = pairwiseGroups(3);
  const cases: [string, Group[]][] = [
    ['a pair missing', pairs.filter((g) => g.join() !== '1,2')],
    ['two pairs swapped', [...pairs.slice(0, 4), pairs[5], pairs[4]]],
    ['singles only', [[0], [1], [2]]],
    ['one single and no pair', [[0]]],
    ['pairs only', pairs.slice(3)],
    ['singles from 1', [[1], [2], [1, 2]]],
    ['empty', []],
  ];
  for (const [what, groups] of cases) {
    const read = groupsRead(listedLine(groups));
    assert.deepEqual([...read], groups, what);
    assert.equal(JSON.stringify(read), JSON.stringify(groups), `${what} written back`);
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
