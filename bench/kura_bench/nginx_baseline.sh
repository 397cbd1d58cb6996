#!/usr/bin/env bash
# The nginx baseline of bench/README.md: nginx (1 worker) pinned to CPU 0 serves a 4 KiB object;
# kura-bench, pinned to CPU 1, runs GET with 64 connections and with 1 connection, 5 times each
# (alternating), and prints every run and the medians. Usage:
#   bench/kura_bench/nginx_baseline.sh build/kura-bench [duration, default 5s]
set -euo pipefail
bench=$(realpath "$1")
duration=${2:-5s}
dir=$(mktemp -d)
chmod 755 "$dir"
trap 'kill "$(cat "$dir/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$dir/www" "$dir/tmp"
"$bench" pattern --size 4KiB > "$dir/www/object"
cat > "$dir/nginx.conf" <<CONF
daemon on;
worker_processes 1;
worker_cpu_affinity 01;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
    location /kura-bench/ { try_files /object =404; }
  }
}
CONF
taskset -c 0 nginx -c "$dir/nginx.conf" -p "$dir"
sleep 0.5
worker=$(pgrep -P "$(cat "$dir/nginx.pid")" | head -1)
common=(get --endpoint "http://127.0.0.1:$port" --access-key AKIDEXAMPLE --secret-key secret
        --size 4KiB --objects 1000 --duration "$duration" --warmup 1s --threads 1 --json
        --server-pid "$worker")
pick='import json,sys; d=json.load(sys.stdin); l=d["latency_us"]
print("%.0f %.1f %.1f %.2f %d" % (d["ops_per_sec"], l["p50"], l["p99"],
      d.get("server_cpu_us_per_op", 0), d["errors"]))'
: > "$dir/c64"
: > "$dir/c1"
for run in 1 2 3 4 5; do
  taskset -c 1 "$bench" "${common[@]}" --concurrency 64 | python3 -c "$pick" | tee -a "$dir/c64" |
    sed "s/^/run $run  64 conns: ops\/s p50us p99us server-cpu-us\/op errors = /"
  taskset -c 1 "$bench" "${common[@]}" --concurrency 1 | python3 -c "$pick" | tee -a "$dir/c1" |
    sed "s/^/run $run   1 conn : ops\/s p50us p99us server-cpu-us\/op errors = /"
done
median() { sort -n -k"$2" "$1" | sed -n 3p | awk -v k="$2" '{print $k}'; }
echo "median 64 conns: ops/s $(median "$dir/c64" 1)  p50 $(median "$dir/c64" 2) us  p99 $(median "$dir/c64" 3) us  server CPU $(median "$dir/c64" 4) us/op"
echo "median  1 conn : ops/s $(median "$dir/c1" 1)  p50 $(median "$dir/c1" 2) us  p99 $(median "$dir/c1" 3) us  server CPU $(median "$dir/c1" 4) us/op"
