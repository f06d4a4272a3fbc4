/**
 * The allocation-strategy contract, checked for every entry of ALLOCATION_STRATEGIES on a synthetic pool of networks
 * (three tasks that help each other, one that hurts them; seed-level noise): each round plans singles and pairs of the
 * tasks, never a network already trained, and every seed it trains in full holds all its singles; it stops with a
 * reason, every pair then has a number, it never trains more full-length networks than the full sweep of its seeds,
 * and the same evidence gives the same plan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complete } from '../../src/allocation/cells.js';
import {
  evidenceCells,
  networkEpochsOf,
  seedEvidence,
  type AllocationEvidence,
} from '../../src/allocation/evidence.js';
import {
  ALLOCATION_STRATEGIES,
  type AllocationSettings,
  type AllocationStrategyName,
} from '../../src/allocation/strategies.js';
import { normalSampler, seededRandom } from '../../src/data/random.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import type { NetworkRecord } from '../../src/sweep/journal.js';
import { groupKey, networkId, type Group } from '../../src/sweep/plan.js';

const taskNames = ['a', 'b', 'c', 'd'];
const T = taskNames.length;
const engine = { epochs: 8, patience: 0 };
const shortEpochs = 2;
const settings: AllocationSettings = {
  budgets: [1, 2, 3, 4],
  maxGroupSize: 4,
  seeds: 3,
  screenSeeds: 2,
  shortFraction: shortEpochs / engine.epochs,
  tolerance: 0.001,
  indifference: 1,
  roundSize: 4,
  reliability: 0.7,
  maxSeeds: 3,
  draws: 8,
  firstSeed: 0,
};
const perSeed = T + (T * (T - 1)) / 2;

/** A network's losses: 1 per task alone, 0.1 lower with a cluster partner (a, b, c), 0.05 higher with d; noise 0.02 per seed. */
function recordOf(seed: number, group: Group, epochs: number): NetworkRecord {
  const normal = normalSampler(seededRandom(seed * 100 + group.reduce((h, t) => h * 7 + t + 1, 0), 3));
  const loss = group.map((task) => {
    const partners = group.filter((t) => t !== task);
    const effect = partners.reduce((sum, p) => sum + (p === 3 || task === 3 ? 0.05 : -0.1), 0);
    // short runs have not converged: every loss higher, the effects shrunk
    const early = epochs < engine.epochs ? 0.3 : 0;
    return 1 + early + (early ? 0.5 : 1) * effect + 0.02 * normal();
  });
  const replication = `s${seed}`;
  return {
    kind: 'network',
    id: networkId(replication, group),
    replication,
    seed,
    fold: 0,
    group,
    testLoss: loss,
    validationLoss: loss,
    bestEpoch: epochs,
    backend: 'synthetic',
    seconds: 0,
    finishedAt: '2026-01-01T00:00:00Z',
  };
}

async function allocate(name: AllocationStrategyName): Promise<{ plans: string[][]; stop: string; full: number }> {
  const strategy = ALLOCATION_STRATEGIES[name];
  const full = new Map<string, NetworkRecord>();
  const short = new Map<string, NetworkRecord>();
  const plans: string[][] = [];
  for (let round = 0; round < 40; round++) {
    const evidence: AllocationEvidence = {
      taskNames,
      full: seedEvidence(full.values(), taskNames, PROTOCOL_SPLIT),
      ...(short.size
        ? { short: { ...seedEvidence(short.values(), taskNames, PROTOCOL_SPLIT), epochs: shortEpochs } }
        : {}),
      networkEpochs:
        networkEpochsOf(full.values(), engine) + networkEpochsOf(short.values(), { ...engine, epochs: shortEpochs }),
    };
    const step = await strategy.next(evidence, settings);
    if (step.stop !== undefined || step.networks.length === 0) {
      assert.ok(step.stop?.trim(), `${name}: stops with a reason`);
      assert.ok(complete(evidenceCells(evidence).cells), `${name}: every pair has a number when it stops`);
      return { plans, stop: step.stop ?? '', full: full.size };
    }
    const plan: string[] = [];
    for (const n of step.networks) {
      const where = `${name}, round ${round}: ${n.short ? 'short ' : ''}${groupKey(n.group)} on seed ${n.seed}`;
      assert.ok(n.group.length === 1 || n.group.length === 2, where);
      assert.ok(
        n.group.every((t, k) => Number.isInteger(t) && t >= 0 && t < T && (k === 0 || t > n.group[k - 1])),
        where,
      );
      assert.ok(Number.isInteger(n.seed) && n.seed >= settings.firstSeed, where);
      const into = n.short ? short : full;
      const record = n.short ? recordOf(n.seed, n.group, shortEpochs) : recordOf(n.seed, n.group, engine.epochs);
      assert.ok(!into.has(record.id), `${where}: planned again`);
      into.set(record.id, record);
      plan.push(`${n.short ? 'short:' : ''}${record.id}`);
    }
    const seeds = new Set([...full.values()].map((r) => r.seed));
    for (const seed of seeds)
      for (let t = 0; t < T; t++)
        assert.ok(full.has(networkId(`s${seed}`, [t])), `${name}: seed ${seed} trained in full without single ${t}`);
    plans.push(plan);
  }
  assert.fail(`${name}: no stop after 40 rounds`);
}

for (const name of Object.keys(ALLOCATION_STRATEGIES) as AllocationStrategyName[])
  test(`allocation strategy ${name}: valid networks each round, a stop with every pair known, within the full sweep, deterministic`, async () => {
    const strategy = ALLOCATION_STRATEGIES[name];
    assert.ok(strategy.label.trim() && strategy.describe(settings).trim());
    const first = await allocate(name);
    assert.ok(
      first.full <= settings.seeds * perSeed,
      `${name}: ${first.full} full-length networks, a full sweep of ${settings.seeds} seeds has ${settings.seeds * perSeed}`,
    );
    assert.deepEqual(await allocate(name), first, `${name}: the same evidence, the same plans`);
  });
