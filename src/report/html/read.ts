/**
 * Readers of the report folder's section files: each reads its artefact (src/artefacts: checked, an error names the
 * file and the field) and turns the shape the command writes into the report's (html/input.ts).
 */
import { readAuxiliary as readAuxiliaryFile } from '../../artefacts/auxiliary.js';
import { readBaselines as readBaselinesFile, type BaselinesArtefact } from '../../artefacts/baselines.js';
import { readGrouping as readGroupingFile, type GroupingArtefact } from '../../artefacts/grouping.js';
import { readProxies as readProxiesFile, type ProxiesArtefact } from '../../artefacts/proxies.js';
import { readTaxonomy as readTaxonomyFile } from '../../artefacts/taxonomy.js';
import {
  GROUPING_FIELDS,
  type AuxiliaryRanking,
  type Baselines,
  type GroupingReport,
  type ProxiesReport,
  type Taxonomy,
} from './input.js';

/** grouping.json: the analyses around the curve (its provenance and settings are not drawn). */
const groupingFrom = (file: GroupingArtefact): GroupingReport =>
  Object.fromEntries(
    GROUPING_FIELDS.filter((key) => file[key] !== undefined).map((key) => [key, file[key]]),
  ) as GroupingReport;

/**
 * proxies.json as `tra proxies` writes it, in the report's shape: the agreement of each proxy compared with a sweep
 * (task indices turned into names), and the sweep's own grouping numbers. Proxies without an agreement are left out.
 */
function proxiesFrom({ taskNames, proxies, truth }: ProxiesArtefact): ProxiesReport {
  const names = (groups: number[][]): string[][] => groups.map((g) => g.map((t) => taskNames[t]));
  const agreements = proxies.flatMap(({ proxy, agreement, grouping }) =>
    agreement
      ? [
          {
            proxy,
            spearman: agreement.spearman,
            points: agreement.points.map((q) => ({ ...q, target: taskNames[q.target], source: taskNames[q.source] })),
            ...(grouping
              ? {
                  grouping: {
                    meanAri: grouping.meanAri,
                    meanRegret: grouping.meanRegret,
                    ...(grouping.points
                      ? {
                          points: grouping.points.map((q) => ({
                            budget: q.budget,
                            groups: q.groups && names(q.groups),
                            ari: q.ari,
                            versusSelection: q.versusSelection,
                          })),
                        }
                      : {}),
                  },
                }
              : {}),
          },
        ]
      : [],
  );
  const sweep = truth?.grouping;
  if (!sweep) return { proxies: agreements };
  const { budgets, sweepMatrix, halfVsHalfAri } = sweep;
  return {
    proxies: agreements,
    truth: {
      grouping: {
        budgets,
        ...(sweepMatrix ? { sweepMatrix: { meanAri: sweepMatrix.meanAri, meanRegret: sweepMatrix.meanRegret } } : {}),
        halfVsHalfAri,
      },
    },
  };
}

/** baselines.json as `tra baselines` writes it ({taskNames, metrics, columns: [{name, perTask, total}]}), one row per task. */
const baselinesFrom = ({ taskNames, metrics = [], columns }: BaselinesArtefact): Baselines => ({
  columns: columns.map((c) => c.name),
  rows: taskNames.map((task, t) => ({
    task,
    values: columns.map((c) => c.perTask[t]),
    ...(metrics[t] === undefined ? {} : { metric: metrics[t] }),
  })),
  total: columns.map((c) => c.total ?? null),
});

export const readGrouping = (path: string): GroupingReport => groupingFrom(readGroupingFile(path));
export const readAuxiliary = (path: string): AuxiliaryRanking => readAuxiliaryFile(path);
export const readTaxonomy = (path: string): Taxonomy => readTaxonomyFile(path);
export const readBaselines = (path: string): Baselines => baselinesFrom(readBaselinesFile(path));

/** proxies.json; undefined when it holds no agreement (run without a sweep to compare with): nothing to draw. */
export function readProxies(path: string): ProxiesReport | undefined {
  const read = proxiesFrom(readProxiesFile(path));
  return read.proxies.length > 0 ? read : undefined;
}
