#!/usr/bin/env bash
# Installs the Debian packages kura builds and tests with, if any is missing. Idempotent.
# Usage: scripts/deps.sh [--build-only]   (--build-only: what building the server needs; no test libraries, no test clients)
set -euo pipefail
packages=(
  cmake ninja-build g++ ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libssl-dev libsqlite3-dev libpugixml-dev libisal-dev zlib1g-dev
)
if [ "${1:-}" != "--build-only" ]; then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev)  # unit tests and microbenchmarks
  packages+=(python3-pytest awscli rclone s3cmd nginx-light openssl curl)
  packages+=(python3-prometheus-client)  # tests/e2e/test_metrics.py: Prometheus's own text parser
  packages+=(chromium)  # tests/e2e/test_upload_portal.py, test_console.py: real-browser scenarios
  packages+=(nodejs)  # tests/console (the console's JavaScript) and the browser scenarios
  packages+=(help2man dpkg-dev file systemd)  # tests/e2e/test_package.py: builds the .deb, verifies the unit
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
