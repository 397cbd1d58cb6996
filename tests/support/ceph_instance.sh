#!/usr/bin/env bash
# A private Ceph cluster for the RADOS blob store's tests: one monitor and one bluestore OSD (on a
# sparse file, so writes go through bluestore's real durability path), on loopback ports that
# were free at start, a size-1 pool, cephx on, no mgr (librados needs none).
#
#   tests/support/ceph_instance.sh start DIR   creates DIR (wiped first) and starts the cluster;
#                                              prints and writes DIR/env: KURA_TEST_RADOS_CONF,
#                                              KURA_TEST_RADOS_POOL, KURA_TEST_RADOS_ID
#   tests/support/ceph_instance.sh stop DIR    stops the daemons it started and removes DIR
#
# CTest runs it as the `rados` fixture of store_test (tests/store/CMakeLists.txt). Needs the
# Debian packages ceph-mon ceph-osd ceph-common (scripts/deps.sh). Start takes ~9 s on the 2-core
# dev VM (mostly the OSD's mkfs and boot), stop ~4 s.
set -euo pipefail

cmd=${1:-}
D=${2:-}
[[ -n "$cmd" && -n "$D" ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
POOL=kura-test
CONF="$D/ceph.conf"
log() { echo "[ceph-instance $(date +%H:%M:%S)] $*" >&2; }

stop_daemons() {
  local pidfile pid
  for pidfile in "$D"/run/osd.0.pid "$D"/run/mon.a.pid; do
    [[ -s "$pidfile" ]] || continue
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
}

if [[ "$cmd" == stop ]]; then
  [[ -d "$D" ]] || exit 0
  stop_daemons
  rm -rf "$D"
  exit 0
fi
[[ "$cmd" == start ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

T0=$(date +%s.%N)
if [[ -d "$D" ]]; then stop_daemons; rm -rf "$D"; fi
mkdir -p "$D"/{run,log,mon,osd/ceph-0}

# Two ports the kernel hands out as free (the monitor's msgr2 and legacy addresses).
read -r V2 V1 < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')

FSID=$(uuidgen)
cat >"$CONF" <<EOF
[global]
fsid = $FSID
mon initial members = a
mon host = [v2:127.0.0.1:$V2,v1:127.0.0.1:$V1]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
run dir = $D/run
admin socket = $D/run/\$name.\$pid.asok
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
ms async op threads = 2
log to stderr = false
err to stderr = false
[client]
keyring = $D/ceph.client.admin.keyring
log file = $D/log/client.\$pid.log
[mon]
mon data = $D/mon/ceph-\$id
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
[osd]
osd data = $D/osd/ceph-\$id
keyring = $D/osd/ceph-\$id/keyring
osd objectstore = bluestore
bluestore block create = true
bluestore block size = 10737418240
bluestore fsck on mount = false
osd memory target = 939524096
osd op num shards = 2
osd op num threads per shard = 1
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
EOF

cephc() { ceph -c "$CONF" -n client.admin --connect-timeout 20 "$@"; }

# Monitor: its keyring holds the admin key, so the admin can create the OSD.
ceph-authtool --create-keyring "$D/mon.keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-authtool --create-keyring "$D/ceph.client.admin.keyring" --gen-key -n client.admin \
  --cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null
ceph-authtool "$D/mon.keyring" --import-keyring "$D/ceph.client.admin.keyring" >/dev/null
monmaptool --create --clobber --fsid "$FSID" --addv a "[v2:127.0.0.1:$V2,v1:127.0.0.1:$V1]" \
  "$D/monmap" >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$D/monmap" --keyring "$D/mon.keyring"
ceph-mon -c "$CONF" -i a
for i in $(seq 1 60); do
  cephc mon stat >/dev/null 2>&1 && break
  ((i == 60)) && { log "the monitor did not come up: $D/log/mon.a.log"; exit 1; }
  sleep 0.5
done

# OSD: bluestore on a sparse file inside its data dir.
OSD_UUID=$(uuidgen)
OSD_SECRET=$(ceph-authtool --gen-print-key)
echo "{\"cephx_secret\": \"$OSD_SECRET\"}" >"$D/osd/secret.json"
OSD_ID=$(cephc osd new "$OSD_UUID" -i "$D/osd/secret.json")
rm -f "$D/osd/secret.json"
[[ "$OSD_ID" == 0 ]] || { log "unexpected osd id $OSD_ID"; exit 1; }
ceph-authtool --create-keyring "$D/osd/ceph-0/keyring" --name osd.0 --add-key "$OSD_SECRET" >/dev/null
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >"$D/log/osd.0.mkfs.log" 2>&1
ceph-osd -c "$CONF" -i 0

cephc osd pool create "$POOL" 8 8 >/dev/null 2>&1
cephc osd pool application enable "$POOL" kura >/dev/null 2>&1
# The pool serves once its PGs are active on the OSD: a write that succeeds proves it.
for i in $(seq 1 120); do
  echo probe | timeout 5 rados -c "$CONF" -p "$POOL" put probe - >/dev/null 2>&1 && break
  ((i == 120)) && { log "the pool did not become writable: $D/log/osd.0.log"; exit 1; }
  sleep 0.5
done
rados -c "$CONF" -p "$POOL" rm probe

cat >"$D/env" <<EOF
KURA_TEST_RADOS_CONF=$CONF
KURA_TEST_RADOS_POOL=$POOL
KURA_TEST_RADOS_ID=admin
EOF
cat "$D/env"
log "ready in $(python3 -c "print(f'{$(date +%s.%N) - $T0:.1f}')") s (mon on 127.0.0.1:$V2)"
