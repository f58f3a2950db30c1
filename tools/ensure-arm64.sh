#!/usr/bin/env bash
# Prepares this x86-64 Debian machine for the arm64 cross build (make publish ARCH=arm64) and the arm64 lab
# kernels: adds dpkg's arm64 architecture once (multiarch; apt then also lists arm64 packages), then installs the
# cross toolchain and the arm64 libraries the NativeAOT linker needs. Idempotent: a second run changes nothing.
# The libc6-dev-arm64-cross package cannot serve as the sysroot: its linker scripts name absolute paths.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "==> dpkg --add-architecture arm64"
  $sudo dpkg --add-architecture arm64
  $sudo apt-get update -qq
fi
exec tools/ensure-deps.sh clang lld binutils-aarch64-linux-gnu libc6-dev:arm64 libgcc-12-dev:arm64 zlib1g-dev:arm64 "$@"
