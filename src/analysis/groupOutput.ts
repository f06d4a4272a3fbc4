import { SEED_LEVEL } from '../affinity/stats.js';
import type { AuxiliaryArtefact } from '../artefacts/auxiliary.js';
import { intervalJson as interval } from '../artefacts/files.js';
import type { GroupingArtefact } from '../artefacts/grouping.js';
import { closedLoopVerdict } from '../grouping/closedLoop.js';
import { candidateScope } from '../grouping/curve.js';
import { auxiliaryRankingDecision } from '../grouping/decision.js';
import { methodLabel } from '../grouping/select.js';
import { groupKey } from '../sweep/plan.js';
import { journalProvenance } from '../report/provenance.js';
import type { Records } from '../sweep/journal.js';
import type { GroupResult } from './group.js';

const measuredOf = new WeakMap<Records, { size: number; keys: ReadonlySet<string> }>();

/**
 * Task sets some network was trained on (any replication); every other group is approximated from pairs. Made once per
 * records while they hold as many: the decision, grouping.json and the terminal each ask, and at 1000 tasks each time
 * rebuilt 1,001,000 records into 500,500 keys.
 */
export function measuredGroups(records: Records): ReadonlySet<string> {
  const known = measuredOf.get(records);
  if (known?.size === records.size) return known.keys;
  const keys = new Set(Array.from(records.values(), (r) => groupKey(r.group)));
  measuredOf.set(records, { size: records.size, keys });
  return keys;
}

/** What `tra group` writes: grouping.json and, with a main task, auxiliary.json (task indices turned into names). */
export function groupingArtefacts(result: Omit<GroupResult, 'artefacts'>): {
  grouping: GroupingArtefact;
  auxiliary?: AuxiliaryArtefact;
} {
  const { level, evidence, taskNames, curve, choice, closedLoop, auxiliary } = result;
  const names = (groups: number[][]): string[][] => groups.map((g) => g.map((t) => taskNames[t]));
  const measured = measuredGroups(evidence.records);
  const provenance = {
    ...journalProvenance(evidence.config, evidence.records, evidence.configHash),
    sweepJournal: evidence.journalPath,
  };
  const chosen = curve.find((p) => p.budget === choice.budget);
  const grouping: GroupingArtefact = {
    provenance,
    taskNames,
    level,
    decision: result.decision,
    warnings: result.warnings,
    selectedOn:
      'mean validation loss over replications (networks per budget, the budget itself, clustering alternatives, top auxiliaries)',
    scoredOn: `test loss only; intervals and paired differences ${SEED_LEVEL}`,
    approximated:
      "approximatedGroups: chosen groups no network was trained for; their losses are the mean of their tasks' pair losses (Standley et al.)",
    candidates: candidateScope(taskNames.length, result.maxGroupSize).text,
    optimalOverEveryGroup: candidateScope(taskNames.length, result.maxGroupSize).everyGroup,
    replications: evidence.estimate.replications,
    ...(evidence.adaptive ? { adaptive: evidence.adaptive } : {}),
    chosenBudget: choice,
    curve: curve
      .filter((p) => p.selection.groups.length > 0)
      .map((p) => ({
        budget: p.budget,
        predictedLoss: p.predicted.mean,
        predictedInterval: interval(p.predicted),
        groups: names(p.selection.groups),
        approximatedGroups: names(p.selection.groups.filter((g) => !measured.has(groupKey(g)))),
        servedBy: Object.fromEntries(taskNames.map((name, t) => [name, p.selection.assignment[t]])),
        method: methodLabel(p.selection),
        status: p.selection.status,
        solveSeconds: p.seconds,
        taskTestLoss: p.taskTestLoss,
        ...(closedLoop && closedLoop.actual.n >= 2 && p.budget === choice.budget
          ? { actualLoss: interval(closedLoop.actual) }
          : {}),
      })),
    infeasibleBudgets: curve
      .filter((p) => p.selection.groups.length === 0)
      .map((p) => ({ budget: p.budget, status: p.selection.status })),
    trainedGroups: names(result.trainedGroups),
    pairwiseApproximation: result.approximation && {
      ...result.approximation,
      groups: result.approximation.groups.map((g) => ({ ...g, group: g.group.map((t) => taskNames[t]) })),
    },
    clustering: result.clustering.map((c) => ({
      ...c,
      groups: names(c.groups),
      predicted: interval(c.predicted),
      versusSelection: c.versusSelection && interval(c.versusSelection),
    })),
    earlyStopping:
      result.earlyStopping?.map((e) => ({ ...e, groups: names(e.groups), regret: interval(e.regret) })) ?? null,
    stability: result.stability,
    closedLoop: closedLoop && {
      seeds: closedLoop.seeds,
      predicted: closedLoop.predicted,
      actual: interval(closedLoop.actual),
      baselines: closedLoop.baselines.map((b) => ({
        name: b.name,
        predicted: b.predicted,
        actual: interval(b.actual),
        selectedMinusBaseline: interval(b.selectedMinusBaseline),
      })),
      verdict: closedLoopVerdict(
        closedLoop,
        chosen?.predicted,
        chosen && { budget: chosen.budget, taskCount: taskNames.length },
      ),
    },
  };
  if (!auxiliary) return { grouping };
  return {
    grouping,
    auxiliary: {
      provenance,
      main: taskNames[auxiliary.main],
      decision: auxiliaryRankingDecision(
        taskNames[auxiliary.main],
        auxiliary.ranking.map((r) => ({ ...r, name: taskNames[r.task] })),
      ),
      level,
      gain: `1 - L_main({main, task}) / L_main({main}), paired within each seed; ${SEED_LEVEL}`,
      ranking: auxiliary.ranking.map((r) => ({ ...r, task: taskNames[r.task] })),
      top: auxiliary.top && { tasks: auxiliary.top.tasks.map((t) => taskNames[t]), gain: interval(auxiliary.top.gain) },
    },
  };
}
