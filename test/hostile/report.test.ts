/**
 * Hostile inputs: hand-edited artefacts a report is drawn from. affinity.json values outside their meaning (a level
 * of -1, a reliability of 7.5, gains of 1e308, an interval that does not hold its mean, p-values beyond [0, 1], a
 * subnormal loss, names with control characters or in two Unicode spellings) are refused naming the file and the field,
 * by `tra report` and by every other reader of the file (`tra proxies --truth`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { definition, type HostileCase, header, hostileTable, lines, records, tra } from '../helpers/hostile.js';
import assert from 'node:assert/strict';

type Json = Record<string, unknown> & { mean: number[][]; low: number[][]; high: number[][] };

/** Setup: a finished run/ (journal, affinity.json), then affinity.json changed by `edit`. */
const edited =
  (edit: (affinity: Json) => void) =>
  async (ws: string): Promise<undefined> => {
    const result = await tra(ws, ['affinity', 'run']);
    assert.equal(result.code, 0, result.stderr);
    const path = join(ws, 'run/affinity.json');
    const affinity = JSON.parse(readFileSync(path, 'utf8')) as Json;
    edit(affinity);
    writeFileSync(path, JSON.stringify(affinity));
    return undefined;
  };
const finished = { 'run/journal.jsonl': lines([header(), ...records()]) };

/** `tra report run` on an affinity.json changed by `edit`: refused naming the file and `field`. */
const report = (name: string, edit: (affinity: Json) => void, field: string, says: RegExp): HostileCase => ({
  name,
  files: finished,
  setup: edited(edit),
  args: ['report', 'run'],
  code: 2,
  says: new RegExp(`run/affinity\\.json affinity\\.${field.replace(/[[\].]/g, '\\$&')}: ${says.source}`),
  out: 'run',
});

export const kind = 'report';
export const cases: HostileCase[] = [
  report('a level of -1', (a) => (a.level = -1), 'level', /a confidence level lies strictly between 0 and 1/),
  report('a level of 95 (a percentage)', (a) => (a.level = 95), 'level', /a confidence level lies strictly/),
  report('a level of 0', (a) => (a.level = 0), 'level', /a confidence level lies strictly/),
  report('a level of 1', (a) => (a.level = 1), 'level', /a confidence level lies strictly/),
  report(
    'a reliability of 7.5',
    (a) => ((a.reliability as Record<string, number>).reliability = 7.5),
    'reliability.reliability',
    /a reliability is at most 1/,
  ),
  report(
    'a half-correlation of 1.5',
    (a) => ((a.reliability as Record<string, number>).halfCorrelation = 1.5),
    'reliability.halfCorrelation',
    /a correlation lies in \[−1, 1\]/,
  ),
  report(
    'a half-correlation of -3',
    (a) => ((a.reliability as Record<string, number>).halfCorrelation = -3),
    'reliability.halfCorrelation',
    /a correlation lies in/,
  ),
  report('a gain of 1e308', (a) => (a.mean[0][1] = 1e308), 'mean[0][1]', /a gain 1 − L_pair \/ L_single lies between/),
  report('a gain of 2', (a) => (a.mean[1][0] = 2), 'mean[1][0]', /a gain 1 − L_pair \/ L_single lies between/),
  report('a gain of -1e300', (a) => (a.mean[1][2] = -1e300), 'mean[1][2]', /a gain/),
  report('an upper bound of 1e308', (a) => (a.high[0][2] = 1e308), 'high[0][2]', /an interval's bound lies between/),
  report('a lower bound of -1e308', (a) => (a.low[2][0] = -1e308), 'low[2][0]', /an interval's bound lies between/),
  report(
    'an interval above its mean',
    (a) => (a.low[0][1] = a.mean[0][1] + 0.5),
    'low[0][1]',
    /the interval \[.*\] does not hold its mean .* \(row 1, column 2\)/,
  ),
  report(
    'an interval below its mean',
    (a) => (a.high[2][1] = a.mean[2][1] - 0.5),
    'low[2][1]',
    /the interval \[.*\] does not hold its mean/,
  ),
  report('a group score of 3', (a) => ((a.groupScore as number[][])[0][1] = 3), 'groupScore[0][1]', /a gain/),
  report(
    'a per-seed gain of 1e308',
    (a) => ((a.perReplication as number[][][])[1][0][2] = 1e308),
    'perReplication[1][0][2]',
    /a gain/,
  ),
  report(
    'a p-value of 1.5',
    (a) => ((a.inference as { pValue: number[][] }).pValue[0][1] = 1.5),
    'inference.pValue[0][1]',
    /a p-value lies in \[0, 1\]/,
  ),
  report(
    'a p-value of -0.1',
    (a) => ((a.inference as { pValue: number[][] }).pValue[1][0] = -0.1),
    'inference.pValue[1][0]',
    /a p-value lies in/,
  ),
  report(
    'a false-discovery rate of 5',
    (a) => ((a.inference as { fdr: number }).fdr = 5),
    'inference.fdr',
    /a false-discovery rate lies strictly between 0 and 1/,
  ),
  report(
    'a subnormal single-task loss',
    (a) => ((a.singleLoss as number[])[0] = 5e-324),
    'singleLoss[0]',
    /a loss lies between 1e-100 and 1e\+100 \(or is 0\)/,
  ),
  report('a negative single-task loss', (a) => ((a.singleLoss as number[])[2] = -1), 'singleLoss[2]', /a loss lies/),
  report(
    'a gain written as text',
    (a) => ((a.mean[0] as unknown[])[1] = '0.1'),
    'mean[0][1]',
    /expected a finite number or null/,
  ),
  report(
    'a task name with a newline',
    (a) => ((a.taskNames as string[])[1] = 'b\nbad'),
    'taskNames[1]',
    /the name "b\\nbad" holds a control character \(U\+000A\); rename it/,
  ),
  report(
    'a task name with a terminal escape',
    (a) => ((a.taskNames as string[])[0] = '\u001b[31mred'),
    'taskNames[0]',
    /the name .* holds a control character \(U\+001B\)/,
  ),
  report(
    'two spellings of one name',
    (a) => {
      (a.taskNames as string[])[0] = 'caf\u00e9';
      (a.taskNames as string[])[1] = 'cafe\u0301';
    },
    'taskNames',
    /'caf.+' and 'caf.+' differ only in Unicode normalisation \(U\+0063 U\+0061 U\+0066 U\+00E9 vs U\+0063 U\+0061 U\+0066 U\+0065 U\+0301\)/,
  ),
  {
    name: 'the truth of tra proxies with a level of -1',
    // the definition trains as the finished sweep did (no patience), so that the sweep is the proxies' truth
    files: { ...finished, ...definition({ out: 'prox', engine: { epochs: 1, hidden: [4], patience: 0 } }) },
    setup: edited((a) => (a.level = -1)),
    args: ['proxies', 'def.json', '--truth', 'run', '--every', '1'],
    code: 2,
    says: /--truth: run\/affinity\.json affinity\.level: a confidence level lies strictly between 0 and 1/,
    out: 'prox',
  },
  {
    name: 'a report of values within their meaning (control)',
    files: finished,
    setup: edited(() => undefined),
    args: ['report', 'run'],
    code: 0,
    says: /wrote run\/index\.html/,
    out: 'run',
  },
];

hostileTable(kind, cases);
