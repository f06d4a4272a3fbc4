/** The proxies section (Node side; drawn by draw/proxies.ts). */
import { proxiesReport, type ProxiesReport, type ProxyAgreement } from '../html/input.js';
import { readProxies } from '../html/read.js';
import { checkProxies } from '../html/validate.js';
import type { FileSection } from './section.js';

export const proxiesSection: FileSection<'proxies', ProxiesReport | ProxyAgreement[], ProxiesReport> = {
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
          proxies: proxies.proxies,
          ...(proxies.truth?.grouping ? { truth: { grouping: proxies.truth.grouping } } : {}),
        }
      : undefined;
  },
  intro: (data) =>
    `Each panel compares a cheap estimate of task affinity (x) with the gain measured by the full pairwise sweep (y), one point per ordered task pair. Spearman &rho; near 1 means the proxy ranks the pairs like the sweep does.${data.truth?.grouping || data.proxies.some((p) => p.grouping) ? ' The table below prices the grouping each estimate induces with the sweep&rsquo;s measured losses.' : ''}`,
};
