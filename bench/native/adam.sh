#!/bin/sh
# Builds and runs bench/native/adam.cc (the native trainer's two Adam passes) with the flags
# scripts/native/build-trainer.mjs uses. Argument: rounds.
set -e
here=$(dirname "$0")
binary=$(mktemp)
trap 'rm -f "$binary"' EXIT
"${CXX:-c++}" -std=c++17 -O3 -fno-math-errno -march="${TRA_NATIVE_MARCH:-native}" -pthread -Wno-unused-function \
  "$here/adam.cc" -o "$binary"
printf 'cpu: %s; 1-minute load %s\n' "$(lscpu | sed -n 's/^Model name: *//p')" "$(cut -d' ' -f1 /proc/loadavg)"
"$binary" "$@"
