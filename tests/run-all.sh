#!/usr/bin/env bash
# Runs rekernel's test stages and ends with the line CI reads: `tests: N passed, N failed`.
#   tests/run-all.sh              every stage, in this order
#   tests/run-all.sh STAGE...     only those (still in this order), e.g. tests/run-all.sh publish smoke vm
# Stages:
#   unit     xunit unit and CLI tests (incl. differential version-ordering tests against rpm and dpkg)
#   publish  NativeAOT publish with no AOT/trim warnings (deletes the old binary and packages first)
#   smoke    runs of the published binary: version, linked libraries, `list` of a fixture tree
#   pkg      the .deb built with dpkg-deb, installed, used, removed and purged in a Debian 12 chroot
#   rpm      the .rpm built (packaging/rpm/build.sh) and tested (tests/pkg/rpm-test.sh)
#   vm       the VM lab: real kernels switched with real kexec in QEMU
#   fleet    the VM fleet: three lab guests running `rekernel agent` against an etcd on this host roll 47 -> 53 one at a
#            time with real kexec, then a bad canary halts the group (tests/vm/fleet.sh; the fleet's process tests
#            against etcd are in unit)
#   arm64    the same lab on arm64 (qemu-system-aarch64, Debian's arm64 kernels through kexec-tools): the linux-arm64
#            binary cross-published (no AOT/trim warnings), then REKERNEL_ARM64_SCENARIOS (default: every arm64
#            scenario; `make test` names two, `make test-arm64` all)
#   os       the full-OS lab: Debian 12 with systemd booted by GRUB from a disk
# The lab kernel download (tests/vm/fetch-kernels.sh, for unit, vm, fleet and arm64), the genuine EFI zboot images (for unit)
# and the arm64 lab's own kernel (for arm64 scenarios that boot it; both tests/vm/build-kernel.sh), and the full-OS
# images (tests/vm/os/build-image.sh, for os) are set-up, not tests: when one fails, the stages that need it fail. A stage that crashes, times out, reports no results, or needs the binary when there is none fails;
# nothing is skipped. Each stage has a time limit (REKERNEL_TIMEOUT_<STAGE>=SECONDS overrides it, e.g.
# REKERNEL_TIMEOUT_OS=3600). Logs are in artifacts/test-results/. Exits 1 when anything failed, 2 on bad usage.
set -uo pipefail
cd "$(dirname "$0")/.."

all_stages=(unit publish smoke pkg rpm vm fleet arm64 os)
declare -A limit=([setup]=900 [kernel]=1800 [images]=1800 [unit]=1200 [publish]=600 [smoke]=120 [pkg]=600 [rpm]=600 [vm]=1500 [fleet]=900 [arm64]=1800 [os]=2400)
for s in "${!limit[@]}"; do
  v="REKERNEL_TIMEOUT_${s^^}"
  [ -n "${!v:-}" ] && limit[$s]=${!v}
done
usage() { echo "usage: tests/run-all.sh [STAGE...]   stages: ${all_stages[*]}" >&2; exit 2; }
for a in "$@"; do [[ " ${all_stages[*]} " == *" $a "* ]] || { echo "run-all: unknown stage '$a'" >&2; usage; }; done
stages=()
for s in "${all_stages[@]}"; do if [ $# -eq 0 ] || [[ " $* " == *" $s "* ]]; then stages+=("$s"); fi; done
selected() { [[ " ${stages[*]} " == *" $1 "* ]]; }

bin=artifacts/bin/rekernel
results=artifacts/test-results
rm -rf "$results" && mkdir -p "$results"
passed=0
failed=0
count() { passed=$((passed + $1)); failed=$((failed + $2)); }

# ---- stage plumbing ---------------------------------------------------------------------------------
begin_stage() { # begin_stage NAME TITLE: the banner, and the stage's deadline
  stage=$1
  stage_deadline=$((SECONDS + limit[$1]))
  echo; echo "==== $2"
}
# limited CMD...: CMD under the time left to the stage (coreutils timeout; the command's process group is
# killed), stdin closed. Returns CMD's status, 124 when the stage's time ran out.
limited() {
  local left=$((stage_deadline - SECONDS))
  [ "$left" -gt 0 ] || return 124
  # A shell function (exported with export -f) runs in a bash of its own.
  if declare -F "$1" >/dev/null; then set -- bash -c '"$@"' bash "$@"; fi
  timeout -k 30 "$left" "$@" </dev/null
}
timed_out() { [ "$1" = 124 ] || { [ "$1" = 137 ] && [ "$SECONDS" -ge "$stage_deadline" ]; }; }
stage_fail() { echo "FAIL $stage: $*"; count 0 1; }
timeout_fail() { stage_fail "timed out after ${limit[$stage]} s${1:+ ($1)}"; }
no_binary() { # no_binary: true (after failing the stage) when there is no binary to test
  [ -x "$bin" ] && return 1
  stage_fail "$bin is missing (the publish stage failed, or run it: tests/run-all.sh publish $stage)"
}
check() { # check NAME COMMAND...: one pass/fail for a command (its output is shown when it fails)
  local name=$1 rc; shift
  limited "$@" >"$results/$name.log" 2>&1; rc=$?
  if [ "$rc" = 0 ]; then echo "PASS $name"; count 1 0; return; fi
  if timed_out "$rc"; then echo "FAIL $name"; timeout_fail "$name"; return; fi
  echo "FAIL $name"; sed 's/^/    /' "$results/$name.log"; count 0 1
}
# summary LABEL LOG RC: count the `LABEL: N passed, M failed` line a stage's runner printed in LOG; the stage
# fails when it timed out, printed no such line, ran nothing, or exited non-zero reporting no failure.
summary() {
  local label=$1 log=$2 rc=$3 line p f
  if timed_out "$rc"; then timeout_fail; return; fi
  line=$(grep -E "^$label: [0-9]+ passed, [0-9]+ failed$" "$log" | tail -n 1)
  if [ -z "$line" ]; then stage_fail "the stage reported no results (exit $rc; log above, $log)"; return; fi
  p=$(sed -E 's/^[^:]+: ([0-9]+) passed.*/\1/' <<<"$line")
  f=$(sed -E 's/.*passed, ([0-9]+) failed$/\1/' <<<"$line")
  count "$p" "$f"
  if [ $((p + f)) -eq 0 ]; then stage_fail "the stage ran no tests"; return; fi
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then stage_fail "the stage exited $rc but reported no failure"; fi
}

# The .deb of the current binary, built once per run (pkg and os use it). Sets deb; prints FAIL deb-build.
deb=
build_deb() {
  [ -n "$deb" ] && [ -f "$deb" ] && return 0
  local rc
  limited packaging/deb/build.sh >"$results/deb-build.log" 2>&1; rc=$?
  if [ "$rc" = 0 ]; then
    deb=$(sed -n 's/^deb: \(.*\.deb\) (.*/\1/p' "$results/deb-build.log")
    [ -f "$deb" ] && return 0
    rc="0 but named no package"
  fi
  echo "FAIL deb-build"; sed 's/^/    /' "$results/deb-build.log"
  if timed_out "$rc"; then timeout_fail deb-build; else stage_fail "packaging/deb/build.sh exited $rc"; fi
  return 1
}

# ---- set-up: the lab kernels ------------------------------------------------------------------------
# setup_step VAR NAME WHAT COMMAND...: one set-up command under the set-up's time limit; prints its result, and on
# failure sets VAR (ready otherwise) to the sentence the stages that need it fail with.
setup_step() {
  local var=$1 name=$2 what=$3 rc; shift 3
  limited "$@" >"$results/$name.log" 2>&1; rc=$?
  if [ "$rc" = 0 ]; then echo "set-up $name: ready"; return 0; fi
  printf -v "$var" '%s' "$what: set-up $* $(timed_out "$rc" && echo "timed out after ${limit[$stage]} s" || echo "failed (exit $rc)")"
  echo "SET-UP FAILED $name: ${!var}"; sed 's/^/    /' "$results/$name.log"
  return 1
}
# Whether an arm64 scenario to run boots the lab's own kernel (the line NEEDS_LAB_KERNEL=1; tests/vm/run.sh).
arm64_needs_lab_kernel() {
  local s files=()
  if [ -z "${REKERNEL_ARM64_SCENARIOS:-}" ]; then files=(tests/vm/scenarios/[0-9]*.sh)
  else for s in $REKERNEL_ARM64_SCENARIOS; do files+=(tests/vm/scenarios/"${s%.sh}"*.sh); done; fi
  grep -qx 'NEEDS_LAB_KERNEL=1' "${files[@]}" 2>/dev/null
}
kernels=ready zboot=ready lab_kernel=ready
if selected unit || selected vm || selected fleet || selected arm64; then
  begin_stage setup "set-up: lab kernels (cached in ${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}; not a test)"
  if setup_step kernels lab-kernels "the lab kernels are missing" tests/vm/fetch-kernels.sh && selected unit; then
    setup_step zboot lab-zboot "the genuine EFI zboot images are missing" tests/vm/build-kernel.sh zboot
  fi
fi
# The arm64 lab's own kernel is built from source (minutes): only when an arm64 scenario to run boots it (make
# test-arm64), with a time limit of its own.
if [ "$kernels" = ready ] && selected arm64 && arm64_needs_lab_kernel; then
  begin_stage kernel "set-up: the arm64 lab's own kernel, built once from linux-source-6.1 (tests/vm/build-kernel.sh; not a test)"
  setup_step lab_kernel lab-arm64-kernel "the arm64 lab's own kernel is missing" tests/vm/build-kernel.sh kernel
fi

# ---- unit ---------------------------------------------------------------------------------------------
# xunit through `dotnet test`, counted from its trx file, and checked against the tests the suite defines
# (`--list-tests` lists a Theory once per data row, as the trx counts it).
unit_stage() {
  local trx="$results/unit.trx" rc expected names summary counters outcome
  local total executed p f e t a notrun missing problems=()
  limited dotnet build tests/Rekernel.Tests -c Release >"$results/unit-build.log" 2>&1; rc=$?
  if timed_out "$rc"; then timeout_fail build; return; fi
  if [ "$rc" != 0 ]; then
    grep -E 'error|Error' "$results/unit-build.log" | tail -n 20
    stage_fail "dotnet build of tests/Rekernel.Tests failed (exit $rc; $results/unit-build.log)"; return
  fi
  limited dotnet test tests/Rekernel.Tests -c Release --no-build --list-tests >"$results/unit-list.log" 2>&1; rc=$?
  if timed_out "$rc"; then timeout_fail list-tests; return; fi
  # The names follow "The following Tests are available:", indented by four spaces.
  names=$(sed -n '/^The following Tests are available:/,$ { /^    [^ ]/ s/^    //p; }' "$results/unit-list.log" | LC_ALL=C sort)
  expected=$(grep -c . <<<"$names")
  if [ "$rc" != 0 ] || [ "$expected" -eq 0 ]; then
    tail -n 20 "$results/unit-list.log"; stage_fail "dotnet test --list-tests listed no tests (exit $rc)"; return
  fi
  echo "unit: expecting $expected tests"
  limited dotnet test tests/Rekernel.Tests -c Release --no-build --logger "trx;LogFileName=unit.trx" \
    --results-directory "$results" >"$results/unit.log" 2>&1; rc=$?
  grep -vE '^\s*$' "$results/unit.log" | tail -n 40
  if timed_out "$rc"; then timeout_fail; return; fi
  if [ ! -f "$trx" ]; then stage_fail "the test run wrote no results (dotnet test exited $rc; $results/unit.log)"; return; fi
  summary=$(grep -o '<ResultSummary [^>]*>' "$trx" | head -n 1)
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  outcome=$(sed -nE 's/.* outcome="([^"]*)".*/\1/p' <<<"$summary")
  counter() { local v; v=$(sed -nE "s/.* $1=\"([0-9]+)\".*/\1/p" <<<"$counters"); echo "${v:-0}"; }
  total=$(counter total) executed=$(counter executed) p=$(counter passed) f=$(counter failed)
  e=$(counter error) t=$(counter timeout) a=$(counter aborted) notrun=$(counter notExecuted)
  f=$((f + e + t + a))
  echo "unit: $p passed, $f failed"
  count "$p" "$f"
  [ "$rc" = 0 ] || [ "$f" -gt 0 ] || problems+=("dotnet test exited $rc although no test failed")
  [ "$outcome" = Completed ] || { [ "$outcome" = Failed ] && [ "$f" -gt 0 ]; } \
    || problems+=("the test run's outcome is '${outcome:-missing}', not Completed")
  [ "$notrun" = 0 ] || problems+=("$notrun tests were not executed")
  [ "$executed" -ge "$total" ] || problems+=("only $executed of the run's $total tests were executed")
  [ "$executed" -ge "$expected" ] || problems+=("only $executed of the $expected tests the suite defines ran")
  # Every test --list-tests named has a result (a Theory listed once may have one result per data row).
  missing=$(grep -o '<UnitTestResult [^>]*' "$trx" | sed -nE 's/.* testName="([^"]*)".*/\1/p' \
    | sed -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&amp;/\&/g' | LC_ALL=C sort -u \
    | awk 'NR == FNR { ran[$0] = 1; base = $0; sub(/\(.*/, "", base); ran[base] = 1; next } !($0 in ran)' - <(echo "$names"))
  [ -z "$missing" ] || problems+=("$(grep -c . <<<"$missing") listed tests have no result, e.g. $(head -n 1 <<<"$missing")")
  for m in "${problems[@]}"; do stage_fail "$m"; done
}
if selected unit; then
  begin_stage unit "unit and CLI tests"
  if [ "$kernels" != ready ]; then stage_fail "$kernels"
  elif [ "$zboot" != ready ]; then stage_fail "$zboot"
  else unit_stage; fi
fi

# ---- publish ------------------------------------------------------------------------------------------
if selected publish; then
  begin_stage publish "NativeAOT publish"
  # Nothing older may survive a failed publish: later stages test only what this one built.
  rm -f "$bin" artifacts/publish/Rekernel.Cli
  [ -d artifacts ] && find artifacts -type f \( -name '*.deb' -o -name '*.rpm' \) -print -delete | sed 's/^/deleted old /'
  check aot-publish-without-warnings tools/publish.sh
fi

# ---- smoke --------------------------------------------------------------------------------------------
smoke_bin() { [ -x "$bin" ] || { echo "$bin is missing (the publish stage failed, or run it)"; return 1; }; }
smoke_version() { # `rekernel --version` is the version of Directory.Build.props, +commit when built from git
  smoke_bin || return 1
  local version out
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
  out=$("$bin" --version) || { echo "rekernel --version exited $?"; return 1; }
  echo "printed: '$out', expected '$version' or '$version+<40-hex commit>'"
  [ -n "$version" ] && [[ $out =~ ^${version//./\\.}(\+[0-9a-f]{40})?$ ]]
}
smoke_libs() { # ldd works and the binary needs exactly libc, libm and the dynamic loader
  smoke_bin || return 1
  local out names needed
  out=$(ldd "$bin" 2>&1) || { echo "ldd failed: $out"; return 1; }
  echo "$out"
  names=$(awk '{ print $1 }' <<<"$out" | sed 's:.*/::' | LC_ALL=C sort | tr '\n' ' ')
  [ "$names" = "ld-linux-x86-64.so.2 libc.so.6 libm.so.6 linux-vdso.so.1 " ] \
    || { echo "ldd lists '$names', expected ld-linux-x86-64.so.2 libc.so.6 libm.so.6 linux-vdso.so.1"; return 1; }
  ! grep -q 'not found' <<<"$out" || { echo "a library is not found"; return 1; }
  needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | LC_ALL=C sort | tr '\n' ' ')
  [ "$needed" = "ld-linux-x86-64.so.2 libc.so.6 libm.so.6 " ] \
    || { echo "NEEDED entries are '$needed', expected ld-linux-x86-64.so.2 libc.so.6 libm.so.6"; return 1; }
}
smoke_list() { # `rekernel list` of tests/fixtures/debian12 shows the entries of its grub.cfg, in menu order
  smoke_bin || return 1
  local out got
  out=$("$bin" list --root tests/fixtures/debian12 --running 6.1.0-47-amd64) || { echo "rekernel list exited $?"; return 1; }
  echo "$out"
  # Blanks squeezed; the header and the legend are left out. From tests/fixtures/debian12/boot/grub/grub.cfg: the
  # top entry and the "Advanced options" submenu's four, with their linux and initrd lines; no saved_entry or
  # next_entry in grubenv, so default="0" (the top entry) is the bootloader default (*), and 47 runs (>).
  got=$(sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//' <<<"$out" | grep -vE '^(VERSION SOURCE TITLE|> running \* bootloader default|)$')
  diff -u - <(echo "$got") <<'EXPECTED' || { echo "rekernel list differs from the fixture's grub.cfg (diff above)"; return 1; }
* 6.1.0-53-amd64 grub Debian GNU/Linux
kernel /boot/vmlinuz-6.1.0-53-amd64
initrd /boot/initrd.img-6.1.0-53-amd64
cmdline root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro quiet
6.1.0-53-amd64 grub Debian GNU/Linux, with Linux 6.1.0-53-amd64
kernel /boot/vmlinuz-6.1.0-53-amd64
initrd /boot/initrd.img-6.1.0-53-amd64
cmdline root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro quiet
6.1.0-53-amd64 grub Debian GNU/Linux, with Linux 6.1.0-53-amd64 (recovery mode)
kernel /boot/vmlinuz-6.1.0-53-amd64
initrd /boot/initrd.img-6.1.0-53-amd64
cmdline root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro single
> 6.1.0-47-amd64 grub Debian GNU/Linux, with Linux 6.1.0-47-amd64
kernel /boot/vmlinuz-6.1.0-47-amd64
initrd /boot/initrd.img-6.1.0-47-amd64
cmdline root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro quiet
> 6.1.0-47-amd64 grub Debian GNU/Linux, with Linux 6.1.0-47-amd64 (recovery mode)
kernel /boot/vmlinuz-6.1.0-47-amd64
initrd /boot/initrd.img-6.1.0-47-amd64
cmdline root=UUID=0b5c7d3e-52c6-4d3c-9f3a-5a8c1e6f2b41 ro single
EXPECTED
}
export bin
export -f smoke_bin smoke_version smoke_libs smoke_list
if selected smoke; then
  begin_stage smoke "smoke runs of $bin"
  check binary-version smoke_version
  check binary-needs-only-libc smoke_libs
  check binary-list-fixture smoke_list
fi

# ---- pkg ----------------------------------------------------------------------------------------------
if selected pkg; then
  begin_stage pkg "Debian package: make deb, then dpkg -i / -r / -P in a bookworm chroot"
  if ! no_binary && build_deb; then
    limited tests/pkg/deb-test.sh "$deb" 2>&1 | tee "$results/pkg.log"
    summary pkg "$results/pkg.log" "${PIPESTATUS[0]}"
  fi
fi

# ---- rpm ----------------------------------------------------------------------------------------------
if selected rpm; then
  begin_stage rpm "RPM package: packaging/rpm/build.sh, then tests/pkg/rpm-test.sh"
  if [ ! -x packaging/rpm/build.sh ] || [ ! -x tests/pkg/rpm-test.sh ]; then
    stage_fail "packaging/rpm/build.sh and tests/pkg/rpm-test.sh must both exist (and be executable) in this tree;" \
      "missing: $(for f in packaging/rpm/build.sh tests/pkg/rpm-test.sh; do [ -x "$f" ] || printf '%s ' "$f"; done)"
  elif ! no_binary; then
    limited packaging/rpm/build.sh >"$results/rpm-build.log" 2>&1; rc=$?
    if [ "$rc" != 0 ]; then
      echo "FAIL rpm-build"; sed 's/^/    /' "$results/rpm-build.log"
      if timed_out "$rc"; then timeout_fail rpm-build; else stage_fail "packaging/rpm/build.sh exited $rc"; fi
    else
      limited tests/pkg/rpm-test.sh 2>&1 | tee "$results/rpm.log"
      summary rpm "$results/rpm.log" "${PIPESTATUS[0]}"
    fi
  fi
fi

# ---- vm -----------------------------------------------------------------------------------------------
if selected vm; then
  begin_stage vm "VM lab: real kexec in QEMU"
  if [ "$kernels" != ready ]; then stage_fail "$kernels"
  elif ! no_binary; then
    REKERNEL_BIN=$PWD/$bin limited tests/vm/run.sh 2>&1 | tee "$results/vm.log"
    summary vm "$results/vm.log" "${PIPESTATUS[0]}"
  fi
fi

# ---- fleet --------------------------------------------------------------------------------------------
if selected fleet; then
  begin_stage fleet "VM fleet: three lab guests, rekernel agent, etcd on this host"
  if [ "$kernels" != ready ]; then stage_fail "$kernels"
  elif ! no_binary; then
    REKERNEL_BIN=$PWD/$bin limited tests/vm/fleet.sh 2>&1 | tee "$results/vm-fleet.log"
    summary vm-fleet "$results/vm-fleet.log" "${PIPESTATUS[0]}"
  fi
fi

# ---- arm64 --------------------------------------------------------------------------------------------
# Its binary is published here, not in the publish stage: only this stage needs it, and its time counts here.
if selected arm64; then
  begin_stage arm64 "VM lab on arm64: real kexec in qemu-system-aarch64"
  arm64_bin=artifacts/bin/linux-arm64/rekernel
  if [ "$kernels" != ready ]; then stage_fail "$kernels"
  elif [ "$lab_kernel" != ready ]; then stage_fail "$lab_kernel"
  else
    check arm64-publish-without-warnings env ARCH=arm64 tools/publish.sh
    if [ ! -x "$arm64_bin" ]; then stage_fail "$arm64_bin is missing (its publish failed, above)"
    else
      # shellcheck disable=SC2086
      REKERNEL_LAB_ARCH=arm64 REKERNEL_BIN=$PWD/$arm64_bin limited tests/vm/run.sh ${REKERNEL_ARM64_SCENARIOS:-} 2>&1 \
        | tee "$results/vm-arm64.log"
      summary vm-arm64 "$results/vm-arm64.log" "${PIPESTATUS[0]}"
    fi
  fi
fi

# ---- os -----------------------------------------------------------------------------------------------
# Set-up, not a test, like the kernels: the two full-OS images (cached; a cold build takes minutes each).
images=ready
if selected os; then
  begin_stage images "set-up: full-OS images (cached in ${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}/os; not a test)"
  for fw in bios uefi; do
    limited tests/vm/os/build-image.sh "$fw" >"$results/image-$fw.log" 2>&1; rc=$?
    if [ "$rc" = 0 ]; then echo "set-up image $fw: $(tail -n 1 "$results/image-$fw.log")"; continue; fi
    images="the full-OS image ($fw) is missing: set-up tests/vm/os/build-image.sh $fw $(timed_out "$rc" && echo "timed out after ${limit[images]} s" || echo "failed (exit $rc)")"
    echo "SET-UP FAILED image $fw: $images"; tail -n 30 "$results/image-$fw.log" | sed 's/^/    /'
    break
  done
fi
if selected os; then
  begin_stage os "VM lab: full Debian OS with systemd and GRUB (images cached in ${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}/os)"
  if [ "$images" != ready ]; then stage_fail "$images"
  elif ! no_binary && build_deb; then
    REKERNEL_DEB=$PWD/$deb limited tests/vm/os/run.sh 2>&1 | tee "$results/vm-os.log"
    summary vm-os "$results/vm-os.log" "${PIPESTATUS[0]}"
  fi
fi

echo
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
