#!/usr/bin/env bash
# Builds artifacts/rekernel_<version>_amd64.deb with dpkg-deb from the published binary (make publish) and the
# files in packaging/, man/: everything the package installs is listed here.
set -euo pipefail
cd "$(dirname "$0")/../.."
case "${ARCH:-x64}" in # ARCH=arm64: the arm64 package, from make publish ARCH=arm64
  x64|amd64|x86_64) arch=amd64 bin=artifacts/bin/rekernel objdump=objdump ;;
  arm64|aarch64) arch=arm64 bin=artifacts/bin/linux-arm64/rekernel objdump=aarch64-linux-gnu-objdump ;;
  *) echo "deb: unknown ARCH '$ARCH' (x64 or arm64)" >&2; exit 2 ;;
esac
[ -x "$bin" ] || { echo "deb: $bin is missing; run make publish first" >&2; exit 1; }
version=$(packaging/version.sh)
stage=artifacts/deb/rekernel_${version}_${arch}
out=artifacts/rekernel_${version}_${arch}.deb
rm -rf "$stage" "$out" && mkdir -p "$stage/DEBIAN"

put() { # put MODE SOURCE DEST: one file into the package tree
  install -D -m "$1" "$2" "$stage$3"
}
put 0755 "$bin" /usr/bin/rekernel
for unit in rekernel-verify.service rekernel-upgrade.service rekernel-upgrade.timer rekernel-agent.service; do
  put 0644 "packaging/systemd/$unit" "/usr/lib/systemd/system/$unit"
done
put 0755 packaging/kernel-install/90-rekernel.install /usr/lib/kernel/install.d/90-rekernel.install
put 0755 packaging/debian/postinst.d/zzz-rekernel /etc/kernel/postinst.d/zzz-rekernel
put 0755 packaging/debian/postrm.d/zzz-rekernel /etc/kernel/postrm.d/zzz-rekernel
put 0644 packaging/rekernel.conf /etc/rekernel.conf
put 0644 packaging/completions/rekernel.bash /usr/share/bash-completion/completions/rekernel
put 0644 packaging/completions/_rekernel /usr/share/zsh/vendor-completions/_rekernel
mkdir -p "$stage/usr/share/man/man8" "$stage/usr/share/doc/rekernel" "$stage/var/lib/rekernel"
gzip -9n <man/rekernel.8 >"$stage/usr/share/man/man8/rekernel.8.gz"
gzip -9n <README.md >"$stage/usr/share/doc/rekernel/README.md.gz"
# Debian policy 12.5: the licence in machine-readable form as the package's copyright file.
{ printf 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: rekernel\n\n'
  printf 'Files: *\nCopyright: 2026 The rekernel developers\nLicense: MIT\n'
  sed -n '5,$p' LICENSE | sed -e 's/^$/./' -e 's/^/ /'
} >"$stage/usr/share/doc/rekernel/copyright"
chmod 0644 "$stage/usr/share/man/man8/rekernel.8.gz" "$stage/usr/share/doc/rekernel/README.md.gz" "$stage/usr/share/doc/rekernel/copyright"

# The newest glibc symbol version the binary needs is the libc6 it depends on.
glibc=$($objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
cat >"$stage/DEBIAN/control" <<CONTROL
Package: rekernel
Version: $version
Architecture: $arch
Maintainer: rekernel developers <dev@rekernel>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: libc6 (>= $glibc)
Recommends: systemd
Suggests: kexec-tools
Section: admin
Priority: optional
Homepage: https://github.com/rekernel/rekernel
Description: move a running machine onto a newly installed kernel with kexec
 rekernel finds the kernel the bootloader would boot next (GRUB 2, Boot Loader
 Specification entries, Unified Kernel Images, plain /boot), stages it with
 kexec_file_load and switches into it through systemd's kexec.target, skipping
 firmware and bootloader. It refuses with a clear reason when the machine is
 not ready, adds a panic= fallback, journals every switch and verifies after
 the boot that the new kernel runs. Includes systemd units, kernel hooks, a
 man page and shell completions.
CONTROL
printf '%s\n' /etc/rekernel.conf /etc/kernel/postinst.d/zzz-rekernel /etc/kernel/postrm.d/zzz-rekernel >"$stage/DEBIAN/conffiles"
for script in postinst prerm postrm; do install -m 0755 "packaging/deb/$script" "$stage/DEBIAN/$script"; done

dpkg-deb --root-owner-group -Zxz --build "$stage" "$out" >/dev/null
echo "deb: $out ($(stat -c %s "$out") bytes)"
