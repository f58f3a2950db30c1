#!/usr/bin/env bash
# Runs every test stage of rekernel and ends with the line CI reads: `tests: N passed, N failed`.
#   1. unit and CLI tests (xunit, incl. differential version-ordering tests against rpm and dpkg)
#   2. NativeAOT publish with no AOT/trim warnings, and smoke runs of the published binary
#   3. the Debian package: built with dpkg-deb, installed, used, removed and purged in a Debian 12 chroot
#   4. the VM lab: real kernels switched with real kexec in QEMU
#   5. the full-OS lab: Debian 12 with systemd booted by GRUB from a disk, graceful and scheduled switches
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
results=artifacts/test-results
rm -rf "$results" && mkdir -p "$results"

stage() { echo; echo "==== $*"; }
count() { passed=$((passed + $1)); failed=$((failed + $2)); }
count_summary() { # count_summary NAME LOG: add the `NAME: N passed, M failed` line a stage printed in LOG
  local line
  line=$(grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$2" | tail -n 1)
  if [ -z "$line" ]; then echo "FAIL $1: the stage did not report results (log above)"; count 0 1; return; fi
  count "$(sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/' <<<"$line")" "$(sed -E 's/.*passed, ([0-9]+) failed.*/\1/' <<<"$line")"
}
check() { # check NAME COMMAND...: one pass/fail for a command
  local name=$1; shift
  if "$@" >"$results/$name.log" 2>&1; then echo "PASS $name"; count 1 0
  else echo "FAIL $name"; sed 's/^/    /' "$results/$name.log"; count 0 1; fi
}

stage "lab kernels (cached in ${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab})"
check lab-kernels tests/vm/fetch-kernels.sh

stage "unit and CLI tests"
dotnet test tests/Rekernel.Tests -c Release --logger "trx;LogFileName=unit.trx" --results-directory "$results" 2>&1 \
  | grep -vE "^\s*$" | tail -n 40
trx="$results/unit.trx"
if [ -f "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
  f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
  echo "unit: $p passed, $f failed"
  count "$p" "$f"
else
  echo "FAIL unit: the test run produced no results (build failure above)"; count 0 1
fi

stage "NativeAOT publish and smoke tests"
check aot-publish-without-warnings tools/publish.sh
if [ -x artifacts/bin/rekernel ]; then
  check binary-version artifacts/bin/rekernel --version
  check binary-needs-only-libc bash -c '! ldd artifacts/bin/rekernel | grep -vE "linux-vdso|libc\.so|libm\.so|ld-linux"'
  check binary-list-fixture artifacts/bin/rekernel list --root tests/fixtures/debian12 --running 6.1.0-47-amd64
fi

stage "Debian package: make deb, then dpkg -i / -r / -P in a bookworm chroot"
pkglog="$results/pkg.log"
if [ -x artifacts/bin/rekernel ] && packaging/deb/build.sh >"$pkglog" 2>&1; then
  tests/pkg/deb-test.sh 2>&1 | tee -a "$pkglog"
else
  echo "FAIL deb-build"; sed 's/^/    /' "$pkglog"
fi
count_summary pkg "$pkglog"

stage "VM lab: real kexec in QEMU"
vmlog="$results/vm.log"
tests/vm/run.sh 2>&1 | tee "$vmlog"
count_summary vm "$vmlog"

stage "VM lab: full Debian OS with systemd and GRUB (image cached in ${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}/os)"
oslog="$results/vm-os.log"
tests/vm/os/run.sh 2>&1 | tee "$oslog"
count_summary vm-os "$oslog"

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
