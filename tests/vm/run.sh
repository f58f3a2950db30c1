#!/bin/bash
# Runs VM lab scenarios (all of tests/vm/scenarios/*.sh, or the ones named) one after another.
#   tests/vm/run.sh                 all scenarios
#   tests/vm/run.sh 01 05-refusals  by number or name prefix
#   REKERNEL_LAB_ARCH=arm64 tests/vm/run.sh   the arm64 guest (qemu-system-aarch64): the scenarios for arm64
# Prints "PASS name (Ns)" or "FAIL name: reason" plus the console log, then one summary line
# "vm: N passed, M failed" ("vm-arm64: ..." on arm64); exits 1 if any failed. Work files stay in tests/vm/out/<name>/.
# A scenario without a check function, or whose check made no assertion, fails.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A scenario runs on the architectures its LAB_ARCHES line names (x86_64 when it has none).
runs_here() { local a; a=$(sed -n 's/^LAB_ARCHES="\(.*\)"$/\1/p' "$1"); [[ " ${a:-x86_64} " == *" $LAB_ARCH "* ]]; }

scenarios=()
if [ $# -eq 0 ]; then
    for s in "$VM_DIR"/scenarios/[0-9]*.sh; do runs_here "$s" && scenarios+=("$s"); done
else
    for a in "$@"; do
        m=("$VM_DIR"/scenarios/"${a%.sh}"*.sh)
        [ -e "${m[0]}" ] || { echo "run.sh: no scenario matches '$a'" >&2; exit 2; }
        for s in "${m[@]}"; do
            runs_here "$s" || { echo "run.sh: $(basename "$s" .sh) does not run on $LAB_ARCH (its LAB_ARCHES)" >&2; exit 2; }
        done
        scenarios+=("${m[@]}")
    done
fi

"$VM_DIR/fetch-kernels.sh" || { echo "$LAB_SUMMARY: 0 passed, ${#scenarios[@]} failed"; exit 1; }
# A scenario with the line NEEDS_LAB_KERNEL=1 boots the lab's own arm64 kernel, which has kexec_file_load: its
# release is KN, and LAB_ZBOOT holds the EFI zboot images of Debian's Image (tests/vm/build-kernel.sh builds both
# once, minutes when cold, and prints them at once after that).
if [ ${#scenarios[@]} -gt 0 ] && grep -qx 'NEEDS_LAB_KERNEL=1' "${scenarios[@]}"; then
    KN=$("$VM_DIR/build-kernel.sh" kernel) && LAB_ZBOOT=$("$VM_DIR/build-kernel.sh" zboot) || {
        echo "run.sh: the lab's own arm64 kernel could not be built (tests/vm/build-kernel.sh kernel, output above)" >&2
        echo "$LAB_SUMMARY: 0 passed, ${#scenarios[@]} failed"; exit 1; }
    export KN LAB_ZBOOT
fi

# One scenario in a subshell (its functions and variables stay there); prints PASS/FAIL.
run_one() {
    local file=$1 name start t
    name=$(basename "$file" .sh)
    start=$SECONDS
    LAB_FAIL= LAB_FAIL_MORE=()
    # A scenario's functions come from its own file only: nothing from the environment or an earlier scenario.
    unset -f check setup_boot guest_phase1 guest_phase2 guest_files
    # shellcheck disable=SC1090
    . "$file"
    if ! declare -F check >/dev/null; then echo "FAIL $name: scenario defines no check"; return 1; fi
    if ! lab_prepare "$name" 2> "$LAB_OUT/.prepare.err"; then
        echo "FAIL $name: $(tail -n1 "$LAB_OUT/.prepare.err")"
        return 1
    fi
    lab_boot
    boot_problems
    LAB_ASSERTIONS=0
    check
    [ "$LAB_ASSERTIONS" -gt 0 ] || fail "check asserted nothing"
    t=$((SECONDS - start))
    if [ -z "$LAB_FAIL" ]; then
        sw=$(switch_seconds)
        echo "PASS $name (${t}s${sw:+, switch ${sw}s})"
        return 0
    fi
    echo "FAIL $name: $LAB_FAIL (${t}s)"
    for m in "${LAB_FAIL_MORE[@]}"; do echo "  and: $m"; done
    echo "----- console log of $name ($LAB_WORK/console.log) -----"
    console
    echo "----- end of console log of $name -----"
    return 1
}

mkdir -p "$LAB_OUT"
passed=0 failed=0
for s in "${scenarios[@]}"; do
    if (run_one "$s"); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$LAB_SUMMARY: $passed passed, $failed failed"
[ "$failed" = 0 ]
