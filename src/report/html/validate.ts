import { InputError } from '../../data/errors.js';
import type { AffinityFile, AuxiliaryRanking, Baselines, BudgetPoint, ProxyAgreement, ReportInput, Taxonomy } from './input.js';

/** Checks the shapes the report draws from; a mismatch is an InputError naming the place (`origin`, then the path). */
export function checkReportInput(input: ReportInput, origin = 'report input'): ReportInput {
  if (!isObject(input)) throw new InputError(`${origin}: expected an object with an 'affinity' field`);
  checkAffinity(input.affinity, `${origin} affinity`);
  if (input.title !== undefined) text(input.title, `${origin} title`);
  if (input.grouping !== undefined) checkGrouping(input.grouping, `${origin} grouping`);
  if (input.auxiliary !== undefined) checkAuxiliary(input.auxiliary, `${origin} auxiliary`);
  if (input.taxonomy !== undefined) checkTaxonomy(input.taxonomy, `${origin} taxonomy`);
  if (input.proxies !== undefined) checkProxies(input.proxies, `${origin} proxies`);
  if (input.baselines !== undefined) checkBaselines(input.baselines, `${origin} baselines`);
  return input;
}

export function checkAffinity(value: unknown, where: string): asserts value is AffinityFile {
  if (!isObject(value)) throw new InputError(`${where}: expected the object written to affinity.json`);
  const names = value.taskNames;
  if (!Array.isArray(names) || names.length === 0) throw new InputError(`${where}: 'taskNames' must be a non-empty list of task names`);
  names.forEach((n, k) => text(n, `${where} taskNames[${k}]`));
  const T = names.length;
  for (const key of ['mean', 'low', 'high'] as const) matrix(value[key], T, `${where} ${key}`);
  if (value.groupScore !== undefined) matrix(value.groupScore, T, `${where} groupScore`);
  if (value.level !== undefined) number(value.level, `${where} level`);
  if (value.replications !== undefined && !(Array.isArray(value.replications) && value.replications.every((r) => typeof r === 'string')))
    throw new InputError(`${where}: 'replications' must be a list of replication keys`);
}

function checkGrouping(value: unknown, where: string): asserts value is BudgetPoint[] {
  list(value, where).forEach((p, k) => {
    const at = `${where}[${k}]`;
    object(p, at);
    number(p.budget, `${at}.budget`);
    number(p.predictedLoss, `${at}.predictedLoss`);
    text(p.method, `${at}.method`);
    list(p.groups, `${at}.groups`).forEach((g, m) => list(g, `${at}.groups[${m}]`).forEach((t, n) => text(t, `${at}.groups[${m}][${n}]`)));
    if (p.actualLoss !== undefined) {
      object(p.actualLoss, `${at}.actualLoss`);
      for (const key of ['mean', 'low', 'high']) number(p.actualLoss[key], `${at}.actualLoss.${key}`);
    }
  });
}

const VERDICTS = ['helps', 'hurts', 'no significant help'];

function checkAuxiliary(value: unknown, where: string): asserts value is AuxiliaryRanking {
  object(value, where);
  text(value.main, `${where}.main`);
  list(value.ranking, `${where}.ranking`).forEach((r, k) => {
    const at = `${where}.ranking[${k}]`;
    object(r, at);
    text(r.task, `${at}.task`);
    for (const key of ['mean', 'low', 'high']) number(r[key], `${at}.${key}`);
    if (!VERDICTS.includes(r.verdict as string)) throw new InputError(`${at}.verdict: expected one of ${VERDICTS.map((v) => `'${v}'`).join(', ')}`);
  });
}

function checkTaxonomy(value: unknown, where: string): asserts value is Taxonomy {
  object(value, where);
  list(value.nodes, `${where}.nodes`).forEach((n, k) => {
    object(n, `${where}.nodes[${k}]`);
    text(n.name, `${where}.nodes[${k}].name`);
    if (typeof n.source !== 'boolean') throw new InputError(`${where}.nodes[${k}].source: expected true or false`);
  });
  list(value.edges, `${where}.edges`).forEach((e, k) => {
    const at = `${where}.edges[${k}]`;
    object(e, at);
    text(e.source, `${at}.source`);
    text(e.target, `${at}.target`);
    number(e.score, `${at}.score`);
  });
}

function checkProxies(value: unknown, where: string): asserts value is ProxyAgreement[] {
  list(value, where).forEach((p, k) => {
    const at = `${where}[${k}]`;
    object(p, at);
    text(p.proxy, `${at}.proxy`);
    if (p.spearman !== null) number(p.spearman, `${at}.spearman`);
    list(p.points, `${at}.points`).forEach((q, m) => {
      object(q, `${at}.points[${m}]`);
      text(q.source, `${at}.points[${m}].source`);
      text(q.target, `${at}.points[${m}].target`);
      number(q.truth, `${at}.points[${m}].truth`);
      number(q.estimate, `${at}.points[${m}].estimate`);
    });
  });
}

function checkBaselines(value: unknown, where: string): asserts value is Baselines {
  object(value, where);
  const columns = list(value.columns, `${where}.columns`);
  columns.forEach((c, k) => text(c, `${where}.columns[${k}]`));
  list(value.rows, `${where}.rows`).forEach((r, k) => {
    const at = `${where}.rows[${k}]`;
    object(r, at);
    text(r.task, `${at}.task`);
    const values = list(r.values, `${at}.values`);
    if (values.length !== columns.length) throw new InputError(`${at}.values: ${values.length} values for ${columns.length} columns`);
    values.forEach((v, m) => v === null || number(v, `${at}.values[${m}]`));
  });
  if (value.total !== undefined) {
    const total = list(value.total, `${where}.total`);
    if (total.length !== columns.length) throw new InputError(`${where}.total: ${total.length} values for ${columns.length} columns`);
    total.forEach((v, m) => v === null || number(v, `${where}.total[${m}]`));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(v: unknown, where: string): asserts v is Record<string, unknown> {
  if (!isObject(v)) throw new InputError(`${where}: expected an object`);
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new InputError(`${where}: expected a list`);
  return v;
}

function text(v: unknown, where: string): asserts v is string {
  if (typeof v !== 'string') throw new InputError(`${where}: expected a string`);
}

function number(v: unknown, where: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${where}: expected a finite number`);
}

function matrix(v: unknown, T: number, where: string): void {
  const rows = list(v, where);
  if (rows.length !== T || rows.some((r) => !Array.isArray(r) || r.length !== T)) throw new InputError(`${where}: expected a ${T}x${T} matrix (one row and column per task)`);
  rows.forEach((r, i) =>
    (r as unknown[]).forEach((x, j) => {
      if (x !== null && typeof x !== 'number') throw new InputError(`${where}[${i}][${j}]: expected a number or null`);
    }),
  );
}
