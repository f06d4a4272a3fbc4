#!/usr/bin/env bash
# Installs @tensorflow/tfjs-node (not saved to package.json) with a native binding that loads on this machine,
# so that the engine's `tensorflow` backend works.
#
#   bash scripts/native/install.sh [--force] [--from-wheel]
#
#   --force       rebuild even if the native backend already works
#   --from-wheel  skip the normal install (which downloads libtensorflow from Google storage) and go straight to
#                 the PyPI wheel route
#
# Both routes start with `npm install --no-save --ignore-scripts @tensorflow/tfjs-node@4.22.0`.
# Route 1 (normal): tfjs-node's own install script, when Google storage (where it downloads libtensorflow 2.9.1 and
#   the prebuilt addon) answers.
# Route 2 (offline from Google, registries only): libtensorflow is taken
#   from the PyPI `tensorflow-cpu` wheel (libtensorflow_cc.so.2 exports the TF_* and TFE_* C API,
#   libtensorflow_framework.so.2 the rest, tensorflow/include has the C headers), staged into tfjs-node's deps/ folder
#   the way its binding.gyp expects (deps/lib/libtensorflow.so, deps/include), and the addon is compiled with node-gyp.
#   The addon's rpath ($ORIGIN/../../deps/lib) finds the libraries at run time. No patch to tfjs-node is needed.
#
# Environment: TFJS_NATIVE_TF_VERSION (tensorflow-cpu wheel version, default 2.12.1: the oldest wheel whose C API
# library does not need libpython; 2.9.1, the version tfjs-node 4.22 was built for, keeps the C API inside the Python
# extension _pywrap_tensorflow_internal.so), TFJS_NATIVE_CACHE (default <repo>/.native-cache/tfjs-native).
# Downloads and extracted libraries live in the cache; re-running is cheap. Undo with scripts/native/uninstall.sh.
set -euo pipefail

TFJS_NODE_VERSION=4.22.0
TF_VERSION=${TFJS_NATIVE_TF_VERSION:-2.12.1}
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
CACHE=${TFJS_NATIVE_CACHE:-$ROOT/.native-cache/tfjs-native}
PKG=$ROOT/node_modules/@tensorflow/tfjs-node
FORCE=0
FROM_WHEEL=0
for arg in "$@"; do
  case $arg in
    --force) FORCE=1 ;;
    --from-wheel) FROM_WHEEL=1 ;;
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

STEP=0
say() { printf '[native] %s\n' "$*"; }
step() { STEP=$((STEP + 1)); printf '\n[native] == %d. %s\n' "$STEP" "$*"; }
die() { printf '\n[native] FAILED: %s\n' "$*" >&2; exit 1; }
quiet_npm_log() { grep -v '^\s*$\|Unknown user config\|Unknown project config' "$1" | sed 's/^/  /' || true; }

cd "$ROOT"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -n 9 2>/dev/null || { say "another install.sh is running; waiting for it"; flock 9; }
T0=$(date +%s)

# ---------------------------------------------------------------------------------------------------------------------
# Helpers (node one-liners run from the repo root, so they resolve modules exactly as the project does)
installed_name() { node -p "try { const p = require('$PKG/package.json'); p.name + '@' + p.version } catch { '' }" 2>/dev/null; }
is_real_tfjs_node() { [ "$(installed_name)" = "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" ]; }

# The check the task asks for: prints "tensorflow Float32Array(4) [ 2, 2, 2, 2 ]".
VERIFY_JS="import('@tensorflow/tfjs-node').then(async tf => { await tf.setBackend('tensorflow'); console.log(tf.getBackend(), tf.matMul(tf.ones([2,2]), tf.ones([2,2])).dataSync()) })"
verify_backend() {
  local out
  out=$(TF_CPP_MIN_LOG_LEVEL=2 node -e "$VERIFY_JS" 2>&1) || { printf '%s\n' "$out" | tail -5 >&2; return 1; }
  printf '%s\n' "$out" | grep -v '^$' | tail -1
  printf '%s\n' "$out" | grep -q '^tensorflow Float32Array(4) \[ 2, 2, 2, 2 \]$'
}

# package.json's overrides alias danfojs-node's @tensorflow/tfjs-node to @tensorflow/tfjs (pure JS). npm hoists that
# alias to node_modules/@tensorflow/tfjs-node; a --no-save install of the real package replaces it there, so danfojs
# would load the native addon, whose import switches the global backend to 'tensorflow' (tfjs-node calls
# tf.setBackend on import) even when the engine chose wasm. Re-create the alias one level down, where Node's
# resolution finds it first for danfojs only.
restore_danfo_alias() {
  [ -d node_modules/danfojs-node ] || return 0
  local spec
  spec=$(node -p "((require('./package.json').overrides || {})['danfojs-node'] || {})['@tensorflow/tfjs-node'] || ''")
  case $spec in
    npm:@tensorflow/tfjs@*) ;;
    *) say "package.json has no danfojs-node -> @tensorflow/tfjs alias; leaving danfojs-node as npm installed it"; return 0 ;;
  esac
  local resolved
  resolved=$(node -p "require(require.resolve('@tensorflow/tfjs-node/package.json', { paths: [require('path').resolve('node_modules/danfojs-node')] })).name")
  if [ "$resolved" = "@tensorflow/tfjs" ]; then say "danfojs-node already resolves @tensorflow/tfjs-node to the pure-JS alias"; return 0; fi
  mkdir -p node_modules/danfojs-node/node_modules/@tensorflow
  ln -sfn ../../../@tensorflow/tfjs node_modules/danfojs-node/node_modules/@tensorflow/tfjs-node
  say "danfojs-node: @tensorflow/tfjs-node -> node_modules/@tensorflow/tfjs (as the override '$spec' intends)"
}

check_tree() {
  say "checking that the tfjs packages dedupe (one @tensorflow/tfjs-core, one @tensorflow/tfjs)"
  local versions
  versions=$(npm ls @tensorflow/tfjs-core --all --json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const seen = new Set(); const walk = (n) => { for (const [k, v] of Object.entries(n.dependencies || {})) {
        if (k === "@tensorflow/tfjs-core" && v.version) seen.add(v.version); walk(v); } };
      walk(JSON.parse(s || "{}")); console.log([...seen].join(" ")); });')
  [ "$versions" = "4.22.0" ] || die "npm ls @tensorflow/tfjs-core shows versions '$versions', expected only 4.22.0"
  node -e "
    const path = require('path'), top = (m) => require.resolve(m + '/package.json');
    const from = (m) => require.resolve(m + '/package.json', { paths: [path.resolve('$PKG')] });
    for (const m of ['@tensorflow/tfjs', '@tensorflow/tfjs-core'])
      if (from(m) !== top(m)) { console.error('tfjs-node resolves ' + m + ' to ' + from(m) + ', not ' + top(m)); process.exit(1); }" \
    || die "@tensorflow/tfjs-node does not share the project's @tensorflow/tfjs"
  say "ok: @tensorflow/tfjs-core 4.22.0 only; tfjs-node uses the project's @tensorflow/tfjs"
  if [ -d node_modules/danfojs-node ]; then
    local tfnode
    tfnode=$(TF_CPP_MIN_LOG_LEVEL=2 node -e "import('danfojs-node').then(() => console.log(require(require.resolve('@tensorflow/tfjs-node/package.json', { paths: [require('path').resolve('node_modules/danfojs-node')] })).name))" 2>"$CACHE/danfo.log") \
      || { tail -5 "$CACHE/danfo.log" >&2; die "node -e \"import('danfojs-node')\" failed"; }
    say "ok: import('danfojs-node') works (its @tensorflow/tfjs-node is $tfnode)"
  fi
}

finish() {
  restore_danfo_alias
  check_tree
  step "verify the native backend"
  local line
  line=$(verify_backend) || die "the native backend does not load (see above)"
  say "$line"
  say "done in $(($(date +%s) - T0)) s. Disk: $(du -shc "$PKG" "$CACHE" 2>/dev/null | tail -1 | cut -f1) (node_modules/@tensorflow/tfjs-node + $CACHE; the .so files are hard links, counted once)"
  exit 0
}

# Undo a half-done install, so a broken tfjs-node never stays in node_modules.
ROLLBACK=0
on_exit() {
  local rc=$?
  if [ $rc -ne 0 ] && [ $ROLLBACK -eq 1 ]; then
    say "rolling back: removing the unbuilt @tensorflow/tfjs-node (scripts/native/uninstall.sh)"
    bash "$SCRIPT_DIR/uninstall.sh" >/dev/null 2>&1 || say "rollback failed: run scripts/native/uninstall.sh by hand"
  fi
}
trap on_exit EXIT

# ---------------------------------------------------------------------------------------------------------------------
step "preflight"
for tool in node npm python3 g++ make; do
  command -v $tool >/dev/null || die "'$tool' is missing (Debian: apt-get install -y nodejs npm python3 python3-pip g++ make)"
done
python3 -m pip --version >/dev/null 2>&1 || die "pip is missing for python3 (apt-get install -y python3-pip)"
[ -f package.json ] && [ -d node_modules/@tensorflow/tfjs ] || die "run 'npm ci' in $ROOT first (node_modules/@tensorflow/tfjs is missing)"
[ "$(uname -sm)" = "Linux x86_64" ] || die "only Linux x86_64 is supported (this is $(uname -sm))"
say "node $(node --version), npm $(npm --version 2>/dev/null), $(python3 --version), $(g++ --version | head -1)"

if is_real_tfjs_node && [ $FORCE -eq 0 ]; then
  if line=$(verify_backend 2>/dev/null); then
    say "@tensorflow/tfjs-node@$TFJS_NODE_VERSION is installed and its native backend works ($line); use --force to rebuild"
    finish
  fi
  say "@tensorflow/tfjs-node@$TFJS_NODE_VERSION is installed but its addon does not load: rebuilding it"
fi

# ---------------------------------------------------------------------------------------------------------------------
step "npm install --no-save --ignore-scripts @tensorflow/tfjs-node@$TFJS_NODE_VERSION"
FRESH=0
if is_real_tfjs_node; then
  say "already in node_modules"
else
  ROLLBACK=1
  FRESH=1
  rc=0
  timeout 600 npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" \
    >"$CACHE/npm.log" 2>&1 || rc=$?
  quiet_npm_log "$CACHE/npm.log"
  [ $rc -eq 0 ] || die "npm install failed (exit $rc; log: $CACHE/npm.log)"
  is_real_tfjs_node || die "npm install did not put @tensorflow/tfjs-node@$TFJS_NODE_VERSION in node_modules"
fi
ROLLBACK=1
restore_danfo_alias

# ---------------------------------------------------------------------------------------------------------------------
# The normal install: tfjs-node's own install script (npm 11 no longer runs dependencies' install scripts unless
# package.json's allowScripts lists them, so it is run here directly, as npm would).
if [ $FROM_WHEEL -eq 0 ] && [ $FRESH -eq 1 ]; then
  step "normal install: tfjs-node's scripts/install.js (downloads libtensorflow 2.9.1 and the addon from Google storage)"
  PROBE=${TFJS_NODE_CDN_STORAGE:-https://storage.googleapis.com/}tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz
  if node -e "fetch('$PROBE', { method: 'HEAD', signal: AbortSignal.timeout(8000) }).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    say "Google storage answers: running it"
    rc=0
    (cd "$PKG" && PATH="$ROOT/node_modules/.bin:$PKG/node_modules/.bin:$PATH" timeout 900 node scripts/install.js) \
      >"$CACHE/tfjs-node-install.log" 2>&1 || rc=$?
    sed 's/^/  /' "$CACHE/tfjs-node-install.log" | tail -5
    if [ $rc -eq 0 ] && verify_backend >/dev/null 2>&1; then
      ROLLBACK=0
      finish
    fi
    say "the normal install did not give a working backend (exit $rc, log: $CACHE/tfjs-node-install.log); using the PyPI wheel instead"
  else
    say "Google storage does not answer (8 s): using the PyPI wheel instead"
  fi
fi


# ---------------------------------------------------------------------------------------------------------------------
TFDIR=$CACHE/tf-$TF_VERSION
step "libtensorflow $TF_VERSION from the PyPI tensorflow-cpu wheel -> $TFDIR"
if [ -f "$TFDIR/.complete" ]; then
  say "already extracted"
else
  WHEELS=$CACHE/wheels
  mkdir -p "$WHEELS"
  WHEEL=$(ls "$WHEELS"/tensorflow_cpu-"$TF_VERSION"-*manylinux*x86_64*.whl 2>/dev/null | head -1 || true)
  if [ -z "$WHEEL" ]; then
    for pyv in 3.11 3.10 3.12 3.9; do
      say "pip download --no-deps tensorflow-cpu==$TF_VERSION (cp${pyv/./}, manylinux2014_x86_64)"
      if timeout 900 python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
        --python-version "$pyv" --implementation cp "tensorflow-cpu==$TF_VERSION" -d "$WHEELS" 2>"$CACHE/pip.log"; then
        break
      fi
    done
    WHEEL=$(ls "$WHEELS"/tensorflow_cpu-"$TF_VERSION"-*manylinux*x86_64*.whl 2>/dev/null | head -1 || true)
    [ -n "$WHEEL" ] || die "no x86_64 linux wheel of tensorflow-cpu==$TF_VERSION could be downloaded ($(tail -1 "$CACHE/pip.log"))"
  fi
  say "wheel: $(basename "$WHEEL") ($(du -h "$WHEEL" | cut -f1))"
  rm -rf "$TFDIR.tmp" && mkdir -p "$TFDIR.tmp"
  say "extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C headers"
  python3 - "$WHEEL" "$TFDIR.tmp" <<'PY' || die "the wheel cannot be used (see above)"
import os, shutil, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
libs = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2']
missing = [l for l in libs if l not in names]
if missing:
    extra = ''
    if 'tensorflow/python/_pywrap_tensorflow_internal.so' in names:
        extra = (' This wheel keeps the TF_*/TFE_* C API in tensorflow/python/_pywrap_tensorflow_internal.so, a CPython'
                 ' extension with undefined Py* symbols (e.g. PyTuple_Type): it only loads if libpython is loaded first.'
                 ' Use tensorflow-cpu >= 2.12 (TFJS_NATIVE_TF_VERSION=2.12.1).')
    sys.exit('[native] ' + os.path.basename(wheel) + ' has no ' + ', '.join(missing) + '.' + extra)
prefixes = ('tensorflow/include/tensorflow/', 'tensorflow/include/tsl/', 'tensorflow/include/xla/')
for n in sorted(names):
    if n.endswith('/'):
        continue
    if n in libs:
        out = os.path.join(dest, 'lib', os.path.basename(n))
    elif n.startswith(prefixes):
        out = os.path.join(dest, 'include-all', n[len('tensorflow/include/'):])
    else:
        continue
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with z.open(n) as src, open(out, 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 22)
for l in libs:
    os.chmod(os.path.join(dest, 'lib', os.path.basename(l)), 0o755)
PY
  # Keep only the headers the binding's sources include (c_api.h, eager/c_api.h and their includes).
  NODE_INC=$(node -p "require('path').join(process.execPath, '../../include/node')")
  mkdir -p "$TFDIR.tmp/include"
  g++ -std=c++17 -M -DNAPI_VERSION=8 -I"$NODE_INC" -I"$TFDIR.tmp/include-all" "$PKG"/binding/*.cc 2>"$CACHE/headers.log" \
    | tr ' \\' '\n\n' | { grep "^$TFDIR.tmp/include-all/" || true; } | sort -u | while read -r h; do
      rel=${h#"$TFDIR.tmp/include-all/"}
      mkdir -p "$TFDIR.tmp/include/$(dirname "$rel")" && cp "$h" "$TFDIR.tmp/include/$rel"
    done || true
  ! grep -q 'error' "$CACHE/headers.log" && [ -f "$TFDIR.tmp/include/tensorflow/c/c_api.h" ] \
    && [ -f "$TFDIR.tmp/include/tensorflow/c/eager/c_api.h" ] || die "the binding's headers are not all in the wheel: $(grep -m1 'error' "$CACHE/headers.log")"
  rm -rf "$TFDIR.tmp/include-all"
  # Which library exports what the binding calls (informational, and a clear error if the C API is missing).
  if command -v nm >/dev/null; then
    for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
      say "  $lib: $(nm -D --defined-only "$TFDIR.tmp/lib/$lib" | awk '{sub(/@.*/, "", $3); print $3}' | grep -c '^TF_') TF_*, $(nm -D --defined-only "$TFDIR.tmp/lib/$lib" | awk '{sub(/@.*/, "", $3); print $3}' | grep -c '^TFE_') TFE_* symbols"
    done
  fi
  say "  headers: $(cd "$TFDIR.tmp/include" && find . -name '*.h' | sed 's|^\./||' | sort | tr '\n' ' ')"
  touch "$TFDIR.tmp/.complete"
  rm -rf "$TFDIR" && mv "$TFDIR.tmp" "$TFDIR"
  rm -f "$WHEEL"  # 200+ MB; pip download brings it back in seconds if ever needed
fi

# ---------------------------------------------------------------------------------------------------------------------
step "stage deps/ for tfjs-node's binding.gyp (deps/lib/libtensorflow.so, deps/include)"
rm -rf "$PKG/deps" "$PKG/build"
mkdir -p "$PKG/deps/lib"
for lib in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
  ln "$TFDIR/lib/$lib" "$PKG/deps/lib/$lib" 2>/dev/null || cp "$TFDIR/lib/$lib" "$PKG/deps/lib/$lib"
done
ln -s libtensorflow_cc.so.2 "$PKG/deps/lib/libtensorflow.so"
ln -s libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"
cp -r "$TFDIR/include" "$PKG/deps/include"
say "deps/lib: $(cd "$PKG/deps/lib" && for f in *; do if [ -L "$f" ]; then printf '%s -> %s; ' "$f" "$(readlink "$f")"; else printf '%s (%s); ' "$f" "$(du -h "$f" | cut -f1)"; fi; done)"

# ---------------------------------------------------------------------------------------------------------------------
step "build tfjs_binding.node with node-gyp"
NODE_GYP=$(node -p "try { require.resolve('node-gyp/bin/node-gyp.js', { paths: [require('path').join(require('fs').realpathSync('$(command -v npm)'), '../..')] }) } catch { '' }")
if [ -n "$NODE_GYP" ]; then GYP=(node "$NODE_GYP"); else say "npm has no bundled node-gyp: using npx node-gyp"; GYP=(npx --yes node-gyp); fi
NODEDIR=$(node -p "require('path').join(process.execPath, '../..')")
[ -f "$NODEDIR/include/node/node_api.h" ] || die "Node's headers are not in $NODEDIR/include/node (node-gyp cannot download them offline); install Node with its headers (Debian: apt-get install -y libnode-dev)"
BINDING=$(cd "$PKG" && node -p "require('@mapbox/node-pre-gyp').find(require('path').resolve('package.json'))")
MODULE_PATH=$(dirname "$BINDING")
NAPI=${MODULE_PATH##*napi-v}
say "node-gyp $("${GYP[@]}" --version 2>/dev/null), nodedir $NODEDIR, N-API $NAPI -> ${BINDING#"$ROOT/"}"
rm -f "$BINDING"
if ! (cd "$PKG" && "${GYP[@]}" rebuild --nodedir="$NODEDIR" --jobs="$(nproc)" --module_name=tfjs_binding \
  --module_path="$MODULE_PATH" --napi_build_version="$NAPI") >"$CACHE/build.log" 2>&1; then
  grep -E 'error|Error' "$CACHE/build.log" | head -20 >&2
  die "node-gyp failed; full log: $CACHE/build.log"
fi
[ -f "$BINDING" ] || die "node-gyp did not produce $BINDING (log: $CACHE/build.log)"
rm -rf "$PKG/build"
say "built; the addon needs: $(readelf -d "$BINDING" 2>/dev/null | awk '/NEEDED|RUNPATH/ {print $NF}' | tr -d '[]' | tr '\n' ' ')"
if command -v nm >/dev/null; then
  missing=$(comm -23 <(nm -D --undefined-only "$BINDING" | awk '{sub(/@.*/, "", $2); print $2}' | grep -E '^TFE?_' | sort -u) \
    <(cat <(nm -D --defined-only "$PKG/deps/lib/libtensorflow_cc.so.2") <(nm -D --defined-only "$PKG/deps/lib/libtensorflow_framework.so.2") \
      | awk '{sub(/@.*/, "", $3); print $3}' | sort -u))
  [ -z "$missing" ] || die "libtensorflow $TF_VERSION lacks symbols the binding calls: $missing"
  say "all $(nm -D --undefined-only "$BINDING" | awk '{print $2}' | grep -cE '^TFE?_') TF_*/TFE_* symbols the addon calls are exported by deps/lib"
fi
ROLLBACK=0
finish
