import type { z } from 'zod';
import { costedLabel } from '../grouping/costedSelection.js';
import { provenanceSchema } from './affinity.js';
import {
  artefactObject,
  count,
  filesIn,
  finite,
  flag,
  jsonNumber,
  list,
  object,
  readArtefact,
  text,
  writeCsv,
  writeJson,
} from './files.js';

/** A network with its price (Standley et al.'s half-size networks cost 1/2) and the losses it was chosen on. */
const costedNetworkSchema = object({ group: list(count), loss: list(jsonNumber), cost: finite, approximated: flag });

/** The selection within one budget (src/grouping/costedSelection.ts CostedPoint), scored on the test table. */
const costedPointSchema = object({
  budget: finite,
  method: text,
  status: text,
  networks: list(costedNetworkSchema),
  cost: finite,
  selectedTotal: jsonNumber,
  /** Standley's score (main.cpp): each task's lowest test loss among the chosen networks. */
  testTotal: jsonNumber,
  /** Each task's test loss in the network that served it on the selection losses (the toolkit's own rule). */
  servedTestTotal: jsonNumber,
});

/**
 * standley.json, written by `tra import --format standley`: Standley et al.'s three selections of imported results —
 * on validation losses (optimal), on early-stopped ones, on the pairwise approximation — each at every budget.
 */
export const standleySchema = artefactObject({
  provenance: provenanceSchema.optional(),
  taskNames: list(text),
  /** Which table each selection chose on; all are scored on the test table. */
  selectedOn: object({ optimal: text, earlyStopping: text.optional(), approximation: text }),
  optimal: list(costedPointSchema),
  earlyStopping: list(costedPointSchema).optional(),
  approximation: list(costedPointSchema),
  /** How the selections are scored (testTotal, servedTestTotal). */
  scoring: text.optional(),
});

export type StandleyArtefact = z.infer<typeof standleySchema>;
export type CostedPointJson = z.infer<typeof costedPointSchema>;

export const STANDLEY_FILES = { json: 'standley.json', csv: 'standley.csv' };

/** standley.json (everything) and standley.csv (one row per selection and budget; ~ marks a network approximated from pairs). */
export function writeStandley(dir: string, data: StandleyArtefact): string[] {
  const files = filesIn(dir, STANDLEY_FILES);
  writeJson(files.json, data);
  const name = (p: CostedPointJson): string => p.networks.map((n) => costedLabel(n, data.taskNames)).join(' | ');
  const rows = (['optimal', 'earlyStopping', 'approximation'] as const).flatMap((kind) =>
    (data[kind] ?? []).map((p) => ({
      selection: kind,
      budget: p.budget,
      status: p.status,
      selected_total: p.selectedTotal,
      test_total: p.testTotal,
      served_test_total: p.servedTestTotal,
      networks: name(p),
    })),
  );
  writeCsv(files.csv, rows);
  return [files.json, files.csv];
}

/** A checked standley.json: an InputError names the file and the field of the first problem. */
export const readStandley = (path: string): StandleyArtefact => readArtefact(standleySchema, path, 'standley');
