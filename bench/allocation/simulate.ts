/**
 * Runs an allocation strategy against a cached pool of trained networks: each network the strategy plans is read from
 * the pool (its seed mapped to a pool seed) instead of trained, with its cost in network-epochs, and the decision the
 * strategy would take after every round is scored against the reference sweep's.
 */
import { complete, completeSeedTables, meanTable } from '../../src/allocation/cells.js';
import { evidenceCells, seedEvidence, type AllocationEvidence } from '../../src/allocation/evidence.js';
import {
  ALLOCATION_STRATEGIES,
  type AllocationSettings,
  type AllocationStep,
  type AllocationStrategyName,
  type PlannedNetwork,
} from '../../src/allocation/strategies.js';
import { PROTOCOL_SPLIT } from '../../src/data/split.js';
import { epochsTrained, type EngineSettings } from '../../src/engine/settings.js';
import { candidateTable } from '../../src/grouping/candidates.js';
import { fastServings } from '../../src/allocation/fastSelect.js';
import type { LossTable } from '../../src/grouping/lossTable.js';
import { meanLossTable } from '../../src/grouping/replicated.js';
import { selectionProblem } from '../../src/grouping/selection.js';
import { servedTotal, type Serving } from '../../src/grouping/serving.js';
import type { NetworkRecord, Records } from '../../src/sweep/journal.js';
import { lossesAtEpoch } from '../../src/sweep/record.js';
import { networkId } from '../../src/sweep/plan.js';

/**
 * The bench's decision at every budget: the allocation's fast local search (allocation/fastSelect.ts), for the
 * reference and every strategy alike (the exact solver at every checkpoint of every repetition would take hours).
 */
export function decide(table: LossTable, budgets: number[], maxGroupSize: number): Serving[] {
  return fastServings(selectionProblem(candidateTable(table, maxGroupSize)), budgets).map((s) => {
    if (!s) throw new Error('no selection within a budget');
    return s;
  });
}

export interface Reference {
  test: LossTable;
  totals: number[];
  servings: Serving[];
}

/** Mean over budgets of the extra reference test loss of `servings` over the reference's own choices. */
export const regretOf = (servings: Serving[], reference: Reference): number =>
  servings.reduce((sum, s, b) => sum + servedTotal(reference.test, s) - reference.totals[b], 0) / servings.length;

export interface Checkpoint {
  round: number;
  networkEpochs: number;
  networks: number;
  regret: number;
  /** The strategy's own estimate of its expected regret at this point (decision-focused strategies). */
  expectedRegret: number;
  shortRunSpearman: number;
}

export interface Trajectory {
  checkpoints: Checkpoint[];
  stop: string;
}

/** The pool's network of (pool seed, group) as the strategy's network of (seed, group), optionally cut to `epochs`. */
function asPlanned(record: NetworkRecord, seed: number, epochs?: number): NetworkRecord {
  const replication = `s${seed}`;
  const early = epochs === undefined ? undefined : lossesAtEpoch(record, epochs);
  if (epochs !== undefined && !early) throw new Error(`pool network ${record.id} has no losses at epoch ${epochs}`);
  return {
    ...record,
    id: networkId(replication, record.group),
    replication,
    seed,
    testLoss: early ? early.test : record.testLoss,
    validationLoss: early ? early.validation : record.validationLoss,
    byEpoch: undefined,
    perEpoch: undefined,
  };
}

export async function simulate(
  strategy: AllocationStrategyName,
  settings: AllocationSettings,
  pool: Records,
  poolSeeds: number[],
  engine: EngineSettings,
  taskNames: string[],
  reference: Reference,
  maxRounds = 60,
): Promise<Trajectory> {
  const shortEpochs = Math.max(1, Math.round(settings.shortFraction * engine.epochs));
  const full = new Map<string, NetworkRecord>();
  const short = new Map<string, NetworkRecord>();
  let networkEpochs = 0;
  const train = (n: PlannedNetwork): void => {
    const poolSeed = poolSeeds[n.seed];
    if (poolSeed === undefined) throw new Error(`the pool has no seed for strategy seed ${n.seed}`);
    const record = pool.get(networkId(`s${poolSeed}`, n.group));
    if (!record) throw new Error(`the pool lacks network ${networkId(`s${poolSeed}`, n.group)}`);
    const into = n.short ? short : full;
    const planned = asPlanned(record, n.seed, n.short ? shortEpochs : undefined);
    if (into.has(planned.id)) return;
    into.set(planned.id, planned);
    const trained = epochsTrained(engine, record.bestEpoch);
    networkEpochs += n.short ? Math.min(shortEpochs, trained) : trained;
  };
  const checkpoints: Checkpoint[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const evidence: AllocationEvidence = {
      taskNames,
      full: seedEvidence(full.values(), taskNames, PROTOCOL_SPLIT),
      ...(short.size
        ? { short: { ...seedEvidence(short.values(), taskNames, PROTOCOL_SPLIT), epochs: shortEpochs } }
        : {}),
      networkEpochs,
    };
    const step: AllocationStep = await ALLOCATION_STRATEGIES[strategy].next(evidence, settings);
    if (evidence.full.seeds.length > 0) {
      const { cells, shortRuns } = evidenceCells(evidence);
      if (!complete(cells)) {
        if (step.stop !== undefined || step.networks.length === 0) return { checkpoints, stop: step.stop ?? 'nothing' };
        step.networks.forEach(train);
        continue;
      }
      // the decision a run stopped here would report: selection on the completed seed tables' mean
      const table = meanLossTable(completeSeedTables(evidence.full.validation, cells));
      const servings = decide(table, settings.budgets, settings.maxGroupSize);
      if (Math.abs(servedTotal(table, servings[0]) - servedTotal(meanTable(cells, taskNames), servings[0])) > 1e-9)
        throw new Error('internal: the completed tables and the cells disagree');
      checkpoints.push({
        round,
        networkEpochs,
        networks: full.size + short.size,
        regret: regretOf(servings, reference),
        expectedRegret: step.uncertainty?.expectedRegret ?? NaN,
        shortRunSpearman: shortRuns?.spearman ?? NaN,
      });
    }
    if (process.env.BENCH_VERBOSE)
      process.stderr.write(
        `${strategy} round ${round}: ${networkEpochs} network-epochs, regret ${checkpoints.at(-1)?.regret.toFixed(4)}, expected ${step.uncertainty?.expectedRegret.toPrecision(2)}${step.stop ? `; ${step.stop}` : ''}\n`,
      );
    if (step.stop !== undefined || step.networks.length === 0)
      return { checkpoints, stop: step.stop ?? 'nothing more to train' };
    step.networks.forEach(train);
  }
  return { checkpoints, stop: `stopped after ${maxRounds} rounds` };
}
