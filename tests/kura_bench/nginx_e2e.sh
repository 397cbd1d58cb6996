#!/usr/bin/env bash
# End-to-end check of kura-bench's networking against nginx (Debian nginx-light): serves the
# kura-bench pattern as every /bucket/* object on a free loopback port, then runs get and head
# workloads and requires every operation to succeed and verify; then serves a wrong body and
# requires every GET to count as a "verify" error. Usage: nginx_e2e.sh path/to/kura-bench
set -euo pipefail
bench=$1
command -v nginx >/dev/null || { echo "nginx not installed: skipping"; exit 77; }
dir=$(mktemp -d)
trap 'kill "$(cat "$dir/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$dir"' EXIT
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
port=$(free_port)
tls_port=$(free_port)
mkdir -p "$dir/www" "$dir/tmp"
chmod 755 "$dir"  # nginx workers may run as another user
"$bench" pattern --size 4KiB > "$dir/www/object"
head -c 4096 /dev/urandom > "$dir/www/wrong"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$dir/key.pem" -out "$dir/cert.pem" 2>/dev/null
cat > "$dir/nginx.conf" <<CONF
daemon on;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp;
  proxy_temp_path $dir/tmp;
  fastcgi_temp_path $dir/tmp;
  uwsgi_temp_path $dir/tmp;
  scgi_temp_path $dir/tmp;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    listen 127.0.0.1:$tls_port ssl;
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    root $dir/www;
    location /kura-bench/ { try_files /object =404; }
    location /wrong/ { try_files /wrong =404; }
  }
}
CONF
nginx -c "$dir/nginx.conf" -p "$dir"
for _ in $(seq 50); do [ -s "$dir/nginx.pid" ] && break; sleep 0.1; done

common=(--endpoint "http://127.0.0.1:$port" --access-key AKIDEXAMPLE --secret-key secret
        --size 4KiB --objects 100 --warmup 0 --json)
json_field() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d$1)"; }

out=$("$bench" get "${common[@]}" --requests 3000 --concurrency 8 --threads 2)
echo "$out"
[ "$(echo "$out" | json_field "['ops']")" = 3000 ] || { echo "get: not 3000 ok ops"; exit 1; }
[ "$(echo "$out" | json_field "['errors']")" = 0 ] || { echo "get: errors"; exit 1; }

out=$("$bench" head "${common[@]}" --requests 500 --concurrency 4)
[ "$(echo "$out" | json_field "['ops']")" = 500 ] || { echo "head: $out"; exit 1; }

# A modest rate: on a loaded 2-core CI machine a high one leaves operations unsent (errors).
out=$("$bench" get "${common[@]}" --duration 1s --rate 200 --concurrency 16)
echo "$out"
[ "$(echo "$out" | json_field "['errors']")" = 0 ] || { echo "open loop: errors"; exit 1; }

tls=(--access-key AKIDEXAMPLE --secret-key secret --size 4KiB --warmup 0 --json --requests 300)
out=$("$bench" get --endpoint "https://localhost:$tls_port" --ca-file "$dir/cert.pem" "${tls[@]}")
[ "$(echo "$out" | json_field "['ops']")" = 300 ] || { echo "tls: $out"; exit 1; }
out=$("$bench" get --endpoint "https://127.0.0.1:$tls_port" --insecure "${tls[@]}")
[ "$(echo "$out" | json_field "['ops']")" = 300 ] || { echo "tls insecure: $out"; exit 1; }
set +e
"$bench" get --endpoint "https://127.0.0.1:$tls_port" "${tls[@]}" > /dev/null
[ $? = 3 ] || { echo "tls: an unverifiable certificate was accepted"; exit 1; }

out=$("$bench" get "${common[@]}" --bucket wrong --requests 200 --concurrency 2)
status=$?
set -e
[ "$status" = 3 ] || { echo "wrong body: exit status $status, want 3"; exit 1; }
[ "$(echo "$out" | json_field "['errors_by_kind']['verify']")" = 200 ] || {
  echo "wrong body not counted as verify errors: $out"; exit 1; }
echo "nginx end-to-end: ok"
