#!/usr/bin/env bash
# Configures and builds one build tree. Usage: scripts/build.sh [DIR] [extra cmake args…]
# KURA_TARGETS="a b" builds only those targets (default: everything, tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}; shift || true
# ccache hits across clones in different folders (CI clones afresh): paths relative to the repo.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
# shellcheck disable=SC2086 # a list of target names
ninja -C "$dir" ${KURA_TARGETS:-}
