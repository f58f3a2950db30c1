#!/bin/bash
# Lab experiment (not a scenario: no rekernel in it): a hardware watchdog armed before a kexec resets a new
# kernel that hangs, and GRUB's next_entry brings back the old one. On the bios image with `-device i6300esb
# -action watchdog=reset`: on 47, grub-reboot the 47 entry, stage 53 with a root that does not exist and no
# panic= (initramfs-tools waits, then its shell: a hang), arm the i6300esb with esb-arm (this lab's cloud kernels
# have no driver for it), `systemctl kexec`. Prints the times; exit 0 when the reset came and GRUB booted 47.
# Needs cc on the host (esb-arm.c is built static). See README.md, "Watchdog".
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export REKERNEL_LAB_OUT=${REKERNEL_LAB_OUT:-$HERE/../../out}
mkdir -p "$REKERNEL_LAB_OUT/os"
# No rekernel in this experiment: an empty package file, which lab-run's dpkg refuses.
export REKERNEL_DEB="$REKERNEL_LAB_OUT/os/none.deb"
: > "$REKERNEL_DEB"
. "$HERE/../lib.sh"
TICKS=${TICKS:-45000}
script=$(cat <<GUEST
NEW=$OS_NEW OLD=$OS_OLD TICKS=$TICKS
GUEST
cat <<'GUEST'
esb=$(for d in /sys/bus/pci/devices/*; do [ "$(cat $d/vendor):$(cat $d/device)" = 0x8086:0x25ab ] && basename $d; done)
case $BOOT in
1)
    value esb "$esb"
    value watchdogs "$(ls /sys/class/watchdog 2>&1)"
    run modinfo -F filename i6300esb
    cfg=/boot/grub/grub.cfg
    id_of() { sed -E "s/.*\\\$menuentry_id_option '([^']*)'.*/\\1/"; }
    run grub-reboot "$(grep -m1 '^submenu ' "$cfg" | id_of)>$(grep -E "^[[:space:]]+menuentry '[^']*$OLD'" "$cfg" | head -n1 | id_of)"
    run kexec -l /boot/vmlinuz-$NEW --initrd=/boot/initrd.img-$NEW --append="root=UUID=00000000-0000-0000-0000-000000000000 console=ttyS0"
    run /lab-disk/esb-arm "$esb" "$TICKS"
    echo "@@ARMED"
    systemctl kexec
    sleep 600 ;;
*) value uname "$(uname -r)"; finish ;;
esac
GUEST
)
os_prepare watchdog-hang "$script" || exit 1
cc -O2 -static -o "$OS_WORK/script/esb-arm" "$HERE/esb-arm.c" || exit 1
mkfs.ext4 -q -F -d "$OS_WORK/script" "$OS_WORK/script.img" || exit 1
os_boot "${DEADLINE:-900}" -device i6300esb -action watchdog=reset
armed=$(host_time '@@ARMED'); reset=$(host_time 'SeaBIOS \(version' 2)
echo "armed -> new kernel: $(seconds_between "$armed" "$(host_time 'Linux version '"$OS_NEW")")s," \
    "-> reset (second SeaBIOS banner): $(seconds_between "$armed" "$reset")s, programmed: $(awk -v t="$TICKS" 'BEGIN { printf "%.1f", 2 * t * 32768 * 30e-9 }')s"
# GRUB names the submenu, then the entry it boots.
after=$(awk -v r="$reset" '$1 > r' "$OS_WORK/console.ts" | grep -o "Booting \`[^']*'" | tr '\n' ' ')
echo "after the reset GRUB printed: $after"
[ -n "$reset" ] && case $after in *"$OS_OLD"*) true ;; *) false ;; esac
