/**
 * Readers of the report folder's section files: each parses its file, turns the shapes the commands write into the
 * report's (html/input.ts) and checks the result, so an error names the file to fix.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../data/errors.js';
import type { AuxiliaryRanking, Baselines, BudgetPoint, GroupingReport, JsonNumber, ProxiesReport, ProxyAgreement, Taxonomy } from './input.js';
import { checkAuxiliary, checkBaselines, checkGrouping, checkProxies, checkTaxonomy } from './validate.js';

export function readJson(path: string): unknown {
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

/** A section file read, adapted and checked; messages read `<path> <key>.<field>: ...`. */
function readSection<T>(path: string, key: string, adapt: (raw: unknown) => T, check: (value: unknown, where: string) => void): T {
  const value = adapt(readJson(path));
  check(value, `${path} ${key}`);
  return value;
}

export const readGrouping = (path: string): GroupingReport | BudgetPoint[] => readSection(path, 'grouping', groupingFrom, checkGrouping);
export const readAuxiliary = (path: string): AuxiliaryRanking => readSection(path, 'auxiliary', (raw) => raw as AuxiliaryRanking, checkAuxiliary);
export const readTaxonomy = (path: string): Taxonomy => readSection(path, 'taxonomy', taxonomyFrom, checkTaxonomy);
export const readBaselines = (path: string): Baselines => readSection(path, 'baselines', baselinesFrom, checkBaselines);

/** proxies.json; undefined when it holds no agreement (run without a sweep to compare with): nothing to draw. */
export function readProxies(path: string): ProxiesReport | ProxyAgreement[] | undefined {
  const read = readSection(path, 'proxies', proxiesFrom, checkProxies);
  return (Array.isArray(read) ? read : read.proxies).length > 0 ? read : undefined;
}
