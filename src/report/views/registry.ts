/**
 * Every section of the report, in page order. The page (html/render.ts) and the folder loader (html/load.ts) are built
 * from this list. To add a view: a file views/<x>.ts declaring its section and one line here, its drawing in
 * draw/<x>.ts and one line in draw/index.ts (whose type demands it).
 */
import { auxiliarySection } from './auxiliary.js';
import { auxiliaryCandidatesSection } from './auxiliaryCandidates.js';
import { baselinesSection } from './baselines.js';
import { groupingSection } from './budget.js';
import { heatmapSection, type HeatmapData } from './heatmap.js';
import { proxiesSection } from './proxies.js';
import { sweepChecksSection } from './sweepChecks.js';
import { taxonomySection } from './taxonomy.js';
import type { ReportInput } from '../html/input.js';
import type { Section } from './section.js';

export const SECTIONS = [
  heatmapSection,
  sweepChecksSection,
  groupingSection,
  auxiliarySection,
  auxiliaryCandidatesSection,
  taxonomySection,
  proxiesSection,
  baselinesSection,
] as const satisfies readonly Section[];

type Declared = (typeof SECTIONS)[number];
type WithFile = Extract<Declared, { file: string }>;

/** The inputs of the sections with a file, as ReportInput holds them (e.g. `grouping`). */
export type SectionInputs = { [S in WithFile as S['key']]?: Parameters<S['data']>[0] };

/** The JSON embedded in the page: one entry per section with something to draw (the heatmap always). */
export type ReportData = { heatmap: HeatmapData } & {
  [S in Declared as S['key']]?: NonNullable<ReturnType<S['data']>>;
};

/** A file section's input in `input` (undefined when absent). */
export const sectionInput = (input: ReportInput, section: Section): unknown =>
  section.file === undefined ? undefined : (input as unknown as Record<string, unknown>)[section.key];

/** A section's view data from the report input (`page`: as the page embeds it); undefined: nothing to draw. */
export function sectionData(section: Section, input: ReportInput, page = false): unknown {
  if (section.file === undefined) return (page && section.pageData ? section.pageData : section.data)(input.affinity);
  const own = sectionInput(input, section);
  return own === undefined ? undefined : section.data(own, input.affinity);
}
