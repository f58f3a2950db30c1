#!/usr/bin/env bash
# Fleet rollout benchmark (issue 14): `rekernel fleet simulate` with 1,000 hosts at concurrency 1, 10 and 50
# against a local etcd (Debian's etcd-server on loopback ports, data in a temporary directory, stopped by its PID).
# For each run: rollout time against the ideal (ceil(hosts / concurrency) x switch time; no canary slices are used),
# etcd requests per host, the most slots held at once (from etcd's history of the semaphore), and the CPU time etcd
# spent (utime + stime from /proc/PID/stat, before and after). Targets: within 10% of the ideal at concurrency 10,
# at most 20 requests per host, never more slots than allowed.
#
# Usage: bench/fleet.sh [HOSTS]   (FLEET_RUNS="C:S ..." overrides the concurrency:switch-seconds pairs)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/ensure-deps.sh etcd-server
bin=${REKERNEL:-artifacts/bin/rekernel}
[ -x "$bin" ] || { echo "bench: $bin is missing; run make publish" >&2; exit 1; }
hosts=${1:-1000}
# Switch times chosen so that every ideal rollout takes 100 s.
runs=${FLEET_RUNS:-"1:0.1 10:1 50:5"}

work=$(mktemp -d /tmp/rekernel-fleet-bench.XXXXXX)
etcd_pid=""
cleanup() {
    if [ -n "$etcd_pid" ]; then kill "$etcd_pid" 2>/dev/null; wait "$etcd_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
client=$(free_port); peer=$(free_port)
endpoint="http://127.0.0.1:$client"
etcd --name bench --data-dir "$work/data" \
    --listen-client-urls "$endpoint" --advertise-client-urls "$endpoint" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "bench=http://127.0.0.1:$peer" --log-level error --logger zap >"$work/etcd.log" 2>&1 &
etcd_pid=$!
for _ in $(seq 100); do curl -fsS "$endpoint/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$endpoint/health" >/dev/null || { echo "bench: etcd did not start; see $work/etcd.log" >&2; cat "$work/etcd.log" >&2; exit 1; }

# cpu_seconds PID: user + system CPU time of PID so far (fields 14 and 15 of /proc/PID/stat, in clock ticks).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat"; }
# json_field NAME: the value of NAME in the one-line-per-field JSON on stdin.
json_field() { grep -o "\"$1\": [^,}]*" | head -1 | cut -d' ' -f2; }

echo "etcd $(etcd --version | head -1 | cut -d' ' -f3) on $endpoint (PID $etcd_pid); $hosts hosts; $(nproc) CPUs"
printf '| concurrency | switch s | rollout s | ideal s | over ideal | requests/host | max slots held | etcd CPU s | on target |\n'
printf '| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n'
for run in $runs; do
    c=${run%%:*} s=${run#*:}
    before=$(cpu_seconds "$etcd_pid")
    out=$("$bin" fleet simulate --etcd "$endpoint" --group "bench-c$c" --hosts "$hosts" --max-concurrent "$c" --switch-seconds "$s" --json)
    after=$(cpu_seconds "$etcd_pid")
    rollout=$(json_field rolloutSeconds <<<"$out")
    ideal=$(awk -v h="$hosts" -v c="$c" -v s="$s" 'BEGIN { r = int((h + c - 1) / c); printf "%.1f", r * s }')
    over=$(awk -v r="$rollout" -v i="$ideal" 'BEGIN { printf "%+.1f%%", (r / i - 1) * 100 }')
    cpu=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.1f", a - b }')
    printf '| %s | %s | %s | %s | %s | %s | %s (of %s) | %s | %s/%s |\n' "$c" "$s" "$rollout" "$ideal" "$over" \
        "$(json_field requestsPerHost <<<"$out")" "$(json_field maxSlotsHeld <<<"$out")" "$c" "$cpu" "$(json_field onTarget <<<"$out")" "$hosts"
done
