/**
 * The reproducibility appendix: for every artefact of the folder, the command that made it, the data and its hash,
 * the configuration hash, the backend and the machine, as the artefacts' provenance records them; then the command
 * that wrote the paper.
 */
import type { Provenance } from '../report/provenance.js';
import type { PaperFolder } from './folder.js';
import { code, type Text } from './text.js';

type Recorded = Partial<Omit<Provenance, 'data' | 'machine'>> & {
  data?: { source?: string; sha256?: string; rows?: number };
  machine?: { cpu?: string; cores?: number; memoryGB?: number; os?: string };
};

export interface AppendixRow {
  artefact: string;
  provenance?: Recorded;
}

/**
 * Each artefact of the folder with its provenance (when it records one); artefacts one command wrote with the same
 * command, data, configuration and machine share one entry, their write times given as a range.
 */
export function appendixRows(folder: PaperFolder): AppendixRow[] {
  const rows: [string, object | undefined][] = [
    ['affinity.json', folder.affinity],
    ['grouping.json', folder.grouping],
    ...folder.auxiliaries.map(({ file, artefact }): [string, object] => [file, artefact]),
    ['taxonomy.json', folder.taxonomy],
    ['proxies.json', folder.proxies],
    ['baselines.json', folder.baselines],
  ];
  const merged = new Map<string, { artefacts: string[]; provenance?: Recorded; written: string[] }>();
  for (const [artefact, value] of rows) {
    if (!value) continue;
    const provenance = (value as { provenance?: Recorded }).provenance;
    // Merged on the facts the appendix shows (a grouping's journal path is recorded but not shown).
    const key = provenance
      ? JSON.stringify(appendixLines({ artefact, provenance: { ...provenance, createdAt: undefined } }))
      : artefact;
    const entry = merged.get(key) ?? { artefacts: [], provenance, written: [] };
    entry.artefacts.push(artefact);
    if (provenance?.createdAt) entry.written.push(provenance.createdAt);
    merged.set(key, entry);
  }
  return [...merged.values()].map(({ artefacts, provenance, written }) => {
    const times = [...new Set(written)].sort();
    const createdAt = times.length > 1 ? `${times[0]} to ${times[times.length - 1]}` : times[0];
    return {
      artefact: artefacts.join(', '),
      ...(provenance ? { provenance: { ...provenance, ...(createdAt ? { createdAt } : {}) } } : {}),
    };
  });
}

/** One artefact's facts as labelled lines. */
export function appendixLines({ artefact, provenance: p }: AppendixRow): { label: string; value: Text }[] {
  if (!p) return [{ label: artefact, value: ['no provenance recorded (written by hand or by an older tra)'] }];
  const machine = p.machine;
  return [
    ...(p.command ? [{ label: 'command', value: [code(p.command)] }] : []),
    ...(p.data?.source || p.data?.sha256
      ? [
          {
            label: 'data',
            value: [
              `${p.data.source ?? ''}${p.data.rows !== undefined ? ` (${p.data.rows} rows)` : ''}`,
              ...(p.data.sha256 ? [', SHA-256 ', code(p.data.sha256)] : []),
            ],
          },
        ]
      : []),
    ...(p.configHash ? [{ label: 'configuration hash', value: [code(p.configHash)] }] : []),
    ...(p.backends?.length ? [{ label: 'backend', value: [p.backends.join(', ')] }] : []),
    ...(p.sweepSeconds !== undefined && p.sweepSeconds > 0
      ? [{ label: 'training time', value: [`${p.sweepSeconds.toFixed(1)} s (sum over networks)`] }]
      : []),
    {
      label: 'machine',
      value: [
        machine?.cpu
          ? `${machine.cpu}, ${machine.cores ?? '?'} logical cores, ${machine.memoryGB ?? '?'} GB, ${machine.os ?? ''}`.trimEnd()
          : 'not recorded (written before tra recorded the machine)',
      ],
    },
    ...(p.toolVersion
      ? [
          {
            label: 'software',
            value: [`${p.tool ?? 'tra'} ${p.toolVersion}, Node.js ${p.node ?? '?'}, TensorFlow.js ${p.tfjs ?? '?'}`],
          },
        ]
      : []),
    ...(p.createdAt ? [{ label: 'written', value: [p.createdAt] }] : []),
  ];
}
