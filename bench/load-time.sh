#!/bin/bash
# `rekernel load` against `kexec -s -l` for the same kernel and initrd, in one initramfs VM lab guest
# (tests/vm: kernel 6.1.0-47 running, 6.1.0-53 staged, QEMU TCG). Each round runs, in alternating order:
#   rekernel load            (then rekernel unload, untimed)
#   kexec -s -l K --initrd=I --reuse-cmdline   (then kexec -u, untimed)
# and, to split rekernel's time, `rekernel load --dry-run` (start, discovery, opening and checking the files:
# everything but the system calls and the journal) and `rekernel --version` (process start only).
# Times come from the guest's clock (/proc/uptime, 10 ms); the host prints medians and the ratio. Two clocks:
#   CLOCK=icount (default)  QEMU -icount shift=0: the guest's clock advances 1 ns per emulated instruction (a
#                           1 GHz, one-instruction-per-cycle machine) plus real time while it waits for I/O, so a
#                           busy host does not move the numbers (rounds agree within a few percent). TCG's translation
#                           work is not counted, which is fair: hardware has none.
#   CLOCK=real              the guest's clock follows the host's: what an operator would see under TCG, noisy
#                           (±30% between rounds on a shared host) and with the emulator's translation included.
#                           Most of a rekernel process's cost there is QEMU translating its code again on every
#                           run, because ASLR maps it at a new address each time (measured in this lab: with the
#                           guest's randomize_va_space=0, `rekernel --version` 0.07 s instead of 0.22 s, and
#                           `load --dry-run` 0.11 s instead of 0.35 s); hardware has no such cost.
#   bench/load-time.sh [ROUNDS]     default 7; PAD_MB (default 12) pads 6.1.0-53's lab initrd with random data
#                                   to about the size of a Debian initrd (15-20 MB), so the loads compare like
#                                   for like with the full-OS guest; BASELINE_BIN=PATH also times another rekernel
#                                   binary (e.g. the previous release) in the same rounds, for before/after numbers
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/vm/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-7}
[[ ${1:-} =~ ^[0-9]+$ ]] && ROUNDS=$1
PAD_MB=${PAD_MB:-12}
CLOCK=${CLOCK:-icount}
QEMU_ARGS=$(clock_qemu_args "$CLOCK") || exit 2
CMDLINE_A="console=ttyS0 quiet"
MAX_BOOTS=1
DEADLINE=$((150 + ROUNDS * 60))

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    pad_cpio "$PAD_MB" "$LAB_WORK/pad.cpio"
    boot_kernel "$KB"; boot_initrd "$KB" "" "$LAB_WORK/pad.cpio"
    if [ -n "${BASELINE_BIN:-}" ]; then
        boot_write /opt/bench/rekernel-baseline < "$BASELINE_BIN"
        chmod 755 "$(boot_path /opt/bench/rekernel-baseline)"
    fi
}

# The guest's side (busybox sh): the round count, paths and tools are written into the function.
eval "guest_phase1() {
    rounds=$ROUNDS k=/boot/vmlinuz-$KB i=/boot/initrd.img-$KB tools='rekernel${BASELINE_BIN:+ baseline} kexec'
    $(cat <<'GUEST'
    now() { read -r up _ < /proc/uptime; echo "$up"; }
    since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
    show sizes "kernel=$(wc -c < "$k") initrd=$(wc -c < "$i")"
    # Both tools then read from the page cache: the first load does not pay the disk for the other.
    cat "$k" "$i" > /dev/null
    n=1
    while [ "$n" -le "$rounds" ]; do
        # Rotate who goes first round by round: no tool always profits from (or pays for) another's leftovers.
        set -- $tools
        s=$((n % $#)); while [ "$s" -gt 0 ]; do first=$1; shift; set -- "$@" "$first"; s=$((s - 1)); done
        line="round=$n"
        for tool in "$@"; do
            t=$(now)
            case $tool in
                rekernel) rekernel load > /tmp/load.out 2>&1; rc=$?; took=$(since "$t"); rekernel unload > /dev/null 2>&1 ;;
                baseline) /opt/bench/rekernel-baseline load > /tmp/load.out 2>&1; rc=$?; took=$(since "$t")
                    /opt/bench/rekernel-baseline unload > /dev/null 2>&1 ;;
                kexec) kexec -s -l "$k" --initrd="$i" --reuse-cmdline > /tmp/load.out 2>&1; rc=$?; took=$(since "$t"); kexec -u ;;
            esac
            line="$line $tool=$took ${tool}_rc=$rc"
            [ "$rc" = 0 ] || while IFS= read -r l; do echo "@@OUT $tool: $l"; done < /tmp/load.out
        done
        t=$(now); rekernel load --dry-run > /dev/null 2>&1; line="$line dryrun=$(since "$t")"
        t=$(now); rekernel --version > /dev/null 2>&1; line="$line version=$(since "$t")"
        show load "$line"
        n=$((n + 1))
    done
GUEST
)
}"

echo "bench: $ROUNDS rounds of rekernel load / kexec -s -l in one QEMU run (initrd padded by $PAD_MB MiB, clock: $CLOCK)" >&2
lab_prepare "bench-load-time-$CLOCK" || exit 1
lab_boot
[ "$LAB_TIMED_OUT" = 0 ] || { echo "bench: the guest did not finish within ${DEADLINE}s (console: $LAB_WORK/console.log)" >&2; exit 1; }
grep -q '^@@DONE phase=1' "$LAB_WORK/console.log" || { echo "bench: the guest did not finish (console: $LAB_WORK/console.log)" >&2; exit 1; }
rounds=$(grep '^@@VALUE load=' "$LAB_WORK/console.log" || true)
if [ -z "$rounds" ] || echo "$rounds" | grep -Eq '_rc=[1-9]'; then
    echo "bench: a load failed (console: $LAB_WORK/console.log):" >&2
    grep -E '^@@VALUE load=.*_rc=[1-9]|^@@OUT ' "$LAB_WORK/console.log" >&2 || true
    exit 1
fi

echo
echo "Load time in the initramfs lab guest, seconds (guest clock: $CLOCK), $(grep -o '^@@VALUE sizes=.*' "$LAB_WORK/console.log" | cut -d= -f2-):"
echo "$rounds" | sed 's/^@@VALUE load=/  /; s/ [a-z]*_rc=0//g'
rk=$(echo "$rounds" | field rekernel | median)
kx=$(echo "$rounds" | field kexec | median)
printf '%-52s %8s\n' "median of $ROUNDS rounds" seconds
printf '%-52s %8s\n' "rekernel load" "$rk"
[ -z "${BASELINE_BIN:-}" ] || printf '%-52s %8s\n' "rekernel load, baseline binary ($BASELINE_BIN)" "$(echo "$rounds" | field baseline | median)"
printf '%-52s %8s\n' "kexec -s -l" "$kx" \
    "rekernel load --dry-run (no system call, no journal)" "$(echo "$rounds" | field dryrun | median)" \
    "rekernel --version (process start)" "$(echo "$rounds" | field version | median)"
awk -v a="$rk" -v b="$kx" 'BEGIN { if (b > 0) printf "ratio rekernel / kexec-tools: %.2f (%+.0f%%)\n", a / b, (a / b - 1) * 100 }'
[ -z "${BASELINE_BIN:-}" ] || echo "$rounds" | field baseline | median | awk -v b="$kx" '{ if (b > 0) printf "ratio baseline / kexec-tools: %.2f (%+.0f%%)\n", $1 / b, ($1 / b - 1) * 100 }'
