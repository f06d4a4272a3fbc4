/**
 * The page script (bundled from draw/entry.ts with d3 by scripts/report/bundle.mjs into one inline script): reads the
 * embedded JSON and draws each section that has data. A view that fails logs the error and says so in its place; the others
 * are still drawn.
 */
import { DATA_ELEMENT_ID } from './dataElement.js';
import { DRAW } from './index.js';

export function drawPage(doc: Document): void {
  const element = doc.getElementById(DATA_ELEMENT_ID);
  if (!element) return;
  const data = JSON.parse(element.textContent ?? '{}') as Record<string, unknown>;
  for (const [key, draw] of Object.entries(DRAW) as [string, (place: HTMLElement, value: unknown) => void][]) {
    const place = doc.getElementById(`view-${key}`);
    if (!data[key] || !place) continue;
    try {
      draw(place, data[key]);
      place.setAttribute('data-drawn', 'true');
    } catch (error) {
      console.error(`report view ${key} failed:`, error);
      const note = doc.createElement('p');
      note.className = 'view-error';
      note.textContent = `This view could not be drawn: ${error instanceof Error ? error.message : String(error)}`;
      place.appendChild(note);
    }
  }
}
