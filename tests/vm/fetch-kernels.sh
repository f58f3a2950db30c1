#!/bin/sh
# Fetch the real Debian cloud kernels the VM lab boots (x86-64 and arm64), the arm64 guest's user space, and
# the host tools the lab needs. Idempotent: a second run downloads nothing. Each kernel and user space is
# extracted to a temporary folder and renamed into place, so a half-extracted package is never seen as present.
#
#   REKERNEL_LAB_CACHE   cache root (default /var/cache/rekernel-lab)
#   kernels end up in    $REKERNEL_LAB_CACHE/kernels/<release>/{boot,lib}/...
#   arm64 user space in  $REKERNEL_LAB_CACHE/userland/arm64/{bin,sbin,lib,usr}/... (busybox, kexec-tools, libraries)
set -eu

CACHE=${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}
RELEASES=${REKERNEL_LAB_RELEASES:-"6.1.0-47-cloud-amd64 6.1.0-53-cloud-amd64"}
# arm64 kernels (the arm64 lab boots them, the Image header tests read 53); apt lists them once dpkg has the arm64
# architecture.
ARM64_RELEASES=${REKERNEL_LAB_ARM64_RELEASES:-"6.1.0-47-cloud-arm64 6.1.0-53-cloud-arm64"}
# The arm64 guest's programs: busybox, kexec-tools and the libraries they and the cross-published rekernel link
# (kexec-tools links libxenctrl, which pulls in the libxen* family; lib.sh's copy_with_libs names any that is missing).
ARM64_USERLAND="busybox-static kexec-tools libc6 zlib1g libxenmisc4.17 libxencall1 libxendevicemodel1 libxenevtchn1
    libxenforeignmemory1 libxengnttab1 libxentoolcore1 libxentoollog1"

say() { echo "fetch-kernels: $*" >&2; }

# Host tools: install only what is missing; refresh the package lists only if a first install fails
# (the lists are usually fresh enough and apt-get update is slow).
ensure_tools() {
    missing=""
    command -v qemu-system-x86_64 >/dev/null 2>&1 || missing="$missing qemu-system-x86"
    command -v qemu-system-aarch64 >/dev/null 2>&1 || missing="$missing qemu-system-arm"
    [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx insmod \
        && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || missing="$missing busybox-static"
    command -v cpio >/dev/null 2>&1 || missing="$missing cpio"
    command -v kexec >/dev/null 2>&1 || [ -x /usr/sbin/kexec ] || [ -x /sbin/kexec ] || missing="$missing kexec-tools"
    [ -f /usr/lib/systemd/boot/efi/linuxx64.efi.stub ] || missing="$missing systemd-boot-efi"
    command -v objcopy >/dev/null 2>&1 || missing="$missing binutils"
    command -v depmod >/dev/null 2>&1 || [ -x /usr/sbin/depmod ] || [ -x /sbin/depmod ] || missing="$missing kmod"
    command -v sbattach >/dev/null 2>&1 || missing="$missing sbsigntool"
    # The fleet lab (fleet.sh): etcd on the host, etcdctl and jq to read it, socat behind the guests' guestfwd.
    command -v etcd >/dev/null 2>&1 || missing="$missing etcd-server"
    command -v etcdctl >/dev/null 2>&1 || missing="$missing etcd-client"
    command -v jq >/dev/null 2>&1 || missing="$missing jq"
    command -v socat >/dev/null 2>&1 || missing="$missing socat"
    [ -z "$missing" ] && return 0
    say "installing$missing"
    # shellcheck disable=SC2086
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y $missing >&2; then
        apt-get update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y $missing >&2
    fi
}

fetch_release() {
    release=$1
    dest="$CACHE/kernels/$release"
    if [ -f "$dest/boot/vmlinuz-$release" ] && [ -f "$dest/lib/modules/$release/modules.dep" ]; then
        return 0
    fi
    # Present but without depmod's output (extracted by someone else): complete it in place.
    if [ -f "$dest/boot/vmlinuz-$release" ] && [ -d "$dest/lib/modules/$release/kernel" ]; then
        PATH="$PATH:/usr/sbin:/sbin" depmod -b "$dest" "$release"
        return 0
    fi
    work=$(mktemp -d "$CACHE/kernels/.fetch-$release.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    chmod 755 "$work" # lets apt's sandbox user write the .deb (no warning)
    say "downloading linux-image-$release"
    if ! (cd "$work" && apt-get download "linux-image-$release" >&2); then
        apt-get update >&2
        (cd "$work" && apt-get download "linux-image-$release" >&2)
    fi
    mkdir "$work/tree"
    dpkg-deb -x "$work"/linux-image-"$release"_*.deb "$work/tree"
    # Newer Debian packages ship /lib as usr/lib; keep both spellings reachable.
    if [ ! -d "$work/tree/lib/modules" ] && [ -d "$work/tree/usr/lib/modules" ]; then
        ln -s usr/lib "$work/tree/lib"
    fi
    [ -f "$work/tree/boot/vmlinuz-$release" ] || { say "no /boot/vmlinuz-$release in the package"; exit 1; }
    # depmod output is not in the .deb (postinst writes it); generate it so the initramfs builder
    # can read dependencies from modules.dep.
    if [ ! -f "$work/tree/lib/modules/$release/modules.dep" ]; then
        PATH="$PATH:/usr/sbin:/sbin" depmod -b "$work/tree" "$release"
    fi
    rm -rf "$dest"
    mv "$work/tree" "$dest"
    rm -rf "$work"
    trap - EXIT
    say "ready: $dest"
}

# fetch_userland ARCH PACKAGE...: the packages of ARCH extracted into one tree, the guest's user space.
fetch_userland() {
    arch=$1; shift
    dest="$CACHE/userland/$arch" want="$*"
    # .packages records what the tree holds: a changed list fetches it again.
    [ -f "$dest/.packages" ] && [ "$(cat "$dest/.packages")" = "$want" ] && return 0
    mkdir -p "$CACHE/userland"
    work=$(mktemp -d "$CACHE/userland/.fetch-$arch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    chmod 755 "$work"
    say "downloading the $arch guest's user space:$(printf ' %s' "$@")"
    set -- $(printf "%s:$arch " "$@")
    if ! (cd "$work" && apt-get download "$@" >&2); then
        apt-get update >&2
        (cd "$work" && apt-get download "$@" >&2)
    fi
    mkdir "$work/tree"
    for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/tree"; done
    echo "$want" > "$work/tree/.packages"
    rm -rf "$dest"
    mv "$work/tree" "$dest"
    rm -rf "$work"
    trap - EXIT
    say "ready: $dest"
}

ensure_tools
mkdir -p "$CACHE/kernels"
for r in $RELEASES; do fetch_release "$r"; done
if [ -n "$ARM64_RELEASES" ] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    say "adding dpkg's arm64 architecture"
    dpkg --add-architecture arm64
    apt-get update >&2
fi
for r in $ARM64_RELEASES; do fetch_release "$r"; done
# shellcheck disable=SC2086
[ -z "$ARM64_RELEASES" ] || fetch_userland arm64 $ARM64_USERLAND
