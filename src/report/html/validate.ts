/**
 * The checks of what the report draws from, one per section input; a mismatch is an InputError naming the place.
 * The files' shapes are checked by their zod schemas (src/artefacts); proxies and baselines are drawn in a shape of
 * the report's own, whose schemas are in input.ts.
 */
import type { z } from 'zod';
import { affinitySchema } from '../../artefacts/affinity.js';
import { auxiliarySchema } from '../../artefacts/auxiliary.js';
import { checkShape, list as listOf } from '../../artefacts/files.js';
import { groupingSchema } from '../../artefacts/grouping.js';
import { taxonomySchema } from '../../artefacts/taxonomy.js';
import { InputError } from '../../data/errors.js';
import {
  baselinesReportSchema,
  proxiesReportSchema,
  proxyAgreementSchema,
  type AffinityFile,
  type AuxiliaryRanking,
  type Baselines,
  type GroupingReport,
  type ProxiesReport,
  type ProxyAgreement,
  type Taxonomy,
} from './input.js';

const check = (schema: z.ZodType, value: unknown, where: string): void => void checkShape(schema, value, where);

export function checkAffinity(value: unknown, where: string): asserts value is AffinityFile {
  check(affinitySchema, value, where);
}

/** grouping.json: the object `tra group` writes. */
export function checkGrouping(value: unknown, where: string): asserts value is GroupingReport {
  check(groupingSchema, value, where);
}

export function checkAuxiliary(value: unknown, where: string): asserts value is AuxiliaryRanking {
  check(auxiliarySchema, value, where);
}

export function checkTaxonomy(value: unknown, where: string): asserts value is Taxonomy {
  check(taxonomySchema, value, where);
}

/** proxies: a list of agreements, or {proxies, truth: {grouping}} with the sweep's own grouping numbers. */
export function checkProxies(value: unknown, where: string): asserts value is ProxiesReport | ProxyAgreement[] {
  check(Array.isArray(value) ? listOf(proxyAgreementSchema) : proxiesReportSchema, value, where);
}

export function checkBaselines(value: unknown, where: string): asserts value is Baselines {
  check(baselinesReportSchema, value, where);
}

// Checks of single fields, for the sections drawn from affinity.json (views/sweepChecks.ts) and the title.
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
  if (v !== null && (typeof v !== 'number' || !Number.isFinite(v)))
    throw new InputError(`${where}: expected a finite number or null`);
}

/** {mean, low, high[, n]} with null for bounds that are undefined (e.g. from one replication). */
export function interval(v: unknown, where: string): void {
  object(v, where);
  for (const key of ['mean', 'low', 'high']) numberOrNull(v[key], `${where}.${key}`);
  if (v.n !== undefined) number(v.n, `${where}.n`);
}
