/**
 * Memory of the records side at scale (issue 32): a finished journal read and turned into the affinity estimate, stage
 * by stage, in this process. Per stage: CPU seconds so far, the process's peak resident memory so far (maxRSS), and
 * what it holds after a full garbage collection (V8 heap and typed arrays). The artefact files are not written here
 * (bench/scale.ts measures whole runs, writing included).
 * usage: node --expose-gc dist/bench/journalMemory.js <journal.jsonl>
 *   e.g. the journal of `node dist/bench/scale.js local --cases planted1000` kept from its output folder
 */
import { estimateAffinity } from '../src/affinity/estimate.js';
import { replicatesFromRecords } from '../src/affinity/gain.js';
import { inferCells } from '../src/affinity/inference.js';
import { journalProvenance } from '../src/report/provenance.js';
import { taskNamesOf, type SweepConfig } from '../src/sweep/config.js';
import { readJournal } from '../src/sweep/journal.js';
import { pairwiseGroups } from '../src/sweep/plan.js';

const path = process.argv[2];
if (!path) throw new Error('usage: node --expose-gc dist/bench/journalMemory.js <journal.jsonl>');
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('run with node --expose-gc, so that what a stage holds is measured after a collection');
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0).padStart(6);
const cpu = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
process.stdout.write(
  `${'stage'.padEnd(12)} ${'CPU s'.padStart(6)} ${'peak MB'.padStart(8)} ${'held MB'.padStart(8)}\n`,
);
const stage = (name: string): void => {
  const peak = process.resourceUsage().maxRSS * 1024;
  collect();
  const { heapUsed, external } = process.memoryUsage();
  process.stdout.write(`${name.padEnd(12)} ${cpu().toFixed(1).padStart(6)} ${mb(peak)}   ${mb(heapUsed + external)}\n`);
};

stage('start');
const { header, records } = readJournal(path);
stage('read');
const taskNames = taskNamesOf(header.config as SweepConfig);
// the replications holding every single and pair, as `tra affinity` takes them
const networks = pairwiseGroups(taskNames.length).length;
const held = new Map<string, number>();
for (const r of records.values()) if (r.group.length <= 2) held.set(r.replication, (held.get(r.replication) ?? 0) + 1);
const replications = [...held].filter(([, n]) => n === networks).map(([key]) => key);
const replicates = replicatesFromRecords(records, taskNames.length, replications);
stage('replicates');
const estimate = estimateAffinity(taskNames, replicates, 0.95);
stage('estimate');
const inference = inferCells(replicates, 0.05);
stage('inference');
journalProvenance(header.config, records, header.configHash);
stage('provenance');
process.stdout.write(
  `${records.size} networks, ${taskNames.length} tasks, ${replications.length} replication(s); reliability ${estimate.reliability.reliability}; verdicts ${JSON.stringify(inference.counts)}\n`,
);
