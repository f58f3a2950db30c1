#!/usr/bin/env bash
# Publishes the NativeAOT binary to artifacts/bin/rekernel and fails on any AOT or trim warning.
# ARCH=arm64 cross-compiles for linux-arm64 to artifacts/bin/linux-arm64/rekernel instead (tools/ensure-arm64.sh
# installs clang, lld and the arm64 libraries; the multiarch root / is the sysroot).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${ARCH:-x64}" in
  x64|amd64|x86_64) rid=linux-x64 out=artifacts/publish bin=artifacts/bin/rekernel cross=() ;;
  arm64|aarch64) rid=linux-arm64 out=artifacts/publish-linux-arm64 bin=artifacts/bin/linux-arm64/rekernel
    cross=(-p:SysRoot=/ -p:LinkerFlavor=lld -p:ObjCopyName=aarch64-linux-gnu-objcopy) ;;
  *) echo "publish: unknown ARCH '$ARCH' (x64 or arm64)" >&2; exit 2 ;;
esac
log=$out.log
mkdir -p "$(dirname "$bin")"
# A failed publish must not leave an older binary behind for the package, smoke and VM tests to pick up.
rm -f "$bin" "$out/Rekernel.Cli"
if ! dotnet publish src/Rekernel.Cli -c Release -r "$rid" -o "$out" -p:TrimmerSingleWarn=false ${cross[@]+"${cross[@]}"} >"$log" 2>&1; then
  cat "$log" >&2
  echo "publish: dotnet publish failed (log above)" >&2
  exit 1
fi
if grep -E "warning (IL|CS|NU|MSB)[0-9]+" "$log" >&2; then
  echo "publish: the NativeAOT build has warnings (above); fix them, they are errors here" >&2
  exit 1
fi
# The assembly is Rekernel.Cli (a name differing from the library Rekernel only in case would clash); the command is rekernel.
install -m 0755 "$out/Rekernel.Cli" "$bin"
echo "publish: $bin ($(stat -c %s "$bin") bytes, no AOT/trim warnings)"
