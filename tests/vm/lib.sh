# VM lab library (bash): builds guest initramfs pieces, runs QEMU with a deadline, asserts on the
# serial console markers. Sourced by run.sh and demo.sh; see README.md for the scenario format.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$VM_DIR/../.." && pwd)
LAB_CACHE=${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}
LAB_BUILD=$LAB_CACHE/build

# The guest's architecture (REKERNEL_LAB_ARCH): x86_64 (the default) or arm64. Everything that differs between
# the two is set here; the rest of the lab is the same for both.
#   DEB_ARCH      Debian's name, in the kernel releases and the cached pieces' names
#   CONSOLE       the serial console QEMU's -nographic connects (scenarios write console=$CONSOLE)
#   LAB_USERLAND  the tree the guest's busybox, kexec and libraries come from: the host itself on x86-64, Debian's
#                 arm64 packages extracted by fetch-kernels.sh on arm64
#   LAB_QEMU      the emulator and machine; software emulation (TCG) on both
#   LAB_APPEND    the lab's own words on kernel A's command line
#   LAB_SUMMARY   the label of run.sh's summary line, which tests/run-all.sh counts
#   LAB_DEADLINE  the seconds a scenario's QEMU may run unless it sets DEADLINE
LAB_ARCH=${REKERNEL_LAB_ARCH:-x86_64}
case $LAB_ARCH in
    x86_64)
        DEB_ARCH=amd64 CONSOLE=ttyS0 LAB_TRIPLET=x86_64-linux-gnu LAB_USERLAND=
        LAB_QEMU=(qemu-system-x86_64 -accel tcg -machine q35)
        # no_timer_check: under emulation on a loaded host the kernel's IO-APIC timer check can fail and panic
        # ("IO-APIC + timer doesn't work"), as on other virtual machines; cloud images pass it for the same reason.
        LAB_APPEND=no_timer_check
        LAB_PUBLISH="make publish" LAB_SUMMARY=vm LAB_DEADLINE=150
        REKERNEL_BIN=${REKERNEL_BIN:-$REPO/artifacts/bin/rekernel}
        LAB_OUT=${REKERNEL_LAB_OUT:-$VM_DIR/out} ;;
    arm64)
        DEB_ARCH=arm64 CONSOLE=ttyAMA0 LAB_TRIPLET=aarch64-linux-gnu LAB_USERLAND=$LAB_CACHE/userland/arm64
        # -cpu max as the issue asks; pauth-impdef=on swaps QEMU's emulation of the architected QARMA pointer
        # authentication (Debian's kernel signs its return addresses) for the cheaper hash QEMU's documentation
        # recommends under emulation. -cpu cortex-a72 was measured no faster (the purgatory dominates).
        LAB_QEMU=(qemu-system-aarch64 -accel tcg -machine virt -cpu max,pauth-impdef=on)
        LAB_APPEND=
        # A switch through kexec-tools takes about 90 s here (a minute of it in the emulated purgatory, between the
        # old kernel's "Bye!" and the new one's first line).
        LAB_PUBLISH="make publish ARCH=arm64" LAB_SUMMARY=vm-arm64 LAB_DEADLINE=420
        REKERNEL_BIN=${REKERNEL_BIN:-$REPO/artifacts/bin/linux-arm64/rekernel}
        LAB_OUT=${REKERNEL_LAB_OUT:-$VM_DIR/out/arm64} ;;
    *) echo "lib.sh: REKERNEL_LAB_ARCH is '$LAB_ARCH'; use x86_64 or arm64" >&2; exit 2 ;;
esac
KA=6.1.0-47-cloud-$DEB_ARCH
KB=6.1.0-53-cloud-$DEB_ARCH
# The modules a virtio disk and a virtio NIC (the fleet lab's, fleet.sh) need on Debian's cloud kernel; ext4 is built
# in (CONFIG_EXT4_FS=y). A guest without the NIC loads virtio_net all the same, bound to nothing.
LAB_MODULES="virtio_pci virtio_blk virtio_net"
UKI_STUB=/usr/lib/systemd/boot/efi/linuxx64.efi.stub

kernel_dir() { echo "$LAB_CACHE/kernels/$1"; }

sha_of() { cat "$@" | sha256sum | cut -c1-16; }

# newc cpio of a staging folder, owned by root, in a stable order.
cpio_of() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet); }

# The libraries an executable needs, as paths in $LAB_USERLAND: its dynamic loader and its DT_NEEDED entries,
# recursively, found where the guest's loader looks (Debian's multiarch folders first). Read with readelf rather
# than ldd, which cannot run another architecture's loader. Fails naming a library that is not there.
elf_libs() {
    local queue=("$1") seen=" " f lib d found
    readelf -l "$1" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p'
    while [ ${#queue[@]} -gt 0 ]; do
        f=${queue[0]} queue=("${queue[@]:1}")
        for lib in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
            case $seen in *" $lib "*) continue ;; esac
            seen="$seen$lib "
            found=
            for d in /lib/$LAB_TRIPLET /usr/lib/$LAB_TRIPLET /lib /usr/lib; do
                [ -e "$LAB_USERLAND$d/$lib" ] && { found=$d/$lib; break; }
            done
            [ -n "$found" ] || { echo "$lib, which $f needs, is not in ${LAB_USERLAND:-/}" >&2; return 1; }
            echo "$found"
            queue+=("$LAB_USERLAND$found")
        done
    done
}

# Copies an executable and every library it needs (elf_libs) from $LAB_USERLAND into a staging folder under
# the same paths, following symlinks.
copy_with_libs() {
    local stage=$1 bin=$2 dest=$3 lib libs
    mkdir -p "$stage/$(dirname "$dest")"
    cp -L "$bin" "$stage/$dest"
    libs=$(elf_libs "$bin") || return 1
    for lib in $libs; do
        [ -e "$stage/$lib" ] && continue
        mkdir -p "$stage/$(dirname "$lib")"
        cp -L "$LAB_USERLAND$lib" "$stage/$lib"
    done
}

# Cached piece: $1 = name prefix, $2 = key, $3 = builder function (gets the output path).
cached_piece() {
    local out="$LAB_BUILD/$1-$2" tmp
    if [ ! -s "$out" ]; then
        mkdir -p "$LAB_BUILD"
        tmp=$(mktemp "$out.XXXXXX")
        "$3" "$tmp" || { rm -f "$tmp"; return 1; }
        mv "$tmp" "$out"
        # Older builds of the same piece are dead weight once the inputs changed.
        find "$LAB_BUILD" -maxdepth 1 -name "$1-*" ! -name "$(basename "$out")" -delete
    fi
    echo "$out"
}

kexec_bin() { local p; for p in /usr/sbin/kexec /sbin/kexec; do [ -x "$LAB_USERLAND$p" ] && break; done; echo "$LAB_USERLAND$p"; }

build_base() {
    local stage
    stage=$(mktemp -d)
    mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc,dev,lab,proc,sys,run,tmp,root,var/lib/rekernel,mnt/lab}
    cp "$LAB_USERLAND/bin/busybox" "$stage/bin/busybox"
    ln -s busybox "$stage/bin/sh"
    install -m 755 "$VM_DIR/guest/init" "$stage/init"
    cp "$VM_DIR/guest/guest-lib.sh" "$stage/lab/guest-lib.sh"
    copy_with_libs "$stage" "$(kexec_bin)" /usr/sbin/kexec || return 1
    # What rekernel reads to know the distribution (dpkg version ordering, Debian layout).
    cat > "$stage/etc/os-release" <<'EOF'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
EOF
    echo 6c1d3a4b5e6f47a8b9c0d1e2f3a4b5c6 > "$stage/etc/machine-id"
    mknod "$stage/dev/console" c 5 1
    mknod "$stage/dev/null" c 1 3
    cpio_of "$stage" | gzip -1 > "$1"
    rm -rf "$stage"
}

piece_base() {
    cached_piece "base-$DEB_ARCH" "$(sha_of "$LAB_USERLAND/bin/busybox" "$VM_DIR/guest/init" "$VM_DIR/guest/guest-lib.sh" \
        "$(kexec_bin)" "$VM_DIR/lib.sh").cpio.gz" build_base
}

build_rekernel() {
    local stage
    stage=$(mktemp -d)
    copy_with_libs "$stage" "$REKERNEL_BIN" /usr/bin/rekernel || return 1
    cpio_of "$stage" | gzip -1 > "$1"
    rm -rf "$stage"
}

# The rekernel binary and its libraries; fails (with the reason on stderr) when it is not built.
piece_rekernel() {
    if [ ! -x "$REKERNEL_BIN" ]; then
        echo "${REKERNEL_BIN#"$REPO/"} missing: run $LAB_PUBLISH" >&2
        return 1
    fi
    cached_piece "rekernel-$DEB_ARCH" "$(sha_of "$REKERNEL_BIN" "$VM_DIR/lib.sh").cpio.gz" build_rekernel
}

# Load order of a module and its dependencies, from modules.dep (dependencies listed there load
# last-first); nothing for a module built into the kernel (modules.builtin: the lab's own arm64 kernel has no
# modules at all, and no modules.dep).
module_load_order() {
    local moddir=$1 name=$2 line deps d
    grep -qE "(^|/)$name\.ko\$" "$moddir/modules.builtin" 2>/dev/null && return 0
    line=$(grep -E "(^|/)$name\.ko(\.xz|\.zst|\.gz)?:" "$moddir/modules.dep" 2>/dev/null) || {
        echo "module $name not in $moddir/modules.dep" >&2; return 1; }
    deps=${line#*:}
    for d in $(echo $deps | tr ' ' '\n' | tac); do echo "$d"; done
    echo "${line%%:*}"
}

build_modules() {
    local rel=$PIECE_RELEASE stage moddir m ko
    moddir=$(kernel_dir "$rel")/lib/modules/$rel
    stage=$(mktemp -d)
    mkdir -p "$stage/lib/modules/$rel"
    for m in $LAB_MODULES; do module_load_order "$moddir" "$m" || return 1; done | awk '!seen[$0]++' \
        > "$stage/lib/modules/$rel/lab.load.src"
    while read -r ko; do
        mkdir -p "$stage/lib/modules/$rel/$(dirname "$ko")"
        # Busybox insmod cannot read compressed modules: store them plain (the signature survives).
        case $ko in
            *.xz) xz -dc "$moddir/$ko" > "$stage/lib/modules/$rel/${ko%.xz}"; echo "${ko%.xz}" ;;
            *.zst) zstd -qdc "$moddir/$ko" > "$stage/lib/modules/$rel/${ko%.zst}"; echo "${ko%.zst}" ;;
            *.gz) gzip -dc "$moddir/$ko" > "$stage/lib/modules/$rel/${ko%.gz}"; echo "${ko%.gz}" ;;
            *) cp "$moddir/$ko" "$stage/lib/modules/$rel/$ko"; echo "$ko" ;;
        esac
    done < "$stage/lib/modules/$rel/lab.load.src" > "$stage/lib/modules/$rel/lab.load"
    rm "$stage/lib/modules/$rel/lab.load.src"
    cpio_of "$stage" | gzip -1 > "$1"
    rm -rf "$stage"
}

# The virtio disk modules of one kernel release (the initramfs must match the kernel it boots).
piece_modules() {
    local moddir
    moddir=$(kernel_dir "$1")/lib/modules/$1
    PIECE_RELEASE=$1 cached_piece "modules-$1" "$(echo "$LAB_MODULES" | cat - "$VM_DIR/lib.sh" \
        $(ls "$moddir/modules.dep" "$moddir/modules.builtin" 2>/dev/null) | sha256sum | cut -c1-16).cpio.gz" build_modules
}

# ---- per-run state (set by lab_prepare) -------------------------------------------------------
# LAB_WORK      folder of this run: disk.img, console.log, pieces
# LAB_BOOTROOT  staging folder whose boot/ becomes the guest's /boot
# LAB_WITH_REKERNEL  1 if the rekernel piece goes into every initrd
# LAB_GUEST_PIECE    the guest's own files (piece_guest), last in every initrd; empty without guest_files

piece_scenario() {
    local stage="$LAB_WORK/scenario-stage"
    rm -rf "$stage"; mkdir -p "$stage/lab"
    {
        echo "LAB_MAX_BOOTS=${MAX_BOOTS:-2}"
        declare -f guest_phase1
        declare -f guest_phase2 || echo 'guest_phase2() { echo "@@UNEXPECTED phase 2"; }'
    } > "$stage/lab/scenario.sh"
    cpio_of "$stage" > "$LAB_WORK/scenario.cpio"
    echo "$LAB_WORK/scenario.cpio"
}

# The files only this guest has (a scenario's guest_files, e.g. its own /etc/machine-id), as a compressed cpio that
# goes last into each of its initrds so that they replace the base's; nothing when the scenario has no guest_files.
piece_guest() {
    local stage="$LAB_WORK/guest-stage"
    declare -F guest_files >/dev/null || return 0
    rm -rf "$stage"; mkdir -p "$stage"
    guest_files "$stage" || { echo "guest_files failed" >&2; return 1; }
    cpio_of "$stage" | gzip -1 > "$LAB_WORK/guest-files.cpio.gz"
    echo "$LAB_WORK/guest-files.cpio.gz"
}

# guest_initrd REL OUT [EXTRA-PIECE...]: the lab initrd for kernel REL (busybox, init, kexec,
# rekernel when present, REL's modules, the scenario, the guest's own files), plus extra uncompressed cpio pieces.
guest_initrd() {
    local rel=$1 out=$2 pieces
    shift 2
    # The kernel unpacks concatenated cpio archives, but an uncompressed one is only recognised
    # before the first compressed one: plain pieces first. Of two files with one name, the later one stays.
    pieces="$* $LAB_WORK/scenario.cpio $(piece_base) $(piece_modules "$rel")" || return 1
    if [ "$LAB_WITH_REKERNEL" = 1 ]; then pieces="$pieces $(piece_rekernel)" || return 1; fi
    [ -z "${LAB_GUEST_PIECE:-}" ] || pieces="$pieces $LAB_GUEST_PIECE"
    mkdir -p "$(dirname "$out")"
    # shellcheck disable=SC2086
    cat $pieces > "$out"
}

# ---- helpers for a scenario's setup_boot --------------------------------------------------------

boot_path() { echo "$LAB_BOOTROOT/${1#/}"; }

# boot_kernel REL [DEST]: the real kernel image (and, without DEST, its config) in the guest's /boot.
boot_kernel() {
    local dest
    dest=$(boot_path "${2:-/boot/vmlinuz-$1}")
    mkdir -p "$(dirname "$dest")"
    cp "$(kernel_dir "$1")/boot/vmlinuz-$1" "$dest"
    [ -n "${2:-}" ] || boot_config "$1"
}

# boot_config REL: /boot/config-REL, which Debian's kernel package installs whatever the boot layout.
boot_config() { cp "$(kernel_dir "$1")/boot/config-$1" "$(boot_path "/boot/config-$1")"; }

# boot_initrd REL [DEST] [EXTRA-PIECE...]: the lab initrd for REL at DEST (default initrd.img-REL).
boot_initrd() {
    local rel=$1 dest=${2:-/boot/initrd.img-$1}
    shift; shift || true
    guest_initrd "$rel" "$(boot_path "$dest")" "$@"
}

# boot_write PATH: writes stdin to PATH in the guest.
boot_write() { mkdir -p "$(dirname "$(boot_path "$1")")"; cat > "$(boot_path "$1")"; }

# boot_uki REL DEST CMDLINE: a Unified Kernel Image made with objcopy from systemd's EFI stub,
# the kernel REL, REL's lab initrd and CMDLINE as .cmdline (the classic systemd-stub recipe).
boot_uki() {
    local rel=$1 dest=$2 cmdline=$3 t="$LAB_WORK/uki"
    mkdir -p "$t" "$(dirname "$(boot_path "$dest")")"
    printf '%s' "$cmdline" > "$t/cmdline"
    guest_initrd "$rel" "$t/initrd" || return 1
    printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' > "$t/os-release"
    printf '%s' "$rel" > "$t/uname"
    objcopy \
        --add-section .osrel="$t/os-release" --change-section-vma .osrel=0x20000 \
        --add-section .cmdline="$t/cmdline" --change-section-vma .cmdline=0x30000 \
        --add-section .uname="$t/uname" --change-section-vma .uname=0x40000 \
        --add-section .linux="$(kernel_dir "$rel")/boot/vmlinuz-$rel" --change-section-vma .linux=0x2000000 \
        --add-section .initrd="$t/initrd" --change-section-vma .initrd=0x3000000 \
        "$UKI_STUB" "$(boot_path "$dest")"
}

# A cpio piece holding one marker file (an early-microcode-style initrd).
marker_cpio() {
    local stage="$LAB_WORK/marker-stage"
    rm -rf "$stage"; mkdir -p "$stage/$(dirname "${2#/}")"
    echo "$3" > "$stage/${2#/}"
    cpio_of "$stage" > "$1"
}

# A piece that makes the lab /init exit at once (the kernel then panics).
broken_init_piece() {
    local stage="$LAB_WORK/broken-stage"
    rm -rf "$stage"; mkdir -p "$stage/lab"; : > "$stage/lab/broken-init"
    cpio_of "$stage" > "$LAB_WORK/broken.cpio"
    echo "$LAB_WORK/broken.cpio"
}

# ---- running a scenario -----------------------------------------------------------------------

# lab_prepare NAME: builds disk, /boot and the initramfs QEMU boots. Reason on stderr on failure.
lab_prepare() {
    LAB_WORK="$LAB_OUT/$1"
    LAB_BOOTROOT="$LAB_WORK/root"
    rm -rf "$LAB_WORK"; mkdir -p "$LAB_BOOTROOT/boot"
    LAB_WITH_REKERNEL=0
    if [ "${NEEDS_REKERNEL:-1}" = 1 ]; then
        piece_rekernel >/dev/null || return 1
        LAB_WITH_REKERNEL=1
    elif [ -x "$REKERNEL_BIN" ]; then
        LAB_WITH_REKERNEL=1
    fi
    [ -f "$(kernel_dir "$KA")/boot/vmlinuz-$KA" ] && [ -f "$(kernel_dir "$KB")/boot/vmlinuz-$KB" ] \
        || "$VM_DIR/fetch-kernels.sh" || { echo "kernels missing: run tests/vm/fetch-kernels.sh" >&2; return 1; }
    piece_scenario >/dev/null
    LAB_GUEST_PIECE=$(piece_guest) || return 1
    setup_boot || { echo "setup_boot failed" >&2; return 1; }
    cpio_of "$LAB_BOOTROOT" > "$LAB_WORK/boot.cpio"
    guest_initrd "${KERNEL_A:-$KA}" "$LAB_WORK/guest.img" "$LAB_WORK/boot.cpio" || return 1
    truncate -s 64M "$LAB_WORK/disk.img"
    mkfs.ext4 -q -F -L rekernel-lab "$LAB_WORK/disk.img" || return 1
}

# Prefixes each console line with the host's clock (for downtime); $LAB_STREAM, when set, is a
# function that gets each line to show it live (its output goes to the caller's stdout, fd 3).
stamp_lines() {
    local line
    while IFS= read -r line; do
        line=${line%$'\r'}
        printf '%s %s\n' "$EPOCHREALTIME" "$line"
        [ -n "${LAB_STREAM:-}" ] && "$LAB_STREAM" "$line" >&3
        # The kernel prints this only when it will not reboot (no panic=N): it hangs from here
        # on, so stop QEMU now instead of at the deadline.
        case $line in *"---[ end Kernel panic"*)
            kill -9 "$(cat "$LAB_WORK/qemu.pid")" 2>/dev/null ;;
        esac
    done
}

# The guest's network: none (QEMU would otherwise add a default NIC on unrestricted user networking), or, when
# GUESTFWD_PORT is set, a virtio NIC on QEMU user networking with restrict=on, which routes nothing out of the guest,
# not even to the host, except its guestfwd: a connection to $LAB_FWD_ADDR starts a socat to the host's
# 127.0.0.1:$GUESTFWD_PORT. The cmd: form spawns one per connection (the chardev form serves only one connection,
# and the fleet agent keeps a watch open beside its requests). Each socat's PID goes to forwarders.pid
# (stop_forwarders). The guest sets its address itself (guest-lib.sh's lab_net: 10.0.2.15/24, gateway 10.0.2.2).
LAB_FWD_ADDR=10.0.2.100:2379
lab_net_args() {
    if [ -z "${GUESTFWD_PORT:-}" ]; then echo "-nic"; echo none; return; fi
    echo "-netdev"
    echo "user,id=net0,restrict=on,guestfwd=tcp:$LAB_FWD_ADDR-cmd:sh -c 'echo \$\$ >> $LAB_WORK/forwarders.pid; exec socat - TCP:127.0.0.1:$GUESTFWD_PORT'"
    echo "-device"; echo "virtio-net-pci,netdev=net0,romfile="
}

# stop_forwarders: kills the socats this guest's guestfwd started that still run (each by its PID, checked to be a socat).
stop_forwarders() {
    local pid
    [ -f "$LAB_WORK/forwarders.pid" ] || return 0
    while read -r pid; do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = socat ] && kill "$pid" 2>/dev/null
    done < "$LAB_WORK/forwarders.pid"
    return 0
}

# lab_boot: runs QEMU until the guest powers off or the deadline passes. Sets LAB_TIMED_OUT.
lab_boot() {
    local kernel no_reboot=-no-reboot rc net
    kernel=$(kernel_dir "${KERNEL_A:-$KA}")/boot/vmlinuz-${KERNEL_A:-$KA}
    [ "${REBOOT_ON_PANIC:-0}" = 1 ] && no_reboot=
    mapfile -t net < <(lab_net_args)
    LAB_TIMED_OUT=0
    # shellcheck disable=SC2086
    # --foreground: QEMU stays in the caller's process group, so a time limit around the whole run (tests/run-all.sh)
    # kills it too; timeout's own group would survive that.
    timeout --foreground -s KILL "${DEADLINE:-$LAB_DEADLINE}" "${LAB_QEMU[@]}" -m "${MEMORY:-1024}" \
        -nographic $no_reboot -pidfile "$LAB_WORK/qemu.pid" -kernel "$kernel" -initrd "$LAB_WORK/guest.img" \
        -append "$CMDLINE_A${LAB_APPEND:+ $LAB_APPEND}" -drive if=virtio,file="$LAB_WORK/disk.img",format=raw "${net[@]}" ${QEMU_ARGS:-} \
        </dev/null 2>&1 | stamp_lines 3>&1 > "$LAB_WORK/console.ts"
    rc=${PIPESTATUS[0]}
    # timeout reports 137 for its own KILL; a kill after a panic leaves a marker line behind.
    [ "$rc" = 137 ] && ! grep -q -- '---\[ end Kernel panic' "$LAB_WORK/console.ts" && LAB_TIMED_OUT=1
    # A marker can follow firmware output on the same line ("Booting from ROM..@@REKERNEL"):
    # put each marker on a line of its own.
    cut -d' ' -f2- "$LAB_WORK/console.ts" | sed 's/\(.\)\(@@[A-Z]\)/\1\n\2/' > "$LAB_WORK/console.log"
    return 0
}

# boot_problems: fails the check (fail, below) for what went wrong with a guest's boot itself: its deadline passed
# (LAB_TIMED_OUT), a kernel panicked with no reboot to follow, the lab in the guest failed (@@FATAL).
boot_problems() {
    [ "$LAB_TIMED_OUT" = 1 ] && fail "deadline of ${DEADLINE:-$LAB_DEADLINE}s passed, QEMU killed"
    grep -q -- '---\[ end Kernel panic' "$LAB_WORK/console.log" &&
        fail "a kernel panicked and would not reboot (no panic=N): $(grep -m1 'Kernel panic - not syncing' \
            "$LAB_WORK/console.log" | sed 's/^\[[ 0-9.]*\] //')"
    grep -q '^@@FATAL' "$LAB_WORK/console.log" && fail "guest: $(grep -m1 '^@@FATAL' "$LAB_WORK/console.log")"
    return 0
}

# ---- assertions for a scenario's check() ------------------------------------------------------
# Each records the first failure in LAB_FAIL (later ones in LAB_FAIL_MORE) and returns 1, and counts itself in
# LAB_ASSERTIONS: run.sh fails a check that made no assertion. A scenario's own assertion calls `asserted` (or
# is an expect_true).

# LAB_WHO, when set, names the guest a failure is about (the fleet lab has three).
fail() { local m="${LAB_WHO:+$LAB_WHO: }$*"; [ -n "${LAB_FAIL:-}" ] && LAB_FAIL_MORE+=("$m") || LAB_FAIL=$m; return 1; }
LAB_FAIL_MORE=()
LAB_ASSERTIONS=0
asserted() { LAB_ASSERTIONS=$((LAB_ASSERTIONS + 1)); }

# expect_true WHY CMD...: CMD succeeds, or the check fails with WHY.
expect_true() { local why=$1; shift; asserted; "$@" || fail "$why"; }

console() { cat "$LAB_WORK/console.log"; }

# The console lines from the phase N marker up to the next phase marker.
phase_lines() {
    awk -v p="@@REKERNEL phase=$1 " 'index($0, "@@REKERNEL phase=") { on = index($0, p) > 0 } on' \
        "$LAB_WORK/console.log"
}

expect_marker() { asserted; grep -qF -- "$1" "$LAB_WORK/console.log" || fail "no line with '$1' on the console"; }
expect_no_marker() { asserted; ! grep -qF -- "$1" "$LAB_WORK/console.log" || fail "unexpected '$1' on the console"; }

# expect_phase N RELEASE: phase N came up on kernel RELEASE.
expect_phase() {
    asserted
    grep -q "@@REKERNEL phase=$1 uname=$2 " "$LAB_WORK/console.log" \
        || fail "phase $1 did not come up on $2 (seen: $(grep -o '@@REKERNEL phase=[0-9]* uname=[^ ]*' \
            "$LAB_WORK/console.log" | tr '\n' ' '))"
}

# expect_done N: phase N ran all its commands (the guest then powered off).
expect_done() { asserted; grep -q "^@@DONE phase=$1" "$LAB_WORK/console.log" || fail "phase $1 did not finish"; }

# expect_no_phase N: the guest never reached phase N (e.g. a refused switch).
expect_no_phase() {
    asserted
    ! grep -q "^@@REKERNEL phase=$1 " "$LAB_WORK/console.log" || fail "the guest reached phase $1"
}

# The command line phase N printed: what follows "@@CMDLINE " (10 characters), as /proc/cmdline holds it.
cmdline_of() { phase_lines "$1" | grep -m1 '^@@CMDLINE ' | cut -c11-; }

expect_cmdline_has() {
    asserted; local c; c=" $(cmdline_of "$1") "
    case $c in *" $2"*) ;; *) fail "phase $1 command line lacks '$2': $c" ;; esac
}
expect_cmdline_lacks() {
    asserted; local c; c=" $(cmdline_of "$1") "
    case $c in *" $2"*) fail "phase $1 command line has '$2': $c" ;; esac
}
# expect_cmdline_is N WORDS: the command line is exactly WORDS, ignoring panic= and the rekernel.switch= token.
# The lab's own words (LAB_APPEND: no_timer_check on x86-64) are not part of what a scenario compares.
expect_cmdline_is() {
    asserted; local c; c=$(cmdline_of "$1" | tr ' ' '\n' | grep -v -e '^panic=' -e '^rekernel\.switch=' -e '^no_timer_check$' | grep -v '^$' | tr '\n' ' ')
    [ "${c% }" = "$2" ] || fail "phase $1 command line is '${c% }', expected '$2' (+ panic=, rekernel.switch=)"
}

# expect_cmdline_staged N CMD: phase N's command line is exactly, byte for byte, the one CMD (a switch) said it
# staged ("... with command line: WORDS"), and it carries the rekernel.switch= token.
expect_cmdline_staged() {
    expect_cmdline_was "$1" "$(output_of "$2" | sed -n 's/.* with command line: //p' | tail -n1)" "'$2'"
}
# expect_cmdline_was N STAGED WHO: phase N's command line is exactly STAGED, what WHO staged, with a switch token.
expect_cmdline_was() {
    asserted; local got
    got=$(cmdline_of "$1")
    [ -n "$2" ] || { fail "$3 printed no staged command line"; return 1; }
    [ "$got" = "$2" ] || { fail "phase $1 command line is '$got', but $3 staged '$2'"; return 1; }
    [[ " $got " =~ \ rekernel\.switch=[0-9a-f]{12}\  ]] || fail "phase $1 command line has no rekernel.switch= token: $got"
}

# The exit code of the last run of CMD (as written in run/switch).
rc_of() { grep -F "@@RC $1 " "$LAB_WORK/console.log" | tail -n1 | awk '{print $NF}'; }

# expect_rc CMD CODE|nonzero
expect_rc() {
    asserted; local rc; rc=$(rc_of "$1")
    [ -n "$rc" ] || { fail "'$1' never ran (or never returned)"; return 1; }
    if [ "$2" = nonzero ]; then [ "$rc" != 0 ] || fail "'$1' exited 0, expected a failure"
    else [ "$rc" = "$2" ] || fail "'$1' exited $rc, expected $2"; fi
}

# The output (@@OUT/@@ERR) of the last run of CMD.
output_of() {
    awk -v run="@@RUN $1" -v sw="@@SWITCH $1" -v rc="@@RC $1 " '
        $0 == run || $0 == sw { on = 1; out = ""; next }
        on && index($0, rc) == 1 { on = 0; last = out; next }
        on && /^@@(OUT|ERR) / { out = out substr($0, 7) "\n" }
        END { printf "%s", on ? out : last }' "$LAB_WORK/console.log"
}

# expect_output CMD REGEX: the output of CMD has a line matching REGEX (case-insensitive).
expect_output() {
    asserted
    output_of "$1" | grep -qiE -- "$2" \
        || fail "'$1' output has no '$2': $(output_of "$1" | head -c 400 | tr '\n' '|')"
}

# expect_line CMD TEXT: a line of CMD's output is exactly TEXT, once runs of blanks are squeezed to one space and
# the line is trimmed (case and punctuation count).
expect_line() {
    asserted
    output_of "$1" | sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//' | grep -qxF -- "$2" \
        || fail "'$1' printed no line '$2': $(output_of "$1" | head -c 600 | tr '\n' '|')"
}

expect_value() {
    asserted
    grep -qxF "@@VALUE $1=$2" "$LAB_WORK/console.log" \
        || fail "$1 is not '$2' (seen: $(grep -F "@@VALUE $1=" "$LAB_WORK/console.log" | tr '\n' ' '))"
}

# nth_output CMD N: the output lines (@@OUT/@@ERR) of the Nth run of CMD, then "@@RC <exit code>".
nth_output() {
    awk -v n="$2" -v run="@@RUN $1" -v rc="@@RC $1 " '
        $0 == run { on = ++k == n; next } on && index($0, rc) == 1 { print "@@RC " $NF; on = 0; next }
        on && /^@@(OUT|ERR) / { print }' "$LAB_WORK/console.log"
}

# expect_refusal CMD N WHAT SENTENCE: the Nth run of CMD was refused (exit 4) with SENTENCE as its only output, one
# "rekernel: ..." line on stderr.
expect_refusal() {
    local out want
    out=$(nth_output "$1" "$2")
    want=$(printf '@@ERR rekernel: %s\n@@RC 4' "$4")
    asserted
    [ "$out" = "$want" ] || fail "$3: expected exactly '$(echo "$want" | tr '\n' '|')', got: '$(echo "$out" | tr '\n' '|')'"
}

# Seconds between the switch command and the phase 2 marker, from the host's clock.
switch_seconds() {
    awk '/ @@SWITCH / && !t0 { t0 = $1 } / @@REKERNEL phase=2 / && t0 { printf "%.1f", $1 - t0; exit }' \
        "$LAB_WORK/console.ts"
}
