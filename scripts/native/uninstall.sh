#!/usr/bin/env bash
# Removes the --no-save @tensorflow/tfjs-node that scripts/native/install.sh put in node_modules, so the engine falls
# back to the wasm backend again. npm restores the tree package-lock.json describes (including danfojs-node's
# @tensorflow/tfjs-node -> @tensorflow/tfjs alias); package.json and package-lock.json are not written.
#
#   bash scripts/native/uninstall.sh [--purge]
#
#   --purge   also delete the cache (downloaded wheel, extracted libtensorflow: <repo>/.native-cache/tfjs-native)
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
CACHE=${TFJS_NATIVE_CACHE:-$ROOT/.native-cache/tfjs-native}
PKG=$ROOT/node_modules/@tensorflow/tfjs-node
PURGE=0
for arg in "$@"; do
  case $arg in
    --purge) PURGE=1 ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "uninstall.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
  esac
done
say() { printf '[native] %s\n' "$*"; }
die() { printf '[native] FAILED: %s\n' "$*" >&2; exit 1; }
cd "$ROOT"

name=$(node -p "try { require('$PKG/package.json').name } catch { '' }")
if [ "$name" = "@tensorflow/tfjs-node" ]; then
  say "npm uninstall --no-save @tensorflow/tfjs-node"
  mkdir -p "$CACHE"
  LOG=$CACHE/uninstall-npm.log
  rc=0
  npm uninstall --no-save --no-audit --no-fund @tensorflow/tfjs-node >"$LOG" 2>&1 || rc=$?
  grep -v '^\s*$\|Unknown user config\|Unknown project config\|install-scripts' "$LOG" | sed 's/^/  /' || true
  [ $rc -eq 0 ] || die "npm uninstall failed (log: $LOG)"
else
  say "the real @tensorflow/tfjs-node is not installed${name:+ (node_modules/@tensorflow/tfjs-node is $name)}"
fi

# The danfojs-node alias link install.sh made (npm normally prunes it), and the folders around it if now empty.
link=node_modules/danfojs-node/node_modules/@tensorflow/tfjs-node
if [ -L "$link" ]; then rm -f "$link"; fi
rmdir node_modules/danfojs-node/node_modules/@tensorflow node_modules/danfojs-node/node_modules 2>/dev/null || true

if [ $PURGE -eq 1 ]; then
  say "removing $CACHE"
  rm -rf "$CACHE"
fi

# The state the project expects without the native package: no tensorflow backend, danfojs-node still loads.
if node -e "import('@tensorflow/tfjs-node').then(async tf => process.exit((await tf.setBackend('tensorflow')) ? 0 : 1), () => process.exit(1))" >/dev/null 2>&1; then
  die "the tensorflow backend still loads after uninstalling"
fi
say "ok: the tensorflow backend no longer loads (the engine will pick wasm)"
if [ -d node_modules/danfojs-node ]; then
  node -e "import('danfojs-node')" >/dev/null 2>&1 || die "node -e \"import('danfojs-node')\" fails; run 'npm ci' to restore node_modules"
  say "ok: import('danfojs-node') works"
fi
