/**
 * The proxy contract, checked for every entry of PROXIES (a new proxy is checked without a test of its own): its id,
 * label and reference; its own options declared like every option, none clashing with another's; and on a small
 * planted data set (binary tasks: every proxy is defined there) an estimate of the right shape, finite off the
 * diagonal, deterministic, honest about its cost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROXIES, PROXY_OPTIONS, proxyContext, runProxy } from '../../src/affinity/proxies/registry.js';
import { holdoutSplit, prepareSplit } from '../../src/data/split.js';
import { plantedClusters } from '../../src/data/synthetic.js';
import { OPTION_GROUPS } from '../../src/options/index.js';
import { flagName, type OptionDeclaration } from '../../src/options/option.js';
import { testBackend } from '../helpers/backend.js';

const { dataset } = plantedClusters({
  rows: 80,
  features: 5,
  clusters: 2,
  tasksPerCluster: 2,
  kind: 'binary',
  seed: 3,
});
const T = dataset.taskNames.length;
const data = prepareSplit(dataset, holdoutSplit(dataset.rows, 0));
const settings = { hidden: [8], learningRate: 0.01, batchSize: 16, epochs: 4 };

test('every proxy has a unique kebab-case id, a label and the reference it computes', () => {
  assert.equal(new Set(PROXIES.map((p) => p.id)).size, PROXIES.length);
  for (const p of PROXIES) {
    assert.match(p.id, /^[a-z]+(-[a-z]+)*$/, p.id);
    assert.ok(p.label.trim() && p.reference.trim(), p.id);
    if (p.atScale) assert.ok(p.atScale.cost.trim(), `${p.id}: atScale says its cost`);
  }
});

test("every proxy's own options are declared options, gathered into tra proxies' flags without a clash", () => {
  const commandFlags = new Set(
    Object.values(OPTION_GROUPS)
      .filter((g) => g !== OPTION_GROUPS.proxyOptions)
      .flatMap((g) => Object.values(g.options as Record<string, OptionDeclaration>).map((o) => o.flag)),
  );
  for (const p of PROXIES)
    for (const [key, option] of Object.entries(p.options ?? {})) {
      assert.equal(PROXY_OPTIONS[key], option, `${p.id}: ${flagName(option)} gathered`);
      assert.ok(!commandFlags.has(option.flag), `${p.id}: ${flagName(option)} clashes with a command option`);
      assert.ok(option.help.trim() && option.kind.schema.safeParse(option.default).success, flagName(option));
    }
});

for (const proxy of PROXIES)
  test(`proxy ${proxy.id}: a ${T}x${T} estimate, finite off the diagonal, the same twice, its cost counted`, async () => {
    await testBackend();
    const estimate = await runProxy(proxy, proxyContext(dataset, data, settings));
    assert.equal(estimate.matrix.length, T);
    for (const [i, row] of estimate.matrix.entries()) {
      assert.equal(row.length, T);
      for (const [j, value] of row.entries()) if (i !== j) assert.ok(Number.isFinite(value), `[${i}][${j}] = ${value}`);
    }
    assert.ok(Number.isInteger(estimate.networksTrained) && estimate.networksTrained >= 0);
    if (estimate.subsetLoss) {
      const losses = estimate.subsetLoss([0, 2]);
      assert.equal(losses.length, 2);
      assert.ok(losses.every(Number.isFinite));
    }
    const again = await runProxy(proxy, proxyContext(dataset, data, settings));
    assert.deepEqual(again.matrix, estimate.matrix, 'deterministic for one seed');
  });
