import { estimateAffinity } from '../affinity/estimate.js';
import { replicatesFromRecords } from '../affinity/gain.js';
import type { EngineSettings } from '../engine/settings.js';
import { earlyMatrixAgreement } from '../grouping/earlyStopping.js';
import { GROUPING_OPTIONS } from '../options/grouping.js';
import { testLossOf, type NetworkRecord } from '../sweep/journal.js';
import { networkId, parseSeeds, replicationsOf, type Group } from '../sweep/plan.js';
import { isLargeSweep, type CheaperRoute, type SweepPlan } from '../sweep/planner.js';
import type { AnalysisSpec } from './spec.js';

/** What a sweep's journal holds already, from which a cheaper route's error on this data can be measured. */
export interface JournalEvidence {
  records: Map<string, NetworkRecord>;
  taskNames: string[];
  /** The sweep's replication keys and groups: the replications holding every single and pair are measured. */
  replications: string[];
  groups: readonly Group[];
  engine: Pick<EngineSettings, 'epochs' | 'patience'>;
  level: number;
}

/** The journal's networks of a definition's sweep, as evidence for its cheaper routes. */
export const journalEvidence = (
  spec: AnalysisSpec,
  taskNames: string[],
  groups: readonly Group[],
  records: Map<string, NetworkRecord>,
): JournalEvidence => ({
  records,
  taskNames,
  replications: replicationsOf(spec.split, parseSeeds(spec.seeds)).map((r) => r.key),
  groups,
  engine: spec.engine,
  level: spec.level,
});

/**
 * The planner's cheaper routes, for a large sweep only: fewer epochs first, measured on the journal's networks when it
 * holds a whole replication (the early-stopping approximation needs no extra training), then the proxies that scale.
 * The proxies' implementations load tfjs, which a native sweep does not need: they load only here.
 */
export async function routesFor(plan: SweepPlan, journal?: JournalEvidence): Promise<CheaperRoute[]> {
  if (!isLargeSweep(plan)) return [];
  const fewerEpochs = journal && fewerEpochsRoute(journal);
  const proxies = (await import('../affinity/proxies/registry.js')).cheaperRoutes();
  return fewerEpochs ? [fewerEpochs, ...proxies] : proxies;
}

/** Fewer epochs, with the matrix's rank agreement and cost share measured on the journal's whole replications. */
export function fewerEpochsRoute(journal: JournalEvidence): CheaperRoute | undefined {
  const { records, taskNames, engine, level } = journal;
  const cells = journal.groups.filter((g) => g.length <= 2);
  const whole = journal.replications.filter((r) => cells.every((g) => records.has(networkId(r, g))));
  if (whole.length === 0) return undefined;
  const measured = new Map(whole.flatMap((r) => cells.map((g) => [networkId(r, g), records.get(networkId(r, g))!])));
  const fullGain = estimateAffinity(
    taskNames,
    replicatesFromRecords(measured, taskNames.length, whole, testLossOf),
    level,
  ).mean;
  const points = earlyMatrixAgreement(
    measured,
    taskNames,
    whole,
    engine,
    GROUPING_OPTIONS.earlyFractions.default,
    fullGain,
    level,
  );
  if (!points?.length) return undefined;
  const each = points.map(
    (p) =>
      `${p.epochs} of ${engine.epochs} epochs: Spearman ${p.spearman.toFixed(2)} with full training for ${(100 * p.costShare).toFixed(0)}% of the network-epochs`,
  );
  return {
    kind: 'fewer epochs',
    route: `fewer epochs: --epochs E (or --allocation short, which trains the finalists in full)`,
    cost: `measured on this journal's ${measured.size} networks (${whole.length} replication${whole.length > 1 ? 's' : ''}): ${each.join('; ')}`,
  };
}
