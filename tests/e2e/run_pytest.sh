#!/usr/bin/env bash
# Runs pytest on the given test files with a Python that has boto3 and the aws CLI v1 (the
# image's pyenv Python), borrowing Debian's pytest (python3-pytest) when that Python lacks it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
python=""
for candidate in python3 /root/.pyenv/shims/python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c 'import boto3' 2>/dev/null; then
    python=$candidate
    break
  fi
done
[ -n "$python" ] || { echo "no python3 with boto3 found" >&2; exit 1; }
# Debian's modules the chosen Python may lack: pytest (and its dependencies), prometheus_client
# (python3-prometheus-client) for the metrics test's parser, and cryptography (+ its cffi
# backend) for the OIDC tests' token issuer. Linked into a temporary directory put
# on PYTHONPATH, so nothing else of dist-packages shadows the Python's own packages.
shim=$(mktemp -d)
trap 'rm -rf "$shim"' EXIT
link_from_debian() {
  local m
  for m in "$@"; do
    for path in /usr/lib/python3/dist-packages/$m; do
      [ -e "$path" ] && [ ! -e "$shim/$(basename "$path")" ] && ln -s "$path" "$shim/"
    done
  done
  return 0
}
if ! "$python" -c 'import pytest' 2>/dev/null; then
  link_from_debian pytest _pytest pluggy iniconfig py.py packaging
fi
if ! "$python" -c 'import prometheus_client' 2>/dev/null; then
  link_from_debian prometheus_client  # test_metrics.py parses /metrics with it
fi
if ! "$python" -c 'import cryptography' 2>/dev/null; then
  link_from_debian cryptography '_cffi_backend*.so' cffi
fi
export PYTHONPATH="$shim${PYTHONPATH:+:$PYTHONPATH}"
export KURA_PYTHON=$python
cd "$here"
exec "$python" -m pytest -q -p no:cacheprovider "$@"
