/**
 * The shape of one report section (Node side). Each view file declares its section once; views/registry.ts lists
 * them, and the page (html/render.ts) and the folder loader (html/load.ts) are built from that list; its drawing is
 * the function of the same key in draw/index.ts (the page script).
 */
import type { AffinityFile } from '../html/input.js';

interface SectionBase<Key extends string, Data> {
  /** The key of the embedded data and of the page's ids (`#section-<key>`, `#view-<key>`). */
  key: Key;
  title: string;
  /** Short name in the section navigation. */
  nav: string;
  /** The paragraph above the view (HTML: escape every value taken from the data). */
  intro(data: Data, affinity: AffinityFile): string;
}

/** A section with its own file in the report folder (e.g. grouping.json), drawn only when the file is there. */
export interface FileSection<Key extends string, Input, Data> extends SectionBase<Key, Data> {
  /** The file (its path in the folder), as messages name it. */
  file: string;
  /**
   * The section's files in the folder `dir` when it has several (e.g. one per main task): `read` then gives each
   * file's input as a list, and the section's input is their concatenation. Without it: `file`, when it is there.
   */
  files?(dir: string): string[];
  /** Reads the file, turns what the commands write into `Input` and checks it (an InputError names the file); undefined: nothing to draw. */
  read(path: string): Input | undefined;
  /** Checks a value given in code (`ReportInput[key]`); `where` starts the error message. */
  check(value: unknown, where: string): void;
  /** The view's data; undefined: nothing to draw. */
  data(input: Input, affinity: AffinityFile): Data | undefined;
}

/** A section drawn from affinity.json alone. */
export interface AffinitySection<Key extends string, Data> extends SectionBase<Key, Data> {
  file?: undefined;
  /** Checks the fields of affinity.json this section reads (beyond checkAffinity's). */
  check?(affinity: AffinityFile, where: string): void;
  /** The view's data; undefined: nothing to draw. */
  data(affinity: AffinityFile): Data | undefined;
  /** The view's data as the page embeds it, when the page holds less than `data` (which the paper's tables read); default `data`. */
  pageData?(affinity: AffinityFile): Data | undefined;
}

/** Any section, as the page, the loader and the script builder handle them (methods are bivariant, so every section fits). */
export type Section = FileSection<string, unknown, unknown> | AffinitySection<string, unknown>;
