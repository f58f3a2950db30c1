#!/bin/bash
# A live demo of rekernel in the VM lab (under a minute): a Debian guest boots the old kernel,
# `rekernel upgrade --latest --now --yes` moves it onto the new one with kexec, and the guest,
# back up, checks the switch. Guest output streams to the terminal as it happens.
#   tests/vm/demo.sh            (REKERNEL_BIN=... to use another binary)
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA root=/dev/ram0 ro console=ttyS0 quiet"
DEADLINE=150

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    say "up on $(uname -r) after $(cut -d' ' -f1 /proc/uptime) s of kernel uptime; /boot holds:"
    ls /boot | sed 's/^/@@OUT /'
    say "rekernel status"
    run rekernel status
    say "rekernel upgrade --latest --now --yes   (stage with kexec_file_load, then reboot(KEXEC))"
    switch rekernel upgrade --latest --now --yes
}

guest_phase2() {
    say "back up on $(uname -r); /proc/cmdline: $(cat /proc/cmdline)"
    say "rekernel verify"
    run rekernel verify
    say "rekernel history"
    run rekernel history
}

START=$EPOCHREALTIME
elapsed() { awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%5.1fs", b - a }'; }

# Shows the guest's narration and command output; hides the kernel's and the lab's plumbing.
show_line() {
    case $1 in
        @@SAY\ *) echo "==> [$(elapsed)] ${1#@@SAY }" ;;
        @@OUT\ *|@@ERR\ *) echo "      ${1#@@??? }" ;;
        @@RC\ *) echo "      (exit ${1##* })" ;;
        @@SWITCH\ *) echo "==> [$(elapsed)] switching: the old kernel is gone from here on" ;;
        @@FATAL*|*"Kernel panic"*) echo "!!  $1" ;;
    esac
}

"$VM_DIR/fetch-kernels.sh" || exit 1
NEEDS_REKERNEL=1
mkdir -p "$LAB_OUT"
echo "==> [$(elapsed)] building the guest: /boot with $KA and $KB, rekernel from ${REKERNEL_BIN#"$REPO/"}"
lab_prepare demo || exit 1
echo "==> [$(elapsed)] booting $KA in QEMU (software emulation, no KVM)"
LAB_STREAM=show_line lab_boot
if grep -q "^@@REKERNEL phase=2 uname=$KB " "$LAB_WORK/console.log" && [ "$(rc_of "rekernel verify")" = 0 ]; then
    echo "==> [$(elapsed)] done: switched $KA -> $KB in $(switch_seconds) s (host clock, emulated)"
else
    echo "==> [$(elapsed)] the demo did not end on $KB; console log: $LAB_WORK/console.log" >&2
    exit 1
fi
