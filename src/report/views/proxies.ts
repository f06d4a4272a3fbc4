/** The proxies section (Node side; drawn by draw/proxies.ts). */
import { DOTS_UP_TO, pointDensity, type Density } from '../draw/density.js';
import { proxiesReport, type ProxiesReport, type ProxyAgreement } from '../html/input.js';
import { readProxies } from '../html/read.js';
import { checkProxies } from '../html/validate.js';
import type { FileSection } from './section.js';

/** A proxy as the page draws it: its points, or above DOTS_UP_TO their density grid (and no points). */
export type ProxyView = ProxyAgreement & { density?: Density };
export type ProxiesView = Omit<ProxiesReport, 'proxies'> & { proxies: ProxyView[] };

/** Points with both coordinates known. */
const placeable = (p: ProxyAgreement): { estimate: number; truth: number }[] =>
  p.points.filter(
    (q): q is typeof q & { estimate: number; truth: number } => Number.isFinite(q.truth) && Number.isFinite(q.estimate),
  );

export const proxiesSection: FileSection<'proxies', ProxiesReport | ProxyAgreement[], ProxiesView> = {
  key: 'proxies',
  nav: 'Proxies',
  title: 'Cheap proxies against the sweep',
  file: 'proxies.json',
  read: readProxies,
  check: checkProxies,
  data(input) {
    const proxies = proxiesReport(input);
    return proxies.proxies.length
      ? {
          proxies: proxies.proxies.map((p): ProxyView => {
            const points = placeable(p);
            return points.length > DOTS_UP_TO ? { ...p, points: [], density: pointDensity(points) } : p;
          }),
          ...(proxies.truth?.grouping ? { truth: { grouping: proxies.truth.grouping } } : {}),
        }
      : undefined;
  },
  intro: (data) =>
    `Each panel compares a cheap estimate of task affinity (x) with the gain measured by the full pairwise sweep (y), one point per ordered task pair (a density grid above 2,000 pairs). Spearman &rho; near 1 means the proxy ranks the pairs like the sweep does.${data.truth?.grouping || data.proxies.some((p) => p.grouping) ? ' The table below prices the grouping each estimate induces with the sweep&rsquo;s measured losses.' : ''}`,
};
