import { createRequire } from 'node:module';
import type { Highs } from 'highs';

/**
 * Loaded through require: the package's typings describe its CommonJS build (the loader at `.default`), whereas an ESM
 * import gets the ESM build, whose default export is the loader itself, so a typed `import` cannot be right at runtime.
 * Required at the first solve, not when this module loads: a sweep's start-up loads the selection code but rarely
 * solves, and the 168 KB loader took 5-12 ms of it.
 */
const loadHighs = (): Promise<Highs> => (createRequire(import.meta.url)('highs').default as () => Promise<Highs>)();

/** The wasm module is loaded once and shared (network and taxonomy selection); each solve() builds a fresh native solver, so sharing is safe. */
let highs: Promise<Highs> | undefined;
export const solver = (): Promise<Highs> => (highs ??= loadHighs());
