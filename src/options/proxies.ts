import { PROXIES } from '../affinity/proxies/registry.js';
import { groupSchema, optional, withDefault, words } from './option.js';

/** tra proxies: which proxies to run and what to compare them with (each proxy's own options: its registry entry). */
export const PROXIES_OPTIONS = {
  truth: optional({
    flag: 'truth',
    placeholder: 'dir',
    help: 'folder of a finished pairwise sweep of the same tasks to compare with (without one the proxies run standalone)',
    kind: words('a folder path'),
    defaultText: "the definition's output folder, when it holds a sweep",
  }),
  predict: optional({
    flag: 'predict',
    placeholder: 'dir',
    help: "folder of a sweep that trained only some pairs (at least 3): learn from its networks and the proxies, and predict the other pairs' gains with intervals and the predictor's error against the noise (docs/PREDICTOR.md)",
    kind: words('a folder path'),
  }),
  proxies: withDefault({
    flag: 'proxies',
    placeholder: 'ids',
    help: `comma-separated proxies to run (${PROXIES.map((p) => p.id).join(', ')}), or all`,
    kind: words('proxy ids or all'),
    default: 'all',
  }),
};

export const proxiesSchema = groupSchema(PROXIES_OPTIONS);
