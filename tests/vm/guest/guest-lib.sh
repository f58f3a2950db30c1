# Helpers for the scenarios' guest_phase1 / guest_phase2 functions (busybox sh).

# run CMD...: runs a command, prints its stdout as @@OUT lines, stderr as @@ERR lines, and its
# exit code as "@@RC <cmd> <rc>". The output is printed after the command ends so that kernel
# messages cannot interleave with it.
run() {
    echo "@@RUN $*"
    "$@" >/tmp/run.out 2>/tmp/run.err
    rc=$?
    while IFS= read -r l || [ -n "$l" ]; do echo "@@OUT $l"; done < /tmp/run.out
    while IFS= read -r l || [ -n "$l" ]; do echo "@@ERR $l"; done < /tmp/run.err
    echo "@@RC $* $rc"
    return 0
}

# switch CMD...: a command expected to leave this kernel (kexec). Its output (stdout and stderr
# together, as @@OUT lines) is streamed as it comes since the command may never return, and the
# marker lets the host time the downtime.
switch() {
    echo "@@SWITCH $*"
    sync
    { "$@" 2>&1; echo $? > /tmp/switch.rc; } | while IFS= read -r l || [ -n "$l" ]; do echo "@@OUT $l"; done
    rc=$(cat /tmp/switch.rc)
    echo "@@RC $* $rc"
    echo "@@SWITCH-RETURNED rc=$rc"
    return 0
}

# show NAME VALUE: a value the host can assert on, e.g. show kexec_loaded "$(cat ...)".
show() { echo "@@VALUE $1=$2"; }

# exists PATH: prints @@EXISTS or @@MISSING for a path.
exists() { if [ -e "$1" ]; then echo "@@EXISTS $1"; else echo "@@MISSING $1"; fi; }

finish() {
    sync
    umount /var/lib/rekernel 2>/dev/null
    umount /mnt/lab 2>/dev/null
    poweroff -f
    sleep 30
}

# say TEXT: a narration line (demo.sh shows it as "==> TEXT").
say() { echo "@@SAY $*"; }

# lab_net: brings up the NIC of a guest booted with GUESTFWD_PORT (lib.sh) with QEMU user networking's static
# address; the host's forwarded service is then at 10.0.2.100:2379. Prints @@NET with the addresses.
lab_net() {
    ip link set lo up
    i=0
    while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
    ip link set eth0 up || { echo "@@FATAL no eth0"; finish; }
    ip addr add 10.0.2.15/24 dev eth0
    ip route add default via 10.0.2.2
    echo "@@NET $(ip -o -4 addr show dev eth0 | awk '{print $4}') via $(ip route show default | awk '{print $3}')"
}

# run_until REGEX CMD...: like switch, for a command that runs until stopped (the fleet agent): its output is streamed
# as @@OUT lines, and it is stopped (SIGTERM) after the first line matching REGEX (grep -E). It may kexec meanwhile.
run_until() {
    pattern=$1
    shift
    echo "@@SWITCH $*"
    sync
    rm -f /tmp/until.out
    mkfifo /tmp/until.out
    "$@" > /tmp/until.out 2>&1 &
    pid=$!
    while IFS= read -r l || [ -n "$l" ]; do
        echo "@@OUT $l"
        if echo "$l" | grep -qE -- "$pattern"; then kill "$pid" 2>/dev/null; fi
    done < /tmp/until.out
    wait "$pid"
    rc=$?
    echo "@@RC $* $rc"
    echo "@@SWITCH-RETURNED rc=$rc"
    return 0
}
