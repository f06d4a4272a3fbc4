import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadNativeTrainer } from '../../src/engine/native.js';

const hook = fileURLToPath(new URL('../helpers/hideBackends.js', import.meta.url));
const backendModule = new URL('../../src/engine/backend.js', import.meta.url).href;

/** In a fresh process with `hide` unavailable: the default selection, then each of `requested` in turn. */
function select(hide: string[], requested: string[] = []) {
  const script = `const { selectBackend } = await import(${JSON.stringify(backendModule)});
const picked = [await selectBackend()];
for (const name of ${JSON.stringify(requested)}) picked.push(await selectBackend(name).catch((e) => 'error: ' + e.message));
console.log(JSON.stringify(picked));`;
  const run = spawnSync(process.execPath, ['--import', hook, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TRA_TEST_HIDE_BACKENDS: hide.join(',') },
  });
  assert.equal(run.status, 0, run.stderr);
  return { picked: JSON.parse(run.stdout) as string[], stderr: run.stderr };
}

test('the default backend is the first that loads of native > tensorflow > wasm > cpu; --backend overrides; a requested backend that cannot load is an error', () => {
  const nativeBuilt = typeof loadNativeTrainer() !== 'string';
  const all = select([], ['wasm', 'cpu', 'tensorflow']);
  const tensorflowLoads = all.picked[3] === 'tensorflow'; // else why it does not, as an error
  assert.deepEqual(all.picked.slice(0, 3), [
    nativeBuilt ? 'native' : tensorflowLoads ? 'tensorflow' : 'wasm',
    'wasm',
    'cpu',
  ]);
  const noNative = select(['native'], ['native']);
  assert.equal(noNative.picked[0], tensorflowLoads ? 'tensorflow' : 'wasm');
  assert.match(noNative.stderr, /native trainer unavailable, using a tfjs backend: .*trainer\.node is not built/);
  assert.equal(noNative.stderr.match(/native trainer unavailable/g)?.length, 1, 'said once per process');
  assert.match(noNative.picked[1], /^error: backend 'native': .*is not built/);
  const wasmOnly = select(['native', 'tensorflow'], ['tensorflow']);
  assert.equal(wasmOnly.picked[0], 'wasm');
  assert.match(wasmOnly.picked[1], /^error: backend 'tensorflow' could not be loaded \(install @tensorflow\/tfjs-node/);
  assert.deepEqual(select(['native', 'tensorflow', 'wasm']).picked, ['cpu']);
});
