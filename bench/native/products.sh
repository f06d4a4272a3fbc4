#!/bin/sh
# Builds and runs bench/native/products.cc (the native trainer's products at a data set's shapes) with the flags
# scripts/native/build-trainer.mjs uses. TRA_BEFORE=<a copy of native/trainer.cc> times its kernels in alternation
# with the worktree's (e.g. git show main:native/trainer.cc > /tmp/before.cc). Arguments: see products.cc.
set -e
here=$(cd "$(dirname "$0")" && pwd)
binary=$(mktemp)
trap 'rm -f "$binary"' EXIT
"${CXX:-c++}" -std=c++17 -O3 -fno-math-errno -march="${TRA_NATIVE_MARCH:-native}" -pthread -Wno-unused-function \
  ${TRA_BEFORE:+-DTRA_BEFORE="\"$TRA_BEFORE\""} "$here/products.cc" -o "$binary"
printf 'cpu: %s; 1-minute load %s\n' "$(lscpu | sed -n 's/^Model name: *//p')" "$(cut -d' ' -f1 /proc/loadavg)"
"$binary" "$@"
