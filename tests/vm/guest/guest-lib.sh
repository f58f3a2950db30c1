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
