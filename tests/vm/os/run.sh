#!/bin/bash
# Full-OS scenarios: Debian 12 with systemd booted by SeaBIOS + GRUB from a real disk, or by OVMF + shim +
# GRUB with Secure Boot for scenarios that say FIRMWARE=uefi (see README.md).
#   tests/vm/os/run.sh            all scenarios      tests/vm/os/run.sh 01    by prefix
#   OS_FIRMWARE=uefi tests/vm/os/run.sh 05 06   scenarios that declare no firmware, on the uefi image (make test-uefi)
# Prints PASS/FAIL per scenario (the console log on failure), then "vm-os: N passed, M failed". A scenario
# without a check function, or whose check made no assertion, fails. OS_JOBS scenarios run at once (default:
# 2 on a machine with 2 or more CPUs: each QEMU under TCG keeps one CPU busy); their reports print in order.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

scenarios=()
if [ $# -eq 0 ]; then scenarios=("$OS_DIR"/scenarios/[0-9]*.sh)
else for a in "$@"; do m=("$OS_DIR"/scenarios/"${a%.sh}"*.sh); [ -e "${m[0]}" ] || { echo "no scenario '$a'" >&2; exit 2; }; scenarios+=("${m[@]}"); done
fi

# OS_FIRMWARE=uefi runs the scenarios that declare no firmware on the uefi image too (make test-uefi).
default_firmware=${OS_FIRMWARE:-bios}
# The firmware a scenario declares (FIRMWARE=uefi), the default when it says none.
firmware_of() { (unset FIRMWARE; . "$1"; echo "${FIRMWARE:-$default_firmware}"); }

run_one() {
    local file=$1 name start
    name=$(basename "$file" .sh)
    start=$SECONDS
    OS_FAIL= OS_FAIL_MORE=()
    unset FIRMWARE QEMU_ARGS
    # A scenario's functions come from its own file only: nothing from the environment or an earlier scenario.
    unset -f check guest_script
    # shellcheck disable=SC1090
    . "$file"
    if ! declare -F check >/dev/null; then echo "FAIL $name: scenario defines no check"; return 1; fi
    OS_FIRMWARE=${FIRMWARE:-$default_firmware}
    # A scenario run on another image than its own keeps its own output folder.
    [ -z "${FIRMWARE:-}" ] && [ "$OS_FIRMWARE" != bios ] && name+="-$OS_FIRMWARE"
    if ! os_prepare "$name" "$(guest_script)" 2> "$OS_OUT/.prepare-$name.err"; then
        echo "FAIL $name: $(tail -n1 "$OS_OUT/.prepare-$name.err")"; return 1
    fi
    # QEMU_ARGS (an array the scenario may set): extra QEMU arguments, e.g. a device whose driver is a module.
    os_boot "${DEADLINE:-300}" ${QEMU_ARGS[@]+"${QEMU_ARGS[@]}"}
    [ "$OS_TIMED_OUT" = 1 ] && fail "deadline of ${DEADLINE:-300}s passed, QEMU killed"
    grep -q '^@@FATAL' "$OS_WORK/console.log" && fail "guest: $(grep -m1 '^@@FATAL' "$OS_WORK/console.log")"
    OS_ASSERTIONS=0
    check
    [ "$OS_ASSERTIONS" -gt 0 ] || fail "check asserted nothing"
    if [ -z "$OS_FAIL" ]; then echo "PASS $name ($((SECONDS - start))s${OS_NOTE:+, $OS_NOTE})"; return 0; fi
    echo "FAIL $name: $OS_FAIL ($((SECONDS - start))s)"
    for m in "${OS_FAIL_MORE[@]}"; do echo "  and: $m"; done
    echo "----- console log of $name ($OS_WORK/console.log) -----"
    cat "$OS_WORK/console.log"
    echo "----- end of console log of $name -----"
    return 1
}

mkdir -p "$OS_OUT"
# Only the images the selected scenarios need, bios first.
needed=()
for fw in bios uefi; do
    for s in "${scenarios[@]}"; do if [ "$(firmware_of "$s")" = "$fw" ]; then needed+=("$fw"); break; fi; done
done
for fw in "${needed[@]}"; do
    t0=$SECONDS
    if ! "$OS_DIR/build-image.sh" "$fw" > "$OS_OUT/.image" 2> "$OS_OUT/build-image-$fw.log"; then
        tail -n 30 "$OS_OUT/build-image-$fw.log"
        echo "FAIL image: the full-OS image ($fw) did not build (log: $OS_OUT/build-image-$fw.log)"
        echo "vm-os: 0 passed, ${#scenarios[@]} failed"; exit 1
    fi
    echo "image $(cat "$OS_OUT/.image") ready in $((SECONDS - t0))s"
done
jobs_max=${OS_JOBS:-$(( $(nproc) >= 2 ? 2 : 1 ))}
report_of() { echo "$OS_OUT/.report-$(basename "$1" .sh)"; }
for s in "${scenarios[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
    rm -f "$(report_of "$s")" "$(report_of "$s").rc"
    { (run_one "$s") > "$(report_of "$s")" 2>&1; echo $? > "$(report_of "$s").rc"; } &
done
wait
passed=0 failed=0
for s in "${scenarios[@]}"; do
    cat "$(report_of "$s")"
    # A scenario whose subshell died without a status counts as failed.
    if [ "$(cat "$(report_of "$s").rc" 2>/dev/null)" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "vm-os: $passed passed, $failed failed"
[ "$failed" = 0 ]
