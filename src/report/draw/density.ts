/**
 * A scatter of many points as a density grid: above DOTS_UP_TO points the page embeds, and the page and the paper
 * draw, counts per cell of a bins × bins grid over the points' padded extent instead of every point (30,102 pairs
 * per proxy at 174 tasks would be 1.5 MB each in the page).
 */
import type * as d3 from 'd3';
import { extent, max, rollup } from 'd3-array';

export const DOTS_UP_TO = 2000;

export interface Density {
  /** Padded extents of x (estimate) and y (truth): the grid covers exactly these. */
  x: [number, number];
  y: [number, number];
  bins: number;
  /** Non-empty cells: [column (x), row (y, from the bottom), count]. */
  cells: [number, number, number][];
  points: number;
}

/** Padded extent of `values` ([-1, 1] when empty). */
export function paddedDomain(values: number[]): [number, number] {
  const [lo, hi] = extent(values) as [number | undefined, number | undefined];
  if (lo === undefined || hi === undefined) return [-1, 1];
  const pad = (hi - lo || Math.abs(hi) || 1) * 0.08;
  return [lo - pad, hi + pad];
}

export function pointDensity(points: { estimate: number; truth: number }[], bins = 32): Density {
  const x = paddedDomain(points.map((p) => p.estimate));
  const y = paddedDomain(points.map((p) => p.truth));
  const at = (v: number, [lo, hi]: [number, number]): number =>
    Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
  const counts = rollup(
    points,
    (v) => v.length,
    (p) => at(p.estimate, x),
    (p) => at(p.truth, y),
  );
  const cells = [...counts].flatMap(([i, column]) => [...column].map(([j, n]): [number, number, number] => [i, j, n]));
  return { x, y, bins, cells, points: points.length };
}

/** Draws a density grid into the plot area `width` × `height` (its scales span the density's extents). */
export function drawDensity(
  g: d3.Selection<SVGGElement, unknown, null, undefined>,
  density: Density,
  width: number,
  height: number,
  color: string,
): void {
  const most = max(density.cells, (c) => c[2]) ?? 1;
  const w = width / density.bins;
  const h = height / density.bins;
  g.append('g')
    .attr('class', 'density')
    .selectAll('rect')
    .data(density.cells)
    .join('rect')
    .attr('x', (c) => c[0] * w)
    .attr('y', (c) => height - (c[1] + 1) * h)
    .attr('width', w)
    .attr('height', h)
    .attr('fill', color)
    .attr('fill-opacity', (c) => 0.15 + 0.85 * Math.sqrt(c[2] / most));
}
