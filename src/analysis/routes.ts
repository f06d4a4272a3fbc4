import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { estimateAffinity } from '../affinity/estimate.js';
import { agreement } from '../affinity/proxies/agreement.js';
import { PROXIES_FILES, readProxies, type ProxiesArtefact } from '../artefacts/proxies.js';
import { replicatesFromRecords } from '../affinity/gain.js';
import type { EngineSettings } from '../engine/settings.js';
import { GROUPING_OPTIONS } from '../options/grouping.js';
import { testLossOf, type Records } from '../sweep/journal.js';
import { groupKey, networkId, parseSeeds, replicationsOf, type SweepGroups } from '../sweep/plan.js';
import { recordsWhere } from '../sweep/recordStore.js';
import { isLargeSweep, type CheaperRoute, type SweepPlan } from '../sweep/planner.js';
import type { AnalysisSpec } from './spec.js';
import { InputError } from '../data/errors.js';

/** What a sweep's journal holds already, from which a cheaper route's error on this data can be measured. */
export interface JournalEvidence {
  records: Records;
  taskNames: string[];
  /** The sweep's replication keys and groups: the replications holding every single and pair are measured. */
  replications: string[];
  groups: SweepGroups;
  engine: Pick<EngineSettings, 'epochs' | 'patience'>;
  level: number;
  /** The output folder, where `tra proxies` leaves its estimates (proxies.json), and the data's sha256 they must match. */
  folder: string;
  dataSha256: string;
}

/** The journal's networks of a definition's sweep, as evidence for its cheaper routes. */
export const journalEvidence = (
  spec: AnalysisSpec,
  dataset: { taskNames: string[]; sha256: string },
  groups: SweepGroups,
  records: Records,
): JournalEvidence => ({
  records,
  taskNames: dataset.taskNames,
  replications: replicationsOf(spec.split, parseSeeds(spec.seeds)).map((r) => r.key),
  groups,
  engine: spec.engine,
  level: spec.level,
  folder: spec.out,
  dataSha256: dataset.sha256,
});

/**
 * The planner's cheaper routes, for a large sweep only: fewer epochs first, measured on the journal's networks when it
 * holds a whole replication (the early-stopping approximation needs no extra training), then the proxies that scale,
 * each with its error on this data where the folder's proxies.json holds its estimate (`scoredProxyRoute`).
 * The proxies' implementations load tfjs, which a native sweep does not need: they load only here.
 */
export async function routesFor(plan: SweepPlan, journal?: JournalEvidence): Promise<CheaperRoute[]> {
  if (!isLargeSweep(plan)) return [];
  const whole = journal && wholeReplications(journal);
  const fewerEpochs = journal && whole && (await fewerEpochsRoute(journal, whole));
  const estimates = journal && folderProxies(journal);
  const proxies = (await import('../affinity/proxies/registry.js'))
    .cheaperRoutes()
    .map((route) => (journal && estimates ? scoredProxyRoute(route, estimates, whole) : route));
  return fewerEpochs ? [fewerEpochs, ...proxies] : proxies;
}

/** The journal's replications that hold every single and pair, their networks and the matrix they measure. */
interface WholeReplications {
  replications: string[];
  networks: Records;
  gain: number[][];
}

function wholeReplications(journal: JournalEvidence): WholeReplications | undefined {
  const { records, taskNames, level } = journal;
  const cells = journal.groups.filter((g) => g.length <= 2);
  const replications = journal.replications.filter((r) => cells.every((g) => records.has(networkId(r, g))));
  if (replications.length === 0) return undefined;
  // a view of the whole replications' singles and pairs, not a copy (500,500 records a seed at 1000 tasks); when the
  // groups hold every single and pair of the tasks (a sweep's always do), any record of one or two tasks is a cell
  const whole = new Set(replications);
  const T = taskNames.length;
  const cellKeys = cells.length === (T * (T + 1)) / 2 ? undefined : new Set(cells.map(groupKey));
  const networks = recordsWhere(
    records,
    (r) => whole.has(r.replication) && r.group.length <= 2 && (!cellKeys || cellKeys.has(groupKey(r.group))),
  );
  const gain = estimateAffinity(
    taskNames,
    replicatesFromRecords(networks, taskNames.length, replications, testLossOf),
    level,
  ).mean;
  return { replications, networks, gain };
}

/**
 * The estimates `tra proxies` left in the output folder, when they are of this data and these tasks; a file that cannot
 * be read is said in the routes, not skipped in silence.
 */
function folderProxies(journal: JournalEvidence): ProxiesArtefact | string | undefined {
  const path = join(journal.folder, PROXIES_FILES.json);
  if (!existsSync(path)) return undefined;
  let file: ProxiesArtefact;
  try {
    file = readProxies(path);
  } catch (error) {
    if (error instanceof InputError) return `${path} could not be read (${error.message})`;
    throw error;
  }
  const sameData = file.provenance?.data?.sha256 === journal.dataSha256;
  const sameTasks = file.taskNames.join('\n') === journal.taskNames.join('\n');
  return sameData && sameTasks ? file : undefined;
}

/**
 * A proxy's route with its error on this data, from the folder's proxies.json: the agreement `tra proxies` measured
 * against a sweep, or else its estimate scored now against the journal's whole replications (no training).
 */
export function scoredProxyRoute(
  route: CheaperRoute,
  estimates: ProxiesArtefact | string,
  whole: WholeReplications | undefined,
): CheaperRoute {
  if (typeof estimates === 'string') return { ...route, cost: `${route.cost}; ${estimates}` };
  const entry = estimates.proxies.find((p) => p.id === route.proxy);
  if (!entry) return route;
  const fromFile = entry.agreement?.spearman;
  const measured =
    typeof fromFile === 'number'
      ? `Spearman ${fromFile.toFixed(2)} with the sweep tra proxies compared it with (${entry.agreement!.points.length} cells)`
      : entry.matrix && whole
        ? `Spearman ${agreement(
            entry.proxy,
            entry.matrix.map((row) => row.map((v) => v ?? NaN)),
            whole.gain,
          ).spearman.toFixed(
            2,
          )} with this journal's ${whole.replications.length} whole replication${whole.replications.length > 1 ? 's' : ''}, scored now from proxies.json`
        : undefined;
  return measured ? { ...route, cost: `${route.cost}; measured on this data: ${measured}`, measuredHere: true } : route;
}

/** Fewer epochs, with the matrix's rank agreement and cost share measured on the journal's whole replications. */
export async function fewerEpochsRoute(
  journal: JournalEvidence,
  whole = wholeReplications(journal),
): Promise<CheaperRoute | undefined> {
  if (!whole) return undefined;
  // grouping's early-stopping module brings the budget curve and the selection methods: loaded only here, where a large
  // sweep's journal is measured, not at every sweep's start-up
  const { earlyMatrixAgreement } = await import('../grouping/earlyStopping.js');
  const { taskNames, engine } = journal;
  const { replications, networks: measured } = whole;
  const points = earlyMatrixAgreement(
    measured,
    taskNames,
    replications,
    engine,
    GROUPING_OPTIONS.earlyFractions.default,
    whole.gain,
  );
  if (!points?.length) return undefined;
  const each = points.map(
    (p) =>
      `${p.epochs} of ${engine.epochs} epochs: Spearman ${p.spearman.toFixed(2)} with full training for ${(100 * p.costShare).toFixed(0)}% of the network-epochs`,
  );
  return {
    kind: 'fewer epochs',
    route: `fewer epochs: --epochs E (or --allocation short, which trains the finalists in full)`,
    cost: `measured on this journal's ${measured.size} networks (${replications.length} replication${replications.length > 1 ? 's' : ''}): ${each.join('; ')}`,
  };
}
