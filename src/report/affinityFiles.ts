import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvFormat } from 'd3';
import type { AffinityEstimate } from '../affinity/estimate.js';
import { affinityGraph } from '../affinity/graph.js';
import type { Provenance } from './provenance.js';
import { writeJson } from './json.js';
import type { DatasetSummary } from '../data/describe.js';
import type { CellInference } from '../affinity/inference.js';

export interface AffinityFiles {
  json: string;
  csv: string;
  graph: string;
}

/** Writes the affinity matrix as JSON (everything), CSV (one row per ordered pair) and a graphology graph. */
export function writeAffinityFiles(
  dir: string,
  estimate: AffinityEstimate,
  provenance: Provenance,
  data?: DatasetSummary,
  sections: { inference?: CellInference; [name: string]: unknown } = {},
): AffinityFiles {
  mkdirSync(dir, { recursive: true });
  const files = { json: join(dir, 'affinity.json'), csv: join(dir, 'affinity.csv'), graph: join(dir, 'affinity-graph.json') };
  writeJson(files.json, { provenance, data, ...estimate, ...sections });
  const rows = estimate.taskNames.flatMap((target, i) =>
    estimate.taskNames.flatMap((source, j) =>
      i === j
        ? []
        : [
            {
              target,
              source,
              gain: estimate.mean[i][j],
              ci_low: estimate.low[i][j],
              ci_high: estimate.high[i][j],
              group_score: estimate.groupScore[i][j],
              replications: estimate.replications.length,
              ...(sections.inference ? { p_value: sections.inference.pValue[i][j], verdict: sections.inference.verdict[i][j] } : {}),
            },
          ],
    ),
  );
  writeFileSync(files.csv, csvFormat(rows) + '\n');
  writeJson(files.graph, { provenance, graph: affinityGraph(estimate).export() });
  return files;
}
