#!/usr/bin/env bash
# Benchmarks of rekernel (not timed tests): results are written down in bench/RESULTS.md by hand after a run.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/ensure-deps.sh hyperfine time
bin=artifacts/bin/rekernel
[ -x "$bin" ] || { echo "bench: $bin is missing; run make publish" >&2; exit 1; }

echo "==> startup: rekernel --version (target: single-digit milliseconds)"
hyperfine -N --warmup 20 --runs 200 "$bin --version"

echo "==> discovery: rekernel list on fixture trees"
for root in tests/fixtures/*/; do
  [ -d "$root/boot" ] || continue
  hyperfine -N --warmup 5 --runs 50 --style basic "$bin list --root $root --running none"
done

echo "==> memory: peak RSS of rekernel list (KiB)"
for root in tests/fixtures/*/; do
  [ -d "$root/boot" ] || continue
  /usr/bin/time -f "$root %M KiB" "$bin" list --root "$root" --running none >/dev/null
done

echo "==> discovery at scale: 1,000 BLS entries (against bootctl), GRUB entries and plain kernels; status --check against needrestart"
bench/discovery.sh

echo "==> fleet rollout: fleet simulate, 1,000 hosts at concurrency 1, 10 and 50 against a local etcd"
nice -n 10 bench/fleet.sh

echo "==> load time in the initramfs VM lab: rekernel load vs kexec -s -l (target: within 10%)"
CLOCK=icount bench/load-time.sh "${LOAD_ROUNDS:-7}"
CLOCK=real bench/load-time.sh "${LOAD_ROUNDS:-9}"

echo "==> initrd size against load and switch time in the initramfs VM lab (about 20, 60, 120 MB)"
bench/initrd-growth.sh "${GROWTH_ROUNDS:-3}"

echo "==> downtime on the full-OS guest: full reboot (GRUB_TIMEOUT=5 and 0) vs kexec-tools vs rekernel upgrade"
bench/downtime.sh "${ROUNDS:-3}"
