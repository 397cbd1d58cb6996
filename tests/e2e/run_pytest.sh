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
if ! "$python" -c 'import pytest' 2>/dev/null; then
  shim=$(mktemp -d)
  trap 'rm -rf "$shim"' EXIT
  for m in pytest _pytest pluggy iniconfig py.py packaging; do
    [ -e "/usr/lib/python3/dist-packages/$m" ] && ln -s "/usr/lib/python3/dist-packages/$m" "$shim/"
  done
  export PYTHONPATH="$shim${PYTHONPATH:+:$PYTHONPATH}"
fi
export KURA_PYTHON=$python
cd "$here"
exec "$python" -m pytest -q -p no:cacheprovider "$@"
