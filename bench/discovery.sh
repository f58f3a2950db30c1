#!/usr/bin/env bash
# Discovery speed: `rekernel list --root T --json` on generated trees (1,000 BLS entries; a grub.cfg with 1,000
# menu entries in submenus; 1,000 plain kernels in /boot), against systemd's `bootctl list --json=short` on the
# BLS tree, and `rekernel status --check` against `needrestart -b -k` on this machine. Prints the median wall
# time of RUNS runs and the peak RSS of each command. Needs root (bootctl wants the boot directory to be a mount
# point: it is bind-mounted on itself in a private mount namespace), bootctl (Debian: systemd-boot) and
# needrestart. Usage: bench/discovery.sh [RUNS]   (REKERNEL=path overrides artifacts/bin/rekernel)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
runs=${1:-21}
rekernel=${REKERNEL:-$PWD/artifacts/bin/rekernel}
for tool in "$rekernel" bootctl needrestart /usr/bin/time unshare; do
    command -v "$tool" >/dev/null || { echo "bench: $tool not found (make publish; apt-get install systemd-boot needrestart time util-linux)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kernel=tests/fixtures/debian12-plain/boot/vmlinuz-6.1.0-53-amd64
machine=0f3c8a6e2b1d4e5f8a9b0c1d2e3f4a5b
n=1000

# 1,000 BLS entries as kernel-install writes them, each with its own kernel and initrd (hard links of one file).
bls=$work/bls
mkdir -p "$bls/boot/loader/entries" "$bls/boot/$machine"
cp "$kernel" "$bls/boot/kernel"; : > "$bls/boot/initrd"
for i in $(seq 1 $n); do
    v="6.1.0-$i-amd64"
    mkdir "$bls/boot/$machine/$v"
    ln "$bls/boot/kernel" "$bls/boot/$machine/$v/linux"; ln "$bls/boot/initrd" "$bls/boot/$machine/$v/initrd"
    printf 'title      Debian GNU/Linux 12 (bookworm)\nversion    %s\nmachine-id %s\nsort-key   debian\noptions    root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro quiet\nlinux      /%s/%s/linux\ninitrd     /%s/%s/initrd\n' \
        "$v" "$machine" "$machine" "$v" "$machine" "$v" > "$bls/boot/loader/entries/$machine-$v.conf"
done
printf 'timeout 3\ndefault @saved\n' > "$bls/boot/loader/loader.conf"

# grub.cfg: 10 submenus of 100 entries each, in grub-mkconfig's form, over 1,000 kernels in /boot.
grub=$work/grub
mkdir -p "$grub/boot/grub"
cp "$kernel" "$grub/boot/kernel"; : > "$grub/boot/initrd"
{
    printf 'if [ -s $prefix/grubenv ]; then\n  load_env\nfi\nset default="0"\nset timeout=5\n'
    for s in $(seq 0 9); do
        printf "submenu 'Advanced options %s' \$menuentry_id_option 'gnulinux-advanced-%s' {\n" "$s" "$s"
        for j in $(seq 1 100); do
            v="6.1.0-$((s * 100 + j))-amd64"
            ln "$grub/boot/kernel" "$grub/boot/vmlinuz-$v"; ln "$grub/boot/initrd" "$grub/boot/initrd.img-$v"
            printf "\tmenuentry 'Debian GNU/Linux, with Linux %s' --class debian --class gnu-linux --class gnu --class os \$menuentry_id_option 'gnulinux-%s-advanced' {\n\t\tload_video\n\t\tinsmod gzio\n\t\tinsmod part_msdos\n\t\tinsmod ext2\n\t\tset root='hd0,msdos1'\n\t\techo\t'Loading Linux %s ...'\n\t\tlinux\t/boot/vmlinuz-%s root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro quiet\n\t\techo\t'Loading initial ramdisk ...'\n\t\tinitrd\t/boot/initrd.img-%s\n\t}\n" "$v" "$v" "$v" "$v" "$v"
        done
        printf '}\n'
    done
} > "$grub/boot/grub/grub.cfg"

# 1,000 plain kernels (Debian naming), no bootloader configuration.
plain=$work/plain
mkdir -p "$plain/boot"
cp "$kernel" "$plain/boot/kernel"; : > "$plain/boot/initrd"
for i in $(seq 1 $n); do ln "$plain/boot/kernel" "$plain/boot/vmlinuz-6.1.0-$i-amd64"; ln "$plain/boot/initrd" "$plain/boot/initrd.img-6.1.0-$i-amd64"; done
rm "$plain/boot/kernel" "$plain/boot/initrd"

# measure NAME CMD...: median wall seconds over $runs runs (after one warm-up), and the peak RSS in KiB of a
# separate run under /usr/bin/time (which would add its own fork and exec to the timed runs).
measure() {
    local name=$1; shift
    "$@" >/dev/null 2>&1 || true
    local times=() rss
    for _ in $(seq 1 "$runs"); do
        local start=$EPOCHREALTIME
        "$@" >/dev/null 2>&1 || true
        times+=("$(echo "$EPOCHREALTIME - $start" | bc -l)")
    done
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    rss=$(tail -1 "$work/rss")
    local med; med=$(printf '%s\n' "${times[@]}" | median 4)
    printf '%-44s median %7.1f ms   peak RSS %6d KiB\n' "$name" "$(echo "$med * 1000" | bc -l)" "$rss"
    echo "$med" > "$work/last"
}

# Everything runs in one private mount namespace, where bootctl's boot directory is a mount point.
export -f measure median
export work runs
unshare --mount bash -c '
    set -euo pipefail
    mount --make-rprivate /
    mount --bind "$1/boot" "$1/boot"
    rekernel=$2 bls=$1 grub=$3 plain=$4
    measure "rekernel list --json (1,000 BLS entries)" "$rekernel" list --root "$bls" --json
    r=$(cat "$work/last")
    measure "bootctl list --json=short (same tree)" env SYSTEMD_RELAX_ESP_CHECKS=1 bootctl --esp-path="$bls/boot" list --json=short
    b=$(cat "$work/last")
    printf "%-44s %.2f (rekernel / bootctl)\n" "ratio on the BLS tree" "$(echo "$r / $b" | bc -l)"
    measure "rekernel list --json (grub.cfg, 1,000 entries)" "$rekernel" list --root "$grub" --json
    measure "rekernel list --json (1,000 plain kernels)" "$rekernel" list --root "$plain" --json
    measure "rekernel status --check (this machine)" "$rekernel" status --check
    s=$(cat "$work/last")
    measure "needrestart -b -k (this machine)" needrestart -b -k
    k=$(cat "$work/last")
    printf "%-44s %.1fx\n" "needrestart -b -k / rekernel status --check" "$(echo "$k / $s" | bc -l)"
' bash "$bls" "$rekernel" "$grub" "$plain"
