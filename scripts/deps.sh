#!/usr/bin/env bash
# Installs the Debian packages kura builds and tests with, if any is missing. Idempotent.
# Usage: scripts/deps.sh [--build-only | --bench]
#   --build-only: what building the server needs; no test libraries, no test clients
#   --bench: that plus what bench/compare.py drives (nginx, wrk, openssl, taskset)
set -euo pipefail
mode=${1:-}
packages=(
  cmake ninja-build g++ ccache pkg-config
  libboost1.81-dev libboost-url1.81-dev libboost-json1.81-dev
  libssl-dev libsqlite3-dev libpugixml-dev libisal-dev zlib1g-dev
  libjemalloc-dev  # kura's allocator (src/cmd/CMakeLists.txt)
  librados-dev  # the Ceph RADOS blob store (src/store/rados/)
  libpq-dev  # the PostgreSQL metadata store (src/store/postgres)
)
bench_packages=(nginx-light wrk openssl util-linux)  # bench/compare.py: reference server, wrk rows, certificate, taskset
case "$mode" in
  ""|--build-only|--bench) ;;
  *) echo "usage: scripts/deps.sh [--build-only | --bench]" >&2; exit 2 ;;
esac
if [ "$mode" != "--build-only" ]; then
  packages+=("${bench_packages[@]}")  # the tests use nginx and openssl too (kura_bench_nginx_e2e, TLS tests)
fi
if [ -z "$mode" ]; then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev)  # unit tests and microbenchmarks
  packages+=(ceph-mon ceph-osd ceph-common uuid-runtime)  # tests/support/ceph_instance.sh: store_test's private cluster
  packages+=(python3-pytest awscli rclone s3cmd curl)
  packages+=(postgresql)  # tests/store: a private server (tests/support/postgres_instance.sh)
  packages+=(haproxy)  # tests/e2e (e2e_cluster.*): the load balancer in front of three nodes, run by conftest.py
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
