/**
 * Label collisions in a page or figure open in Chromium (playwright): draw/overlaps.ts, bundled as the global
 * `traOverlaps`, evaluated in the page (page.evaluate is not subject to the page's CSP). Used by the report tests and
 * by `tra paper` on every figure it writes.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { LabelOutside, LabelOverlap } from './draw/overlaps.js';

export type { LabelOutside, LabelOverlap };

let checker: string | undefined;

/** The bundled checker (scripts/report/bundle.mjs). */
function overlapsScript(): string {
  checker ??= readFileSync(new URL('./draw/overlaps.bundle.js', import.meta.url), 'utf8');
  return checker;
}

export interface LabelProblems {
  /** Pairs of labels of one figure that overlap. */
  overlaps: LabelOverlap[];
  /** Labels that reach beyond their figure. */
  outside: LabelOutside[];
}

/** The label problems of the figures under `selector` (the whole page by default). */
export async function labelProblems(page: Page, selector = 'body'): Promise<LabelProblems> {
  const call = `(() => { const root = document.querySelector(${JSON.stringify(selector)}); return root ? { overlaps: traOverlaps.labelOverlaps(root), outside: traOverlaps.labelsOutside(root) } : { overlaps: [], outside: [] }; })()`;
  return (await page.evaluate(`${overlapsScript()}\n${call}`)) as LabelProblems;
}

/** One line per problem, for an assertion message or a warning. */
export function describeLabelProblems({ overlaps, outside }: LabelProblems): string[] {
  return [
    ...overlaps.map((o) => `${o.figure}: "${o.a}" overlaps "${o.b}" by ${o.depth} px`),
    ...outside.map((o) => `${o.figure}: "${o.text}" reaches ${o.by} px beyond the figure`),
  ];
}
