#!/usr/bin/env bash
# Builds artifacts/rekernel-<version>.<arch>.rpm with rpmbuild (Debian's rpm package provides it) from the published
# binary (make publish) and the files in packaging/ and man/, through packaging/rpm/rekernel.spec, in a temporary
# _topdir. The version is packaging/version.sh's, as for the .deb.
#   packaging/rpm/build.sh            x86_64, from artifacts/bin/rekernel (make publish)
#   ARCH=arm64 packaging/rpm/build.sh aarch64, from artifacts/bin/linux-arm64/rekernel (make publish ARCH=arm64)
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${ARCH:-x64}" in
  x64|amd64|x86_64) rpmarch=x86_64 bin=artifacts/bin/rekernel made_by="make publish" ;;
  arm64|aarch64) rpmarch=aarch64 bin=artifacts/bin/linux-arm64/rekernel made_by="make publish ARCH=arm64" ;;
  *) echo "rpm: unknown ARCH '$ARCH' (x64 or arm64)" >&2; exit 2 ;;
esac
[ -x "$bin" ] || { echo "rpm: $bin is missing; $made_by builds it" >&2; exit 1; }
# The package's architecture must be the binary's (a mislabelled package installs and then cannot run).
machine=$(readelf -h "$bin" | sed -n 's/^ *Machine: *//p')
case "$rpmarch:$machine" in
  x86_64:*X86-64*|aarch64:AArch64) ;;
  *) echo "rpm: $bin is a '$machine' binary, not $rpmarch" >&2; exit 1 ;;
esac
command -v rpmbuild >/dev/null || { echo "rpm: rpmbuild is missing (apt-get install rpm; make deps does)" >&2; exit 1; }
version=$(packaging/version.sh)
out=artifacts/rekernel-${version}.${rpmarch}.rpm
log=artifacts/rpm-build.log

top=$(mktemp -d "${TMPDIR:-/tmp}/rekernel-rpmbuild.XXXXXX")
trap 'rm -rf "$top"' EXIT
mkdir -p "$top/SOURCES" "$top/tmp"
# The spec's Source0..Source11, by their base names.
cp "$bin" "$top/SOURCES/rekernel"
cp packaging/systemd/rekernel-verify.service packaging/systemd/rekernel-upgrade.service packaging/systemd/rekernel-upgrade.timer packaging/systemd/rekernel-agent.service \
  packaging/kernel-install/90-rekernel.install packaging/rekernel.conf man/rekernel.8 \
  packaging/completions/rekernel.bash packaging/completions/_rekernel README.md LICENSE "$top/SOURCES/"

mkdir -p artifacts
# _dbpath: rpmbuild opens an rpm database, by default (on Debian) ~/.rpmdb; a throw-away one instead.
if ! rpmbuild -bb --target "$rpmarch" \
    --define "_dbpath $top/rpmdb" --define "_topdir $top" --define "_tmppath $top/tmp" --define "pkgversion $version" \
    packaging/rpm/rekernel.spec >"$log" 2>&1; then
  cat "$log" >&2
  echo "rpm: rpmbuild failed (log above, also in $log)" >&2
  exit 1
fi
built=$top/RPMS/$rpmarch/rekernel-${version}-1.${rpmarch}.rpm
[ -f "$built" ] || { cat "$log" >&2; echo "rpm: rpmbuild wrote no $built" >&2; exit 1; }
cp "$built" "$out"
echo "rpm: $out ($(stat -c %s "$out") bytes)"
