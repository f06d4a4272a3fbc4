/**
 * Label collisions, checked rather than eyeballed: every visible SVG text of a figure as an oriented box (its bounding
 * box through its transform, so rotated labels count as drawn), then every pair of boxes of one figure that
 * overlap, and every box that leaves its figure. Runs in the browser (the page, the paper's figures); the geometry
 * is pure and tested in Node. scripts/report/bundle.mjs bundles it as the global `traOverlaps`
 * (src/report/labels.ts runs it in a playwright page).
 */

/** A label's box as four corners in the page's coordinates (clockwise), with its text and figure. */
export interface LabelBox {
  text: string;
  /** The id (or class) of the SVG the label belongs to. */
  figure: string;
  corners: [number, number][];
}

export interface LabelOverlap {
  figure: string;
  a: string;
  b: string;
  /** Depth of the overlap in pixels along the axis that separates the boxes least. */
  depth: number;
}

export interface LabelOutside {
  figure: string;
  text: string;
  /** How far the box reaches beyond the figure, in pixels. */
  by: number;
}

/** Overlaps shallower than this many pixels are anti-aliasing, not a collision. */
export const TOLERANCE = 0.75;

/** The projection of a box on an axis, as [min, max]. */
function project(corners: [number, number][], [ax, ay]: [number, number]): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const [x, y] of corners) {
    const p = x * ax + y * ay;
    min = Math.min(min, p);
    max = Math.max(max, p);
  }
  return [min, max];
}

/** The edge normals of a convex polygon (unit length). */
function normals(corners: [number, number][]): [number, number][] {
  return corners.map(([x, y], k) => {
    const [nx, ny] = corners[(k + 1) % corners.length];
    const length = Math.hypot(nx - x, ny - y) || 1;
    return [-(ny - y) / length, (nx - x) / length];
  });
}

/**
 * How deeply two convex boxes overlap (separating axis theorem): the smallest overlap of their projections over the
 * edge normals of both; 0 or less when some axis separates them.
 */
export function overlapDepth(a: [number, number][], b: [number, number][]): number {
  let depth = Number.POSITIVE_INFINITY;
  for (const axis of [...normals(a), ...normals(b)]) {
    const [a0, a1] = project(a, axis);
    const [b0, b1] = project(b, axis);
    depth = Math.min(depth, Math.min(a1, b1) - Math.max(a0, b0));
    if (depth <= 0) return depth;
  }
  return depth;
}

/** Every pair of boxes of one figure that overlap deeper than TOLERANCE (sweep over x, so large figures stay fast). */
export function overlappingPairs(boxes: LabelBox[]): LabelOverlap[] {
  const spans = boxes
    .map((box) => ({ box, x: project(box.corners, [1, 0]) }))
    .sort((p, q) => p.x[0] - q.x[0] || p.x[1] - q.x[1]);
  const found: LabelOverlap[] = [];
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length && spans[j].x[0] < spans[i].x[1]; j++) {
      const a = spans[i].box;
      const b = spans[j].box;
      if (a.figure !== b.figure) continue;
      const depth = overlapDepth(a.corners, b.corners);
      if (depth > TOLERANCE) found.push({ figure: a.figure, a: a.text, b: b.text, depth: Math.round(depth * 10) / 10 });
    }
  return found;
}

/** Whether an element is drawn: not hidden by display, visibility or zero opacity on itself or an ancestor. */
function visible(element: Element): boolean {
  for (let e: Element | null = element; e && e.nodeName.toLowerCase() !== 'html'; e = e.parentElement) {
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.visibility === 'hidden' || Number(style.opacity) === 0) return false;
  }
  return true;
}

/** A figure's name in messages: its id, else its class, else its position on the page. */
const figureName = (svg: SVGSVGElement, k: number): string =>
  svg.id ||
  svg
    .getAttribute('aria-labelledby')
    ?.split(' ')[0]
    ?.replace(/-title$/, '') ||
  svg.getAttribute('class') ||
  `svg ${k}`;

/** Every visible, non-empty text of the SVGs under `root` as an oriented box in page coordinates. */
export function labelBoxes(root: ParentNode): LabelBox[] {
  const svgs = [...root.querySelectorAll<SVGSVGElement>('svg')].filter((svg) => !svg.parentElement?.closest('svg'));
  return svgs.flatMap((svg, k) => {
    const figure = figureName(svg, k);
    return [...svg.querySelectorAll<SVGTextElement>('text')]
      .filter((t) => (t.textContent ?? '').trim() !== '' && !t.closest('defs') && visible(t))
      .map((t) => {
        const b = t.getBBox();
        const m = t.getScreenCTM();
        const at = (x: number, y: number): [number, number] =>
          m ? [m.a * x + m.c * y + m.e + window.scrollX, m.b * x + m.d * y + m.f + window.scrollY] : [x, y];
        return {
          text: t.textContent ?? '',
          figure,
          corners: [at(b.x, b.y), at(b.x + b.width, b.y), at(b.x + b.width, b.y + b.height), at(b.x, b.y + b.height)],
        };
      });
  });
}

/** Labels that reach beyond their figure's box (cut off in a standalone SVG or PDF), by more than TOLERANCE. */
export function labelsOutside(root: ParentNode): LabelOutside[] {
  const boxes = labelBoxes(root);
  const svgs = [...root.querySelectorAll<SVGSVGElement>('svg')].filter((svg) => !svg.parentElement?.closest('svg'));
  return svgs.flatMap((svg, k) => {
    const figure = figureName(svg, k);
    const r = svg.getBoundingClientRect();
    const [left, top] = [r.left + window.scrollX, r.top + window.scrollY];
    return boxes
      .filter((box) => box.figure === figure)
      .flatMap((box) => {
        const [x0, x1] = project(box.corners, [1, 0]);
        const [y0, y1] = project(box.corners, [0, 1]);
        const by = Math.max(left - x0, x1 - (left + r.width), top - y0, y1 - (top + r.height));
        return by > TOLERANCE ? [{ figure, text: box.text, by: Math.round(by * 10) / 10 }] : [];
      });
  });
}

/** Every collision of labels in the figures under `root` (the whole document by default). */
export function labelOverlaps(root: ParentNode = document): LabelOverlap[] {
  return overlappingPairs(labelBoxes(root));
}
