import { readFileSync } from 'node:fs';

/** How an artefact was made: enough to reproduce it or to tell two runs apart. */
export interface Provenance {
  tool: string;
  toolVersion: string;
  node: string;
  tfjs: string;
  backends: string[];
  command: string;
  data: { source: string; sha256: string; rows: number };
  configHash: string;
  createdAt: string;
  sweepSeconds: number;
}

export function toolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The command line as a user would retype it. */
export function commandLine(argv: string[] = process.argv): string {
  const quote = (a: string): string => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['tra', ...argv.slice(2)].map(quote).join(' ');
}
