/**
 * The page's first section: the decision in plain words (what to train), its evidence in one line, the never-trained
 * groups and how to train them, the warnings, the closed loop in plain words, and the auxiliary decision. Static HTML
 * (every value escaped), built from the grouping and auxiliary sections' data, which carry the same sentences the
 * terminal prints.
 */
import { escapeHtml as e } from '../html/escape.js';
import type { ReportData } from './registry.js';

/** A sentence as the page prints it: capitalised, with its full stop. */
const sentence = (text: string): string => {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
};

/** The section's HTML; undefined when the folder holds no decision to show. */
export function decisionHtml(data: ReportData): string | undefined {
  const g = data.grouping;
  const aux = data.auxiliary;
  const parts: string[] = [];
  if (g?.decision) {
    const d = g.decision;
    parts.push(`<p class="decision-headline"><strong>${e(d.headline)}</strong></p>`);
    parts.push(`<p class="decision-evidence">${e(sentence(d.evidence))}</p>`);
    if (d.cut) parts.push(`<p class="decision-evidence">${e(sentence(d.cut))}</p>`);
    if (d.howToTrain)
      parts.push(
        `<p class="decision-untrained"><span class="untrained-mark" aria-hidden="true">~</span> ${e(sentence(d.howToTrain))}</p>`,
      );
  } else if (g?.chosenBudget) {
    // grouping.json written before decisions were stored: the recommended networks, never-trained ones marked
    const point = g.curve.find((p) => p.budget === g.chosenBudget?.budget);
    if (point) {
      const untrained = new Set((point.approximatedGroups ?? []).map((group) => group.join('+')));
      const networks = point.groups
        .map((group) => `${untrained.has(group.join('+')) ? '~' : ''}{${group.map(e).join(', ')}}`)
        .join(' ');
      parts.push(
        `<p class="decision-headline"><strong>Train ${point.groups.length} network${point.groups.length === 1 ? '' : 's'}: ${networks}.</strong></p>`,
        `<p class="decision-evidence">${e(sentence(g.chosenBudget.reason))}${untrained.size ? ' ~: never trained, its losses approximated from pairs (tra group --train-higher-order trains it).' : ''}</p>`,
      );
    }
  }
  for (const warning of g?.warnings ?? [])
    parts.push(`<p class="decision-warning" role="alert"><strong>Warning.</strong> ${e(sentence(warning))}</p>`);
  const loop = g?.closedLoop;
  if (loop?.verdict) {
    parts.push(
      `<p class="decision-loop"><strong>Closed loop on fresh seeds ${e(loop.seeds.join(', '))}:</strong> ${e(sentence(loop.verdict.text))}</p>`,
    );
    if (loop.verdict.outsidePrediction)
      parts.push(`<p class="decision-flag" role="note">${e(sentence(loop.verdict.outsidePrediction))}</p>`);
    if (loop.verdict.noRandom) parts.push(`<p class="decision-evidence">${e(sentence(loop.verdict.noRandom))}</p>`);
  } else if (g?.decision)
    parts.push(
      '<p class="decision-evidence">Not yet checked on fresh seeds (<code>tra group --validate</code> trains it and its baselines there).</p>',
    );
  // the main job's auxiliary decision (tra group --main), then tra auxiliary's, one per main task
  for (const decision of [aux?.decision, ...(data.auxiliaryCandidates?.rankings ?? []).map((r) => r.decision)])
    if (decision)
      parts.push(
        `<p class="decision-headline decision-auxiliary"><strong>${e(decision.headline)}</strong></p>`,
        `<p class="decision-evidence">${e(sentence(decision.evidence))}</p>`,
      );
  return parts.length ? parts.join('\n') : undefined;
}
