import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { groupImported } from '../../src/analysis/group.js';
import { runImport } from '../../src/analysis/import.js';
import { completeLossTable } from '../../src/grouping/higherOrder.js';
import type { LossTable } from '../../src/grouping/lossTable.js';
import { selectNetworks } from '../../src/grouping/select.js';
import { selectionProblem } from '../../src/grouping/selection.js';
import { tempDir, writeTemp } from '../helpers/files.js';
import { TAG_CELEBA, TAG_TASKONOMY, tagLongCsv, type TagTable } from './fixtures/tag.js';

/** The table's errors (lower is better) for the notebook's search: 100 - accuracy, or the loss. */
const errorsOf = (table: TagTable): number[][] =>
  table.values.map((row) => row.map((v) => (table.metric === 'loss' ? v : 100 - v)));

/**
 * The notebook's search, written independently: every group's HOA values, then every choice of at most `splits`
 * groups that covers all tasks, each task at its best chosen group; the lowest total wins. Returns the optimal total
 * and every grouping (as sorted group lists, groups that serve no task dropped) reaching it.
 */
function notebookSearch(table: TagTable, splits: number): { total: number; groupings: string[] } {
  const errors = errorsOf(table);
  const T = table.tasks.length;
  const groups: { mask: number; value: number[] }[] = [];
  for (let mask = 1; mask < 1 << T; mask++) {
    const members = table.tasks.flatMap((_, t) => (mask & (1 << t) ? [t] : []));
    const value = new Array<number>(T).fill(Infinity);
    for (const t of members)
      value[t] =
        members.length === 1
          ? errors[t][t]
          : members.filter((o) => o !== t).reduce((s, o) => s + errors[t][o], 0) / (members.length - 1);
    groups.push({ mask, value });
  }
  let total = Infinity;
  let groupings = new Set<string>();
  const chosen: number[] = [];
  const visit = (start: number, served: number[]) => {
    if (served.every(Number.isFinite)) {
      const sum = served.reduce((s, v) => s + v, 0);
      const servers = chosen.filter((g) => served.some((v, t) => v === groups[g].value[t]));
      const key = servers
        .map((g) => table.tasks.filter((_, t) => groups[g].mask & (1 << t)).join('+'))
        .sort()
        .join(' | ');
      if (sum < total - 1e-9) {
        total = sum;
        groupings = new Set([key]);
      } else if (Math.abs(sum - total) <= 1e-9) groupings.add(key);
    }
    if (chosen.length === splits) return;
    for (let g = start; g < groups.length; g++) {
      // a group that improves no task leaves the total as it is (main.cpp's filter): no new optimum below it
      if (!groups[g].value.some((v, t) => v < served[t])) continue;
      chosen.push(g);
      visit(
        g + 1,
        served.map((v, t) => Math.min(v, groups[g].value[t])),
      );
      chosen.pop();
    }
  };
  visit(0, new Array<number>(T).fill(Infinity));
  return { total, groupings: [...groupings] };
}

/** The toolkit's own exact ILP over every group of the tasks (a second exact solver, for the budgets at which the search above takes minutes). */
async function ilpOverEveryGroup(table: TagTable, budget: number): Promise<{ total: number; grouping: string }> {
  const errors = errorsOf(table);
  const T = table.tasks.length;
  const entries: LossTable['entries'] = [];
  for (let i = 0; i < T; i++) entries.push({ group: [i], loss: [errors[i][i]] });
  for (let i = 0; i < T; i++)
    for (let j = i + 1; j < T; j++) entries.push({ group: [i, j], loss: [errors[i][j], errors[j][i]] });
  const problem = selectionProblem(completeLossTable({ taskNames: table.tasks, entries }, T));
  const selection = await selectNetworks(problem, budget, { method: 'ilp' });
  assert.equal(selection.status, 'optimal');
  return {
    total: selection.totalLoss,
    grouping: selection.groups
      .map((g) => g.map((t) => table.tasks[t]).join('+'))
      .sort()
      .join(' | '),
  };
}

/** `tra import` of the table as one seed, then `tra group` with its defaults: the groupings per budget. */
async function defaultSelection(table: TagTable, budgets: number[]) {
  const out = join(tempDir(), 'tag');
  await runImport(writeTemp('tag.csv', tagLongCsv(table)), {
    out,
    format: 'long',
    taskNames: table.tasks,
    method: 'auto',
    level: 0.95,
    fdr: 0.05,
  });
  const result = await groupImported(out, { budgets, bootstrap: 2 });
  return result.curve.map((p) => ({
    budget: p.budget,
    status: p.selection.status,
    grouping: p.selection.groups
      .map((g) => g.map((t) => table.tasks[t]).join('+'))
      .sort()
      .join(' | '),
  }));
}

/**
 * What the notebook's search returns on its own tables at 2, 3 and 4 networks (the notebook stores no outputs; these
 * are re-derived below by that search and, where it takes minutes (CelebA at 3 and 4), by the ILP over all groups). Groups joined by '+', sorted.
 */
const EXPECTED: Record<string, Record<number, string>> = {
  celeba: {
    2: '5_o_Clock_Shadow+Black_Hair+Blond_Hair+Brown_Hair+Mustache+Rosy_Cheeks+Wearing_Hat | Goatee+No_Beard',
    3: '5_o_Clock_Shadow+Blond_Hair+Goatee+Mustache+No_Beard+Rosy_Cheeks+Wearing_Hat | Black_Hair+Brown_Hair | Goatee+No_Beard',
    4: '5_o_Clock_Shadow+Goatee | Black_Hair+Blond_Hair+Goatee+Mustache+No_Beard+Rosy_Cheeks+Wearing_Hat | Black_Hair+Brown_Hair | Goatee+No_Beard',
  },
  taskonomy: { 2: 'n+k | s+d+n+t', 3: 'n+k | s+d+n | t+k', 4: 'd+n | n+k | s+n | t+k' },
};

for (const [name, table] of [
  ['celeba', TAG_CELEBA],
  ['taskonomy', TAG_TASKONOMY],
] as const)
  test(`TAG's ${name} table (${table.tasks.length} tasks): the default selection is TAG's higher-order-approximation grouping at 2, 3 and 4 networks`, async (t) => {
    const budgets = [2, 3, 4];
    const ours = await defaultSelection(table, budgets);
    for (const point of ours) {
      assert.equal(point.status, 'optimal');
      const reference =
        point.budget <= 2 || table.tasks.length <= 5
          ? notebookSearch(table, point.budget).groupings
          : [(await ilpOverEveryGroup(table, point.budget)).grouping];
      t.diagnostic(`${name} budget ${point.budget}: ${point.grouping}`);
      assert.ok(reference.includes(point.grouping), `budget ${point.budget}: ${point.grouping} not in ${reference}`);
      assert.equal(reference.length, 1, `budget ${point.budget}: the optimum is unique`);
      assert.equal(point.grouping, EXPECTED[name][point.budget]);
    }
  });
