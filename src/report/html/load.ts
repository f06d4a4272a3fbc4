import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../data/errors.js';
import type { AuxiliaryRanking, Baselines, BudgetPoint, GroupingReport, JsonNumber, ProxiesReport, ProxyAgreement, ReportInput, Taxonomy } from './input.js';
import { writeReport } from './render.js';
import { checkAffinity, checkReportInput } from './validate.js';

/** The optional files of a report folder, next to affinity.json. */
export const SECTION_FILES = {
  grouping: 'grouping.json',
  auxiliary: 'auxiliary.json',
  taxonomy: 'taxonomy.json',
  proxies: 'proxies.json',
  baselines: 'baselines.json',
} as const;

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields of grouping.json the report draws (see GroupingReport); the rest (provenance, settings) is left out. */
const GROUPING_FIELDS = ['curve', 'level', 'replications', 'chosenBudget', 'infeasibleBudgets', 'clustering', 'earlyStopping', 'stability', 'pairwiseApproximation', 'closedLoop'] as const;

/** grouping.json: what `tra group` writes (an object with `curve` and the analyses around it), or a bare list of curve points. */
function groupingFrom(raw: unknown): GroupingReport | BudgetPoint[] {
  if (!isObject(raw)) return raw as BudgetPoint[];
  return Object.fromEntries(GROUPING_FIELDS.filter((key) => raw[key] !== undefined).map((key) => [key, raw[key]])) as unknown as GroupingReport;
}

/**
 * proxies.json: the report shape (a list of {proxy, points, spearman}), or what `tra proxies --truth` writes
 * ({taskNames, proxies: [{proxy, agreement: {spearman, points: [{source, target} as task indices, ...]}, grouping}],
 * truth: {grouping}}), task indices turned into names. Proxies without an agreement (no sweep to compare with) are left out.
 */
function proxiesFrom(raw: unknown): ProxiesReport | ProxyAgreement[] {
  if (!isObject(raw) || !Array.isArray(raw.proxies)) return raw as ProxyAgreement[];
  const names = Array.isArray(raw.taskNames) ? (raw.taskNames as unknown[]) : [];
  const name = (v: unknown): unknown => (typeof v === 'number' && typeof names[v] === 'string' ? names[v] : v);
  const groupNames = (groups: unknown): unknown => (Array.isArray(groups) ? groups.map((g) => (Array.isArray(g) ? g.map(name) : g)) : groups);
  const grouping = (g: unknown): unknown => {
    if (!isObject(g)) return g;
    const points = Array.isArray(g.points)
      ? g.points.map((q: unknown) => (isObject(q) ? { budget: q.budget, groups: groupNames(q.groups), ari: q.ari, versusSelection: q.versusSelection } : q))
      : g.points;
    return { meanAri: g.meanAri, meanRegret: g.meanRegret, ...(points === undefined ? {} : { points }) };
  };
  const proxies = (raw.proxies as unknown[]).flatMap((p) => {
    if (!isObject(p) || !isObject(p.agreement)) return [];
    const points = Array.isArray(p.agreement.points) ? p.agreement.points : [];
    return [
      {
        proxy: (p.proxy ?? p.agreement.proxy) as string,
        spearman: p.agreement.spearman as number,
        points: points.map((q: unknown) => (isObject(q) ? { ...q, source: name(q.source), target: name(q.target) } : q)) as ProxyAgreement['points'],
        ...(p.grouping === undefined || p.grouping === null ? {} : { grouping: grouping(p.grouping) as ProxyAgreement['grouping'] }),
      },
    ];
  });
  const truth = isObject(raw.truth) && isObject(raw.truth.grouping) ? raw.truth.grouping : undefined;
  if (!truth) return { proxies };
  const sweep = isObject(truth.sweepMatrix) ? { meanAri: truth.sweepMatrix.meanAri, meanRegret: truth.sweepMatrix.meanRegret } : undefined;
  return { proxies, truth: { grouping: { budgets: truth.budgets, ...(sweep ? { sweepMatrix: sweep } : {}), halfVsHalfAri: truth.halfVsHalfAri } as NonNullable<ProxiesReport['truth']>['grouping'] } };
}

/**
 * baselines.json: the report shape ({columns, rows}), or what `tra baselines` writes
 * ({taskNames, metrics, columns: [{name, perTask, total}]}).
 */
function baselinesFrom(raw: unknown): Baselines {
  if (!isObject(raw) || !Array.isArray(raw.taskNames) || !Array.isArray(raw.columns) || !raw.columns.every(isObject)) return raw as unknown as Baselines;
  const columns = raw.columns as { name: string; perTask: JsonNumber[]; total?: JsonNumber }[];
  const metrics = Array.isArray(raw.metrics) ? (raw.metrics as string[]) : [];
  return {
    columns: columns.map((c) => c.name),
    rows: (raw.taskNames as string[]).map((task, t) => ({
      task,
      values: columns.map((c) => (Array.isArray(c.perTask) ? (c.perTask[t] ?? null) : null)),
      ...(typeof metrics[t] === 'string' ? { metric: metrics[t] } : {}),
    })),
    total: columns.map((c) => (typeof c.total === 'number' ? c.total : null)),
  };
}

/**
 * taxonomy.json: the report shape ({nodes: [{name, source}], edges: [{source, target, score}]}), or a graphology
 * export ({nodes: [{key, attributes: {source}}], edges: [{source, target, attributes: {score | gain}}]}).
 */
function taxonomyFrom(raw: unknown): Taxonomy {
  if (!isObject(raw)) return raw as Taxonomy;
  const graph = isObject(raw.graph) ? raw.graph : raw;
  if (!Array.isArray(graph.nodes) || !graph.nodes.some((n) => isObject(n) && 'key' in n)) return graph as unknown as Taxonomy;
  const attrs = (x: Record<string, unknown>): Record<string, unknown> => (isObject(x.attributes) ? x.attributes : {});
  return {
    nodes: (graph.nodes as Record<string, unknown>[]).map((n) => ({ name: String(n.key), source: attrs(n).source === true })),
    edges: (Array.isArray(graph.edges) ? (graph.edges as Record<string, unknown>[]) : []).map((edge) => ({
      source: String(edge.source),
      target: String(edge.target),
      score: (attrs(edge).score ?? attrs(edge).gain ?? attrs(edge).weight) as number,
    })),
  };
}

/** Reads `<dir>/affinity.json` and whichever optional section files exist; a missing or malformed file is an InputError. */
export function readReportInput(dir: string): ReportInput {
  const affinityPath = join(dir, 'affinity.json');
  if (!existsSync(affinityPath)) throw new InputError(`${affinityPath} not found: run a pairwise sweep into ${dir} first (tra run / tra sweep --out ${dir})`);
  const affinity = readJson(affinityPath);
  checkAffinity(affinity, affinityPath);
  const input: ReportInput = { affinity };
  const optional = (key: keyof typeof SECTION_FILES): unknown => {
    const path = join(dir, SECTION_FILES[key]);
    return existsSync(path) ? readJson(path) : undefined;
  };
  const grouping = optional('grouping');
  if (grouping !== undefined) input.grouping = groupingFrom(grouping);
  const auxiliary = optional('auxiliary');
  if (auxiliary !== undefined) input.auxiliary = auxiliary as AuxiliaryRanking;
  const taxonomy = optional('taxonomy');
  if (taxonomy !== undefined) input.taxonomy = taxonomyFrom(taxonomy);
  const proxies = optional('proxies');
  if (proxies !== undefined) {
    const read = proxiesFrom(proxies);
    // A proxies.json without any agreement (run without a sweep) has nothing to draw; a malformed one goes to the check.
    const agreements: unknown = Array.isArray(read) ? read : isObject(read) ? read.proxies : undefined;
    if (!Array.isArray(agreements) || agreements.length > 0) input.proxies = read;
  }
  const baselines = optional('baselines');
  if (baselines !== undefined) input.baselines = baselinesFrom(baselines);
  // Each section is checked against its own file name, so the message points at the file to fix.
  for (const key of Object.keys(SECTION_FILES) as (keyof typeof SECTION_FILES)[])
    if (input[key] !== undefined) checkReportInput({ affinity, [key]: input[key] }, join(dir, SECTION_FILES[key]));
  return input;
}

/** `tra report <dir>`: reads the folder's JSON files and writes `<dir>/index.html`; returns its path. */
export function writeReportForDir(dir: string): string {
  return writeReport(dir, readReportInput(dir));
}

/** After a command adds a section file: redraw the folder's report if it has one (a report needs affinity.json). */
export function refreshReport(dir: string): string | undefined {
  return existsSync(join(dir, 'affinity.json')) ? writeReportForDir(dir) : undefined;
}
