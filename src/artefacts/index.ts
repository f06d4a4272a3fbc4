/** Every output artefact: its schema and type, its file names, `write<Name>(dir, data)` and a validating `read<Name>(path)`. */
export * from './affinity.js';
export * from './grouping.js';
export * from './auxiliary.js';
export * from './proxies.js';
export * from './baselines.js';
export * from './taxonomy.js';
export * from './imported.js';
export * from './networks.js';
export { readJson, parseArtefact, type JsonNumber, type JsonMatrix, type IntervalJson } from './files.js';
export * from './paper.js';
