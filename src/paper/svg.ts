/**
 * The paper's figures drawn in Node: the same d3 drawing as the page (src/report/draw), into a DOM from linkedom. The
 * figures are laid out with fixed font metrics (draw/metrics.ts), so no browser is needed for the SVG; Chromium only
 * turns it into PDF (paper/pdf.ts).
 */
import { parseHTML } from 'linkedom';

/** The SVG markup `draw` puts into an empty container, as a standalone file (XML declaration first). */
export function drawSvg(draw: (container: Element) => void): string {
  const { document } = parseHTML('<!DOCTYPE html><html><body><div></div></body></html>');
  const container = document.querySelector('div') as unknown as Element;
  draw(container);
  const svg = container.querySelector('svg');
  if (!svg) throw new Error('the figure drew no SVG');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg.outerHTML}\n`;
}
