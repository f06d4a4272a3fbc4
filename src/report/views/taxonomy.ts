/** The taxonomy section (Node side; drawn by draw/taxonomy.ts). */
import type { Taxonomy } from '../html/input.js';
import { readTaxonomy } from '../html/read.js';
import { checkTaxonomy } from '../html/validate.js';
import type { FileSection } from './section.js';

export const taxonomySection: FileSection<'taxonomy', Taxonomy, Taxonomy> = {
  key: 'taxonomy',
  nav: 'Taxonomy',
  title: 'Task taxonomy',
  file: 'taxonomy.json',
  read: readTaxonomy,
  check: checkTaxonomy,
  data: (input) => (input.nodes.length ? input : undefined),
  intro: () =>
    'Directed transfer structure: an arrow from a source task to a target task means training with the source helps the target; thicker arrows transfer more.',
};
