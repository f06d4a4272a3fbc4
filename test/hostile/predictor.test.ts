/** Hostile inputs: the gain predictor's folder (tra proxies --predict). */
import { definition, type HostileCase, header, hostileTable, lines, records } from '../helpers/hostile.js';

export const kind = 'predictor';
export const cases: HostileCase[] = [
  {
    name: 'proxies --predict on a folder without a journal',
    files: definition({}),
    args: ['proxies', 'def.json', '--proxies', 'correlation', '--predict', 'nope'],
    code: 2,
    says: /--predict: nope holds no journal \(journal\.jsonl\): run a sweep into it first/,
    out: 'none',
  },
  {
    name: 'proxies --predict on a journal trained with other settings or data',
    files: { ...definition({}), 'run/journal.jsonl': lines([header(), ...records()]) },
    args: ['proxies', 'def.json', '--proxies', 'correlation', '--predict', 'run'],
    code: 2,
    says: /--predict: .*(trained with other settings|trained on other data)/,
    out: 'none',
  },
];
hostileTable(kind, cases);
