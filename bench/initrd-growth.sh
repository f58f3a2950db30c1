#!/bin/bash
# How load time and switch time grow with the initrd, in the initramfs VM lab (tests/vm, QEMU TCG): kernel
# 6.1.0-47 running, 6.1.0-53 staged with its lab initrd padded by a random-data cpio member to about SIZES MB
# (random bytes do not compress, and as a cpio member the new kernel really unpacks them: every byte is read,
# hashed, copied). One QEMU run per size and round, sizes rotating round by round:
#   load     `rekernel load` (guest clock), LOADS times per run (each but the last followed by `rekernel unload`)
#   switch   `rekernel switch --now --yes` until the new kernel's first console marker (host clock, as run.sh's
#            "switch Ns": purgatory, the new kernel's start and its unpacking of the initrd, the lab's init)
# Prints a table size -> medians, a least-squares slope per MB, and what that slope means on hardware.
#   bench/initrd-growth.sh [ROUNDS]   default 3; SIZES (default "20 60 120"), LOADS (default 2)
#   bench/initrd-growth.sh --report   the tables again from the last run's results
#   CLOCK=real (default)   every time follows the host's clock: what TCG takes, noisy on a shared host
#   CLOCK=icount           QEMU -icount shift=0: the guest's clock (the load column) counts 1 ns per emulated
#                          instruction (a 1 GHz, one-instruction-per-cycle machine), deterministic; the switch
#                          column stays on the host's clock (the guest's clock restarts with the new kernel)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/vm/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-3}
[[ ${1:-} =~ ^[0-9]+$ ]] && ROUNDS=$1
SIZES=${SIZES:-20 60 120}
LOADS=${LOADS:-2}
CLOCK=${CLOCK:-real}
QEMU_ARGS=$(clock_qemu_args "$CLOCK") || exit 2
CMDLINE_A="console=ttyS0 quiet"
MAX_BOOTS=2
# The guest holds the padded initrd in its own initramfs (/boot), the kernel's staged copy, and after the
# jump the new kernel's archive and unpacked files: 1 GiB is tight at 120 MB.
MEMORY=2048
# The lab's initrd without padding is about this many MiB (busybox, kexec, rekernel, modules).
BASE_MB=7
results="$LAB_OUT/bench-initrd-growth-$CLOCK.txt"

setup_boot() {
    pad_cpio "$PAD_MB" "$LAB_WORK/pad.cpio"
    boot_kernel "$KB"; boot_initrd "$KB" "" "$LAB_WORK/pad.cpio"
}

eval "guest_phase1() {
    loads=$LOADS i=/boot/initrd.img-$KB
    $(cat <<'GUEST'
    now() { read -r up _ < /proc/uptime; echo "$up"; }
    show initrd_bytes "$(wc -c < "$i")"
    n=1
    while [ "$n" -le "$loads" ]; do
        [ "$n" = 1 ] || rekernel unload > /dev/null 2>&1
        t=$(now); rekernel load > /tmp/load.out 2>&1; rc=$?
        show load "$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }') rc=$rc"
        [ "$rc" = 0 ] || { while IFS= read -r l; do echo "@@OUT $l"; done < /tmp/load.out; return; }
        n=$((n + 1))
    done
    switch rekernel switch --now --yes
GUEST
)
}"
guest_phase2() { show up yes; }

# one_run MB: boots a guest with the initrd padded to about MB, appends "mb load... switch" to $results.
one_run() {
    local mb=$1 bytes loads sw
    PAD_MB=$((mb > BASE_MB ? mb - BASE_MB : 1))
    DEADLINE=$((240 + mb * 3))
    lab_prepare "bench-initrd-growth-$mb" || return 1
    lab_boot
    bytes=$(grep -o '^@@VALUE initrd_bytes=[0-9]*' "$LAB_WORK/console.log" | cut -d= -f2 || true)
    loads=$(grep -o '^@@VALUE load=[0-9.]* rc=0' "$LAB_WORK/console.log" | sed 's/^@@VALUE load=//; s/ rc=0//' | tr '\n' ' ' || true)
    sw=$(switch_seconds)
    if [ -z "$bytes" ] || [ -z "$loads" ] || [ -z "$sw" ] || ! grep -q "^@@REKERNEL phase=2 uname=$KB " "$LAB_WORK/console.log"; then
        echo "bench: the run with a ${mb} MB initrd failed (timed out: $LAB_TIMED_OUT; console: $LAB_WORK/console.log)" >&2
        grep -E '^@@(VALUE|OUT|RC|FATAL)' "$LAB_WORK/console.log" | tail -n 5 >&2
        return 1
    fi
    echo "size_mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }') loads=${loads% } switch=$sw" | tee -a "$results"
}

mkdir -p "$LAB_OUT"
read -ra sizes <<< "$SIZES"
[ "${1:-}" = --report ] || : > "$results"
[ "${1:-}" = --report ] || echo "bench: $ROUNDS rounds of initrds padded to about ${SIZES// /, } MB, one QEMU run each, clock $CLOCK (results in $results)" >&2
[ "${1:-}" = --report ] || for r in $(seq "$ROUNDS"); do
    # Rotate the order so no size always runs first (or last) on a host whose load drifts.
    for k in "${!sizes[@]}"; do one_run "${sizes[$(((k + r - 1) % ${#sizes[@]}))]}" || exit 1; done
done

# size -> median first load of a boot, median later loads (after an unload), median switch
table=$(awk '{ split($1, s, "="); size = s[2]; print size }' "$results" | sort -n | uniq | while read -r size; do
    lines=$(grep "^size_mb=$size " "$results")
    ld=$(echo "$lines" | sed 's/.*loads=\([0-9.]*\).*/\1/' | median)
    re=$(echo "$lines" | sed 's/.*loads=[0-9.]* *\([0-9. ]*\) switch=.*/\1/' | tr ' ' '\n' | grep . | median || true)
    sw=$(echo "$lines" | field switch | median)
    echo "$size $ld $sw $(echo "$lines" | wc -l) ${re:--}"
done)
echo
echo "Initrd size against load and switch time (QEMU TCG, medians; load on the guest clock ($CLOCK), switch on the host clock):"
printf '%-10s %-6s %-10s %-10s %-10s\n' "initrd MB" runs "load s" "reload s" "switch s"
echo "$table" | while read -r size ld sw n re; do printf '%-10s %-6s %-10s %-10s %-10s\n' "$size" "$n" "$ld" "$re" "$sw"; done
echo "(load: the first load of a boot, what staging once costs; reload: loads after an unload in the same boot. Reloads"
echo " of large initrds are slower even on the instruction clock: kernel-side work (most likely allocating the segments'"
echo " pages in memory the first load left fragmented), as rekernel passes the same two descriptors both times.)"
# Least-squares slope and intercept of y against size over the table's rows.
fit() { echo "$table" | awk -v c="$1" '{ x = $1; y = $c; n++; sx += x; sy += y; sxx += x * x; sxy += x * y }
    END { d = n * sxx - sx * sx; if (n < 2 || d == 0) { print "- -"; exit } b = (n * sxy - sx * sy) / d; printf "%.4f %.2f", b, (sy - b * sx) / n }'; }
read -r lslope lint <<< "$(fit 2)"
read -r sslope sint <<< "$(fit 3)"
echo
echo "Slope under TCG ($CLOCK clock for the load): load $lslope s/MB (+ $lint s fixed), switch $sslope s/MB (+ $sint s fixed);"
awk -v l="$lslope" -v s="$sslope" 'BEGIN { if (l != "-") printf "  every 100 MB of initrd adds %.1f s to the load and %.1f s to the switch here.\n", l * 100, s * 100 }'
# The hardware estimate below, ~1-2.5 ms per MB for load + switch together, against the slope measured here.
awk -v l="$lslope" -v s="$sslope" 'BEGIN { if (l != "-") printf "  load + switch: %.0f ms/MB here, ~%.0f-%.0f times the hardware estimate below (120 MB: +%.1f s here, +0.1-0.3 s on hardware).\n", (l + s) * 1000, (l + s) * 1000 / 2.5, (l + s) * 1000 / 1, (l + s) * 120 }'
# On the instruction clock the load slope is an instruction count: what the kernel's load work costs per byte.
[ "$CLOCK" != icount ] || awk -v l="$lslope" 'BEGIN { if (l != "-") printf "  instruction clock: the load costs ~%.0f emulated instructions per byte (copy + generic C SHA-256: the emulated\n  CPU has no SHA-NI/AVX2); at ~10 G instructions/s that is ~%.1f ms/MB, SHA-NI brings the hash to the ~1 ms/MB below.\n", l * 1e9 / 1048576, l * 1e9 / 1e10 * 1000 }'
cat <<'NOTES'
What the slope is made of, and what it predicts on hardware (estimates from throughput, not measured here):
- load: kexec_file_load reads the initrd into kernel memory (a copy) and hashes every segment with SHA-256 for
  the purgatory (kexec_calculate_store_digests). One copy + one hash per byte: memcpy at ~10 GB/s is 0.1 ms/MB,
  SHA-256 at 1-2 GB/s per core (SHA-NI / AVX2) is 0.5-1 ms/MB, so ~0.6-1.1 ms/MB.
- switch: the purgatory hashes every byte again before it jumps (plain C SHA-256 without SIMD in purgatory: at
  the same 1-2 GB/s ~0.5-1 ms/MB, a few times slower if the generic code runs at ~0.3 GB/s), the kernel
  copies the segments into place and unpacks the initramfs (memcpy, 0.1-0.2 ms/MB for an uncompressed member;
  a compressed initrd adds decompression, the same cost a full reboot pays).
- So on hardware each MB of initrd costs roughly 1-2.5 ms in all (up to ~5 ms/MB with a slow purgatory hash):
  a 120 MB initrd adds ~0.1-0.3 s (at most ~0.6 s) to load + switch, against seconds to minutes of firmware
  POST that kexec skips. Under TCG every hashed and copied byte is emulated, which is why the slope above is
  one to two orders of magnitude steeper: the growth measured here is mostly emulation, not rekernel.
NOTES
