/**
 * Preloaded with `node --import` into a child process: makes the backends named in TRA_TEST_HIDE_BACKENDS (comma
 * separated: native, tensorflow, wasm) fail to load, as on a machine where they are not installed.
 */
import Module, { register } from 'node:module';

const hidden = new Set((process.env.TRA_TEST_HIDE_BACKENDS ?? '').split(',').filter(Boolean));
const packages: Record<string, string> = {
  '@tensorflow/tfjs-node': 'tensorflow',
  '@tensorflow/tfjs-backend-wasm': 'wasm',
};

/** ESM resolution hook (this module is also registered as the loader): a hidden backend's package is not found. */
export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (hidden.has(packages[specifier]))
    throw Object.assign(new Error(`Cannot find package '${specifier}' (hidden by the test)`), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
  return next(specifier, context);
}

// Only where a package must be hidden: with a loader registered, tfjs-node imported from ES modules would get a
// tfjs-core instance of its own.
if (hidden.has('tensorflow') || hidden.has('wasm')) register(import.meta.url);
if (hidden.has('native')) {
  // The native trainer is loaded with require: hide it from CommonJS loading.
  const modules = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = modules._load;
  modules._load = (request, ...rest) => {
    if (request.endsWith('trainer.node'))
      throw Object.assign(new Error(`Cannot find module '${request}'`), { code: 'MODULE_NOT_FOUND' });
    return load(request, ...rest);
  };
}
