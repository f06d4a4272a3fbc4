/** The checks of what the report draws from, one per section input; a mismatch is an InputError naming the place. */
import { InputError } from '../../data/errors.js';
import type { AffinityFile, AuxiliaryRanking, Baselines, BudgetPoint, GroupingReport, ProxiesReport, ProxyAgreement, Taxonomy } from './input.js';

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

/** grouping.json: the object `tra group` writes, or a bare list of curve points (older files). */
export function checkGrouping(value: unknown, where: string): asserts value is GroupingReport | BudgetPoint[] {
  if (Array.isArray(value)) return checkCurve(value, where);
  object(value, where);
  checkCurve(value.curve, `${where}.curve`);
  if (value.level !== undefined) number(value.level, `${where}.level`);
  if (value.chosenBudget !== undefined) {
    object(value.chosenBudget, `${where}.chosenBudget`);
    number(value.chosenBudget.budget, `${where}.chosenBudget.budget`);
    text(value.chosenBudget.reason, `${where}.chosenBudget.reason`);
  }
  if (value.infeasibleBudgets !== undefined)
    list(value.infeasibleBudgets, `${where}.infeasibleBudgets`).forEach((b, k) => {
      object(b, `${where}.infeasibleBudgets[${k}]`);
      number(b.budget, `${where}.infeasibleBudgets[${k}].budget`);
    });
  if (value.clustering !== undefined)
    list(value.clustering, `${where}.clustering`).forEach((c, k) => {
      const at = `${where}.clustering[${k}]`;
      object(c, at);
      text(c.method, `${at}.method`);
      number(c.budget, `${at}.budget`);
      groups(c.groups, `${at}.groups`);
      if (c.predicted !== undefined) interval(c.predicted, `${at}.predicted`);
      if (c.versusSelection !== undefined && c.versusSelection !== null) interval(c.versusSelection, `${at}.versusSelection`);
      if (c.ari !== undefined) numberOrNull(c.ari, `${at}.ari`);
    });
  if (value.earlyStopping !== undefined && value.earlyStopping !== null)
    list(value.earlyStopping, `${where}.earlyStopping`).forEach((e, k) => {
      const at = `${where}.earlyStopping[${k}]`;
      object(e, at);
      number(e.epochs, `${at}.epochs`);
      numberOrNull(e.spearman, `${at}.spearman`);
      for (const key of ['costShare', 'kendall', 'ari']) if (e[key] !== undefined) numberOrNull(e[key], `${at}.${key}`);
      if (e.groups !== undefined) groups(e.groups, `${at}.groups`);
      if (e.regret !== undefined) interval(e.regret, `${at}.regret`);
    });
  if (value.stability !== undefined) {
    const at = `${where}.stability`;
    object(value.stability, at);
    number(value.stability.draws, `${at}.draws`);
    numberOrNull(value.stability.sameGrouping, `${at}.sameGrouping`);
    numberOrNull(value.stability.meanAri, `${at}.meanAri`);
  }
  if (value.pairwiseApproximation !== undefined) {
    const at = `${where}.pairwiseApproximation`;
    object(value.pairwiseApproximation, at);
    numberOrNull(value.pairwiseApproximation.meanAbsError, `${at}.meanAbsError`);
    numberOrNull(value.pairwiseApproximation.meanRelError, `${at}.meanRelError`);
    list(value.pairwiseApproximation.groups, `${at}.groups`).forEach((g, k) => {
      object(g, `${at}.groups[${k}]`);
      list(g.group, `${at}.groups[${k}].group`).forEach((t, m) => text(t, `${at}.groups[${k}].group[${m}]`));
    });
  }
  if (value.closedLoop !== undefined) {
    const at = `${where}.closedLoop`;
    object(value.closedLoop, at);
    list(value.closedLoop.seeds, `${at}.seeds`).forEach((s, k) => number(s, `${at}.seeds[${k}]`));
    numberOrNull(value.closedLoop.predicted, `${at}.predicted`);
    const verdict: unknown = value.closedLoop.verdict;
    if (verdict !== undefined) {
      object(verdict, `${at}.verdict`);
      text(verdict.text, `${at}.verdict.text`);
    }
    interval(value.closedLoop.actual, `${at}.actual`);
    list(value.closedLoop.baselines, `${at}.baselines`).forEach((b, k) => {
      object(b, `${at}.baselines[${k}]`);
      text(b.name, `${at}.baselines[${k}].name`);
      if (b.predicted !== undefined) numberOrNull(b.predicted, `${at}.baselines[${k}].predicted`);
      interval(b.actual, `${at}.baselines[${k}].actual`);
      interval(b.selectedMinusBaseline, `${at}.baselines[${k}].selectedMinusBaseline`);
    });
  }
}

function checkCurve(value: unknown, where: string): void {
  list(value, where).forEach((p, k) => {
    const at = `${where}[${k}]`;
    object(p, at);
    number(p.budget, `${at}.budget`);
    number(p.predictedLoss, `${at}.predictedLoss`);
    text(p.method, `${at}.method`);
    groups(p.groups, `${at}.groups`);
    if (p.predictedInterval !== undefined) interval(p.predictedInterval, `${at}.predictedInterval`);
    if (p.status !== undefined) text(p.status, `${at}.status`);
    if (p.solveSeconds !== undefined) number(p.solveSeconds, `${at}.solveSeconds`);
    if (p.actualLoss !== undefined) {
      object(p.actualLoss, `${at}.actualLoss`);
      for (const key of ['mean', 'low', 'high']) number(p.actualLoss[key], `${at}.actualLoss.${key}`);
    }
  });
}

/** 'no significant help': auxiliary.json files written before the verdicts were FDR-controlled. */
const VERDICTS = ['helps', 'hurts', 'no evidence', 'no significant help'];

export function checkAuxiliary(value: unknown, where: string): asserts value is AuxiliaryRanking {
  object(value, where);
  text(value.main, `${where}.main`);
  list(value.ranking, `${where}.ranking`).forEach((r, k) => {
    const at = `${where}.ranking[${k}]`;
    object(r, at);
    text(r.task, `${at}.task`);
    number(r.mean, `${at}.mean`);
    for (const key of ['low', 'high']) numberOrNull(r[key], `${at}.${key}`); // null: one seed, no interval
    if (!VERDICTS.includes(r.verdict as string)) throw new InputError(`${at}.verdict: expected one of ${VERDICTS.map((v) => `'${v}'`).join(', ')}`);
  });
  if (value.level !== undefined) number(value.level, `${where}.level`);
  if (value.top !== undefined && value.top !== null) {
    object(value.top, `${where}.top`);
    list(value.top.tasks, `${where}.top.tasks`).forEach((t, k) => text(t, `${where}.top.tasks[${k}]`));
    interval(value.top.gain, `${where}.top.gain`);
  }
  if (value.heuristics !== undefined)
    list(value.heuristics, `${where}.heuristics`).forEach((h, k) => {
      const at = `${where}.heuristics[${k}]`;
      object(h, at);
      text(h.label, `${at}.label`);
      number(h.expected, `${at}.expected`);
      for (const key of ['spearman', 'spearmanLow', 'spearmanHigh', 'kendall', 'pickRank']) numberOrNull(h[key], `${at}.${key}`);
    });
  if (value.closedLoop !== undefined && value.closedLoop !== null) {
    object(value.closedLoop, `${where}.closedLoop`);
    interval(value.closedLoop.gain, `${where}.closedLoop.gain`);
    interval(value.closedLoop.netGain, `${where}.closedLoop.netGain`);
  }
}

export function checkTaxonomy(value: unknown, where: string): asserts value is Taxonomy {
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

/** proxies: a list of agreements, or {proxies, truth: {grouping}} with the sweep's own grouping numbers. */
export function checkProxies(value: unknown, where: string): asserts value is ProxiesReport | ProxyAgreement[] {
  if (Array.isArray(value)) return checkAgreements(value, where);
  object(value, where);
  checkAgreements(value.proxies, `${where}.proxies`);
  if (value.truth === undefined) return;
  object(value.truth, `${where}.truth`);
  const grouping = value.truth.grouping;
  if (grouping === undefined) return;
  const at = `${where}.truth.grouping`;
  object(grouping, at);
  list(grouping.budgets, `${at}.budgets`).forEach((b, k) => number(b, `${at}.budgets[${k}]`));
  numberOrNull(grouping.halfVsHalfAri, `${at}.halfVsHalfAri`);
  if (grouping.sweepMatrix !== undefined) {
    object(grouping.sweepMatrix, `${at}.sweepMatrix`);
    numberOrNull(grouping.sweepMatrix.meanAri, `${at}.sweepMatrix.meanAri`);
    numberOrNull(grouping.sweepMatrix.meanRegret, `${at}.sweepMatrix.meanRegret`);
  }
}

function checkAgreements(value: unknown, where: string): void {
  list(value, where).forEach((p, k) => {
    const at = `${where}[${k}]`;
    object(p, at);
    text(p.proxy, `${at}.proxy`);
    if (p.spearman !== null) number(p.spearman, `${at}.spearman`);
    list(p.points, `${at}.points`).forEach((q, m) => {
      object(q, `${at}.points[${m}]`);
      text(q.source, `${at}.points[${m}].source`);
      text(q.target, `${at}.points[${m}].target`);
      // An undefined estimate (written as null) is left out of the scatter, not an error.
      numberOrNull(q.truth, `${at}.points[${m}].truth`);
      numberOrNull(q.estimate, `${at}.points[${m}].estimate`);
    });
    if (p.grouping !== undefined) {
      object(p.grouping, `${at}.grouping`);
      numberOrNull(p.grouping.meanAri, `${at}.grouping.meanAri`);
      numberOrNull(p.grouping.meanRegret, `${at}.grouping.meanRegret`);
      if (p.grouping.points !== undefined)
        list(p.grouping.points, `${at}.grouping.points`).forEach((q, m) => {
          const point = `${at}.grouping.points[${m}]`;
          object(q, point);
          number(q.budget, `${point}.budget`);
          if (q.groups !== undefined) groups(q.groups, `${point}.groups`);
          if (q.ari !== undefined) numberOrNull(q.ari, `${point}.ari`);
          if (q.versusSelection !== undefined && q.versusSelection !== null) interval(q.versusSelection, `${point}.versusSelection`);
        });
    }
  });
}

export function checkBaselines(value: unknown, where: string): asserts value is Baselines {
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

export function object(v: unknown, where: string): asserts v is Record<string, unknown> {
  if (!isObject(v)) throw new InputError(`${where}: expected an object`);
}

export function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new InputError(`${where}: expected a list`);
  return v;
}

export function text(v: unknown, where: string): asserts v is string {
  if (typeof v !== 'string') throw new InputError(`${where}: expected a string`);
}

export function number(v: unknown, where: string): asserts v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${where}: expected a finite number`);
}

function numberOrNull(v: unknown, where: string): void {
  if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) throw new InputError(`${where}: expected a finite number or null`);
}

/** {mean, low, high[, n]} with null for bounds that are undefined (e.g. from one replication). */
export function interval(v: unknown, where: string): void {
  object(v, where);
  for (const key of ['mean', 'low', 'high']) numberOrNull(v[key], `${where}.${key}`);
  if (v.n !== undefined) number(v.n, `${where}.n`);
}

/** A list of groups, each a list of task names. */
function groups(v: unknown, where: string): void {
  list(v, where).forEach((g, m) => list(g, `${where}[${m}]`).forEach((t, n) => text(t, `${where}[${m}][${n}]`)));
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
