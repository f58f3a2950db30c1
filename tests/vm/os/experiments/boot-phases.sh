#!/bin/bash
# Lab experiment: the phases of a cold boot and of one firmware reboot of the full-OS image, on the host's
# clock and in QEMU's CPU seconds (which a loaded host does not stretch).
#   experiments/boot-phases.sh NAME [QEMU-ARGS...]     OS_FIRMWARE=bios|uefi (uefi by default)
# PREP: shell run in the guest before its reboot (e.g. drop `quiet` from grub.cfg so the kernel's start shows,
# or switch GRUB_TERMINAL and run update-grub). Prints one line per console marker: seconds since QEMU started,
# QEMU's CPU seconds, the step from the previous marker. See README.md, "Why the UEFI image's full reboot is slow".
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=$1; shift
export REKERNEL_LAB_OUT=${REKERNEL_LAB_OUT:-$HERE/../../out} OS_FIRMWARE=${OS_FIRMWARE:-uefi}
mkdir -p "$REKERNEL_LAB_OUT/os"
# No rekernel in this experiment: an empty package file, which lab-run's dpkg refuses.
export REKERNEL_DEB="$REKERNEL_LAB_OUT/os/none.deb"
: > "$REKERNEL_DEB"
. "$HERE/../lib.sh"
script=$(printf 'PREP=%q\n' "${PREP:-:}"; cat <<'GUEST'
run systemd-analyze
case $BOOT in
1) eval "$PREP"; sync; echo "@@REBOOT"; systemctl reboot; sleep 600 ;;
*) finish ;;
esac
GUEST
)
os_prepare "$name" "$script" || exit 1
# QEMU's CPU time (utime + stime, in clock ticks of 1/100 s) every half second.
( until pid=$(pgrep -f "^qemu-system-x86_64 .*$OS_WORK/disk.qcow2"); do sleep 0.2; done
  while [ -e "/proc/$pid" ]; do echo "$EPOCHREALTIME $(awk '{ print ($14 + $15) / 100 }' "/proc/$pid/stat")"; sleep 0.5; done ) \
    > "$OS_WORK/cpu.log" 2>/dev/null &
os_boot "${DEADLINE:-1500}" "$@"
wait
grep -aE 'BdsDxe: (loading|starting)|SeaBIOS \(version|Welcome to GRUB|GNU GRUB  version|Booting `|Loading Linux|Loading initial ramdisk|\] Linux version|Run /init as init|@@READY|@@REBOOT|reboot: Restarting|Startup finished' "$OS_WORK/console.ts" \
  | awk -v cpu="$OS_WORK/cpu.log" 'BEGIN { while ((getline l < cpu) > 0) { split(l, a, " "); n++; t[n] = a[1]; c[n] = a[2] } }
    { ts = $1; $1 = ""; k = 1; while (k < n && t[k + 1] <= ts) k++; if (!started) { started = 1; pt = t[1]; pc = 0 }
      printf "%8.1f s  cpu %6.1f  (+%5.1f s, +%5.1f cpu) %s\n", ts - t[1], c[k], ts - pt, c[k] - pc, substr($0, 1, 80); pt = ts; pc = c[k] }'
[ "$OS_TIMED_OUT" = 0 ]
