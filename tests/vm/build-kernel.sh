#!/usr/bin/env bash
# Builds, once, what the arm64 tests need from the kernel's own build, from Debian's linux-source-6.1 package
# (apt-get download), cross-compiled with gcc-aarch64-linux-gnu and configured with
# `make allnoconfig KCONFIG_ALLCONFIG=tests/vm/kernel/arm64-kexec-file.config`:
#
#   tests/vm/build-kernel.sh zboot    genuine EFI zboot images of Debian's 6.1.0-53-cloud-arm64 Image, gzip and zstd,
#                                     made by the kernel's own drivers/firmware/efi/libstub/Makefile.zboot (its
#                                     zboot-header.S, EFI stub library and zboot.lds, built for this config) around that
#                                     Image, as Makefile.zboot wraps a kernel's own Image. Only the stub is compiled
#                                     (`make prepare` and the stub's lib.a), not the kernel. Prints their folder.
#   tests/vm/build-kernel.sh kernel   also the kernel itself: an arm64 Image with kexec_file_load (Debian's arm64
#                                     kernels have only kexec_load), for the arm64 lab. Prints its release.
#
# Cached in $REKERNEL_LAB_CACHE (default /var/cache/rekernel-lab), keyed by the hash of the config fragment and this
# script, and renamed into place when complete, so a second run builds nothing and prints at once:
#   zboot/<key>/vmlinuz-6.1.0-53-cloud-arm64.{gzip,zstd}.efi, and .payload: the compressed Image inside each
#   kernels/<version>-rekernel-<key8>/boot/{vmlinuz,config}-<release> and lib/modules/<release>/modules.builtin
# Installs the build tools it lacks (apt-get) and fetches Debian's Image first (tests/vm/fetch-kernels.sh) when needed.
set -euo pipefail

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}
FRAGMENT=$VM_DIR/kernel/arm64-kexec-file.config
PAYLOAD_RELEASE=6.1.0-53-cloud-arm64
PAYLOAD=$CACHE/kernels/$PAYLOAD_RELEASE/boot/vmlinuz-$PAYLOAD_RELEASE
KEY=$(cat "$FRAGMENT" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)
ZBOOT_DIR=$CACHE/zboot/$KEY
TOOLS=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu make flex bison bc gzip zstd xz-utils)

say() { echo "build-kernel: $*" >&2; }
usage() { echo "usage: tests/vm/build-kernel.sh zboot|kernel" >&2; exit 2; }
[ $# -eq 1 ] && [[ $1 == zboot || $1 == kernel ]] || usage
want=$1

# The kernel built for this key, if there is one: its release is <version>-rekernel-<key8>.
built_release() {
    local d
    for d in "$CACHE"/kernels/*-rekernel-"${KEY:0:8}"; do
        [ -f "$d/boot/vmlinuz-${d##*/}" ] && { echo "${d##*/}"; return 0; }
    done
    return 1
}
zboot_ready() { [ -f "$ZBOOT_DIR/vmlinuz-$PAYLOAD_RELEASE.gzip.efi" ] && [ -f "$ZBOOT_DIR/vmlinuz-$PAYLOAD_RELEASE.zstd.efi" ]; }

if [ "$want" = zboot ] && zboot_ready; then echo "$ZBOOT_DIR"; exit 0; fi
if [ "$want" = kernel ] && zboot_ready && release=$(built_release); then echo "$release"; exit 0; fi

missing=()
for pkg in "${TOOLS[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 \
        || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; }
fi
[ -f "$PAYLOAD" ] || "$VM_DIR/fetch-kernels.sh"

mkdir -p "$CACHE/zboot" "$CACHE/kernels"
work=$(mktemp -d "$CACHE/zboot/.build-$KEY.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # lets apt's sandbox user write the .deb
step_start=$SECONDS
step() { say "$1 ($((SECONDS - step_start)) s)"; step_start=$SECONDS; }

(cd "$work" && apt-get download linux-source-6.1 >&2) || { apt-get update >&2 && (cd "$work" && apt-get download linux-source-6.1 >&2); }
source_version=$(dpkg-deb -f "$work"/linux-source-6.1_*.deb Version)
dpkg-deb --fsys-tarfile "$work"/linux-source-6.1_*.deb | tar -xO ./usr/src/linux-source-6.1.tar.xz | tar -xJ -C "$work"
rm "$work"/linux-source-6.1_*.deb
src=$work/linux-source-6.1
step "linux-source-6.1 $source_version downloaded and extracted"

# Everything below runs inside the kernel's own build; nice keeps the shared cores usable.
kmake() {
    nice -n 5 make -C "$src" -j"$(nproc)" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- \
        KBUILD_BUILD_USER=rekernel KBUILD_BUILD_HOST=lab LOCALVERSION="-rekernel-${KEY:0:8}" "$@" >&2
}
kmake allnoconfig KCONFIG_ALLCONFIG="$FRAGMENT"
absent=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$FRAGMENT" | while read -r line; do grep -qxF "$line" "$src/.config" || echo "$line"; done)
[ -z "$absent" ] || { say "allnoconfig did not keep, from $FRAGMENT: $(echo $absent) (a dependency is missing)"; exit 1; }

out=$work/out
mkdir -p "$out/zboot"
if [ "$want" = kernel ]; then
    kmake Image
    release=$(make -s -C "$src" ARCH=arm64 LOCALVERSION="-rekernel-${KEY:0:8}" kernelrelease)
    mkdir -p "$out/kernel/boot" "$out/kernel/lib/modules/$release"
    cp "$src/arch/arm64/boot/Image" "$out/kernel/boot/vmlinuz-$release"
    cp "$src/.config" "$out/kernel/boot/config-$release"
    # What is built in needs no insmod: the lab's module pieces read this (CONFIG_MODULES is off).
    cp "$src/modules.builtin" "$out/kernel/lib/modules/$release/modules.builtin"
    step "kernel $release built"
fi

# The zboot images: a kbuild folder of our own in the tree whose Makefile is arch/arm64/boot/Makefile's zboot part
# (the payload named Image, the PE machine and BFD target of arm64), built by the kernel's top-level Makefile
# (`make -f Makefile -f zboot.mk`, so that kbuild's variables and `prepare` are the real ones). The stub's lib.a is
# compiled first, for the compression the config names: Makefile.zboot and the stub's decompressor both follow it.
mkdir "$src/rekernel-zboot"
cp "$PAYLOAD" "$src/rekernel-zboot/Image"
cat > "$src/rekernel-zboot/Makefile" <<'EOF'
EFI_ZBOOT_PAYLOAD	:= Image
EFI_ZBOOT_BFD_TARGET	:= elf64-littleaarch64
EFI_ZBOOT_MACH_TYPE	:= ARM64
include $(srctree)/drivers/firmware/efi/libstub/Makefile.zboot
always-y := vmlinuz.efi
EOF
printf '%s\n' 'PHONY += rekernel-zboot' 'rekernel-zboot: prepare' '	$(Q)$(MAKE) $(build)=rekernel-zboot' > "$work/zboot.mk"
for compression in gzip zstd; do
    if [ "$compression" = zstd ]; then
        "$src/scripts/config" --file "$src/.config" --disable KERNEL_GZIP --enable KERNEL_ZSTD
        kmake olddefconfig
    fi
    kmake drivers/firmware/efi/libstub/
    kmake -f Makefile -f "$work/zboot.mk" rekernel-zboot
    file=$out/zboot/vmlinuz-$PAYLOAD_RELEASE.$compression.efi
    cp "$src/rekernel-zboot/vmlinuz.efi" "$file"
    # Makefile.zboot's compressed payload as it wrote it (zstd: with the length appended), what the unit tests
    # compare the payload rekernel finds in the image with.
    cp "$src/rekernel-zboot/vmlinuz" "${file%.efi}.payload"
    # "MZ", "zimg" at 4 and the compression's name at 24 (zboot-header.S): what rekernel reads.
    name=$(dd if="$file" bs=1 skip=24 count=8 status=none | tr -d '\0')
    [ "$(head -c 8 "$file" | tr -d '\0')" = MZzimg ] && [ "$name" = "$([ "$compression" = gzip ] && echo gzip || echo zstd22)" ] \
        || { say "$file is not a $compression EFI zboot image (compression '$name')"; exit 1; }
    step "$compression zboot image of $PAYLOAD_RELEASE made"
done

echo "linux-source-6.1 $source_version" > "$out/zboot/.source"
if ! zboot_ready; then
    rm -rf "$ZBOOT_DIR"
    mv "$out/zboot" "$ZBOOT_DIR"
fi
if [ "$want" = zboot ]; then echo "$ZBOOT_DIR"; exit 0; fi
rm -rf "${CACHE:?}/kernels/$release"
mv "$out/kernel" "$CACHE/kernels/$release"
echo "$release"
