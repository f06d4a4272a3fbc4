import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateAffinity } from '../../src/affinity/estimate.js';
import { affinityGraph } from '../../src/affinity/graph.js';
import { groupingGraph } from '../../src/grouping/graph.js';

test('the affinity graph export has an edge source -> target carrying how much the source helps the target, with its interval', () => {
  // pair[i][j] = L_i({i,j}): b helps a (0.8 < 1), a does not help b, c is neutral to both.
  const replicate = (replication: string, noise: number) => ({
    replication,
    single: [1, 2, 4],
    pair: [
      [NaN, 0.8 + noise, 1],
      [2.2, NaN, 2],
      [4, 4, NaN],
    ],
  });
  const estimate = estimateAffinity(
    ['a', 'b', 'c'],
    [replicate('s0', 0), replicate('s1', 0.02), replicate('s2', -0.02)],
    0.95,
  );
  const graph = affinityGraph(estimate);
  assert.equal(graph.order, 3);
  assert.equal(graph.size, 6, 'one directed edge per ordered pair');
  assert.deepEqual(graph.getNodeAttributes('a'), { index: 0, singleLoss: 1 });
  const bToA = graph.getEdgeAttributes(graph.edge('b', 'a'));
  assert.ok(Math.abs(bToA.gain - 0.2) < 1e-12, `b -> a gain ${bToA.gain}: 1 - 0.8 / 1`);
  assert.ok(bToA.low < 0.2 && bToA.high > 0.2 && bToA.low > 0, `interval [${bToA.low}, ${bToA.high}] around 0.2`);
  const aToB = graph.getEdgeAttributes(graph.edge('a', 'b'));
  assert.ok(Math.abs(aToB.gain - (1 - 2.2 / 2)) < 1e-12, `a -> b gain ${aToB.gain}: 1 - 2.2 / 2`);
  assert.ok(Math.abs(bToA.groupScore - (0.2 + (1 - 2.2 / 2)) / 2) < 1e-12 && bToA.groupScore === aToB.groupScore);
  assert.equal(graph.getEdgeAttributes(graph.edge('c', 'a')).gain, 0);
  // the file a sweep writes is the same bytes each time: graphology's own edge keys start from a random number
  assert.equal(graph.edge('b', 'a'), '1>0');
  assert.deepEqual(affinityGraph(estimate).export(), graph.export());
});

test('the grouping graph export links every network to its members and marks the one serving each task', () => {
  const serving = {
    groups: [
      [0, 1],
      [1, 2],
    ],
    assignment: [0, 1, 1],
  };
  const graph = groupingGraph(['a', 'b', 'c'], serving, [0.5, 0.6, 0.7]);
  assert.deepEqual(graph.getNodeAttributes('task:b'), { kind: 'task', name: 'b', index: 1, loss: 0.6 });
  assert.deepEqual(graph.getNodeAttributes('network:1'), { kind: 'network', tasks: ['b', 'c'] });
  const serves = graph.mapEdges((_, attributes, source, target) => `${source}->${target}:${attributes.serves}`).sort();
  assert.deepEqual(serves, [
    'network:0->task:a:true',
    'network:0->task:b:false',
    'network:1->task:b:true',
    'network:1->task:c:true',
  ]);
  assert.deepEqual(groupingGraph(['a', 'b', 'c'], serving, [0.5, 0.6, 0.7]).export(), graph.export());
});
