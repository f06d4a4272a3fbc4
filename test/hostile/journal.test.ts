/** Hostile inputs: Journals: every line checked against the record schema, naming file:line. */
import {
  CONFIG,
  header,
  type HostileCase,
  hostileTable,
  journal,
  lines,
  records,
  withRecord,
} from '../helpers/hostile.js';

export const kind = 'journal';
export const cases: HostileCase[] = [
  {
    name: 'a valid journal recomputes (control)',
    ...journal(lines([header(), ...records()])),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    name: 'a torn last line is skipped',
    ...journal(`${lines([header(), ...records()])}{"kind":"netw`),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    name: 'an identical duplicate is harmless',
    ...journal(lines([header(), ...records(), records()[0]])),
    code: 0,
    says: /wrote run\/affinity\.json/,
  },
  {
    name: 'loss null',
    ...journal(withRecord(1, (r) => ({ ...r, testLoss: [null] }))),
    code: 2,
    says: /run\/journal\.jsonl:3: bad network record: testLoss\[0\]: Invalid input: expected number, received null/,
  },
  {
    name: 'negative loss',
    ...journal(withRecord(2, (r) => ({ ...r, testLoss: [-0.5] }))),
    code: 2,
    says: /journal\.jsonl:4: bad network record: testLoss\[0\]: a loss cannot be negative/,
  },
  {
    name: 'loss 1e999',
    files: { 'run/journal.jsonl': withRecord(0, (r) => r).replace('"testLoss":[0.4]', '"testLoss":[1e999]') },
    args: ['affinity', 'run'],
    out: 'run',
    code: 2,
    says: /journal\.jsonl:2: bad network record: testLoss\[0\]: Invalid input: expected number, received Infinity/,
  },
  {
    name: 'partial record',
    ...journal(withRecord(3, ({ testLoss: _dropped, ...rest }) => rest)),
    code: 2,
    says: /journal\.jsonl:5: bad network record: testLoss: Invalid input: expected array/,
  },
  {
    name: 'two different records for one network',
    ...journal(lines([header(), ...records(), { ...records()[4], testLoss: [0.9, 0.9] }])),
    code: 2,
    says: /journal\.jsonl:14: network s0\/0\+2 has a different result than on line 6/,
  },
  {
    name: 'header configuration edited',
    ...journal(lines([header({ ...CONFIG, data: { ...CONFIG.data, taskNames: ['x', 'b', 'r'] } }), ...records()])),
    code: 2,
    says: /journal\.jsonl:1: bad journal header: the configuration does not match its hash/,
  },
  {
    name: 'header hash not a sha256',
    ...journal(lines([header(CONFIG, 'abc'), ...records()])),
    code: 2,
    says: /journal\.jsonl:1: bad journal header: configHash: a sha256 in hex/,
  },
  {
    name: 'corrupt line in the middle',
    files: { 'run/journal.jsonl': lines([header(), ...records()]).replace(/\n/, '\n{oops\n') },
    args: ['affinity', 'run'],
    out: 'run',
    code: 2,
    says: /journal\.jsonl:2: corrupt journal line \(not JSON\)/,
  },
  {
    name: 'no header line',
    ...journal(lines(records())),
    code: 2,
    says: /journal\.jsonl:1: not a sweep journal/,
  },
  { name: 'empty journal', ...journal(''), code: 2, says: /journal\.jsonl: empty journal/ },
  {
    name: 'losses for fewer tasks than the group',
    ...journal(withRecord(3, (r) => ({ ...r, testLoss: [0.4] }))),
    code: 2,
    says: /journal\.jsonl:5: bad network record: testLoss: 1 losses for a group of 2 tasks/,
  },
  {
    name: 'id that does not name the network',
    ...journal(withRecord(0, (r) => ({ ...r, id: 's0/2' }))),
    code: 2,
    says: /journal\.jsonl:2: bad network record: id: 's0\/2' does not name replication s0, group 0/,
  },
  {
    name: 'task index beyond the header',
    ...journal(lines([header(), ...records(), { ...records()[0], id: 's0/7', group: [7] }])),
    code: 2,
    says: /journal\.jsonl:14: network s0\/7 names task 7, but the header has 3 tasks/,
  },
  {
    name: 'unknown line kind',
    ...journal(lines([header(), ...records(), { kind: 'note' }])),
    code: 2,
    says: /journal\.jsonl:14: bad network record: kind: Invalid input: expected "network"/,
  },
  {
    name: 'bestEpoch as a string',
    ...journal(withRecord(0, (r) => ({ ...r, bestEpoch: '3' }))),
    code: 2,
    says: /journal\.jsonl:2: bad network record: bestEpoch: Invalid input: expected number, received string/,
  },
  {
    name: 'no journal in the folder',
    files: { 'run/x.txt': '' },
    args: ['affinity', 'run'],
    out: 'run',
    code: 2,
    says: /cannot read journal run\/journal\.jsonl \(ENOENT\)/,
  },
];

hostileTable(kind, cases);
