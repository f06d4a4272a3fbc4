#!/bin/sh
# Builds one of the native trainer's benches (bench/native/<name>.cc, which includes native/trainer.cc's kernels) with
# the flags scripts/native/build-trainer.mjs uses, and runs it with the remaining arguments (see each .cc's header).
# TRA_BEFORE=<a copy of native/trainer.cc> gives products.cc a second trainer to time in alternation
# (e.g. git show main:native/trainer.cc > /tmp/before.cc).
#   sh bench/native/run.sh adam|products|shared-first-layer [arguments]
set -e
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: sh bench/native/run.sh adam|products|shared-first-layer [arguments]}
shift
binary=$(mktemp)
trap 'rm -f "$binary"' EXIT
"${CXX:-c++}" -std=c++17 -O3 -fno-math-errno -march="${TRA_NATIVE_MARCH:-native}" -pthread -Wno-unused-function \
  ${TRA_BEFORE:+-DTRA_BEFORE="\"$TRA_BEFORE\""} "$here/$name.cc" -o "$binary"
printf 'cpu: %s; 1-minute load %s\n' "$(lscpu | sed -n 's/^Model name: *//p')" "$(cut -d' ' -f1 /proc/loadavg)"
"$binary" "$@"
