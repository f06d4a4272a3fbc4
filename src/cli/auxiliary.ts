import type { Command } from 'commander';
import { runAuxiliaryAnalysis, type AuxiliaryResult } from '../analysis/auxiliary.js';
import { writeArtefacts } from '../analysis/write.js';
import { AUXILIARY_OPTIONS } from '../options/auxiliary.js';
import { readDefinition } from './definition.js';
import { auxiliarySetDecision } from '../grouping/decision.js';
import type { AuxiliaryRank } from '../grouping/auxiliary.js';
import { guarded } from './errors.js';
import { addOptions, givenValues } from './options.js';
import { runOptionsOf } from './run.js';
import { difference, fixed, percent } from './format.js';

export function registerAuxiliary(program: Command): void {
  addOptions(
    program
      .command('auxiliary')
      .description(
        'candidate auxiliary tasks for a main task built from the data (other tasks, auxiliary-only columns, a smoother target, inputs moved to the output, an input autoencoder), each trained with the main task against it alone; ranking with intervals and FDR verdicts, the literature heuristics scored against the measured gains, a recommended set and an optional closed loop; flags override the definition',
      )
      .argument(
        '<definition>',
        'analysis definition JSON (auxiliaryOnly and smoothers fields name target-only columns)',
      ),
    'auxiliary',
  ).action(
    guarded(async (definition: string, flags: Record<string, unknown>) => {
      const result = await runAuxiliaryAnalysis(readDefinition(definition, flags), {
        ...(givenValues(flags, AUXILIARY_OPTIONS) as { main: string }),
        ...runOptionsOf(flags),
      });
      process.stdout.write(`${auxiliaryText(result, writeArtefacts(result))}\n`);
    }),
  );
}

export function auxiliaryText(result: AuxiliaryResult, files: string[]): string {
  const { candidates, spec } = result;
  const level = percent(spec.level);
  const rank = new Map(result.ranking.map((r) => [r.task, r]));
  const named = (c: number) => ({ ...(rank.get(c) as AuxiliaryRank), name: candidates[c].name });
  const loop = result.closedLoop;
  const words = auxiliarySetDecision(
    result.mainName,
    result.recommended.map(named),
    result.ranking[0] && named(result.ranking[0].task),
    loop,
  );
  const lines = [
    words.headline,
    `  ${words.evidence}`,
    '',
    `auxiliary candidates for ${result.mainName} over ${result.seeds.length} seeds (${result.replications.length} replications): gain 1 - L(main with candidate) / L(main alone, same inputs) per seed, ${level} intervals over seeds, verdicts at FDR ${spec.fdr}`,
    `${'candidate'.padEnd(26)}${'kind'.padEnd(12)}${'test gain [interval]'.padEnd(32)}${'verdict'.padEnd(13)}${'validation'.padStart(10)}  net gain vs all inputs`,
  ];
  for (const r of result.ranking) {
    const c = candidates[r.task];
    lines.push(
      `${c.name.padEnd(26)}${c.kind.padEnd(12)}${difference(r).padEnd(32)}${r.verdict.padEnd(13)}${fixed(c.validationGain).padStart(10)}  ${c.netGain ? difference(c.netGain) : ''}`,
    );
  }
  const kinds = [...new Set(candidates.map((c) => c.kind))];
  lines.push(
    `by kind: ${kinds
      .map((kind) => {
        const ranks = result.ranking.filter((r) => candidates[r.task].kind === kind);
        return `${kind} ${ranks.filter((r) => r.verdict === 'helps').length}/${ranks.length} help, ${ranks.filter((r) => r.verdict === 'hurts').length} hurt`;
      })
      .join('; ')}`,
  );
  lines.push(
    "heuristics against the measured gains (Spearman [bootstrap interval over candidates], Kendall; expected sign; its pick and that pick's measured rank):",
  );
  for (const a of result.agreement)
    lines.push(
      `  ${a.label.padEnd(48)} ${difference({ mean: a.spearman, low: a.spearmanLow, high: a.spearmanHigh, n: a.candidates }, 2).padEnd(26)} ${fixed(a.kendall, 2).padStart(6)}  ${a.expected > 0 ? '+' : '-'}  ${a.pick >= 0 ? `${candidates[a.pick].name} (#${a.pickRank})` : 'n/a'}`,
    );
  lines.push(
    `recommended (validation): ${result.recommended.length ? result.recommended.map((c) => candidates[c].name).join(', ') : 'none'}`,
  );
  if (loop) {
    lines.push(
      `closed loop on fresh seeds ${loop.seeds.join(', ')}: gain ${difference(loop.gain)} (same inputs), ${difference(loop.netGain)} against the main task with all inputs`,
    );
    if (loop.bestSingleNetGain)
      lines.push(`  best single candidate alone against all inputs: ${difference(loop.bestSingleNetGain)}`);
  }
  lines.push(`wrote ${files.join(', ')}`);
  return lines.join('\n');
}
