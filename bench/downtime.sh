#!/bin/bash
# Downtime of a kernel switch on the full-OS lab guest (tests/vm/os: Debian 12, systemd, SeaBIOS + GRUB
# from a disk), in one QEMU run, alternating methods round by round:
#   reboot-t5   systemctl reboot through SeaBIOS and GRUB, Debian's GRUB_TIMEOUT=5
#   reboot-t0   the same with GRUB_TIMEOUT=0 (a tuned server)
#   kexec-tools kexec -l /boot/vmlinuz --initrd=... --reuse-cmdline (before), then timed: systemctl kexec
#   rekernel    rekernel upgrade --yes --force (stages and switches: its load time is inside the downtime)
# Downtime = host clock from the marker printed just before the command to the @@READY marker of the next
# boot (after multi-user.target). Phases: shutdown (to the old boot's last journal line, guest clock
# converted with the READY offset), firmware and boot loader (serial lines "SeaBIOS", "Booting from Hard
# Disk", "Loading initial ramdisk"), kernel and userspace (systemd-analyze of the new boot).
# Also: `rekernel load` against `kexec -s -l` for the same kernel and initrd (5 runs each, guest clock).
# And: `rekernel status` against `needrestart -b -k` (is a newer kernel waiting?), 10 alternating runs each.
#   bench/downtime.sh [ROUNDS]   (default 3; ~6-8 min per round under TCG)
#   bench/downtime.sh --report   the tables again from the last run's console (also of an interrupted run)
set -euo pipefail
cd "$(dirname "$0")/.."
. tests/vm/os/lib.sh
ROUNDS=${ROUNDS:-3}
[[ ${1:-} =~ ^[0-9]+$ ]] && ROUNDS=$1
METHODS="reboot-t5 reboot-t0 kexec-tools rekernel"
plan=""
for _ in $(seq "$ROUNDS"); do plan="$plan $METHODS"; done

script=$(cat <<GUEST
PLAN=($plan)
NEW=$OS_NEW
GUEST
cat <<'GUEST'
timeout_to() { sed -i "s/^GRUB_TIMEOUT=.*/GRUB_TIMEOUT=$1/" /etc/default/grub; update-grub >/dev/null 2>&1; }
# Wait for the boot to finish (systemd-analyze needs it), then report the phases of this boot.
for _ in $(seq 120); do systemd-analyze time >/dev/null 2>&1 && break; sleep 1; done
value analyze "$(systemd-analyze time 2>/dev/null | tr '\n' ' ')"
value lastline "$(journalctl -b -1 -o short-unix -n 1 --no-pager 2>/dev/null | tail -n1 | cut -d' ' -f1)"
if [ "$BOOT" = 1 ]; then
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
    reboot-t5) timeout_to 5; sync; echo "@@GO $m"; systemctl reboot ;;
    reboot-t0) timeout_to 0; sync; echo "@@GO $m"; systemctl reboot ;;
    kexec-tools) kexec -l /boot/vmlinuz-$NEW --initrd=/boot/initrd.img-$NEW --reuse-cmdline; sync; echo "@@GO $m"; systemctl kexec ;;
    rekernel) sync; echo "@@GO $m"; rekernel upgrade --yes --force >/dev/null 2>&1 ;;
esac
sleep 600
GUEST
)
if [ "${1:-}" = --report ]; then
    OS_WORK="$OS_OUT/bench-downtime"
    cut -d' ' -f2- "$OS_WORK/console.ts" | tr -d '\033' | sed 's/\(.\)\(@@[A-Z]\)/\1\n\2/g' > "$OS_WORK/console.log"
else
    os_prepare bench-downtime "$script"
    echo "bench: $ROUNDS rounds of: $METHODS (one QEMU run; console in $OS_WORK/console.ts)" >&2
    os_boot $((ROUNDS * 4 * 200 + 300))
fi
ts="$OS_WORK/console.ts"
# One line per switch: method downtime shutdown firmware loader kernel userspace
awk '
    function num(s) { return s + 0 }
    / @@GO / { go = $1; method = $3; fw = ""; bd = ""; ld = ""; next }
    /SeaBIOS/ && go { fw = $1 }
    /Booting from Hard Disk/ && go { bd = $1 }
    /Loading initial ramdisk/ && go { ld = $1 }
    / @@READY / && go { ready = $1; match($0, /realtime=[0-9.]+/); off = $1 - substr($0, RSTART + 9, RLENGTH - 9); pending = 1; next }
    / @@VALUE analyze=/ && pending {
        k = ""; u = "";
        if (match($0, /[0-9.]+(min [0-9.]+)?s \(kernel\)/)) k = substr($0, RSTART, RLENGTH)
        if (match($0, /after [0-9.]+(min [0-9.]+)?s in userspace/)) u = substr($0, RSTART + 6, RLENGTH - 18)
        next }
    / @@VALUE lastline=/ && pending {
        split($0, a, "="); last = a[2] + prevoff
        printf "%s %.1f %.1f %s %s %s %s\n", method, ready - go, last - go, \
            (fw != "" && bd != "") ? sprintf("%.1f", bd - fw) : "-", (bd != "" && ld != "") ? sprintf("%.1f", ld - bd) : "-", secs(k), secs(u)
        pending = 0; go = ""; prevoff = off; next }
    / @@READY / { match($0, /realtime=[0-9.]+/); prevoff = $1 - substr($0, RSTART + 9, RLENGTH - 9) }
    function secs(s,   m) { if (s == "") return "-"; if (match(s, /min/)) { m = substr(s, 1, RSTART - 1); s = substr(s, RSTART + 4) } gsub(/s/, "", s); return sprintf("%.1f", m * 60 + s) }
' "$ts" > "$OS_WORK/rounds.txt"
echo
echo "Downtime per switch (host clock, command -> @@READY after multi-user.target), seconds:"
printf '%-12s %9s %9s %9s %9s %9s %9s\n' method downtime shutdown firmware loader kernel userspace
cat "$OS_WORK/rounds.txt" | while read -r m d s f l k u; do printf '%-12s %9s %9s %9s %9s %9s %9s\n' "$m" "$d" "$s" "$f" "$l" "$k" "$u"; done
echo
echo "Summary: median (min-max) of the downtime, and ratio to the median full reboot with GRUB_TIMEOUT=5:"
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.1f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$OS_WORK/rounds.txt"; }
base=$(col reboot-t5 2 | median)
printf '| %-12s | %-6s | %-23s | %-5s | %-8s | %-8s | %-8s | %-8s | %-9s |\n' method rounds "downtime median (range)" ratio shutdown firmware loader kernel userspace
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for m in $METHODS; do
    n=$(col "$m" 2 | wc -l)
    med=$(col "$m" 2 | median)
    range="$(col "$m" 2 | sort -n | head -n1)-$(col "$m" 2 | sort -n | tail -n1)"
    ratio=$(awk -v a="$med" -v b="$base" 'BEGIN { if (a != "" && b > 0) printf "%.2f", a / b; else print "-" }')
    printf '| %-12s | %-6s | %-23s | %-5s | %-8s | %-8s | %-8s | %-8s | %-9s |\n' "$m" "$n" "$med ($range)" "$ratio" \
        "$(col "$m" 3 | median)" "$(col "$m" 4 | grep -v - | median)" "$(col "$m" 5 | grep -v - | median)" "$(col "$m" 6 | median)" "$(col "$m" 7 | median)"
done
echo
echo "Load time in the guest (seconds, guest clock): rekernel load vs kexec -s -l of the same kernel + initrd:"
grep -o '@@VALUE load=.*' "$OS_WORK/console.log" | sed 's/@@VALUE load=/  /'
echo
echo "Is a newer kernel waiting? rekernel status vs needrestart -b -k (10 alternating runs, guest clock, seconds):"
st=$(grep -o '@@VALUE status=.*' "$OS_WORK/console.log" | sed 's/@@VALUE status=//' || true)
median3() { sort -n | awk '{ a[NR] = $1 } END { if (NR) printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
rs=$(echo "$st" | { grep -o 'rekernel=[0-9.]*' || true; } | cut -d= -f2 | median3)
ns=$(echo "$st" | { grep -o 'needrestart=[0-9.]*' || true; } | cut -d= -f2 | median3)
awk -v r="$rs" -v n="$ns" -v c="$(echo "$st" | grep -c rekernel= || true)" 'BEGIN { if (r == "" || n == "") print "  no status runs on the console"
    else printf "  medians of %d: rekernel status %.2f s, needrestart -b -k %.2f s, ratio %.2f\n", c, r, n, (n > 0 ? r / n : 0) }'
