import { createRequire } from 'node:module';
import type { Highs } from 'highs';

/**
 * Loaded through require: the package's typings describe its CommonJS build (the loader at `.default`), whereas an ESM
 * import gets the ESM build, whose default export is the loader itself, so a typed `import` cannot be right at runtime.
 */
const loadHighs = createRequire(import.meta.url)('highs').default as () => Promise<Highs>;

/** The wasm module is loaded once and shared (network and taxonomy selection); each solve() builds a fresh native solver, so sharing is safe. */
let highs: Promise<Highs> | undefined;
export const solver = (): Promise<Highs> => (highs ??= loadHighs());
