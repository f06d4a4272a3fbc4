import { statSync } from 'node:fs';

/** A command's argument that names a folder (the output of `tra import`) rather than an analysis definition. */
export const isFolder = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
