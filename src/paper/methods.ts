/**
 * The methods section, generated from what the folder's artefacts record (provenance, settings, inference, what was
 * chosen on what), never from defaults: a field the artefacts lack is left out, not guessed. `methodsFacts` returns
 * the numbers the text states, so a test can hold them against the artefacts.
 */
import { formatFixed, levelText } from '../report/draw/format.js';
import type { PaperFolder } from './folder.js';
import type { ReferenceKey } from './references.js';
import { cite, code, math, type Text } from './text.js';
import { DEFAULT_LEVEL } from '../options/inferenceDefaults.js';

export interface MethodsSection {
  title: string;
  blocks: (Text | { items: Text[] })[];
}

/** The numbers the methods text states, as the artefacts hold them. */
export interface MethodsFacts {
  tasks: number;
  seeds: number[];
  /** Folds per seed (1 for a holdout split). */
  foldsPerSeed: number;
  level: number;
  fdr?: number;
  reliability?: { halfCorrelation: number | null; reliability: number | null; replications: number };
  /** Every deviation from a cited method that the artefacts record, as recorded. */
  deviations: string[];
}

/** Text as a sentence: capital first, full stop last. */
const sentence = (text: string): string =>
  `${text.charAt(0).toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;

/** Seeds and folds from replication keys `s<seed>` / `s<seed>f<fold>`. */
function seedsOf(replications: readonly string[]): { seeds: number[]; foldsPerSeed: number } {
  const parsed = replications.map((r) => /^s(\d+)(?:f(\d+))?$/.exec(r)).filter((m) => m !== null);
  const seeds = [...new Set(parsed.map((m) => Number(m[1])))].sort((a, b) => a - b);
  return { seeds, foldsPerSeed: seeds.length ? Math.round(parsed.length / seeds.length) : 0 };
}

/** "0, 1, 2, …, 46" for long runs of consecutive seeds. */
function seedList(seeds: number[]): string {
  const consecutive = seeds.every((s, k) => k === 0 || s === seeds[k - 1] + 1);
  return consecutive && seeds.length > 4 ? `${seeds[0]}\u2013${seeds[seeds.length - 1]}` : seeds.join(', ');
}

/** The deviations the artefacts record: the networks' start, proxies' own, an imported taxonomy's transfer definition. */
function recordedDeviations(folder: PaperFolder): { method: string; text: string; cites: ReferenceKey[] }[] {
  const start = folder.affinity.provenance?.initialisation;
  const initialisation = start
    ? [
        {
          method: "the networks' initialisation",
          text: `${start}; Standley et al. draw each task's decoder on its own in every network. On yeast the common start made the matrix repeat more from seed to seed, and part of what it added followed how far apart the tasks' base rates are (measured in the toolkit's documentation, docs/COMMAND.md)`,
          cites: ['standley2020' as const],
        },
      ]
    : [];
  const proxies = (folder.proxies?.proxies ?? []).flatMap((p) =>
    p.deviation ? [{ method: `the ${p.proxy} proxy`, text: p.deviation, cites: proxyCitations(p.id ?? p.proxy) }] : [],
  );
  const taxonomy = folder.taxonomy as (PaperFolder['taxonomy'] & { transferDefinition?: string }) | undefined;
  return [
    ...initialisation,
    ...proxies,
    ...(taxonomy?.transferDefinition
      ? [{ method: 'the taxonomy', text: taxonomy.transferDefinition, cites: ['zamir2018' as const] }]
      : []),
  ];
}

/** The papers a proxy computes (src/affinity/proxies/registry.ts references). */
function proxyCitations(id: string): ReferenceKey[] {
  if (/lookahead|TAG/i.test(id)) return ['fifty2021'];
  if (/cosine/i.test(id)) return ['yu2020', 'fifty2021'];
  if (/linearised/i.test(id)) return ['li2024'];
  if (/surrogate/i.test(id)) return ['li2023'];
  return [];
}

export function methodsFacts(folder: PaperFolder): MethodsFacts {
  const a = folder.affinity;
  const { seeds, foldsPerSeed } = seedsOf(a.replications ?? []);
  return {
    tasks: a.taskNames.length,
    seeds,
    foldsPerSeed,
    level: a.level ?? DEFAULT_LEVEL,
    ...(a.inference?.fdr !== undefined ? { fdr: a.inference.fdr } : {}),
    ...(a.reliability ? { reliability: a.reliability } : {}),
    deviations: recordedDeviations(folder).map((d) => d.text),
  };
}

/** Data, networks, splits and seeds. */
function protocol(folder: PaperFolder, facts: MethodsFacts): Text[] {
  const a = folder.affinity;
  const p = a.provenance;
  const kinds = a.data?.tasks?.map((t) => t.kind) ?? [];
  const binary = kinds.filter((k) => k === 'binary').length;
  const regression = kinds.filter((k) => k === 'regression').length;
  const data: Text = [
    `The data has ${facts.tasks} tasks`,
    ...(kinds.length
      ? [
          ` (${[
            binary && `${binary} binary, scored by cross-entropy`,
            regression && `${regression} regression, scored by squared error`,
          ]
            .filter(Boolean)
            .join('; ')})`,
        ]
      : []),
    ...(a.data?.rows !== undefined ? [`, ${a.data.rows} rows`] : []),
    ...(a.data?.features !== undefined ? [` and ${a.data.features} features`] : []),
    '.',
  ];
  const engine = a.config?.engine;
  const imported = p?.imported as { metric?: string; files?: string[] } | undefined;
  const model: Text = imported
    ? [
        `The losses were measured outside tra and imported${imported.metric ? ` (metric: ${imported.metric})` : ''}: every network, split and seed is as the user trained it.`,
      ]
    : p?.model
      ? [
          `Every network is the user's model `,
          code(p.model.source ?? 'model'),
          ', with one output per task of its group.',
        ]
      : engine
        ? [
            `Every network is a multi-task network with a shared trunk${engine.hidden ? ` of ${engine.hidden.length} hidden layers (${engine.hidden.join(', ')} units, ReLU)` : ''} and one output head per task of its group, trained with Adam`,
            ...(engine.learningRate !== undefined ? [` at learning rate ${engine.learningRate}`] : []),
            ...(engine.batchSize !== undefined ? [`, batch size ${engine.batchSize}`] : []),
            ...(engine.epochs !== undefined ? [`, for at most ${engine.epochs} epochs`] : []),
            '; the loss of a network is the unweighted sum of its tasks\u2019 losses.',
          ]
        : [];
  const split = a.config?.split as { kind?: string; folds?: number; validation?: number; test?: number } | undefined;
  const splitText: Text =
    split?.kind === 'holdout'
      ? [
          `Each seed draws its own split of the rows${split.validation !== undefined && split.test !== undefined ? ` (${Math.round(split.validation * 100)}% validation, ${Math.round(split.test * 100)}% test, the rest training)` : ''}; features are standardised with the training rows\u2019 statistics.`,
        ]
      : split?.kind
        ? [`Each seed splits the rows into ${split.folds ?? facts.foldsPerSeed} folds (${split.kind}).`]
        : [];
  const seeds: Text = facts.seeds.length
    ? [
        `Every task alone and every pair of tasks was trained on ${facts.seeds.length} seeds (${seedList(facts.seeds)})${facts.foldsPerSeed > 1 ? `, ${facts.foldsPerSeed} folds each` : ''}; all networks of a seed share its split and initialisation.`,
      ]
    : [];
  const adaptive = a.adaptive as { target?: number; reached?: boolean; reason?: string } | undefined;
  const stop: Text =
    adaptive?.target !== undefined
      ? [
          `Seeds were added until the split-half reliability of the matrix reached ${adaptive.target}${adaptive.reason ? ` (${adaptive.reason})` : ''}.`,
        ]
      : [];
  const epochs: Text =
    !imported && engine
      ? [
          `Model selection: each network\u2019s test loss is taken at the epoch of its lowest validation loss${engine.patience !== undefined ? `, training stopping after ${engine.patience} epochs without improvement` : ''}.`,
        ]
      : [];
  return [
    data,
    [...model, ...(model.length ? [' '] : []), ...splitText],
    [...seeds, ...(stop.length ? [' '] : []), ...stop],
    epochs,
  ].filter((t) => t.length);
}

/** The gain, the intervals, the tests and the reliability. */
function inference(folder: PaperFolder, facts: MethodsFacts): Text[] {
  const a = folder.affinity;
  const level = levelText(facts.level);
  const gain: Text = [
    'The affinity of task j for task i is the gain ',
    math('A_{ij} = 1 - L_i(\\{i,j\\}) / L_i(\\{i\\})', 'A_ij = 1 \u2212 L_i({i,j}) / L_i({i})'),
    ', where ',
    math('L_i(G)', 'L_i(G)'),
    ' is task i\u2019s test loss in the network trained on the tasks G ',
    cite('standley2020'),
    '; positive means j helps i.',
  ];
  const intervals: Text = [
    `Replications that share a seed share its rows and initialisation, so every interval and test is at the seed level: each seed\u2019s folds are averaged first, and ${level} intervals use Student\u2019s t over seeds (df = seeds \u2212 1).`,
  ];
  const tests: Text =
    facts.fdr !== undefined
      ? [
          'Each cell is tested by a paired t-test of ',
          math('L_i(\\{i\\}) - L_i(\\{i,j\\})', 'L_i({i}) \u2212 L_i({i,j})'),
          ` over seeds; the ${a.taskNames.length * (a.taskNames.length - 1)} cells are judged at a false-discovery rate of ${Math.round(facts.fdr * 100)}% by the Benjamini\u2013Hochberg procedure `,
          cite('benjamini1995'),
          ...(a.inference?.counts
            ? [
                `: ${a.inference.counts.helps ?? 0} cells help, ${a.inference.counts.hurts ?? 0} hurt and ${a.inference.counts['no evidence'] ?? 0} show no evidence.`,
              ]
            : ['.']),
        ]
      : [];
  const r = facts.reliability;
  const reliability: Text = r
    ? [
        `Reliability: the ${r.replications} replications are split into two random halves ${a.reliability?.splits ? `${a.reliability.splits} times ` : ''}and the two halves\u2019 matrices correlated (mean r = ${formatFixed(r.halfCorrelation)}); the Spearman\u2013Brown step-up `,
        cite('spearman1910', 'brown1910'),
        ` gives the reliability of the whole matrix, ${formatFixed(r.reliability)}.`,
      ]
    : [];
  return [gain, [...intervals, ...(tests.length ? [' '] : []), ...tests], reliability].filter((t) => t.length);
}

/** What the grouping chose on what, and how it was checked. */
function grouping(folder: PaperFolder): Text[] {
  const g = folder.grouping;
  if (!g) return [];
  const methods = [...new Set(g.curve.map((p) => p.method))];
  const highs = methods.some((m) => /HiGHS|ILP/i.test(m));
  const louvain = g.clustering?.some((c) => c.method === 'louvain');
  const loop = g.closedLoop;
  return [
    [
      'Grouping is network selection ',
      cite('standley2020'),
      `: for every budget of networks, the set of networks whose best member per task minimises the total loss, by ${methods.join('; ')}`,
      ...(highs ? [', solved with HiGHS ', cite('huangfu2018')] : []),
      '.',
      ...(g.candidates ? [` Candidates: ${g.candidates}.`] : []),
      ...(g.approximated ? [` ${sentence(g.approximated.replace(/^approximatedGroups: /, ''))}`] : []),
    ],
    [
      ...(g.selectedOn ? [`Chosen on validation losses: ${g.selectedOn}. `] : []),
      ...(g.scoredOn ? [`Scored on: ${g.scoredOn}.`] : []),
      ...(g.chosenBudget ? [` The recommended budget, ${g.chosenBudget.budget}: ${g.chosenBudget.reason}.`] : []),
    ],
    [
      ...(loop
        ? [
            `Closed loop: the recommended grouping and its baselines were trained again on seeds ${loop.seeds.join(', ')}, which the sweep never used${loop.verdict ? `; ${loop.verdict.text}` : ''}.`,
          ]
        : []),
      ...(g.clustering?.length
        ? [
            ' Clustering alternatives (average linkage',
            ...(louvain ? [', Louvain ', cite('blondel2008')] : []),
            ') are priced with the same test losses.',
          ]
        : []),
      ...(g.stability ? [` Bootstrap stability over ${g.stability.draws} resamples of the seeds.`] : []),
    ],
  ].filter((t) => t.length);
}

/** One paragraph per auxiliary ranking the folder holds (tra group --main's, then tra auxiliary's per main task). */
function auxiliary(folder: PaperFolder): Text[] {
  return folder.auxiliaries.map(({ artefact: x }) => {
    const heuristics = x.heuristics ?? [];
    const cites: ReferenceKey[] = [
      ...(heuristics.some((h) => /Alonso/.test(h.source)) ? ['alonso2017' as const] : []),
      ...(heuristics.some((h) => /Bingel/.test(h.source)) ? ['bingel2017' as const] : []),
    ];
    return [
      `Auxiliary tasks for ${x.main} are ranked by its gain from each candidate${x.gain ? `, ${x.gain}` : ''}.`,
      ...(x.recommended ? [` The recommended set was chosen on validation losses (${x.recommended.rule}).`] : []),
      ...(x.closedLoop ? [` It was trained again on fresh seeds ${x.closedLoop.seeds.join(', ')}.`] : []),
      ...(cites.length
        ? [' Cheap heuristics from the literature ', cite(...cites), ' are ranked against the measured gains.']
        : []),
    ];
  });
}

function taxonomy(folder: PaperFolder): Text[] {
  const t = folder.taxonomy;
  if (!t) return [];
  const s = t.settings as { orders?: number[]; beam?: number; readoutHidden?: number[] } | undefined;
  return [
    [
      'The taxonomy follows Taskonomy ',
      cite('zamir2018'),
      ': a readout trained on the frozen trunks of source tasks for each target',
      ...(s?.orders ? [` (transfer orders ${s.orders.join(', ')}`, ...(s.beam ? [`, beam ${s.beam}`] : []), ')'] : []),
      ', normalised per target by the analytic hierarchy process, and the sources chosen under a supervision budget by binary integer programming',
      ...(t.budget !== undefined ? [` (budget ${t.budget})`] : []),
      '.',
    ],
  ];
}

function proxies(folder: PaperFolder): Text[] {
  const list = folder.proxies?.proxies ?? [];
  if (!list.length) return [];
  return [
    [
      'Cheap estimates of the affinity were compared with the sweep by Spearman rank correlation over ordered pairs: ',
      ...list.flatMap((p, k) => {
        const keys = proxyCitations(p.id ?? p.proxy);
        return [`${k ? '; ' : ''}${p.proxy}`, ...(keys.length ? [' ', cite(...keys)] : [])];
      }),
      '.',
    ],
  ];
}

function baselines(folder: PaperFolder): Text[] {
  const b = folder.baselines;
  if (!b) return [];
  const names = b.columns.map((c) => c.name);
  return [
    [
      `Linear baselines on ${b.split ? `a ${b.split} split` : 'one split'}${b.seed !== undefined ? ` (seed ${b.seed})` : ''}, hyper-parameters tuned by ${b.folds ?? 'k'}-fold cross-validation on the training rows: ${names.join(', ')}`,
      ...(names.includes('mean-regularised')
        ? ['; mean-regularised as Evgeniou and Pontil ', cite('evgeniou2004')]
        : []),
      ...(names.some((n) => n.startsWith('clustered')) ? ['; clustered as Jacob et al. ', cite('jacob2008')] : []),
      '.',
    ],
  ];
}

function software(folder: PaperFolder): Text[] {
  const p = folder.affinity.provenance;
  if (!p) return [];
  return [
    [
      `Software: ${p.tool ?? 'task-relations'} ${p.toolVersion ?? ''}`.trimEnd(),
      ...(p.node ? [`, Node.js ${p.node}`] : []),
      ...(p.tfjs ? [`, TensorFlow.js ${p.tfjs}`] : []),
      ...(p.backends?.length ? [`; training backend ${p.backends.join(', ')}`] : []),
      '. The reproducibility appendix lists the data and configuration hashes and the commands.',
    ],
  ];
}

/** The methods section of the folder, in subsections. */
export function methodsSections(folder: PaperFolder): MethodsSection[] {
  const facts = methodsFacts(folder);
  const deviations = recordedDeviations(folder);
  const sections: MethodsSection[] = [
    { title: 'Protocol', blocks: protocol(folder, facts) },
    { title: 'Affinity and inference', blocks: inference(folder, facts) },
    { title: 'Grouping', blocks: grouping(folder) },
    { title: 'Auxiliary tasks', blocks: auxiliary(folder) },
    { title: 'Taxonomy', blocks: taxonomy(folder) },
    { title: 'Proxies', blocks: proxies(folder) },
    { title: 'Baselines', blocks: baselines(folder) },
    {
      title: 'Deviations from the cited methods',
      blocks: deviations.length
        ? [
            ['The artefacts record these departures from the methods cited above:'],
            {
              items: deviations.map(
                (d): Text => [d.method, ...(d.cites.length ? [' ', cite(...d.cites)] : []), `: ${d.text}.`],
              ),
            },
          ]
        : [['The artefacts record no departure from the methods cited above.']],
    },
    { title: 'Software', blocks: software(folder) },
  ];
  return sections.filter((s) => s.blocks.length);
}
