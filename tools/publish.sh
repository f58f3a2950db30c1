#!/usr/bin/env bash
# Publishes the NativeAOT binary to artifacts/bin/rekernel and fails on any AOT or trim warning.
set -euo pipefail
cd "$(dirname "$0")/.."
log=artifacts/publish.log
mkdir -p artifacts/bin
# A failed publish must not leave an older binary behind for the package, smoke and VM tests to pick up.
rm -f artifacts/bin/rekernel artifacts/publish/Rekernel.Cli
if ! dotnet publish src/Rekernel.Cli -c Release -r linux-x64 -o artifacts/publish -p:TrimmerSingleWarn=false >"$log" 2>&1; then
  cat "$log" >&2
  echo "publish: dotnet publish failed (log above)" >&2
  exit 1
fi
if grep -E "warning (IL|CS|NU|MSB)[0-9]+" "$log" >&2; then
  echo "publish: the NativeAOT build has warnings (above); fix them, they are errors here" >&2
  exit 1
fi
# The assembly is Rekernel.Cli (a name differing from the library Rekernel only in case would clash); the command is rekernel.
install -m 0755 artifacts/publish/Rekernel.Cli artifacts/bin/rekernel
echo "publish: artifacts/bin/rekernel ($(stat -c %s artifacts/bin/rekernel) bytes, no AOT/trim warnings)"
