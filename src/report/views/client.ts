import * as common from './common.js';
import { SECTIONS } from './registry.js';
import type { ClientFunction, Section } from './section.js';

/** The helpers every page has: every function common.ts exports. */
const COMMON_FUNCTIONS = Object.values(common as Record<string, unknown>).filter(
  (v): v is ClientFunction => typeof v === 'function',
);

/** What a section's view needs in the page: common.ts's helpers, its own helpers and its draw function. */
export function sectionFunctions(section: Section): ClientFunction[] {
  return [...COMMON_FUNCTIONS, ...section.helpers, section.draw];
}

/** Every function the page needs, each once, inlined by source text (so each must be self-contained; see common.ts). */
export function clientFunctions(): ClientFunction[] {
  return [...new Set((SECTIONS as readonly Section[]).flatMap(sectionFunctions))];
}

/**
 * The page's script: reads the embedded JSON (`#report-data`) and draws each present view with d3. A view that fails
 * logs the error and says so in its place; the others are still drawn.
 */
export function clientScript(dataElementId: string): string {
  const functions = clientFunctions()
    .map((f) => f.toString())
    .join('\n');
  const table = (SECTIONS as readonly Section[]).map((s) => `[${JSON.stringify(s.key)}, ${s.draw.name}]`).join(', ');
  return `(function () {
'use strict';
${functions}
const data = JSON.parse(document.getElementById(${JSON.stringify(dataElementId)}).textContent);
for (const [key, draw] of [${table}]) {
  const place = document.getElementById('view-' + key);
  if (!data[key] || !place) continue;
  try {
    draw(place, data[key]);
    place.setAttribute('data-drawn', 'true');
  } catch (error) {
    console.error('report view ' + key + ' failed:', error);
    const note = document.createElement('p');
    note.className = 'view-error';
    note.textContent = 'This view could not be drawn: ' + (error && error.message ? error.message : String(error));
    place.appendChild(note);
  }
}
})();
`;
}
