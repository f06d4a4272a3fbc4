import { agnes } from '../vendor/hclust.js';
import { averageLinkageTree, type TreeNode } from './agglomerate.js';
import { assertSymmetric, cellsOf, type Square } from './matrix.js';

/** One merge of an average-linkage tree. */
export interface LinkageMerge {
  /** Node ids as in scipy's linkage: ids below the task count are tasks, taskCount + k is the k-th merge. `left` holds the lower first task. */
  left: number;
  right: number;
  /** Tasks of the merged cluster, sorted. */
  members: number[];
  /** Mean pairwise similarity between the two merged clusters; non-increasing along the merges (UPGMA has no inversions). */
  similarity: number;
}

export interface Linkage {
  taskCount: number;
  merges: LinkageMerge[];
  /** Tasks in dendrogram leaf order (left subtree first), so similar tasks sit next to each other. */
  order: number[];
}

/**
 * Average linkage (UPGMA) on a symmetric similarity matrix: repeatedly merges the two clusters with the highest mean
 * pairwise similarity, agglomerated as ml-hclust's agnes does on the distance −similarity (Lance–Williams updates; which
 * of several exactly tied pairs merges first is its choice), by averageLinkageTree: the same tree in O(T²). Each merge's similarity is then recomputed
 * as the plain mean of the pairwise cells, so it carries no update rounding. The diagonal is ignored.
 */
export function averageLinkage(similarity: Square): Linkage {
  assertSymmetric(similarity);
  const { size: taskCount, at } = cellsOf(similarity);
  if (taskCount < 2) return { taskCount, merges: [], order: taskCount ? [0] : [] };
  // read a cell at a time: no T x T copy of the distance beside the similarity (averageLinkageTree keeps its own)
  const distance = { size: taskCount, at: (i: number, j: number) => -at(i, j) };
  const distanceRows = (): number[][] =>
    Array.from({ length: taskCount }, (_, i) => Array.from({ length: taskCount }, (_, j) => distance.at(i, j)));
  // agnes itself where a cell is not finite (it then merges what its scan leaves, which the fast copy does not mimic)
  let finite = true;
  for (let i = 0; i < taskCount && finite; i++)
    for (let j = 0; j < taskCount; j++) if (i !== j && !Number.isFinite(distance.at(i, j))) finite = false;
  const root: TreeNode = finite
    ? averageLinkageTree(distance)
    : agnes(distanceRows(), { method: 'average', isDistanceMatrix: true });
  // agnes returns a tree without its merge order: list the inner nodes children first, then sort by height; the running
  // maximum keeps a parent after its children even when Lance–Williams rounding leaves it a hair below them.
  const inner: { node: TreeNode; key: number }[] = [];
  const post = (node: TreeNode): number => {
    if (node.isLeaf) return -Infinity;
    const key = Math.max(node.height, ...node.children.map(post));
    inner.push({ node, key });
    return key;
  };
  post(root);
  inner.sort((a, b) => a.key - b.key); // stable: tied heights keep children before parents
  const id = new Map<TreeNode, number>();
  const members = new Map<TreeNode, number[]>();
  const tasksOf = (node: TreeNode): number[] => (node.isLeaf ? [node.index] : (members.get(node) as number[]));
  const idOf = (node: TreeNode): number => (node.isLeaf ? node.index : (id.get(node) as number));
  const merges = inner.map(({ node }, k): LinkageMerge => {
    const [[leftNode, left], [rightNode, right]] = node.children
      .map((c) => [c, tasksOf(c)] as const)
      .sort((a, b) => a[1][0] - b[1][0]);
    let sum = 0;
    for (const i of left) for (const j of right) sum += at(i, j);
    const merged = [...left, ...right].sort((a, b) => a - b);
    id.set(node, taskCount + k);
    members.set(node, merged);
    return {
      left: idOf(leftNode),
      right: idOf(rightNode),
      members: merged,
      similarity: sum / (left.length * right.length),
    };
  });
  const order: number[] = [];
  const children = new Map(merges.map((m, k) => [taskCount + k, [m.left, m.right]]));
  const visit = (node: number): void => {
    const kids = children.get(node);
    if (kids) kids.forEach(visit);
    else order.push(node);
  };
  visit(taskCount + merges.length - 1);
  return { taskCount, merges, order };
}

/** Tasks under a node id of `linkage` (a task id is itself). */
export const nodeMembers = (linkage: Linkage, node: number): number[] =>
  node < linkage.taskCount ? [node] : linkage.merges[node - linkage.taskCount].members;
