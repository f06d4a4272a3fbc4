/** Hostile inputs: Imported results: shard journals merged into an analysis pass the same record schema. */
import {
  CONFIG,
  header,
  type HostileCase,
  hostileTable,
  lines,
  merge,
  noJournal,
  records,
  withRecord,
} from '../helpers/hostile.js';

export const kind = 'import';
export const cases: HostileCase[] = [
  {
    name: 'imported record with a null loss',
    ...merge(withRecord(5, (r) => ({ ...r, validationLoss: [null, 0.3] }))),
    code: 2,
    says: /shard\/journal\.jsonl:7: bad network record: validationLoss\[0\]: Invalid input: expected number, received null/,
    then: noJournal('merged'),
  },
  {
    name: 'imported record with a NaN written as a string',
    ...merge(withRecord(1, (r) => ({ ...r, testLoss: ['NaN'] }))),
    code: 2,
    says: /shard\/journal\.jsonl:3: bad network record: testLoss\[0\]: Invalid input: expected number, received string/,
  },
  {
    name: 'imported record without its group',
    ...merge(withRecord(2, ({ group: _dropped, ...rest }) => rest)),
    code: 2,
    says: /shard\/journal\.jsonl:4: bad network record: group: Invalid input: expected array/,
  },
  {
    name: 'imported header with an edited configuration',
    ...merge(lines([header({ ...CONFIG, engine: { ...CONFIG.engine, epochs: 30 } }), ...records()])),
    code: 2,
    says: /shard\/journal\.jsonl:1: bad journal header: the configuration does not match its hash/,
  },
  {
    name: 'imported results complete the analysis (control)',
    ...merge(lines([header(), ...records()])),
    code: 0,
    says: /merged 12 networks from 1 journals/,
  },
  {
    name: 'the record schema is published',
    files: {},
    args: ['schema', 'record'],
    code: 0,
    says: /"testLoss"/,
    out: 'none',
  },
];

hostileTable(kind, cases);
