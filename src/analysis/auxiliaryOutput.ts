import { SEED_LEVEL } from '../affinity/stats.js';
import type { AuxiliaryArtefact } from '../artefacts/auxiliary.js';
import { intervalJson as interval } from '../artefacts/files.js';
import { provenanceOf } from '../report/provenance.js';
import { sweepConfig } from '../sweep/config.js';
import type { Decided } from './write.js';
import type { AuxiliaryResult } from './auxiliary.js';
import type { AuxiliaryRank } from '../grouping/auxiliary.js';
import { auxiliarySetDecision } from '../grouping/decision.js';

/** What `tra auxiliary` writes to auxiliary.json: the ranking, the heuristics' agreement, the recommended set and its closed loop (candidates by name). */
export function auxiliaryArtefact(result: Omit<AuxiliaryResult, keyof Decided>): AuxiliaryArtefact {
  const { spec, candidates } = result;
  const names = (set: number[]): string[] => set.map((c) => candidates[c].name);
  const rank = new Map(result.ranking.map((r) => [r.task, r]));
  const named = (c: number) => ({ ...(rank.get(c) as AuxiliaryRank), name: candidates[c].name });
  return {
    provenance: provenanceOf(
      sweepConfig(result.dataset, spec.engine, spec.split),
      [result.backend],
      result.trainingSeconds,
    ),
    main: result.mainName,
    decision: auxiliarySetDecision(
      result.mainName,
      result.recommended.map(named),
      result.ranking[0] && named(result.ranking[0].task),
      result.closedLoop,
    ),
    level: spec.level,
    fdr: spec.fdr,
    gain: '1 - L_main({main, candidate}) / L_main({main}), both networks on the same inputs (a moved feature is removed from both), paired within each seed',
    inference: SEED_LEVEL,
    replications: result.replications,
    seeds: result.seeds,
    ranking: result.ranking.map((r) => {
      const c = candidates[r.task];
      return {
        ...r,
        task: c.name,
        kind: c.kind,
        rule: c.rule,
        columns: c.columns,
        validationGain: c.validationGain,
        netGain: c.netGain && interval(c.netGain),
        heuristics: c.heuristics,
      };
    }),
    heuristics: result.agreement.map((a) => ({ ...a, pick: a.pick >= 0 ? candidates[a.pick].name : null })),
    recommended: {
      candidates: names(result.recommended),
      rule: 'candidates with a positive mean validation gain, best first (greedy on single-candidate gains, additive approximation)',
    },
    closedLoop: result.closedLoop && {
      seeds: result.closedLoop.seeds,
      set: names(result.closedLoop.set),
      gain: interval(result.closedLoop.gain),
      netGain: interval(result.closedLoop.netGain),
      bestSingleNetGain: result.closedLoop.bestSingleNetGain && interval(result.closedLoop.bestSingleNetGain),
    },
  };
}
