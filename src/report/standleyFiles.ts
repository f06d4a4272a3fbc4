import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvFormat } from 'd3';
import { InputError } from '../data/errors.js';
import { costedLabel, type CostedPoint } from '../grouping/costedSelection.js';
import { writeJson } from './json.js';
import type { Provenance } from './provenance.js';

/** Standley et al.'s three selections of one setting: on validation losses, on early-stopped ones, on the pairwise approximation. */
export interface StandleySelections {
  provenance: Provenance;
  taskNames: string[];
  /** Which table each selection chose on; all are scored on the test table. */
  selectedOn: { optimal: string; earlyStopping?: string; approximation: string };
  optimal: CostedPoint[];
  earlyStopping?: CostedPoint[];
  approximation: CostedPoint[];
}

export const STANDLEY_FILES = { json: 'standley.json', csv: 'standley.csv' };

/** standley.json (everything) and standley.csv (one row per selection and budget; ~ marks a network approximated from pairs). */
export function writeStandleyFiles(dir: string, selections: StandleySelections): string[] {
  const json = join(dir, STANDLEY_FILES.json);
  const csv = join(dir, STANDLEY_FILES.csv);
  writeJson(json, {
    ...selections,
    scoring: "testTotal: each task's lowest test loss among the chosen networks (Standley et al.'s main.cpp); servedTestTotal: each task's test loss in the network chosen to serve it",
  });
  const name = (p: CostedPoint): string => p.networks.map((n) => costedLabel(n, selections.taskNames)).join(' | ');
  const rows = (['optimal', 'earlyStopping', 'approximation'] as const).flatMap((kind) =>
    (selections[kind] ?? []).map((p) => ({ selection: kind, budget: p.budget, status: p.status, selected_total: p.selectedTotal, test_total: p.testTotal, served_test_total: p.servedTestTotal, networks: name(p) })),
  );
  writeFileSync(csv, csvFormat(rows) + '\n');
  return [json, csv];
}

/** Reads standley.json back, checking the fields a consumer relies on. */
export function readStandleyFiles(dir: string): StandleySelections {
  const path = join(dir, STANDLEY_FILES.json);
  let value: StandleySelections;
  try {
    value = JSON.parse(readFileSync(path, 'utf8')) as StandleySelections;
  } catch (error) {
    throw new InputError(`cannot read ${path} (${error instanceof SyntaxError ? 'not JSON' : ((error as NodeJS.ErrnoException).code ?? String(error))})`);
  }
  const curves = [value.optimal, value.approximation, ...(value.earlyStopping ? [value.earlyStopping] : [])];
  if (!Array.isArray(value.taskNames) || !curves.every((c) => Array.isArray(c) && c.every((p) => typeof p.budget === 'number' && Array.isArray(p.networks))))
    throw new InputError(`${path}: not a Standley selection file (taskNames, optimal and approximation curves expected)`);
  return value;
}
