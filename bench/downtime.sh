#!/bin/bash
# Downtime of a kernel switch on the full-OS lab guest (tests/vm/os: Debian 12, systemd, GRUB from a disk),
# in two QEMU runs, each alternating its methods round by round.
# The bios run (SeaBIOS + GRUB, the image of most tests/vm/os scenarios):
#   reboot-t5   systemctl reboot through SeaBIOS and GRUB, Debian's GRUB_TIMEOUT=5
#   reboot-t0   the same with GRUB_TIMEOUT=0 (a tuned server)
#   kexec-tools kexec -l /boot/vmlinuz --initrd=... --reuse-cmdline (before), then timed: systemctl kexec
#   rekernel    rekernel upgrade --yes --force (stages and switches: its load time is inside the downtime)
#   rekernel-staged  rekernel load (before), then timed: rekernel switch --yes (like for like with kexec-tools;
#               not in the default plan, select it with BENCH_METHODS)
# The uefi run (OVMF with Secure Boot on, shim, GRUB: the image of scenario 04):
#   reboot-uefi-t5, reboot-uefi-t0   systemctl reboot through OVMF, shim and GRUB, GRUB_TIMEOUT 5 and 0
#   rekernel-uefi                    rekernel upgrade --yes --force (the kernel verifies Debian's signature)
# Downtime = host clock from the marker printed just before the command to the @@READY marker of the next
# boot (after multi-user.target). Phases: shutdown (to the old boot's last journal line, guest clock
# converted with the READY offset), firmware from serial lines (bios: "SeaBIOS" to "Booting from Hard Disk";
# uefi: the old kernel's "reboot: Restarting system" to OVMF's "BdsDxe: starting Boot"), boot loader from there
# to the new kernel's start (its menu timeout and GRUB reading kernel and initrd through the firmware's disk
# calls), kernel and userspace (systemd-analyze of the new boot; the kernel's start is READY less both).
# The ratio compares a method with the GRUB_TIMEOUT=5 reboot of its own run (same firmware, same host load).
# Also: `rekernel load` against `kexec -s -l` for the same kernel and initrd (bios run, 5 runs each, guest clock).
# And: `rekernel status` against `needrestart -b -k` (is a newer kernel waiting?), bios run, 10 alternating runs each.
#   bench/downtime.sh [ROUNDS]                  (default 3; ~6-8 min per round and run under TCG)
#   BENCH_FIRMWARES=bios bench/downtime.sh 1    one of the runs only (default "bios uefi")
#   BENCH_METHODS="kexec-tools rekernel-staged" BENCH_FIRMWARES=bios bench/downtime.sh 3   other methods for the
#                                               run (the first one is the ratio's base)
#   bench/downtime.sh --report                  the tables again from the last runs' consoles (also interrupted ones)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/vm/os/lib.sh
. bench/lib.sh
ROUNDS=${ROUNDS:-3}
[[ ${1:-} =~ ^[0-9]+$ ]] && ROUNDS=$1
FIRMWARES=${BENCH_FIRMWARES:-bios uefi}
methods_of() { case $1 in bios) echo "${BENCH_METHODS:-reboot-t5 reboot-t0 kexec-tools rekernel}" ;; uefi) echo "${BENCH_METHODS:-reboot-uefi-t5 reboot-uefi-t0 rekernel-uefi}" ;; esac; }
work_name() { case $1 in bios) echo bench-downtime ;; uefi) echo bench-downtime-uefi ;; esac; }

# guest_script FIRMWARE: the plan (one method per boot, ROUNDS rounds) and the loop that runs it.
guest_script() {
    local plan=""
    for _ in $(seq "$ROUNDS"); do plan="$plan $(methods_of "$1")"; done
    cat <<GUEST
PLAN=($plan)
NEW=$OS_NEW
COMPARE_LOAD=$([ "$1" = bios ] && echo 1 || echo 0)
GUEST
    cat <<'GUEST'
timeout_to() { sed -i "s/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=$1/" /etc/default/grub; update-grub >/dev/null 2>&1; }
# Wait for the boot to finish (systemd-analyze needs it), then report the phases of this boot.
for _ in $(seq 120); do systemd-analyze time >/dev/null 2>&1 && break; sleep 1; done
value analyze "$(systemd-analyze time 2>/dev/null | tr '\n' ' ')"
value lastline "$(journalctl -b -1 -o short-unix -n 1 --no-pager 2>/dev/null | tail -n1 | cut -d' ' -f1)"
if [ "$BOOT" = 1 ] && [ "$COMPARE_LOAD" = 1 ]; then
    for i in 1 2 3 4 5; do
        t0=$(date +%s.%N); rekernel load >/dev/null 2>&1; t1=$(date +%s.%N)
        rekernel unload >/dev/null 2>&1
        t2=$(date +%s.%N); kexec -s -l /boot/vmlinuz-$NEW --initrd=/boot/initrd.img-$NEW --reuse-cmdline; t3=$(date +%s.%N)
        kexec -u
        value load "$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN { printf "rekernel=%.3f kexec=%.3f", b - a, d - c }')"
    done
    # Is a newer kernel waiting? rekernel status against needrestart's kernel check, alternating who goes first.
    for i in $(seq 10); do
        for tool in $([ $((i % 2)) = 1 ] && echo "rekernel needrestart" || echo "needrestart rekernel"); do
            t0=$(date +%s.%N)
            if [ "$tool" = rekernel ]; then rekernel status >/dev/null 2>&1; else needrestart -b -k >/dev/null 2>&1; fi
            eval "took_$tool=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')"
        done
        value status "rekernel=$took_rekernel needrestart=$took_needrestart"
    done
fi
m=${PLAN[$((BOOT - 1))]:-}
[ -n "$m" ] || finish
case $m in
    reboot-t5|reboot-uefi-t5) timeout_to 5; sync; echo "@@GO $m"; systemctl reboot ;;
    reboot-t0|reboot-uefi-t0) timeout_to 0; sync; echo "@@GO $m"; systemctl reboot ;;
    kexec-tools) kexec -l /boot/vmlinuz-$NEW --initrd=/boot/initrd.img-$NEW --reuse-cmdline; sync; echo "@@GO $m"; systemctl kexec ;;
    rekernel|rekernel-uefi) sync; echo "@@GO $m"; rekernel upgrade --yes --force >/dev/null 2>&1 ;;
    rekernel-staged) rekernel load >/dev/null 2>&1; sync; echo "@@GO $m"; rekernel switch --yes >/dev/null 2>&1 ;;
esac
sleep 600
GUEST
}

# rounds_of CONSOLE.TS: one line per switch: method downtime shutdown firmware loader kernel userspace.
# The firmware phase starts at SeaBIOS' banner, or (OVMF prints nothing that early) at the old kernel's
# last line before the reset; it ends where the firmware hands over to the disk's boot loader.
rounds_of() {
    awk '
    / @@GO / { go = $1; method = $3; fw = ""; bd = ""; next }
    /SeaBIOS/ && go { fw = $1 }
    /reboot: Restarting system/ && go && method ~ /uefi/ { fw = $1 }
    /Booting from Hard Disk/ && go { bd = $1 }
    /BdsDxe: starting Boot/ && go { bd = $1 }
    / @@READY / && go { ready = $1; match($0, /realtime=[0-9.]+/); off = $1 - substr($0, RSTART + 9, RLENGTH - 9); pending = 1; next }
    / @@VALUE analyze=/ && pending {
        k = ""; u = "";
        if (match($0, /[0-9.]+(min [0-9.]+)?s \(kernel\)/)) k = substr($0, RSTART, RLENGTH)
        if (match($0, /after [0-9.]+(min [0-9.]+)?s in userspace/)) u = substr($0, RSTART + 6, RLENGTH - 18)
        next }
    / @@VALUE lastline=/ && pending {
        split($0, a, "="); last = a[2] + prevoff
        # The boot loader ends where the kernel starts: READY less the kernel and userspace phases of this boot.
        # GRUB reading kernel and initrd through firmware disk calls falls in it (slow and load-sensitive under TCG).
        kstart = (k != "" && u != "") ? ready - secs(k) - secs(u) : ""
        printf "%s %.1f %.1f %s %s %s %s\n", method, ready - go, last - go, \
            (fw != "" && bd != "") ? sprintf("%.1f", bd - fw) : "-", (bd != "" && kstart != "") ? sprintf("%.1f", kstart - bd) : "-", secs(k), secs(u)
        pending = 0; go = ""; prevoff = off; next }
    / @@READY / { match($0, /realtime=[0-9.]+/); prevoff = $1 - substr($0, RSTART + 9, RLENGTH - 9) }
    function secs(s,   m) { if (s == "") return "-"; if (match(s, /min/)) { m = substr(s, 1, RSTART - 1); s = substr(s, RSTART + 4) } gsub(/s/, "", s); return sprintf("%.1f", m * 60 + s) }
    ' "$1"
}

for fw in $FIRMWARES; do
    OS_WORK="$OS_OUT/$(work_name "$fw")"
    if [ "${1:-}" = --report ]; then
        [ -f "$OS_WORK/console.ts" ] || { echo "bench: no $fw run in $OS_WORK" >&2; continue; }
        cut -d' ' -f2- "$OS_WORK/console.ts" | tr -d '\033' | sed 's/\(.\)\(@@[A-Z]\)/\1\n\2/g' > "$OS_WORK/console.log"
    else
        export OS_FIRMWARE=$fw
        os_prepare "$(work_name "$fw")" "$(guest_script "$fw")"
        echo "bench: $fw: $ROUNDS rounds of: $(methods_of "$fw") (one QEMU run; console in $OS_WORK/console.ts)" >&2
        os_boot $((ROUNDS * 4 * 250 + 400))
    fi
    rounds_of "$OS_WORK/console.ts" > "$OS_WORK/rounds.txt"
done
rounds=$(for fw in $FIRMWARES; do cat "$OS_OUT/$(work_name "$fw")/rounds.txt" 2>/dev/null || true; done)
echo
echo "Downtime per switch (host clock, command -> @@READY after multi-user.target), seconds:"
printf '%-14s %9s %9s %9s %9s %9s %9s\n' method downtime shutdown firmware loader kernel userspace
echo "$rounds" | while read -r m d s f l k u; do
    if [ -n "$m" ]; then printf '%-14s %9s %9s %9s %9s %9s %9s\n' "$m" "$d" "$s" "$f" "$l" "$k" "$u"; fi
done
echo
echo "Summary: median (min-max) of the downtime, and ratio to the median of the run's first method (by default the full reboot with GRUB_TIMEOUT=5):"
col() { echo "$rounds" | awk -v m="$1" -v c="$2" '$1 == m { print $c }'; }
printf '| %-14s | %-6s | %-23s | %-5s | %-8s | %-8s | %-8s | %-8s | %-9s |\n' method rounds "downtime median (range)" ratio shutdown firmware loader kernel userspace
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for fw in $FIRMWARES; do
    base=$(col "$(methods_of "$fw" | cut -d' ' -f1)" 2 | median 1)
    for m in $(methods_of "$fw"); do
        n=$(col "$m" 2 | grep -c . || true)
        med=$(col "$m" 2 | median 1)
        range="$(col "$m" 2 | sort -n | head -n1)-$(col "$m" 2 | sort -n | tail -n1)"
        ratio=$(awk -v a="$med" -v b="$base" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }')
        printf '| %-14s | %-6s | %-23s | %-5s | %-8s | %-8s | %-8s | %-8s | %-9s |\n' "$m" "$n" "$med ($range)" "$ratio" \
            "$(col "$m" 3 | median 1)" "$(col "$m" 4 | grep -v - | median 1)" "$(col "$m" 5 | grep -v - | median 1)" "$(col "$m" 6 | median 1)" "$(col "$m" 7 | median 1)"
    done
done
echo
echo "Load time in the guest (seconds, guest clock): rekernel load vs kexec -s -l of the same kernel + initrd:"
grep -o '@@VALUE load=.*' "$OS_OUT/bench-downtime/console.log" 2>/dev/null | sed 's/@@VALUE load=/  /' || true
echo
echo "Is a newer kernel waiting? rekernel status vs needrestart -b -k (10 alternating runs, guest clock, seconds):"
st=$(grep -o '@@VALUE status=.*' "$OS_OUT/bench-downtime/console.log" 2>/dev/null | sed 's/@@VALUE status=//' || true)
rs=$(echo "$st" | { grep -o 'rekernel=[0-9.]*' || true; } | cut -d= -f2 | median)
ns=$(echo "$st" | { grep -o 'needrestart=[0-9.]*' || true; } | cut -d= -f2 | median)
awk -v r="$rs" -v n="$ns" -v c="$(echo "$st" | grep -c rekernel= || true)" 'BEGIN { if (r == "" || n == "") print "  no status runs on the console"
    else printf "  medians of %d: rekernel status %.2f s, needrestart -b -k %.2f s, ratio %.2f\n", c, r, n, (n > 0 ? r / n : 0) }'
