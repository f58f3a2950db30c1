#!/usr/bin/env bash
# Installs artifacts/rekernel_*.deb with dpkg -i into a debootstrapped Debian 12 chroot, runs the installed binary
# and hooks there, then removes (dpkg -r) and purges (dpkg -P) it, checking what stays and what goes.
# The chroot is built once (debootstrap --variant=minbase bookworm) and cached as a tarball in
# ${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}/chroot-bookworm.tar. Prints PASS/FAIL lines and ends with
# `pkg: N passed, N failed`. Needs root (chroot, mount) and debootstrap.
set -uo pipefail
cd "$(dirname "$0")/../.."
cache=${REKERNEL_LAB_CACHE:-/var/cache/rekernel-lab}
tarball=$cache/chroot-bookworm.tar
deb=${1:-$(ls -t artifacts/rekernel_*_amd64.deb 2>/dev/null | head -n 1)}
passed=0
failed=0

fail_setup() { echo "FAIL pkg-setup: $*"; echo "pkg: $passed passed, $((failed + 1)) failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail_setup "needs root (chroot and mount)"
[ -f "$deb" ] || fail_setup "no package; run make deb first"
command -v debootstrap >/dev/null || fail_setup "debootstrap is missing (make deps installs it)"

if [ ! -f "$tarball" ]; then
  echo "==> debootstrap --variant=minbase bookworm (once; cached in $tarball)"
  # The host's apt mirror for bookworm (tools/apt-mirror.sh), or REKERNEL_OS_MIRROR.
  mirror=${REKERNEL_OS_MIRROR:-$(tools/apt-mirror.sh bookworm)} || fail_setup "no package mirror for bookworm (above)"
  build=$(mktemp -d /var/tmp/rekernel-debootstrap.XXXXXX)
  if ! debootstrap --variant=minbase bookworm "$build" "$mirror" >"$build.log" 2>&1; then
    tail -n 20 "$build.log"; rm -rf "$build" "$build.log"; fail_setup "debootstrap failed (log above)"
  fi
  mkdir -p "$cache"
  tar -C "$build" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
  rm -rf "$build" "$build.log"
fi

root=$(mktemp -d /var/tmp/rekernel-chroot.XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null
  rm -rf --one-file-system "$root"
}
trap cleanup EXIT
tar -C "$root" -xf "$tarball" || fail_setup "cannot unpack $tarball"
mount -t proc proc "$root/proc" || fail_setup "cannot mount /proc in the chroot"
cp "$deb" "$root/tmp/rekernel.deb"
# A Debian /boot (the bundled fixture) so that the installed binary has kernels to list.
cp -a tests/fixtures/debian12/boot/. "$root/boot/"

in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
check() { # check NAME COMMAND...: PASS when the command succeeds, else FAIL with its output
  local name=$1 out; shift
  if out=$("$@" 2>&1); then echo "PASS $name"; passed=$((passed + 1))
  else echo "FAIL $name"; sed 's/^/    /' <<<"$out"; failed=$((failed + 1)); fi
}
present() { for f in "$@"; do [ -e "$root$f" ] || { echo "missing: $f"; return 1; }; done; }
absent() { for f in "$@"; do [ ! -e "$root$f" ] && [ ! -L "$root$f" ] || { echo "still there: $f"; return 1; }; done; }

shipped=(/usr/bin/rekernel /usr/lib/systemd/system/rekernel-verify.service /usr/lib/systemd/system/rekernel-upgrade.service
  /usr/lib/systemd/system/rekernel-upgrade.timer /usr/lib/kernel/install.d/90-rekernel.install
  /usr/share/man/man8/rekernel.8.gz /usr/share/bash-completion/completions/rekernel /usr/share/zsh/vendor-completions/_rekernel
  /usr/share/doc/rekernel/copyright)
# Everything under /etc is a conffile: kept by dpkg -r, deleted by dpkg -P.
conffiles=(/etc/rekernel.conf /etc/kernel/postinst.d/zzz-rekernel /etc/kernel/postrm.d/zzz-rekernel)
enabled=/etc/systemd/system/multi-user.target.wants/rekernel-verify.service
# [Install] RequiredBy=: boot-complete.target waits for verify, so a failed verify marks the boot bad.
required=/etc/systemd/system/boot-complete.target.requires/rekernel-verify.service

check pkg-dpkg-install in_root dpkg -i /tmp/rekernel.deb
check pkg-files-installed present "${shipped[@]}" "${conffiles[@]}" /var/lib/rekernel
check pkg-conffiles-registered bash -c "[ \$(chroot '$root' dpkg-query -W -f='\${Conffiles}' rekernel | grep -cE ' /etc/(rekernel.conf|kernel/post(inst|rm).d/zzz-rekernel) ') -eq 3 ]"
check pkg-verify-unit-enabled-timer-not bash -c "[ -L '$root$enabled' ] && [ -L '$root$required' ] && [ ! -e '$root/etc/systemd/system/timers.target.wants/rekernel-upgrade.timer' ]"
# The package's version, with the commit it was built from when built from git.
check pkg-version in_root bash -c 'out=$(rekernel --version) || exit 1; echo "printed: $out, package version: $1"
  [[ $out =~ ^${1//./\\.}(\+[0-9a-f]{40})?$ ]]' _ "$(dpkg-deb -f "$deb" Version)"
check pkg-list-finds-the-kernels in_root bash -c 'rekernel list | tee /dev/stderr | grep -q "^.*6\.1\.0-53-amd64 .*grub"' 
check pkg-man-page-gzip bash -c "gzip -dc '$root/usr/share/man/man8/rekernel.8.gz' | grep -q '^.SH EXIT STATUS'"
check pkg-bad-config-exits-7 in_root bash -c 'echo "apend = quiet" >/tmp/bad.conf
  REKERNEL_CONFIG=/tmp/bad.conf rekernel load --dry-run 2>/tmp/err; code=$?; cat /tmp/err
  [ $code -eq 7 ] && grep -q "/tmp/bad.conf:1: unknown key .apend." /tmp/err'
check pkg-hook-auto-stage-off-is-silent in_root bash -c '[ -z "$(/etc/kernel/postinst.d/zzz-rekernel 6.1.0-99-amd64 /boot/vmlinuz-6.1.0-99-amd64 2>&1)" ]'
check pkg-hook-failing-load-exits-0 in_root bash -c 'echo "auto_stage = yes" >/tmp/auto.conf
  REKERNEL_CONFIG=/tmp/auto.conf /etc/kernel/postinst.d/zzz-rekernel 6.1.0-99-amd64 /boot/vmlinuz-6.1.0-99-amd64 2>/tmp/err; code=$?
  cat /tmp/err; [ $code -eq 0 ] && grep -q "could not stage 6.1.0-99-amd64" /tmp/err'
# run-parts order: the hook must see the GRUB entry that Debian's zz-update-grub writes for the new kernel.
check pkg-hook-runs-after-update-grub in_root bash -c 'printf "#!/bin/sh\n" >/etc/kernel/postinst.d/zz-update-grub
  chmod 755 /etc/kernel/postinst.d/zz-update-grub
  order=$(run-parts --test /etc/kernel/postinst.d | sed "s:.*/::" | tr "\n" " "); rm /etc/kernel/postinst.d/zz-update-grub
  echo "$order"; case "$order" in *zz-update-grub*zzz-rekernel*) ;; *) exit 1 ;; esac'
# A kernel rekernel cannot find (exit 3): the plugin says so and exits 0.
check pkg-kernel-install-plugin-exits-0 in_root bash -c 'REKERNEL_CONFIG=/tmp/auto.conf /usr/lib/kernel/install.d/90-rekernel.install add 6.1.0-99-amd64 /boot/x /boot/vmlinuz-6.1.0-99-amd64 2>/tmp/err; code=$?
  cat /tmp/err; [ $code -eq 0 ] && grep -qxF "rekernel (kernel-install): could not stage 6.1.0-99-amd64 (exit 3; see above); the kernel is installed all the same." /tmp/err'

check pkg-dpkg-remove in_root dpkg -r rekernel
check pkg-files-removed absent "${shipped[@]}"
check pkg-conffiles-kept-until-purge present "${conffiles[@]}"
check pkg-dpkg-purge in_root dpkg -P rekernel
check pkg-purge-leaves-nothing absent "${conffiles[@]}" /var/lib/rekernel "$enabled" "$required"
check pkg-dpkg-forgets-it bash -c "! chroot '$root' dpkg-query -W rekernel 2>/dev/null"

echo "pkg: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
