import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvFormat } from 'd3';
import type { AuxiliaryResult } from '../analysis/auxiliary.js';
import { SEED_LEVEL, type Interval } from '../affinity/stats.js';
import { sweepConfig } from '../sweep/config.js';
import { refreshReport } from './html/index.js';
import { writeJson } from './json.js';
import { provenanceOf } from './provenance.js';

const interval = (i: Interval | undefined) => i && { mean: i.mean, low: i.low, high: i.high, n: i.n };

/** auxiliary.json (the report's auxiliary section: ranking, heuristics' agreement, recommended set, closed loop) and auxiliary-candidates.csv; then the HTML report when the folder has one. */
export function writeAuxiliaryFiles(result: Omit<AuxiliaryResult, 'files'>): string[] {
  const { spec, candidates } = result;
  const files = { json: join(spec.out, 'auxiliary.json'), csv: join(spec.out, 'auxiliary-candidates.csv') };
  const names = (set: number[]): string[] => set.map((c) => candidates[c].name);
  const provenance = provenanceOf(sweepConfig(result.dataset, spec.engine, spec.split), [result.backend], result.trainingSeconds);
  writeJson(files.json, {
    provenance,
    main: result.mainName,
    level: spec.level,
    fdr: spec.fdr,
    gain: '1 - L_main({main, candidate}) / L_main({main}), both networks on the same inputs (a moved feature is removed from both), paired within each seed',
    inference: SEED_LEVEL,
    replications: result.replications,
    seeds: result.seeds,
    ranking: result.ranking.map((r) => {
      const c = candidates[r.task];
      return { ...r, task: c.name, kind: c.kind, rule: c.rule, columns: c.columns, validationGain: c.validationGain, netGain: interval(c.netGain), heuristics: c.heuristics };
    }),
    heuristics: result.agreement.map((a) => ({ ...a, pick: a.pick >= 0 ? candidates[a.pick].name : null })),
    recommended: { candidates: names(result.recommended), rule: 'candidates with a positive mean validation gain, best first (greedy on single-candidate gains, additive approximation)' },
    closedLoop: result.closedLoop && {
      seeds: result.closedLoop.seeds,
      set: names(result.closedLoop.set),
      gain: interval(result.closedLoop.gain),
      netGain: interval(result.closedLoop.netGain),
      bestSingleNetGain: interval(result.closedLoop.bestSingleNetGain),
    },
  });
  writeFileSync(
    files.csv,
    csvFormat(
      result.ranking.map((r, rank) => {
        const c = candidates[r.task];
        return { rank: rank + 1, candidate: c.name, kind: c.kind, gain: r.mean, ci_low: r.low, ci_high: r.high, p: r.p, verdict: r.verdict, validation_gain: c.validationGain, net_gain: c.netGain?.mean ?? '', ...c.heuristics };
      }),
    ) + '\n',
  );
  const report = refreshReport(spec.out);
  return [files.json, files.csv, ...(report ? [report] : [])];
}
