#!/usr/bin/env node
// Builds the native fused trainer (native/trainer.cc -> native/build/trainer.node) with the machine's C++ compiler
// against the running node's own headers: nothing is downloaded (node-gyp would fetch headers from nodejs.org).
//
//   node scripts/native/build-trainer.mjs [--optional]
//
// `npm install` runs it with --optional (the root package's `install` script): where no compiler or no node headers
// are found, or the build fails, it prints one line saying why and exits 0, and the engine uses tensorflow or wasm.
// Without --optional (CI, `npm run build:native`) the same cases exit 1. Environment: CXX (compiler, default c++,
// then g++, clang++), TRA_NODE_HEADERS (the folder holding node_api.h), TRA_NATIVE_MARCH (default native: the build
// is tuned for the CPU it runs on; set e.g. x86-64-v3 to build for another machine). -fno-math-errno lets the compiler
// vectorise Adam's square roots (measured: 36 -> 58 GFLOP/s per core for a yeast network's epoch).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const optional = process.argv.includes('--optional');
const source = join(root, 'native', 'trainer.cc');
const target = join(root, 'native', 'build', 'trainer.node');

function give_up(reason) {
  process.stderr.write(`native trainer not built: ${reason}; the engine will use tensorflow or wasm\n`);
  process.exit(optional ? 0 : 1);
}

const headerDirs = [
  process.env.TRA_NODE_HEADERS,
  join(dirname(process.execPath), '..', 'include', 'node'),
  '/usr/include/node',
  '/usr/local/include/node',
];
const headers = headerDirs.find((dir) => dir && existsSync(join(dir, 'node_api.h')));
if (!headers)
  give_up(
    `no node headers (node_api.h) in ${headerDirs.filter(Boolean).join(', ')}; set TRA_NODE_HEADERS or install node's headers (Debian's nodejs package has them)`,
  );

const compilers = process.env.CXX ? [process.env.CXX] : ['c++', 'g++', 'clang++'];
const compiler = compilers.find((cxx) => spawnSync(cxx, ['--version'], { stdio: 'ignore' }).status === 0);
if (!compiler) give_up(`no C++ compiler (${compilers.join(', ')}) on PATH`);

mkdirSync(dirname(target), { recursive: true });
const partial = `${target}.${process.pid}.tmp`;
const march = process.env.TRA_NATIVE_MARCH ?? 'native';
const flags = [
  '-std=c++17',
  '-O3',
  '-fno-math-errno',
  '-shared',
  '-fPIC',
  '-pthread',
  '-Wall',
  `-I${headers}`,
  source,
  '-o',
  partial,
];
if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
const attempt = (extra) => spawnSync(compiler, [...extra, ...flags], { encoding: 'utf8' });
let tuning = `-march=${march}`;
let build = attempt([tuning]);
if (build.status !== 0 && march === 'native') [tuning, build] = ['portable', attempt([])]; // a compiler without -march=native
if (build.status !== 0)
  give_up(
    `${compiler} failed: ${(build.stderr || build.error?.message || '').trim().split('\n').slice(0, 3).join(' | ')}`,
  );
renameSync(partial, target); // atomic: a running engine never loads a half-written file
process.stdout.write(`native trainer built: ${target} (${compiler}, ${tuning})\n`);
