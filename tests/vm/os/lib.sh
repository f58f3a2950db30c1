# Shared by run.sh and bench/downtime.sh: overlays of the cached full-OS image, the script disk,
# QEMU with a real boot loader, and console helpers. Source it; it defines functions only.
OS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$OS_DIR/../../.." && pwd)
REKERNEL_DEB=${REKERNEL_DEB:-$(ls -t "$REPO"/artifacts/rekernel_*_amd64.deb 2>/dev/null | head -n 1)}
OS_OUT=${REKERNEL_LAB_OUT:-$REPO/tests/vm/out}/os
OS_OLD=6.1.0-47-cloud-amd64
OS_NEW=6.1.0-53-cloud-amd64
# UEFI guests: OVMF built with Secure Boot (needs SMM) and variables with Microsoft's keys enrolled, Secure Boot on.
OS_OVMF_CODE=${OS_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.secboot.fd}
OS_OVMF_VARS=${OS_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.ms.fd}

# What every scenario script starts with (the guest runs it as root with BOOT=N; stdout is ttyS0).
guest_prelude() {
    cat <<'PRELUDE'
#!/bin/bash
value() { echo "@@VALUE $1=$2"; }
# run CMD...: the command's output as @@OUT lines and its exit code as @@RC.
run() { echo "@@RUN $*"; "$@" 2>&1 | sed -u 's/^/@@OUT /'; echo "@@RC $* ${PIPESTATUS[0]}"; }
finish() { echo "@@DONE boot=$BOOT"; sync; systemctl poweroff; sleep 300; }
# The arguments of the first GRUB linux line (GRUB_DEFAULT=0: the default entry), or of the one for kernel $1.
grub_args() { awk -v k="${1:+/boot/vmlinuz-$1}" '$1 == "linux" && (k == "" || $2 == k) { $1 = ""; $2 = ""; sub(/^ +/, ""); print; exit }' /boot/grub/grub.cfg; }
# How rekernel-verify.service (run once at boot, before or after the scenario) ended, as value "verify".
report_verify() {
    for _ in $(seq 60); do systemctl is-active -q rekernel-verify.service && break; sleep 1; done
    value verify "$(systemctl show -p ActiveState -p Result rekernel-verify.service | tr '\n' ' ')"
}
PRELUDE
}

# os_prepare NAME SCRIPT: work folder with a copy-on-write overlay of the base image of OS_FIRMWARE
# (bios, the default, or uefi) and a script disk holding SCRIPT (the scenario, without the prelude) and
# the rekernel package (make deb). For uefi, also a writable copy of OVMF's variables (the guest's NVRAM).
os_prepare() {
    local base stage firmware=${OS_FIRMWARE:-bios}
    OS_WORK="$OS_OUT/$1"
    rm -rf "$OS_WORK"; mkdir -p "$OS_WORK"
    [ -f "$REKERNEL_DEB" ] || { echo "$REKERNEL_DEB missing: run make deb" >&2; return 1; }
    base=$("$OS_DIR/build-image.sh" "$firmware") || { echo "the full-OS image ($firmware) did not build (log above)" >&2; return 1; }
    qemu-img create -q -f qcow2 -F raw -b "$base" "$OS_WORK/disk.qcow2" || return 1
    if [ "$firmware" = uefi ]; then
        for f in "$OS_OVMF_CODE" "$OS_OVMF_VARS"; do [ -f "$f" ] || { echo "$f missing: apt-get install ovmf" >&2; return 1; }; done
        cp "$OS_OVMF_VARS" "$OS_WORK/OVMF_VARS.fd" || return 1
    fi
    stage="$OS_WORK/script"
    mkdir -p "$stage"
    { guest_prelude; printf '%s\n' "$2"; } > "$stage/scenario.sh"
    cp "$REKERNEL_DEB" "$stage/rekernel.deb"
    # OS_CAPTURE=1: scenarios print raw tool outputs too (to refresh the parsers' test fixtures).
    [ "${OS_CAPTURE:-0}" = 1 ] && : > "$stage/capture"
    truncate -s 32M "$OS_WORK/script.img"
    mkfs.ext4 -q -F -d "$stage" "$OS_WORK/script.img" || return 1
}

# Each console line prefixed with the host's clock: downtime is measured on the host.
os_stamp() {
    local line
    while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "${line%$'\r'}"; done
}

# The QEMU machine and firmware for OS_FIRMWARE: SeaBIOS (QEMU's default), or OVMF from pflash with SMM,
# which its Secure Boot build needs to protect the variable store.
os_firmware_args() {
    case ${OS_FIRMWARE:-bios} in
        bios) echo "-machine q35" ;;
        uefi) echo "-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on" \
            "-drive if=pflash,format=raw,unit=0,readonly=on,file=$OS_OVMF_CODE" \
            "-drive if=pflash,format=raw,unit=1,file=$OS_WORK/OVMF_VARS.fd" ;;
    esac
}

# os_boot DEADLINE [QEMU-ARGS...]: firmware -> GRUB -> kernel from the disk (SeaBIOS, or OVMF + shim for
# OS_FIRMWARE=uefi), until the guest powers off or the deadline passes (then OS_TIMED_OUT=1). A guest
# reboot resets and boots the disk again.
os_boot() {
    local deadline=$1 rc
    shift
    OS_TIMED_OUT=0
    # shellcheck disable=SC2046 # the firmware arguments are words without spaces
    # --foreground: QEMU stays in the caller's process group, so a time limit around the whole run (tests/run-all.sh)
    # kills it too; timeout's own group would survive that.
    timeout --foreground -s KILL "$deadline" qemu-system-x86_64 -accel tcg $(os_firmware_args) -m 1024 -nographic \
        -drive if=virtio,file="$OS_WORK/disk.qcow2",format=qcow2 \
        -drive if=virtio,file="$OS_WORK/script.img",format=raw,readonly=on "$@" \
        </dev/null 2>&1 | os_stamp > "$OS_WORK/console.ts"
    rc=${PIPESTATUS[0]}
    [ "$rc" = 137 ] && OS_TIMED_OUT=1
    # Markers can follow other output on the same line: one marker per line.
    cut -d' ' -f2- "$OS_WORK/console.ts" | tr -d '\033' | sed 's/\(.\)\(@@[A-Z]\)/\1\n\2/g' > "$OS_WORK/console.log"
    return 0
}

# ---- assertions (first failure kept in OS_FAIL, later ones in OS_FAIL_MORE) -----------------------
# Every expect_* counts itself in OS_ASSERTIONS: run.sh fails a check that made no assertion. A scenario's own
# assertion calls `asserted` (or is an expect_true).
fail() { [ -n "${OS_FAIL:-}" ] && OS_FAIL_MORE+=("$*") || OS_FAIL=$*; return 1; }
OS_FAIL_MORE=()
OS_ASSERTIONS=0
asserted() { OS_ASSERTIONS=$((OS_ASSERTIONS + 1)); }
# expect_true WHY CMD...: CMD succeeds, or the check fails with WHY.
expect_true() { local why=$1; shift; asserted; "$@" || fail "$why"; }
# value_of BOOT KEY: the @@VALUE KEY= printed during boot BOOT.
value_of() {
    awk -v b="@@BOOT n=$1 " -v k="@@VALUE $2=" 'index($0, "@@BOOT n=") { on = index($0, b) == 1 }
        on && index($0, k) == 1 { print substr($0, length(k) + 1) }' "$OS_WORK/console.log" | tail -n1
}
# output_of BOOT CMD: the output of CMD run during boot BOOT.
output_of() {
    awk -v b="@@BOOT n=$1 " -v run="@@RUN $2" -v rc="@@RC $2 " 'index($0, "@@BOOT n=") { on = index($0, b) == 1 }
        on && $0 == run { c = 1; next } on && c && index($0, rc) == 1 { c = 0; next }
        on && c && /^@@OUT / { print substr($0, 7) }' "$OS_WORK/console.log"
}
rc_of() {
    awk -v b="@@BOOT n=$1 " -v rc="@@RC $2 " 'index($0, "@@BOOT n=") { on = index($0, b) == 1 }
        on && index($0, rc) == 1 { print $NF }' "$OS_WORK/console.log" | tail -n1
}
expect_rc() { asserted; local rc; rc=$(rc_of "$1" "$2"); [ "$rc" = "$3" ] || fail "boot $1: '$2' exited '${rc:-never returned}', expected $3"; }
expect_value() { asserted; local v; v=$(value_of "$1" "$2"); [ "$v" = "$3" ] || fail "boot $1: $2 is '$v', expected '$3'"; }
expect_output() { asserted; output_of "$1" "$2" | grep -qE -- "$3" || fail "boot $1: '$2' printed no line matching '$3'"; }
# expect_like BOOT KEY GLOB: the value KEY printed during BOOT matches the shell pattern GLOB as a whole.
expect_like() {
    asserted; local v; v=$(value_of "$1" "$2")
    # shellcheck disable=SC2053 # GLOB is a pattern
    [[ $v == $3 ]] || fail "boot $1: $2 is '$v', expected the pattern '$3'"
}
# expect_cmdline_has BOOT WORD / expect_cmdline_lacks BOOT PREFIX: the value cmdline of BOOT (/proc/cmdline) has
# the word WORD / no word starting with PREFIX.
expect_cmdline_has() { expect_words "$1" cmdline "$2"; }
expect_cmdline_lacks() {
    asserted
    case " $(value_of "$1" cmdline) " in *" $2"*) fail "boot $1: the command line has '$2': $(value_of "$1" cmdline)" ;; esac
}
# expect_words BOOT KEY WORD...: the value KEY printed during BOOT has each WORD among its space-separated words.
expect_words() {
    asserted; local v w; v=$(value_of "$1" "$2")
    for w in "${@:3}"; do
        case " $v " in *" $w "*) ;; *) fail "boot $1: $2 has no word '$w': '$v'"; return 1 ;; esac
    done
}
expect_verify_success() {
    asserted
    case $(value_of "$1" verify) in *ActiveState=active*Result=success*|*Result=success*ActiveState=active*) ;;
        *) fail "boot $1: rekernel-verify.service did not succeed: $(value_of "$1" verify)" ;; esac
}
# expect_grub_cmdline BOOT ARGS-BOOT: /proc/cmdline of BOOT (value cmdline) is the GRUB linux line printed as
# value grubargs in ARGS-BOOT, plus rekernel's panic= and its rekernel.switch= token (the proof of the kexec).
expect_grub_cmdline() {
    asserted; local line got want
    line=$(value_of "$1" cmdline)
    got=$(tr ' ' '\n' <<<"$line" | grep -v '^panic=' | grep -v '^rekernel\.switch=' | grep -v '^$' | tr '\n' ' ')
    want=$(value_of "$2" grubargs | tr ' ' '\n' | grep -v '^$' | tr '\n' ' ')
    [ -n "$want" ] && [ "$got" = "$want" ] || fail "boot $1: the command line is '$got', the GRUB entry has '$want' (+ panic= and rekernel.switch=)"
    [[ " $line " == *" rekernel.switch="* ]] || fail "boot $1: the command line '$line' has no rekernel.switch= token"
}
# expect_console_count TEXT N: TEXT (a fixed string) is on N lines of the whole console, e.g. a firmware banner.
expect_console_count() {
    asserted; local n; n=$(grep -cF -- "$1" "$OS_WORK/console.log")
    [ "$n" = "$2" ] || fail "'$1' is on $n console lines, expected $2"
}
# The line the firmware prints once each time it boots the disk: at QEMU's start and after every reset (a firmware
# reboot), never for a kexec. OVMF prints nothing earlier that is on every boot.
os_firmware_banner() {
    case ${OS_FIRMWARE:-bios} in bios) echo "SeaBIOS (version" ;; uefi) echo "BdsDxe: starting Boot" ;; esac
}
# expect_firmware_boots N: the firmware booted the disk N times (the first boot, plus one per firmware reboot).
expect_firmware_boots() { expect_console_count "$(os_firmware_banner)" "$1"; }
# host_time MARKER-REGEX [NTH]: the host's clock at the NTH console line matching the regex.
host_time() { grep -E -- "$1" "$OS_WORK/console.ts" | sed -n "${2:-1}p" | cut -d' ' -f1; }
seconds_between() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") exit 1; printf "%.1f", b - a }'; }
