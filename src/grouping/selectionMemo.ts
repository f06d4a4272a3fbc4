import { candidateTable } from './candidates.js';
import type { LossTable } from './lossTable.js';
import { selectNetworks, type SelectOptions } from './select.js';
import { selectionProblem, type Selection, type SelectionProblem } from './selection.js';

/** A table's groups and losses in flat arrays: what two tables are compared by (equal arrays, equal selections). */
interface PackedTable {
  sizes: Int32Array;
  tasks: Int32Array;
  losses: Float64Array;
}

function pack(table: LossTable): PackedTable {
  const { entries } = table;
  let members = 0;
  for (const e of entries) members += e.group.length;
  const sizes = new Int32Array(entries.length);
  const tasks = new Int32Array(members);
  const losses = new Float64Array(members);
  let at = 0;
  entries.forEach(({ group, loss }, i) => {
    sizes[i] = group.length;
    for (let k = 0; k < group.length; k++, at++) {
      tasks[at] = group[k];
      losses[at] = loss[k];
    }
  });
  return { sizes, tasks, losses };
}

const sameArrays = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
};

const samePacked = (a: PackedTable, b: PackedTable): boolean =>
  sameArrays(a.sizes, b.sizes) && sameArrays(a.tasks, b.tasks) && sameArrays(a.losses, b.losses);

/**
 * Selections by the table they were made on and the budget: the same mean validation table gives the same candidates
 * and the same selection (every method is deterministic), so it is selected on once. A curve, its held-out seeds and
 * the bootstrap resamples meet the same tables again: with 2 seeds every resample is one of them (the mean of a seed
 * with itself is that seed; of both, in either order, the curve's table), and at 1000 tasks each selection, its
 * candidate table included, takes seconds. Tables are compared by content (their groups and losses, packed: 12 MB at
 * 1000 tasks), and only the latest table's candidates are kept (500,000 candidates are hundreds of MB as objects).
 */
export class SelectionMemo {
  private readonly tables: { packed: PackedTable; selections: Map<number, Selection> }[] = [];
  private readonly packed = new WeakMap<LossTable, PackedTable>();
  private latest?: { selections: Map<number, Selection>; problem: SelectionProblem };
  /** Selections asked for, and those made (the rest were found): what the memo saved. */
  asked = 0;
  made = 0;

  constructor(private readonly options: SelectOptions & { maxGroupSize: number }) {}

  /** The selection within `budget` among the candidates of `table` (a mean validation table). */
  async select(table: LossTable, budget: number): Promise<Selection> {
    this.asked++;
    const selections = this.selectionsOf(table);
    const known = selections.get(budget);
    if (known) return known;
    if (this.latest?.selections !== selections)
      this.latest = { selections, problem: selectionProblem(candidateTable(table, this.options.maxGroupSize)) };
    const selection = await selectNetworks(this.latest.problem, budget, this.options);
    this.made++;
    selections.set(budget, selection);
    return selection;
  }

  private selectionsOf(table: LossTable): Map<number, Selection> {
    let packed = this.packed.get(table);
    if (!packed) {
      packed = pack(table);
      this.packed.set(table, packed);
    }
    const p = packed;
    const found = this.tables.find((t) => samePacked(t.packed, p));
    if (found) return found.selections;
    const selections = new Map<number, Selection>();
    this.tables.push({ packed, selections });
    return selections;
  }
}
