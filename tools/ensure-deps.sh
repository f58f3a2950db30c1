#!/usr/bin/env bash
# Installs the Debian packages given as arguments when any is missing; the .NET SDK must already be present.
set -euo pipefail
if ! command -v dotnet >/dev/null 2>&1; then
  echo "rekernel: the .NET 10 SDK is missing; install it (dotnet-sdk-10.0) and run make again." >&2
  exit 1
fi
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "==> installing ${missing[*]}"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
}
