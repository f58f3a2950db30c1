#!/bin/bash
# `rekernel load` against `kexec -s -l` for the same kernel and initrd, in one initramfs VM lab guest
# (tests/vm: kernel 6.1.0-47 running, 6.1.0-53 staged, QEMU TCG). Each round runs, in alternating order:
#   rekernel load            (then rekernel unload, untimed)
#   kexec -s -l K --initrd=I --reuse-cmdline   (then kexec -u, untimed)
# and, to split rekernel's time, `rekernel load --dry-run` (start, discovery, opening and checking the files:
# everything but the system calls and the journal) and `rekernel --version` (process start only).
# Times come from the guest's clock (/proc/uptime, 10 ms); the host prints medians and the ratio.
#   bench/load-time.sh [ROUNDS]     default 7; PAD_MB (default 12) pads 6.1.0-53's lab initrd with random data
#                                   to about the size of a Debian initrd (15-20 MB), so the loads compare like
#                                   for like with the full-OS guest
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/vm/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-7}
[[ ${1:-} =~ ^[0-9]+$ ]] && ROUNDS=$1
PAD_MB=${PAD_MB:-12}
CMDLINE_A="console=ttyS0 quiet"
MAX_BOOTS=1
DEADLINE=$((150 + ROUNDS * 60))

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    pad_cpio "$PAD_MB" "$LAB_WORK/pad.cpio"
    boot_kernel "$KB"; boot_initrd "$KB" "" "$LAB_WORK/pad.cpio"
}

# The guest's side (busybox sh): the round count and paths are written into the function.
eval "guest_phase1() {
    rounds=$ROUNDS k=/boot/vmlinuz-$KB i=/boot/initrd.img-$KB
    $(cat <<'GUEST'
    now() { read -r up _ < /proc/uptime; echo "$up"; }
    since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
    show sizes "kernel=$(wc -c < "$k") initrd=$(wc -c < "$i")"
    # Both tools then read from the page cache: the first load does not pay the disk for the other.
    cat "$k" "$i" > /dev/null
    n=1
    while [ "$n" -le "$rounds" ]; do
        for tool in rekernel kexec; do
            # Alternate which tool goes first: neither profits from the other's leftovers every time.
            [ $((n % 2)) = 0 ] && tool=$([ "$tool" = rekernel ] && echo kexec || echo rekernel)
            t=$(now)
            if [ "$tool" = rekernel ]; then
                rekernel load > /tmp/load.out 2>&1; rc=$?; rk=$(since "$t"); rk_rc=$rc
                rekernel unload > /dev/null 2>&1
            else
                kexec -s -l "$k" --initrd="$i" --reuse-cmdline > /tmp/kexec.out 2>&1; rc=$?; kx=$(since "$t"); kx_rc=$rc
                kexec -u
            fi
        done
        t=$(now); rekernel load --dry-run > /dev/null 2>&1; dry=$(since "$t")
        t=$(now); rekernel --version > /dev/null 2>&1; ver=$(since "$t")
        show load "round=$n rekernel=$rk kexec=$kx dryrun=$dry version=$ver rekernel_rc=$rk_rc kexec_rc=$kx_rc"
        [ "$rk_rc" = 0 ] || while IFS= read -r l; do echo "@@OUT $l"; done < /tmp/load.out
        n=$((n + 1))
    done
GUEST
)
}"

echo "bench: $ROUNDS rounds of rekernel load / kexec -s -l in one QEMU run (initrd padded by $PAD_MB MiB)" >&2
lab_prepare bench-load-time || exit 1
lab_boot
[ "$LAB_TIMED_OUT" = 0 ] || { echo "bench: the guest did not finish within ${DEADLINE}s (console: $LAB_WORK/console.log)" >&2; exit 1; }
grep -q '^@@DONE phase=1' "$LAB_WORK/console.log" || { echo "bench: the guest did not finish (console: $LAB_WORK/console.log)" >&2; exit 1; }
rounds=$(grep '^@@VALUE load=' "$LAB_WORK/console.log")
if echo "$rounds" | grep -Eq 'rekernel_rc=[1-9]|kexec_rc=[1-9]'; then
    echo "bench: a load failed (console: $LAB_WORK/console.log):" >&2
    grep -E '^@@VALUE load=.*_rc=[1-9]' "$LAB_WORK/console.log" >&2
    exit 1
fi

echo
echo "Load time in the initramfs lab guest, seconds (guest clock), $(grep -o '^@@VALUE sizes=.*' "$LAB_WORK/console.log" | cut -d= -f2-):"
echo "$rounds" | sed 's/^@@VALUE load=/  /; s/ rekernel_rc=.*//'
rk=$(echo "$rounds" | field rekernel | median)
kx=$(echo "$rounds" | field kexec | median)
printf '%-50s %8s\n' "median of $ROUNDS rounds" seconds
printf '%-50s %8s\n' "rekernel load" "$rk" "kexec -s -l" "$kx" \
    "rekernel load --dry-run (no system call, no journal)" "$(echo "$rounds" | field dryrun | median)" \
    "rekernel --version (process start)" "$(echo "$rounds" | field version | median)"
awk -v a="$rk" -v b="$kx" 'BEGIN { if (b > 0) printf "ratio rekernel / kexec-tools: %.2f (%+.0f%%)\n", a / b, (a / b - 1) * 100 }'
