#!/bin/bash
# The VM fleet: three lab guests, each running `rekernel agent` against an etcd on this host, roll from 6.1.0-47 to
# 6.1.0-53 with real kexec, one at a time (max_concurrent = 1) — the run "rollout"; in the run "bad-canary" the
# first guest's new kernel is broken (its initrd's /init exits: the kernel panics, panic= resets the machine, the
# firmware boots 47 again) and the group halts with the other two guests untouched. What happened is read from etcd
# itself with etcdctl (host records, the halt record, every version of the semaphore from a watch from revision 1)
# and from each guest's console.
#   tests/vm/fleet.sh                 both runs
#   tests/vm/fleet.sh bad-canary      one of them (rollout, bad-canary)
# Prints "PASS name (Ns ...)" or "FAIL name: reason" (later failures as "  and: reason" lines, then every guest's
# console and etcd's records), then exactly one line "vm-fleet: N passed, M failed"; exits 1 if any failed. Work
# files (consoles, etcd's log and history) stay in tests/vm/out/fleet-<name>/. Needs etcd (etcd-server), etcdctl
# (etcd-client), socat and jq, which fetch-kernels.sh installs when missing.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS=(rollout bad-canary)
RUN_DIR=
GROUP=lab
KEYS=/rekernel/v1/groups/$GROUP
GUESTS=(g1 g2 g3)
# Seconds each guest's QEMU may run: the last of three waits for two switches before its own.
DEADLINE=${REKERNEL_FLEET_DEADLINE:-300}
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA root=/dev/ram0 ro console=$CONSOLE quiet"

runs=()
if [ $# -eq 0 ]; then runs=("${RUNS[@]}"); else
    for a in "$@"; do
        [[ " ${RUNS[*]} " == *" $a "* ]] || { echo "fleet.sh: no run '$a' (runs: ${RUNS[*]})" >&2; exit 2; }
        runs+=("$a")
    done
fi
[ "$LAB_ARCH" = x86_64 ] || { echo "fleet.sh: the fleet lab runs on x86_64 only" >&2; exit 2; }

"$VM_DIR/fetch-kernels.sh" || { echo "vm-fleet: 0 passed, ${#runs[@]} failed"; exit 1; }

# ---- the guests -----------------------------------------------------------------------------------------------

# machine_id GUEST: the guest's /etc/machine-id, which the agent takes as its host id (g2 -> f1ee7...02).
machine_id() { printf 'f1ee7%025d%02d\n' 0 "${1#g}"; }

# guest_of ID: the guest whose machine id ID is (ID itself when none is).
guest_of() { local g; for g in "${GUESTS[@]}"; do [ "$(machine_id "$g")" = "$1" ] && { echo "$g"; return; }; done; echo "$1"; }

# Only this guest's: its machine id, the etcd port the guest probes directly (restrict=on must refuse it), and
# rekernel.conf: the lab's plain /boot has no bootloader default to follow and PID 1 is not systemd, so the agent's
# switch takes the newest kernel and jumps at once.
guest_files() {
    mkdir -p "$1/etc" "$1/lab"
    machine_id "$GUEST" > "$1/etc/machine-id"
    echo "$ETCD_PORT" > "$1/lab/etcd-port"
    cat > "$1/etc/rekernel.conf" <<EOF
target = latest
switch = now
[fleet]
endpoints = http://$LAB_FWD_ADDR
group = $GROUP
EOF
    chmod 644 "$1/etc/rekernel.conf"
}

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"
    if [ "$GUEST" = "$BAD" ]; then boot_initrd "$KB" "" "$(broken_init_piece)"; else boot_initrd "$KB"; fi
}

# Both phases: the network, etcd through the guestfwd, the host's loopback straight through the gateway (refused
# under restrict=on; without it 10.0.2.2 is the host's 127.0.0.1), then the agent until a line of its says it is
# finished: its switch verified (done), its switch failed (failed: ...; it halted the group), the group halted before
# its turn, or an error it will not get past (not switching: ...). A guest whose agent switches goes on in phase 2.
guest_phase1() {
    lab_net
    printf 'GET /health HTTP/1.0\r\n\r\n' > /tmp/health
    run nc -w 5 10.0.2.100 2379 < /tmp/health
    run nc -w 3 10.0.2.2 "$(cat /lab/etcd-port)" < /tmp/health
    run_until '^(done|failed: .*|waiting: group halted: .*|not switching: .*)$' rekernel agent
}
guest_phase2() { guest_phase1; }

# ---- etcd on the host: Debian's etcd on loopback ports, data in a temporary directory, stopped by its PID -------

ETCD_PID= ETCD_DATA= WATCH_PID=
free_port() { local p; while :; do p=$((20000 + RANDOM % 30000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; }
etcdctl_() { ETCDCTL_API=3 etcdctl --endpoints="http://127.0.0.1:$ETCD_PORT" --command-timeout=5s "$@"; }

# Three tries: a port found free can be taken before etcd binds it.
etcd_start() {
    local try i peer
    for try in 1 2 3; do
        ETCD_DATA=$(mktemp -d /tmp/rekernel-fleet-etcd.XXXXXX)
        ETCD_PORT=$(free_port) peer=$(free_port)
        etcd --name fleet --data-dir "$ETCD_DATA" --log-level error --logger zap \
            --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
            --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
            --initial-cluster "fleet=http://127.0.0.1:$peer" >> "$RUN_DIR/etcd.log" 2>&1 &
        ETCD_PID=$!
        for i in $(seq 100); do
            etcdctl_ endpoint health >/dev/null 2>&1 && return 0
            kill -0 "$ETCD_PID" 2>/dev/null || break
            sleep 0.2
        done
        etcd_stop
    done
    echo "etcd did not start on 127.0.0.1 (three tries; $RUN_DIR/etcd.log)" >&2
    return 1
}

etcd_stop() {
    [ -n "$ETCD_PID" ] && { kill "$ETCD_PID" 2>/dev/null; wait "$ETCD_PID" 2>/dev/null; }
    [ -n "$ETCD_DATA" ] && rm -rf "$ETCD_DATA"
    ETCD_PID= ETCD_DATA=
}

# The value of one of the group's keys (config, halt, semaphore, hosts/ID ...); nothing when it is absent.
etcd_value() { etcdctl_ get "$KEYS/$1" --print-value-only; }

# Every change to the group's keys from revision 1 on, as etcd recorded them (a watch from revision 1, stopped once it
# reached the revision etcd was at), one JSON line per event: {rev, type, key, value}. Fails unless it got that far
# (an expiring presence lease may add a revision meanwhile).
etcd_history() {
    local now last=0 until=$((SECONDS + 15))
    now=$(etcdctl_ get / -w json | jq '.header.revision') || return 1
    ETCDCTL_API=3 etcdctl --endpoints="http://127.0.0.1:$ETCD_PORT" watch --rev=1 --prefix "$KEYS/" -w json > "$RUN_DIR/etcd-watch.json" &
    WATCH_PID=$!
    while [ "$last" -lt "$now" ] && [ $SECONDS -lt $until ] && kill -0 "$WATCH_PID" 2>/dev/null; do
        sleep 0.2
        last=$(jq -s '[.[].Events[]?.kv.mod_revision] | max // 0' "$RUN_DIR/etcd-watch.json" 2>/dev/null || echo 0)
    done
    kill "$WATCH_PID" 2>/dev/null; wait "$WATCH_PID" 2>/dev/null; WATCH_PID=
    jq -c '.Events[]? | {rev: .kv.mod_revision, type: (if .type == 1 then "DELETE" else "PUT" end),
        key: (.kv.key | @base64d), value: ((.kv.value // "") | @base64d)}' "$RUN_DIR/etcd-watch.json" > "$RUN_DIR/etcd-history.jsonl"
    [ "$last" -ge "$now" ] || { echo "etcd's history from a watch reached revision $last of $now" >&2; return 1; }
}

# ---- one run ------------------------------------------------------------------------------------------------------

# Kills what this run started that still runs, each by its PID: the guests' QEMUs (from their pidfiles), the socats
# of their guestfwd, etcdctl's watch, etcd.
stop_all() {
    local d pid
    [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null
    [ -n "$RUN_DIR" ] || return 0
    for d in "$RUN_DIR"/g*; do
        [ -d "$d" ] || continue
        pid=$(cat "$d/qemu.pid" 2>/dev/null) && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == qemu-system* ]] && kill -9 "$pid"
        LAB_WORK=$d stop_forwarders
    done
    etcd_stop
}

# boot_guest GUEST: starts its QEMU in the background (lab_boot: until it powers off or its deadline); the bad
# guest's QEMU resets on a panic and boots 47 again, as firmware would boot the bootloader's default.
boot_guest() {
    (
        LAB_WORK=$RUN_DIR/$1
        [ "$1" = "$BAD" ] && REBOOT_ON_PANIC=1
        lab_boot
        echo "$LAB_TIMED_OUT" > "$LAB_WORK/timed-out"
        stop_forwarders
    ) &
    BOOTING+=($!)
}

# wait_for_holder GUEST SECONDS: until etcd's semaphore lists GUEST as a holder; false when its QEMU ended first or
# the time ran out.
wait_for_holder() {
    local until=$((SECONDS + $2))
    while [ $SECONDS -lt $until ] && kill -0 "${BOOTING[0]}" 2>/dev/null; do
        etcd_value semaphore | jq -e --arg h "$(machine_id "$1")" '.holders | any(.host == $h)' >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    return 1
}

# fleet_run NAME BAD: prepares etcd, the group and the three guests (BAD, when not empty, gets a broken 53), boots
# them, reads etcd's records and history, and checks them (check_NAME). Prints PASS or FAIL.
fleet_run() {
    local name=$1 g start=$SECONDS booted
    BAD=$2 RUN_DIR=$LAB_OUT/fleet-$1 BOOTING=()
    LAB_FAIL= LAB_FAIL_MORE=() LAB_ASSERTIONS=0 LAB_WHO=
    rm -rf "$RUN_DIR"; mkdir -p "$RUN_DIR"
    if ! etcd_start 2> "$RUN_DIR/prepare.err" \
        || ! "$REKERNEL_BIN" fleet init "$GROUP" --max-concurrent 1 --etcd "http://127.0.0.1:$ETCD_PORT" > "$RUN_DIR/fleet-init.log" 2>&1; then
        echo "FAIL $name: $(cat "$RUN_DIR/prepare.err" "$RUN_DIR/fleet-init.log" 2>/dev/null | tail -n 1)"
        return 1
    fi
    GUESTFWD_PORT=$ETCD_PORT
    for g in "${GUESTS[@]}"; do
        if ! GUEST=$g lab_prepare "fleet-$name/$g" 2> "$RUN_DIR/prepare.err"; then
            echo "FAIL $name: $g: $(tail -n 1 "$RUN_DIR/prepare.err")"
            return 1
        fi
    done
    booted=$SECONDS
    if [ -n "$BAD" ]; then
        # The bad guest first, alone until it holds the slot: it is the canary, and the others queue behind it.
        boot_guest "$BAD"
        wait_for_holder "$BAD" 120 || fail "$BAD never took the slot (etcd's semaphore: $(etcd_value semaphore))"
        for g in "${GUESTS[@]}"; do [ "$g" = "$BAD" ] || boot_guest "$g"; done
    else
        for g in "${GUESTS[@]}"; do boot_guest "$g"; done
    fi
    wait "${BOOTING[@]}"
    booted=$((SECONDS - booted))
    etcd_history 2> "$RUN_DIR/history.err" || fail "$(cat "$RUN_DIR/history.err")"
    etcdctl_ get --prefix "$KEYS/" > "$RUN_DIR/etcd-records.txt"
    etcd_stop
    for g in "${GUESTS[@]}"; do
        LAB_WORK=$RUN_DIR/$g LAB_WHO=$g LAB_TIMED_OUT=$(cat "$RUN_DIR/$g/timed-out" 2>/dev/null)
        [ -n "$LAB_TIMED_OUT" ] || fail "lab_boot ended without saying whether the deadline passed"
        boot_problems
    done
    LAB_WHO=
    "check_${name//-/_}"
    report "$name" "$((SECONDS - start))s; guests ran ${booted}s$(switch_times)"
}

# For the PASS line: each switching guest's seconds from its agent's "took a slot" to its next boot's phase marker
# (host clock): staging, the jump and the new kernel's start; for the bad canary also the panic, panic=10 and the
# firmware's boot of 47.
switch_times() {
    local g s out=
    for g in "${GUESTS[@]}"; do
        s=$(awk '/ @@OUT took a slot / && !t0 { t0 = $1 } / @@REKERNEL phase=2 / && t0 { printf "%.1f", $1 - t0; exit }' \
            "$RUN_DIR/$g/console.ts")
        [ -n "$s" ] && out="$out, $g ${s}s"
    done
    [ -n "$out" ] && echo "; slot to next boot:${out#,}"
}

report() {
    local g m
    [ "$LAB_ASSERTIONS" -gt 0 ] || fail "check asserted nothing"
    if [ -z "$LAB_FAIL" ]; then echo "PASS $1 ($2)"; return 0; fi
    echo "FAIL $1: $LAB_FAIL ($2)"
    for m in "${LAB_FAIL_MORE[@]}"; do echo "  and: $m"; done
    for g in "${GUESTS[@]}"; do
        echo "----- console log of $1/$g ($RUN_DIR/$g/console.log) -----"
        cat "$RUN_DIR/$g/console.log" 2>/dev/null
    done
    echo "----- etcd's records at the end ($RUN_DIR/etcd-records.txt) -----"
    cat "$RUN_DIR/etcd-records.txt" 2>/dev/null
    echo "----- end of $1 -----"
    return 1
}

# ---- assertions on etcd's records ---------------------------------------------------------------------------

# host_field GUEST FIELD: a field of the guest's host record as last written (etcd's history; host records are never
# deleted here).
host_field() { jq -r --arg k "$KEYS/hosts/$(machine_id "$1")" 'select(.key == $k) | .value' "$RUN_DIR/etcd-history.jsonl" | tail -n 1 | jq -r ".$2 // empty"; }

# Every version of the semaphore, oldest first (one JSON line each), from etcd's history.
semaphore_versions() { jq -r --arg k "$KEYS/semaphore" 'select(.key == $k and .type == "PUT") | .value' "$RUN_DIR/etcd-history.jsonl"; }

# The guests that took a slot, in the order they took it: each host that one version of the semaphore lists and the
# version before it did not.
slot_takers() {
    local id
    for id in $(semaphore_versions | jq -rs '[[]] + map([.holders[].host]) | . as $v | [range(1; length) as $i | $v[$i] - $v[$i - 1]] | flatten[]'); do
        guest_of "$id"
    done
}

expect_host() { # expect_host GUEST FIELD VALUE
    asserted
    local got; got=$(host_field "$1" "$2")
    [ "$got" = "$3" ] || fail "$1's host record in etcd has $2 '$got', expected '$3'"
}

expect_most_holders() { # the semaphore never listed more than N holders
    asserted
    local most; most=$(semaphore_versions | jq -s 'map(.holders | length) | max // 0')
    [ "$most" -le "$1" ] || fail "etcd's semaphore once listed $most holders; max_concurrent is $1"
}

# expect_takers GUESTS [any-order]: the guests that took a slot (etcd's history), each once, in that order; with
# any-order the order is the one they queued in, left to the race between them.
expect_takers() {
    asserted
    local got
    if [ "${2:-}" = any-order ]; then got=$(slot_takers | sort | tr '\n' ' '); else got=$(slot_takers | tr '\n' ' '); fi
    [ "${got% }" = "$1" ] || fail "the guests that took a slot, in etcd's history, are '$(slot_takers | tr '\n' ' ' | sed 's/ $//')', expected '$1'${2:+ in any order}"
}

expect_semaphore_now() { # expect_semaphore_now HOLDERS COMPLETED: the last version's holders (guest names) and count
    asserted
    local last holders id
    last=$(semaphore_versions | tail -n 1)
    holders=$(for id in $(jq -r '.holders[].host' <<<"$last"); do guest_of "$id"; done | tr '\n' ' ')
    [ "${holders% }" = "$1" ] && [ "$(jq '.completed' <<<"$last")" = "$2" ] \
        || fail "etcd's semaphore ends as $last, expected holders '$1' and completed $2"
}

halt_field() { jq -r --arg k "$KEYS/halt" 'select(.key == $k and .type == "PUT") | .value' "$RUN_DIR/etcd-history.jsonl" | tail -n 1 | jq -r ".$1 // empty"; }

# ---- assertions on a guest's console ---------------------------------------------------------------------

firmware_boots() { grep -c 'SeaBIOS (version' "$LAB_WORK/console.log"; }

expect_firmware_boots() {
    asserted
    local n; n=$(firmware_boots)
    [ "$n" = "$1" ] || fail "the firmware started $n times, expected $1"
}

# The agent (run_until) of phase N printed a line exactly TEXT.
expect_agent_line() {
    asserted
    phase_lines "$1" | grep -qxF -- "@@OUT $2" || fail "the agent of phase $1 printed no line '$2'"
}

# Phase N reached etcd through the guestfwd and was refused the host's loopback through the gateway.
expect_network() {
    asserted
    local lines; lines=$(phase_lines "$1")
    grep -qxF '@@OUT {"health":"true"}' <<<"$lines" || fail "phase $1 did not reach etcd through the guestfwd"
    grep -qE '^@@RC nc -w 5 10\.0\.2\.100 2379 0$' <<<"$lines" || fail "phase $1's nc to the forwarded etcd failed"
    grep -qE '^@@RC nc -w 3 10\.0\.2\.2 [0-9]+ 0$' <<<"$lines" && fail "phase $1 reached the host's loopback through 10.0.2.2 (restrict=on is not in force)"
    grep -qE '^@@RC nc -w 3 10\.0\.2\.2 [0-9]+ [1-9]' <<<"$lines" || fail "phase $1 never tried the host's loopback through 10.0.2.2"
}

# Phase 2's command line is exactly what the agent of phase 1 staged, with the switch's token.
expect_staged_cmdline() {
    expect_cmdline_was 2 "$(phase_lines 1 | sed -n 's/^@@OUT .* with command line: //p' | tail -n 1)" "the agent of phase 1"
}

# ---- the two runs ---------------------------------------------------------------------------------------------

check_rollout() {
    local g
    for g in "${GUESTS[@]}"; do
        LAB_WORK=$RUN_DIR/$g LAB_WHO=$g
        expect_phase 1 "$KA"
        expect_network 1
        expect_phase 2 "$KB"
        expect_network 2
        expect_staged_cmdline
        expect_firmware_boots 1
        expect_agent_line 2 "switched to $KB, verified; slot released"
        expect_agent_line 2 done
        expect_done 2
        expect_no_marker "@@LOOP"
        LAB_WHO=
        expect_host "$g" state done
        expect_host "$g" running "$KB"
        expect_host "$g" machine "$(machine_id "$g")"
    done
    expect_most_holders 1
    expect_takers "${GUESTS[*]}" any-order
    expect_semaphore_now "" 3
    expect_true "the group is halted: $(halt_field reason)" test -z "$(halt_field reason)"
}

check_bad_canary() {
    local g reason
    # The sentences of src/Rekernel/Fleet/Agent/FleetAgent.cs (FailAsync) and Operations/Verify.cs (Arrival).
    reason="$(machine_id "$BAD") failed to switch to $KB: the machine came back on $KA, not $KB: the new kernel probably panicked and the panic= fallback rebooted through firmware; check its console log"
    LAB_WORK=$RUN_DIR/$BAD LAB_WHO=$BAD
    expect_phase 1 "$KA"
    expect_network 1
    expect_marker "@@BROKEN-INIT uname=$KB exiting"
    expect_marker "Kernel panic"
    expect_phase 2 "$KA"
    expect_cmdline_is 2 "$CMDLINE_A"
    expect_cmdline_lacks 2 rekernel.switch=
    expect_firmware_boots 2
    expect_agent_line 2 "halted group $GROUP: $reason"
    expect_done 2
    LAB_WHO=
    expect_host "$BAD" state failed
    expect_host "$BAD" running "$KA"
    asserted
    [ "$(halt_field host)" = "$(machine_id "$BAD")" ] && [ "$(halt_field kernel)" = "$KB" ] \
        || fail "the halt record names host '$(halt_field host)' and kernel '$(halt_field kernel)', expected $BAD ($(machine_id "$BAD")) and $KB"
    expect_true "the halt's reason is '$(halt_field reason)', expected '$reason'" test "$(halt_field reason)" = "$reason"
    for g in "${GUESTS[@]}"; do
        [ "$g" = "$BAD" ] && continue
        LAB_WORK=$RUN_DIR/$g LAB_WHO=$g
        expect_phase 1 "$KA"
        expect_network 1
        expect_no_phase 2
        expect_firmware_boots 1
        expect_true "the agent staged a kernel" test -z "$(phase_lines 1 | grep ' with command line: ')"
        expect_agent_line 1 "waiting: group halted: $reason"
        expect_done 1
        LAB_WHO=
        expect_host "$g" state waiting
        expect_host "$g" running "$KA"
        expect_host "$g" detail "group halted: $reason"
    done
    expect_most_holders 1
    expect_takers "$BAD"
    expect_semaphore_now "$BAD" 0
}

trap stop_all EXIT
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
mkdir -p "$LAB_OUT"
passed=0 failed=0
for r in "${runs[@]}"; do
    case $r in
        rollout) fleet_run rollout "" ;;
        bad-canary) fleet_run bad-canary g1 ;;
    esac && passed=$((passed + 1)) || failed=$((failed + 1))
    stop_all
done
echo "vm-fleet: $passed passed, $failed failed"
[ "$failed" = 0 ]
