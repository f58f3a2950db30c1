#!/bin/bash
# Builds (once) the full-OS guest: a raw MBR disk with Debian 12 (debootstrap minbase + systemd),
# GRUB installed by grub-pc onto the disk, kernel 6.1.0-47 from debootstrap and 6.1.0-53 installed
# afterwards with apt from bookworm-security, the way an update installs it (its postinst hooks
# build the initrd and rerun update-grub), its package file kept in /root. rekernel itself is not in the
# image: each scenario installs the freshly built .deb from its script disk. Prints the image path.
#
# The story of the first boot: the machine was running 47 when 53 was installed, so GRUB's
# default (entry 0, the newest kernel) is 53, which rekernel targets. To boot 47 once, the recipe
# runs `grub-reboot` for the 47 entry: GRUB consumes next_entry on the first boot, after which
# grubenv is as on a real machine that has not rebooted since the update.
#
# Cached as $REKERNEL_LAB_CACHE/os/base-<hash>.img, keyed by this script and guest/*; scenarios
# run on qcow2 overlays of it. REKERNEL_OS_REBUILD=1 forces a rebuild.
set -euo pipefail
OS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}/os
MIRROR=${REKERNEL_OS_MIRROR:-http://deb.debian.org/debian}
OLD=6.1.0-47-cloud-amd64
NEW=6.1.0-53-cloud-amd64
say() { echo "build-image: $*" >&2; }

key=$(cat "$OS_DIR/build-image.sh" "$OS_DIR"/guest/* | sha256sum | cut -c1-16)
img="$CACHE/base-$key.img"
mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9
if [ -f "$img" ] && [ "${REKERNEL_OS_REBUILD:-0}" != 1 ]; then echo "$img"; exit 0; fi

for t in debootstrap sfdisk losetup mkfs.ext4 qemu-img; do
    command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v "$t" >/dev/null || missing="${missing:-} $t"
done
if [ -n "${missing:-}" ]; then
    say "installing debootstrap fdisk qemu-utils e2fsprogs"
    DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap fdisk qemu-utils e2fsprogs >&2
fi

start=$SECONDS
tmp="$CACHE/.build-$key"
mnt="$tmp/mnt"
loop=
cleanup() {
    set +e
    for m in dev/pts dev proc sys ""; do mountpoint -q "$mnt/$m" && umount -l "$mnt/$m"; done
    [ -n "$loop" ] && losetup -d "$loop"
    rm -rf "$tmp"
}
trap cleanup EXIT
rm -rf "$tmp"; mkdir -p "$mnt"

truncate -s 3G "$tmp/disk.img"
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$tmp/disk.img"
loop=$(losetup -f --show -P "$tmp/disk.img")
# Without udev the partition node can lag or be missing: ask the kernel for it explicitly.
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -b "${loop}p1" ] && break; partx -a "$loop" 2>/dev/null; sleep 0.5; done
[ -b "${loop}p1" ] || { say "no partition device ${loop}p1 (losetup -P)"; exit 1; }
mkfs.ext4 -q -L root "${loop}p1"
uuid=$(blkid -s UUID -o value "${loop}p1")
mount "${loop}p1" "$mnt"

say "debootstrap bookworm (minbase + systemd + $OLD)"
t0=$SECONDS
debootstrap --variant=minbase \
    --include=systemd-sysv,udev,kmod,initramfs-tools,dbus,linux-image-$OLD \
    bookworm "$mnt" "$MIRROR" >&2
say "debootstrap took $((SECONDS - t0)) s"

mount --bind /dev "$mnt/dev"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$mnt/dev/pts"
mount -t proc proc "$mnt/proc"
mount -t sysfs sysfs "$mnt/sys"
# grub-mkconfig writes root=UUID=... only when the by-uuid link exists (udev does not run here).
mkdir -p /dev/disk/by-uuid
ln -sf "../../$(basename "${loop}p1")" "/dev/disk/by-uuid/$uuid"
trap 'rm -f "/dev/disk/by-uuid/$uuid"; cleanup' EXIT

cp /etc/resolv.conf "$mnt/etc/resolv.conf"
echo "deb $MIRROR bookworm main" > "$mnt/etc/apt/sources.list"
echo "deb http://deb.debian.org/debian-security bookworm-security main" >> "$mnt/etc/apt/sources.list"
echo "UUID=$uuid / ext4 errors=remount-ro 0 1" > "$mnt/etc/fstab"
echo rekernel-os > "$mnt/etc/hostname"
mkdir -p "$mnt/var/log/journal"   # persistent journal: `journalctl -b -1` after a switch

inchroot() { LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive chroot "$mnt" "$@"; }
inchroot systemd-machine-id-setup >&2
# grub-pc's postinst installs the boot loader onto the devices debconf names; kexec-tools must not
# turn every `systemctl reboot` into a kexec (its Debian default asks).
inchroot debconf-set-selections <<DEBCONF
grub-pc grub-pc/install_devices multiselect $loop
grub-pc grub-pc/install_devices_empty boolean true
kexec-tools kexec-tools/load_kexec boolean false
DEBCONF
say "apt-get install grub-pc kexec-tools needrestart"
inchroot apt-get update -q >&2
# needrestart: what `rekernel status` is compared with in bench/downtime.sh.
inchroot apt-get install -y -q --no-install-recommends grub-pc kexec-tools needrestart >&2
# The operator's serial-console settings (what /etc/default/grub says on a headless server).
sed -i -e 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=ttyS0"/' \
    -e 's/^#\?GRUB_TERMINAL=.*/GRUB_TERMINAL=serial/' "$mnt/etc/default/grub"
grep -q '^GRUB_TERMINAL=' "$mnt/etc/default/grub" || echo 'GRUB_TERMINAL=serial' >> "$mnt/etc/default/grub"
echo 'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"' >> "$mnt/etc/default/grub"
# grub-pc's postinst installs only onto devices it recognises (by-id names), which a loop device has
# not: run what it would run.
inchroot grub-install --target=i386-pc "$loop" >&2
inchroot update-grub >&2

say "apt-get install linux-image-$NEW (the kernel update)"
inchroot apt-get install -y -q "linux-image-$NEW" >&2
[ -f "$mnt/boot/vmlinuz-$NEW" ] && [ -f "$mnt/boot/initrd.img-$NEW" ] || { say "$NEW not installed"; exit 1; }
grep -q "vmlinuz-$NEW" "$mnt/boot/grub/grub.cfg" || { say "update-grub did not add $NEW"; exit 1; }

# Guest side of the lab: readiness marker, scenario runner; no getty on the serial console
# (its prompt would interleave with the markers).
install -m 0644 "$OS_DIR/guest/lab-ready.service" "$OS_DIR/guest/lab-scenario.service" "$mnt/etc/systemd/system/"
install -m 0755 "$OS_DIR/guest/lab-run" "$mnt/usr/local/sbin/lab-run"
inchroot systemctl enable lab-ready.service lab-scenario.service >&2
inchroot systemctl mask serial-getty@ttyS0.service >&2

# Boot 47 once: the machine that was running 47 when 53 was installed.
cfg="$mnt/boot/grub/grub.cfg"
id_of() { sed -E "s/.*\\\$menuentry_id_option '([^']*)'.*/\\1/"; }
entry="$(grep -m1 '^submenu ' "$cfg" | id_of)>$(grep -E "^[[:space:]]+menuentry '[^']*$OLD'" "$cfg" | head -n1 | id_of)"
case $entry in *">"gnulinux-$OLD-advanced-*) ;; *) false ;; esac || { say "no GRUB entry for $OLD"; exit 1; }
inchroot grub-reboot "$entry" >&2
echo "grub-pc grub-pc/install_devices multiselect /dev/vda" | inchroot debconf-set-selections
# The update's package stays at hand: scenario 03 removes and installs it again with apt, offline.
cp "$mnt"/var/cache/apt/archives/linux-image-"${NEW}"_*.deb "$mnt/root/linux-image-$NEW.deb" || { say "no package file for $NEW"; exit 1; }
inchroot apt-get clean
rm -f "$mnt/etc/resolv.conf"

for m in dev/pts dev proc sys; do umount "$mnt/$m"; done
umount "$mnt"
losetup -d "$loop"; loop=
mv "$tmp/disk.img" "$img.tmp" && mv "$img.tmp" "$img"
# Older images of other recipes are dead weight.
find "$CACHE" -maxdepth 1 -name 'base-*.img' ! -name "base-$key.img" -delete
say "built $img in $((SECONDS - start)) s (cold)"
echo "$((SECONDS - start))" > "$CACHE/base-$key.build-seconds"
echo "$img"
