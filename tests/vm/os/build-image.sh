#!/bin/bash
# Builds (once) the full-OS guest: a raw disk with Debian 12 (debootstrap minbase + systemd) and GRUB,
# for one firmware (argument or OS_FIRMWARE, default bios):
#   bios  MBR, one ext4 partition, GRUB installed by grub-pc onto the disk (SeaBIOS boots it)
#   uefi  GPT, a FAT32 ESP on /boot/efi + ext4 root, shim-signed + grub-efi-amd64-signed installed as
#         EFI/BOOT/BOOTX64.EFI (OVMF boots it without a boot entry, with Secure Boot on)
# Kernel 6.1.0-47 from debootstrap and 6.1.0-53 installed
# afterwards with apt from bookworm-security, the way an update installs it (its postinst hooks
# build the initrd and rerun update-grub), its package file kept in apt's cache. rekernel itself is not in the
# image: each scenario installs the freshly built .deb from its script disk. Prints the image path.
#
# The story of the first boot: the machine was running 47 when 53 was installed, so GRUB's
# default (entry 0, the newest kernel) is 53, which rekernel targets. To boot 47 once, the recipe
# runs `grub-reboot` for the 47 entry: GRUB consumes next_entry on the first boot, after which
# grubenv is as on a real machine that has not rebooted since the update.
#
# Cached as $REKERNEL_LAB_CACHE/os/base-<hash>.img (bios) or uefi-<hash>.img, keyed by this script,
# guest/* and the firmware; scenarios run on qcow2 overlays of it. REKERNEL_OS_REBUILD=1 forces a rebuild.
set -euo pipefail
OS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}/os
OLD=6.1.0-47-cloud-amd64
NEW=6.1.0-53-cloud-amd64
FIRMWARE=${1:-${OS_FIRMWARE:-bios}}
say() { echo "build-image: $*" >&2; }
# Images of the two firmwares live side by side: each name prefix has its own "older images" cleanup.
case $FIRMWARE in
    bios) prefix=base ;;
    uefi) prefix=uefi ;;
    *) say "unknown firmware '$FIRMWARE' (bios or uefi)"; exit 2 ;;
esac

key=$({ cat "$OS_DIR/build-image.sh" "$OS_DIR"/guest/*; echo "firmware=$FIRMWARE"; } | sha256sum | cut -c1-16)
img="$CACHE/$prefix-$key.img"
mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9
if [ -f "$img" ] && [ "${REKERNEL_OS_REBUILD:-0}" != 1 ]; then echo "$img"; exit 0; fi
# The package mirrors: the host's apt sources for bookworm and bookworm-security (tools/apt-mirror.sh), or
# REKERNEL_OS_MIRROR / REKERNEL_OS_SECURITY_MIRROR.
MIRROR=${REKERNEL_OS_MIRROR:-$("$OS_DIR/../../../tools/apt-mirror.sh" bookworm)}
SECURITY_MIRROR=${REKERNEL_OS_SECURITY_MIRROR:-$("$OS_DIR/../../../tools/apt-mirror.sh" bookworm-security)}
say "mirrors: $MIRROR (bookworm), $SECURITY_MIRROR (bookworm-security)"

# ---- the steps that differ per firmware ----------------------------------------------------------
# Host tools: the commands and the packages that provide them.
host_tools_bios() { echo "debootstrap sfdisk losetup mkfs.ext4 qemu-img"; }
host_packages_bios() { echo "debootstrap fdisk qemu-utils e2fsprogs"; }
host_tools_uefi() { echo "$(host_tools_bios) mkfs.vfat fsck.vfat fusefat mcopy"; }
host_packages_uefi() { echo "$(host_packages_bios) dosfstools fusefat mtools"; }

# partition_*: the partition table; sets rootpart (and esppart), the partition numbers.
partition_bios() {
    printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$tmp/disk.img"
    rootpart=1
}
# What the Debian installer lays out for UEFI: an ESP first (FAT32), then the root file system.
partition_uefi() {
    printf 'label: gpt\nstart=2048, size=200MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=ESP\ntype=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=root\n' \
        | sfdisk -q "$tmp/disk.img"
    esppart=1 rootpart=2
}

# mount_esp_*: after debootstrap, the ESP on /boot/efi (in fstab by its UUID, as the installer writes it).
mount_esp_bios() { :; }
# A host kernel without vfat (containers often have none) gets the FUSE driver, named after the device:
# grub-install finds the ESP's device (and checks it is FAT) through /proc/self/mountinfo.
mount_esp_uefi() {
    mkfs.vfat -F 32 -n ESP "${loop}p$esppart" >&2
    mkdir -p "$mnt/boot/efi"
    if grep -qw vfat /proc/filesystems || modprobe vfat 2>/dev/null; then
        mount "${loop}p$esppart" "$mnt/boot/efi"
    else
        fusefat -o "rw+,fsname=${loop}p$esppart" "${loop}p$esppart" "$mnt/boot/efi" >&2
    fi
    echo "UUID=$(blkid -s UUID -o value "${loop}p$esppart") /boot/efi vfat umask=0077 0 1" >> "$mnt/etc/fstab"
}

# grub_packages_*, grub_debconf_*, install_boot_loader_*: GRUB's packages, their debconf answers, the
# install onto the disk. grub-pc's postinst installs the boot loader onto the devices debconf names.
grub_packages_bios() { echo grub-pc; }
grub_debconf_bios() {
    inchroot debconf-set-selections <<DEBCONF
grub-pc grub-pc/install_devices multiselect $loop
grub-pc grub-pc/install_devices_empty boolean true
DEBCONF
}
# What the installer puts on a UEFI machine with Secure Boot: shim (signed by Microsoft) loads GRUB (signed by
# Debian) which loads the kernel (signed by Debian). No NVRAM in a chroot: the removable path
# EFI/BOOT/BOOTX64.EFI is what firmware boots without a boot entry.
grub_packages_uefi() { echo grub-efi-amd64 grub-efi-amd64-signed shim-signed; }
grub_debconf_uefi() {
    inchroot debconf-set-selections <<DEBCONF
grub-efi-amd64 grub2/update_nvram boolean false
grub-efi-amd64 grub2/force_efi_extra_removable boolean true
DEBCONF
}
install_boot_loader_bios() {
    # grub-pc's postinst installs only onto devices it recognises (by-id names), which a loop device has
    # not: run what it would run.
    inchroot grub-install --target=i386-pc "$loop" >&2
}
install_boot_loader_uefi() {
    local stub="$mnt/boot/efi/EFI/BOOT/grub.cfg"
    inchroot grub-install --target=x86_64-efi --efi-directory=/boot/efi --uefi-secure-boot --removable --no-nvram >&2
    [ -f "$mnt/boot/efi/EFI/BOOT/BOOTX64.EFI" ] && [ -f "$mnt/boot/efi/EFI/BOOT/grubx64.efi" ] && [ -f "$stub" ] \
        || { say "grub-install put no shim + GRUB in EFI/BOOT"; exit 1; }
    # grub-install writes the stub (search.fs_uuid, set prefix) and then appends `configfile $prefix/grub.cfg`
    # to it (fopen "ab"); fusefat loses that append, and GRUB stops at its prompt: write the file whole.
    if ! grep -qxF 'configfile $prefix/grub.cfg' "$stub"; then
        { cat "$stub"; echo 'configfile $prefix/grub.cfg'; } > "$tmp/stub.cfg"
        rm "$stub"; cp "$tmp/stub.cfg" "$stub"
    fi
}
# grub_terminal_*: GRUB's own terminal (the kernel's console is ttyS0 on both). SeaBIOS's GRUB drives the serial
# port itself. On EFI GRUB's serial terminal spins through its menu wait, which a loaded host stretches from 5 s
# to 46-65 s (README.md, "Why the UEFI image's full reboot is slow"); OVMF mirrors its console onto the serial
# port, so with GRUB on the EFI console the menu and GRUB's messages still reach ttyS0.
grub_terminal_bios() { echo serial; }
grub_terminal_uefi() { echo console; }
# finish_*: the install device the booted guest sees (bios); nothing for uefi.
finish_bios() { echo "grub-pc grub-pc/install_devices multiselect /dev/vda" | inchroot debconf-set-selections; }
finish_uefi() { :; }
# check_esp_*, with the ESP unmounted and the root still mounted: the ESP read back with mtools (not the
# driver that wrote it; its only stderr is a geometry complaint about loop devices) holds the packages' signed shim and GRUB and the whole stub.
check_esp_bios() { :; }
check_esp_uefi() {
    local dev="${loop}p$esppart" f
    fsck.vfat -n "$dev" >&2 || { say "the ESP's FAT is damaged"; exit 1; }
    for f in "BOOTX64.EFI usr/lib/shim/shimx64.efi.signed" "grubx64.efi usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" \
        "mmx64.efi usr/lib/shim/mmx64.efi.signed"; do
        # shellcheck disable=SC2086 # two words: the name on the ESP and the package's file
        set -- $f
        MTOOLS_SKIP_CHECK=1 mcopy -n -i "$dev" "::/EFI/BOOT/$1" "$tmp/esp-file" 2>/dev/null \
            && cmp -s "$tmp/esp-file" "$mnt/$2" || { say "EFI/BOOT/$1 on the ESP is not /$2"; exit 1; }
        rm -f "$tmp/esp-file"
    done
    MTOOLS_SKIP_CHECK=1 mtype -i "$dev" ::/EFI/BOOT/grub.cfg 2>/dev/null | grep -qxF 'configfile $prefix/grub.cfg' \
        || { say "EFI/BOOT/grub.cfg on the ESP lacks its configfile line"; exit 1; }
}
# ---------------------------------------------------------------------------------------------------

for t in $("host_tools_$FIRMWARE"); do
    command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin:/sbin command -v "$t" >/dev/null || missing="${missing:-} $t"
done
if [ -n "${missing:-}" ]; then
    say "installing $("host_packages_$FIRMWARE")"
    # shellcheck disable=SC2046
    DEBIAN_FRONTEND=noninteractive apt-get install -y $("host_packages_$FIRMWARE") >&2
fi

start=$SECONDS
tmp="$CACHE/.build-$key"
mnt="$tmp/mnt"
loop=
cleanup() {
    set +e
    for m in dev/pts dev proc sys boot/efi ""; do mountpoint -q "$mnt/$m" && umount -l "$mnt/$m"; done
    [ -n "$loop" ] && losetup -d "$loop"
    rm -rf "$tmp"
}
trap cleanup EXIT
rm -rf "$tmp"; mkdir -p "$mnt"

truncate -s 3G "$tmp/disk.img"
"partition_$FIRMWARE"
loop=$(losetup -f --show -P "$tmp/disk.img")
# Without udev the partition node can lag or be missing: ask the kernel for it explicitly.
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -b "${loop}p$rootpart" ] && break; partx -a "$loop" 2>/dev/null; sleep 0.5; done
[ -b "${loop}p$rootpart" ] || { say "no partition device ${loop}p$rootpart (losetup -P)"; exit 1; }
mkfs.ext4 -q -L root "${loop}p$rootpart"
uuid=$(blkid -s UUID -o value "${loop}p$rootpart")
mount "${loop}p$rootpart" "$mnt"

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
ln -sf "../../$(basename "${loop}p$rootpart")" "/dev/disk/by-uuid/$uuid"
trap 'rm -f "/dev/disk/by-uuid/$uuid"; cleanup' EXIT

cp /etc/resolv.conf "$mnt/etc/resolv.conf"
echo "deb $MIRROR bookworm main" > "$mnt/etc/apt/sources.list"
echo "deb $SECURITY_MIRROR bookworm-security main" >> "$mnt/etc/apt/sources.list"
echo "UUID=$uuid / ext4 errors=remount-ro 0 1" > "$mnt/etc/fstab"
"mount_esp_$FIRMWARE"
echo rekernel-os > "$mnt/etc/hostname"
mkdir -p "$mnt/var/log/journal"   # persistent journal: `journalctl -b -1` after a switch

inchroot() { LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive chroot "$mnt" "$@"; }
inchroot systemd-machine-id-setup >&2
# kexec-tools must not turn every `systemctl reboot` into a kexec (its Debian default asks).
echo "kexec-tools kexec-tools/load_kexec boolean false" | inchroot debconf-set-selections
"grub_debconf_$FIRMWARE"
grub_packages=$("grub_packages_$FIRMWARE")
say "apt-get install $grub_packages kexec-tools needrestart"
inchroot apt-get update -q >&2
# needrestart: what `rekernel status` is compared with in bench/downtime.sh.
# shellcheck disable=SC2086
inchroot apt-get install -y -q --no-install-recommends $grub_packages kexec-tools needrestart >&2
# The operator's serial-console settings (what /etc/default/grub says on a headless server).
terminal=$("grub_terminal_$FIRMWARE")
sed -i -e 's/^GRUB_CMDLINE_LINUX=.*/GRUB_CMDLINE_LINUX="console=ttyS0"/' \
    -e "s/^#\\?GRUB_TERMINAL=.*/GRUB_TERMINAL=$terminal/" "$mnt/etc/default/grub"
grep -q '^GRUB_TERMINAL=' "$mnt/etc/default/grub" || echo "GRUB_TERMINAL=$terminal" >> "$mnt/etc/default/grub"
if [ "$terminal" = serial ]; then echo 'GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"' >> "$mnt/etc/default/grub"; fi
"install_boot_loader_$FIRMWARE"
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
"finish_$FIRMWARE"
# The update's package stays in apt's cache: scenario 03 removes it and installs it again with apt, offline.
update=$(ls "$mnt"/var/cache/apt/archives/linux-image-"${NEW}"_*.deb) || { say "no package file for $NEW"; exit 1; }
mv "$update" "$tmp/"
inchroot apt-get clean
mv "$tmp/$(basename "$update")" "$update"
rm -f "$mnt/etc/resolv.conf"

for m in dev/pts dev proc sys; do umount "$mnt/$m"; done
if mountpoint -q "$mnt/boot/efi"; then umount "$mnt/boot/efi"; sync; fi
"check_esp_$FIRMWARE"
umount "$mnt"
losetup -d "$loop"; loop=
mv "$tmp/disk.img" "$img.tmp" && mv "$img.tmp" "$img"
# Older images of other recipes for this firmware are dead weight (the other firmware's image stays).
find "$CACHE" -maxdepth 1 -name "$prefix-*.img" ! -name "$prefix-$key.img" -delete
say "built $img in $((SECONDS - start)) s (cold)"
echo "$((SECONDS - start))" > "$CACHE/$prefix-$key.build-seconds"
echo "$img"
