/** Cutting a dendrogram, from its merges alone (no dependency: the page's script uses it too). */

/**
 * The cluster of each task after the first taskCount − k merges (the dendrogram cut into k clusters), named by the
 * node id of its cluster's root. Merges use scipy's node ids: below taskCount a task, taskCount + m the m-th merge.
 */
export function cutMerges(merges: readonly { left: number; right: number }[], taskCount: number, k: number): number[] {
  if (!Number.isInteger(k) || k < 1 || k > taskCount)
    throw new RangeError(`cannot cut ${taskCount} tasks into ${k} clusters`);
  const parent = Array.from({ length: taskCount + merges.length }, (_, v) => v);
  const root = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    return r;
  };
  merges.slice(0, taskCount - k).forEach(({ left, right }, m) => {
    parent[root(left)] = taskCount + m;
    parent[root(right)] = taskCount + m;
  });
  return Array.from({ length: taskCount }, (_, task) => root(task));
}
