import { AFFINITY_FILES, affinityAsRead, type AffinityArtefact, writeAffinity } from '../artefacts/affinity.js';
import { type AuxiliaryArtefact, auxiliaryFolderOf, writeAuxiliary } from '../artefacts/auxiliary.js';
import { type BaselinesArtefact, writeBaselines } from '../artefacts/baselines.js';
import { type GroupingArtefact, writeGrouping } from '../artefacts/grouping.js';
import {
  closedLoopListPathOf,
  moreGroupsListPathOf,
  type NetworkListArtefact,
  writeNetworkList,
} from '../artefacts/networks.js';
import { dirname, join } from 'node:path';
import { type StandleyArtefact, writeStandley } from '../artefacts/imported.js';
import { type PaperArtefact, writePaper } from '../artefacts/paper.js';
import { type ProxiesArtefact, writeProxies } from '../artefacts/proxies.js';
import { type TaxonomyArtefact, writeTaxonomy } from '../artefacts/taxonomy.js';
import { refreshReport } from '../report/html/index.js';
import { withFolderLock } from '../io/lock.js';

/** What a runner decided, as the output files it makes: each present artefact is written by its own module. */
export interface Artefacts {
  affinity?: AffinityArtefact;
  grouping?: GroupingArtefact;
  /** `tra group --main`: the other tasks as auxiliaries of the main task, the folder's own auxiliary.json. */
  auxiliary?: AuxiliaryArtefact;
  /** `tra auxiliary`: candidates built from the data for one main task, in that main task's own folder (auxiliary-<main>/). */
  auxiliaryCandidates?: AuxiliaryArtefact;
  proxies?: ProxiesArtefact;
  baselines?: BaselinesArtefact;
  taxonomy?: TaxonomyArtefact;
  standley?: StandleyArtefact;
  /** The closed loop's networks to train on fresh seeds (imported losses), in closed-loop/. */
  closedLoopList?: NetworkListArtefact;
  /** More groups to train on the sweep's seeds (imported losses), in more-groups/. */
  moreGroupsList?: NetworkListArtefact;
  /** tra paper's figures, tables and documents (its `out` is the paper's own folder). */
  paper?: PaperArtefact;
}

/** A runner's answer: the data it decided, where its files belong, and those files' contents. */
export interface Decided {
  out: string;
  artefacts: Artefacts;
}

/**
 * The writing step a runner leaves to its caller (the CLI, or a library user who asks): every artefact of `result`
 * into its folder, then the folder's report redrawn (when it holds an affinity.json). Returns the files written.
 */
export function writeArtefacts({ out, artefacts }: Decided): string[] {
  // the folder is this process's while it writes (a command's own lock, held since its start, counts)
  return withFolderLock(out, () => writeAll(out, artefacts));
}

function writeAll(out: string, artefacts: Artefacts): string[] {
  const {
    affinity,
    grouping,
    auxiliary,
    auxiliaryCandidates,
    proxies,
    baselines,
    taxonomy,
    standley,
    closedLoopList,
    moreGroupsList,
    paper,
  } = artefacts;
  const files = [
    ...(closedLoopList ? writeNetworkList(dirname(closedLoopListPathOf(out)), closedLoopList) : []),
    ...(moreGroupsList ? writeNetworkList(dirname(moreGroupsListPathOf(out)), moreGroupsList) : []),
    ...(affinity ? Object.values(writeAffinity(out, affinity)) : []),
    ...(grouping ? writeGrouping(out, grouping) : []),
    ...(auxiliary ? writeAuxiliary(out, auxiliary) : []),
    ...(auxiliaryCandidates
      ? writeAuxiliary(auxiliaryFolderOf(out, auxiliaryCandidates.main), auxiliaryCandidates)
      : []),
    ...(proxies ? Object.values(writeProxies(out, proxies)) : []),
    ...(baselines ? Object.values(writeBaselines(out, baselines)) : []),
    ...(taxonomy ? Object.values(writeTaxonomy(out, taxonomy)) : []),
    ...(standley ? writeStandley(out, standley) : []),
    ...(paper ? writePaper(out, paper) : []),
  ];
  // the page is made from the affinity just written as it reads back, not from the file read again (116 MB at 1000 tasks)
  const report = refreshReport(out, affinity && affinityAsRead(affinity, join(out, AFFINITY_FILES.json)));
  return report ? [...files, report] : files;
}
