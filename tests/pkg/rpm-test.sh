#!/usr/bin/env bash
# Tests artifacts/rekernel-<version>.x86_64.rpm (make rpm): its file list, modes, flags and scriptlets against the
# literals below; its payload against the .deb's (packaging/deb/build.sh); `rpm -i --root` into an empty root, the
# installed files, `rpm -e --root` keeping a changed config; the scriptlets with a recording systemctl, offline and
# with "systemd running"; and the kernel-install plugin run as RHEL 8's kernel-install and the host's systemd 252
# kernel-install (what RHEL 9 ships) run it, against the rhel8 fixture tree with BLS entries.
# Everything happens in a temporary directory: nothing is written to the host's /boot, /etc or /var/lib/rekernel, the
# host's rpm database is not opened, and every `rekernel` the plugin calls is a stub (nothing is loaded with kexec).
# Prints PASS/FAIL lines and ends with `rpm: N passed, N failed`; exits non-zero on any failure. Needs root (rpm
# chroots into the root for the scriptlets), rpm, rpm2cpio, dpkg-deb and a static busybox (/bin/sh in the roots).
set -uo pipefail
cd "$(dirname "$0")/../.."
version=$(packaging/version.sh) || exit 1
rpmfile=${1:-artifacts/rekernel-${version}.x86_64.rpm}
deb=artifacts/rekernel_${version}_amd64.deb
passed=0
failed=0

fail_setup() { echo "FAIL rpm-setup: $*"; echo "rpm: $passed passed, $((failed + 1)) failed"; exit 1; }
[ "$(id -u)" -eq 0 ] || fail_setup "needs root (rpm --root chroots for the scriptlets)"
[ -f "$rpmfile" ] || fail_setup "no $rpmfile; run make rpm first"
for tool in rpm rpm2cpio cpio dpkg-deb objdump kernel-install; do
  command -v "$tool" >/dev/null || fail_setup "$tool is missing (make deps installs it)"
done
busybox=/bin/busybox
[ -x "$busybox" ] || fail_setup "$busybox is missing (make deps installs busybox-static)"

work=$(mktemp -d /var/tmp/rekernel-rpm-test.XXXXXX)
trap 'rm -rf --one-file-system "$work"' EXIT
rpmfile=$(realpath "$rpmfile")

check() { # check NAME COMMAND...: PASS when the command succeeds, else FAIL with its output
  local name=$1 out; shift
  if out=$("$@" 2>&1); then echo "PASS $name"; passed=$((passed + 1))
  else echo "FAIL $name"; sed 's/^/    /' <<<"$out"; failed=$((failed + 1)); fi
}
same() { # same EXPECTED ACTUAL: equal texts, else a diff
  diff -u --label expected --label actual <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}
# rpm queries of the package file use a throw-away database (Debian's default _dbpath is ~/.rpmdb).
qp() { rpm --dbpath "$work/qdb" -qp "$@" "$rpmfile"; }
# rpm on a root: its database inside the root, and without Debian's "use Alien instead" notice.
rpm_root() { rpm --dbpath /var/lib/rpm "$@" 2>&1 | grep -v -e 'should not be used directly' -e 'assuming you know what you are doing'; return "${PIPESTATUS[0]}"; }
quiet_ok() { # quiet_ok [--allow LINE] COMMAND...: succeeds and prints nothing (a failed scriptlet is only a warning)
  local allow='' out rc
  if [ "$1" = --allow ]; then allow=$2; shift 2; fi
  out=$("$@"); rc=$?
  printf '%s\n' "$out"
  [ "$rc" -eq 0 ] && [ -z "$(grep -vxF -e "$allow" <<<"$out" | grep -v '^$')" ]
}

# ---------------------------------------------------------------------------------------------------------------
# What the package must carry: mode, owner, rpm file flags (c = %config, n = noreplace, d = %doc, l = %license) and
# path. Written out here, not read from the package.
payload='0644 root:root cn /etc/rekernel.conf
0755 root:root - /usr/bin/rekernel
0755 root:root - /usr/lib/kernel/install.d/90-rekernel.install
0644 root:root - /usr/lib/systemd/system-preset/90-rekernel.preset
0644 root:root - /usr/lib/systemd/system/rekernel-agent.service
0644 root:root - /usr/lib/systemd/system/rekernel-upgrade.service
0644 root:root - /usr/lib/systemd/system/rekernel-upgrade.timer
0644 root:root - /usr/lib/systemd/system/rekernel-verify.service
0644 root:root - /usr/share/bash-completion/completions/rekernel
0755 root:root - /usr/share/doc/rekernel
0644 root:root d /usr/share/doc/rekernel/README.md.gz
0755 root:root - /usr/share/licenses/rekernel
0644 root:root l /usr/share/licenses/rekernel/LICENSE
0644 root:root d /usr/share/man/man8/rekernel.8.gz
0644 root:root - /usr/share/zsh/site-functions/_rekernel
0755 root:root - /var/lib/rekernel'
paths=$(cut -d' ' -f4 <<<"$payload")
files=$(grep -v -e ' /usr/share/doc/rekernel$' -e ' /usr/share/licenses/rekernel$' -e ' /var/lib/rekernel$' <<<"$payload" | cut -d' ' -f4)

# The scriptlets: %systemd_post, %systemd_preun and %systemd_postun_with_restart in plain shell (see the spec).
scripts='postinstall scriptlet (using /bin/sh):
if [ "$1" -eq 1 ] && [ -x /usr/bin/systemctl ]; then
    # First installation: rekernel-verify.service enabled, rekernel-upgrade.timer not (90-rekernel.preset).
    systemctl --no-reload preset rekernel-verify.service rekernel-upgrade.timer >/dev/null 2>&1 || :
fi
if [ -d /run/systemd/system ] && [ -x /usr/bin/systemctl ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
fi
exit 0
preuninstall scriptlet (using /bin/sh):
if [ "$1" -eq 0 ] && [ -x /usr/bin/systemctl ]; then
    # Removal, not upgrade: disable the units (and stop them when systemd runs) before their files go.
    if [ -d /run/systemd/system ]; then
        systemctl --no-reload disable --now rekernel-upgrade.timer rekernel-upgrade.service rekernel-verify.service >/dev/null 2>&1 || :
    else
        systemctl --no-reload disable rekernel-upgrade.timer rekernel-upgrade.service rekernel-verify.service >/dev/null 2>&1 || :
    fi
fi
exit 0
postuninstall scriptlet (using /bin/sh):
if [ -d /run/systemd/system ] && [ -x /usr/bin/systemctl ]; then
    systemctl daemon-reload >/dev/null 2>&1 || :
    if [ "$1" -ge 1 ]; then
        # Upgrade: an active timer picks up its new unit. The services are not restarted: rekernel-verify.service
        # records the boot'"'"'s switch once, and rekernel-upgrade.service would switch kernels.
        systemctl try-restart rekernel-upgrade.timer >/dev/null 2>&1 || :
    fi
fi
exit 0'


# Small predicates for check; each prints what it saw.
exit_is() { echo "exit $1"; [ "$1" -eq "$2" ]; }
stderr_empty() { cat "$1"; [ ! -s "$1" ]; }
stderr_has() { cat "$1"; grep -qF "$2" "$1"; }
lists_only() { # lists_only DIR PATH...: DIR holds exactly these non-directories (its rpm database aside)
  local dir=$1; shift
  same "$(printf '%s\n' "$@" | sort)" "$(cd "$dir" && find . ! -type d ! -path './var/lib/rpm/*' -printf '/%P\n' | sort)"
}

# ---------------------------------------------------------------------------------------------------------------
# The package file.
name_version_arch() {
  local out; out=$(qp --qf '%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE}'); echo "$out $(basename "$rpmfile")"
  [ "$out" = "rekernel $version 1 x86_64 MIT" ] && [ "$(basename "$rpmfile")" = "rekernel-$version.x86_64.rpm" ]
}
check rpm-name-version-arch name_version_arch
check rpm-qlp-file-list same "$paths" "$(qp -l)"
check rpm-modes-owners-flags same "$payload" "$(qp --qf '[%{FILEMODES:octal} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILEFLAGS:fflags} %{FILENAMES}\n]' |
  sed -E 's/^[0-7]*([0-7]{4}) /\1 /; s/^([0-7]{4} [^ ]+)  /\1 - /')"
check rpm-config-noreplace same /etc/rekernel.conf "$(qp -c)"
check rpm-scriptlets same "$scripts" "$(qp --scripts)"
# The binary's newest glibc symbol version is a requirement, so dnf refuses the package where it cannot run.
glibc=$(objdump -T artifacts/bin/rekernel | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1)
requires_glibc() { qp -R | grep -xF "libc.so.6($glibc)(64bit)"; }
check rpm-requires-the-binarys-glibc requires_glibc
check rpm-weak-dependencies same 'systemd
kexec-tools' "$(qp --recommends; qp --suggests)"
no_hard_systemd() { ! qp -R | grep -i systemd; }
check rpm-no-hard-systemd-dependency no_hard_systemd

# ---------------------------------------------------------------------------------------------------------------
# The same files as the .deb. Expected differences, and why:
#   deb only  /etc/kernel/postinst.d/zzz-rekernel, /etc/kernel/postrm.d/zzz-rekernel: Debian's kernel packages run
#             these hooks (run-parts); RHEL 8+ and Fedora kernels call kernel-install, whose plugin
#             /usr/lib/kernel/install.d/90-rekernel.install both packages carry.
#   rpm only  /usr/lib/systemd/system-preset/90-rekernel.preset: RHEL and Fedora enable units through presets
#             (%post runs `systemctl preset`); the .deb's postinst enables rekernel-verify.service itself.
#   moved     /usr/share/zsh/vendor-completions/_rekernel (deb) = /usr/share/zsh/site-functions/_rekernel (rpm):
#             the directory each distribution's zsh has in its fpath.
#   licence   /usr/share/doc/rekernel/copyright (deb, Debian policy 12.5's machine-readable form) and
#             /usr/share/licenses/rekernel/LICENSE (rpm, %license): the same MIT text in each distribution's place.
# Every other file is byte for byte the same, with the same mode and owner. The maintainer scripts (DEBIAN/ and the
# rpm scriptlets) are not payload files.
mkdir -p "$work/deb" "$work/rpm"
if [ ! -f "$deb" ] || [ -n "$(find artifacts/bin/rekernel packaging man README.md LICENSE -newer "$deb" -print -quit)" ]; then
  packaging/deb/build.sh >/dev/null || fail_setup "packaging/deb/build.sh failed"
fi
dpkg-deb -x "$deb" "$work/deb" && (cd "$work/rpm" && rpm2cpio "$rpmfile" | cpio -idm --quiet) || fail_setup "cannot unpack the packages"
tree() { # tree DIR: "mode owner path" of every file (not directory), the expected differences mapped away
  (cd "$1" && find . ! -type d -printf '%m %u:%g /%P\n') | awk '{ printf "%04d %s %s\n", $1, $2, $3 }' |
    grep -v -e ' /etc/kernel/post\(inst\|rm\)\.d/zzz-rekernel$' -e ' /usr/lib/systemd/system-preset/90-rekernel\.preset$' \
      -e ' /usr/share/doc/rekernel/copyright$' -e ' /usr/share/licenses/rekernel/LICENSE$' |
    sed 's: /usr/share/zsh/vendor-completions/: /usr/share/zsh/site-functions/:' | sort
}
check rpm-same-files-as-deb same "$(tree "$work/deb")" "$(tree "$work/rpm")"
same_bytes() {
  local f d n=0
  for f in $(cd "$work/rpm" && find . -type f ! -name 90-rekernel.preset ! -path ./usr/share/licenses/\*); do
    d=${f/site-functions/vendor-completions}; cmp "$work/rpm/$f" "$work/deb/$d" || return 1; n=$((n + 1))
  done
  echo "$n files identical"; [ "$n" -eq 11 ]
}
check rpm-same-bytes-as-deb same_bytes
documented_differences() { # they exist, and the two licence files carry LICENSE's text
  [ -x "$work/deb/etc/kernel/postinst.d/zzz-rekernel" ] && [ -x "$work/deb/etc/kernel/postrm.d/zzz-rekernel" ] &&
    [ -f "$work/rpm/usr/lib/systemd/system-preset/90-rekernel.preset" ] &&
    cmp LICENSE "$work/rpm/usr/share/licenses/rekernel/LICENSE" &&
    cmp <(sed -n '5,$p' LICENSE) <(sed -n '7,$p' "$work/deb/usr/share/doc/rekernel/copyright" | sed -e 's/^ //' -e 's/^\.$//')
}
check rpm-deb-differences-are-the-documented-ones documented_differences
both_own_state_dir() { [ -d "$work/deb/var/lib/rekernel" ] && [ -d "$work/rpm/var/lib/rekernel" ]; }
check rpm-deb-both-carry-the-state-dir both_own_state_dir

# ---------------------------------------------------------------------------------------------------------------
# rpm -i --root into an empty root: nothing there but a static busybox as /bin/sh, so that the scriptlets run
# (rpm chroots into the root for them) and find no systemctl, as in an image being assembled.
newroot() { mkdir -p "$1/bin" && cp "$busybox" "$1/bin/busybox" && ln -s busybox "$1/bin/sh"; }
A=$work/empty
newroot "$A"
installed() { # "mode owner path" of the expected payload as installed in root $1
  local p; for p in $paths; do [ -e "$1$p" ] && echo "$(stat -c '%04a %U:%G' "$1$p") $p"; done
}
check rpm-install-into-empty-root quiet_ok rpm_root -i --root "$A" --nodeps "$rpmfile"
check rpm-installed-every-file-mode-owner same "$(cut -d' ' -f1,2,4 <<<"$payload")" "$(installed "$A")"
check rpm-installed-nothing-else lists_only "$A" /bin/busybox /bin/sh $files
scripts_did_nothing() { ls -d "$A/etc/systemd" "$A/run" 2>/dev/null; [ ! -e "$A/etc/systemd" ] && [ ! -e "$A/run" ]; }
check rpm-scriptlets-without-systemctl-do-nothing scripts_did_nothing
in_database() { rpm --root "$A" --dbpath /var/lib/rpm -q rekernel | grep -x "rekernel-$version-1.x86_64"; }
check rpm-database-in-the-root in_database
verify_clean() { local out; out=$(rpm --root "$A" --dbpath /var/lib/rpm -V --nodeps rekernel 2>&1); echo "$out"; [ -z "$out" ]; }
check rpm-verify-clean verify_clean
binary_runs() { local out; out=$("$A/usr/bin/rekernel" --version); echo "$out"; grep -qF "$version" <<<"$out"; }
check rpm-installed-binary-runs binary_runs
# The installed preset, applied by the host's systemctl --root (offline, to the root only) beside a RHEL-style
# 99-default.preset that disables everything not named: rekernel-verify.service enabled, the timer not.
preset_applies() {
  mkdir -p "$A/usr/lib/systemd/system-preset" && echo 'disable *' >"$A/usr/lib/systemd/system-preset/99-default.preset"
  systemctl --root="$A" preset rekernel-verify.service rekernel-upgrade.timer
  [ -L "$A/etc/systemd/system/multi-user.target.wants/rekernel-verify.service" ] &&
    [ -L "$A/etc/systemd/system/boot-complete.target.requires/rekernel-verify.service" ] &&
    [ ! -e "$A/etc/systemd/system/timers.target.wants/rekernel-upgrade.timer" ]
}
check rpm-preset-enables-verify-not-timer preset_applies
rm -rf "$A/etc/systemd" "$A/usr/lib/systemd/system-preset/99-default.preset"

# ---------------------------------------------------------------------------------------------------------------
# The kernel-install plugin, on the installed root with the rhel8 fixture's /boot (BLS entries, grubenv) and a new
# kernel where RHEL 8's kernel package puts it; its %posttrans runs `kernel-install add V /lib/modules/V/vmlinuz`.
V=4.18.0-513.5.1.el8_9.x86_64
MID=3f1ed2a4b5c64d7e8f9a0b1c2d3e4f50
cp -a tests/fixtures/rhel8/boot "$A/"
mkdir -p "$A/lib/modules/$V" "$A/etc/kernel" "$A/stub" "$A/run/rekernel"
cp tests/fixtures/rhel8/boot/vmlinuz-4.18.0-348.el8.x86_64 "$A/lib/modules/$V/vmlinuz"
echo "$MID" >"$A/etc/machine-id"
# A stand-in for grubby's 20-grubby.install, which on RHEL 8 copies the kernel to /boot and writes its BLS entry
# before the 90-* plugins run; it records how it was called.
cat >"$A/usr/lib/kernel/install.d/20-grubby.install" <<GRUBBY
#!/bin/sh
echo "\$*" >>'$A/plugin-calls'
[ "\$1" = add ] || exit 0
cp "$A\$4" '$A/boot/vmlinuz-'"\$2" && : >'$A/boot/initramfs-'"\$2"'.img'
printf 'title Red Hat Enterprise Linux (%s) 8.9 (Ootpa)\nversion %s\nlinux /vmlinuz-%s\ninitrd /initramfs-%s.img \$tuned_initrd\noptions \$kernelopts \$tuned_params\nid rhel-%s\ngrub_class kernel\n' \\
  "\$2" "\$2" "\$2" "\$2" "\$2" >'$A/boot/loader/entries/'"\$KERNEL_INSTALL_MACHINE_ID-\$2.conf"
GRUBBY
chmod 0755 "$A/usr/lib/kernel/install.d/20-grubby.install"
stub() { # stub EXIT: the `rekernel` first in the plugin's PATH records its arguments and exits EXIT
  printf '#!/bin/sh\necho "$*" >>%s/rekernel-calls\necho "stub rekernel: cannot do that" >&2\nexit %s\n' "$A" "$1" >"$A/stub/rekernel"
  chmod 0755 "$A/stub/rekernel"; rm -f "$A/rekernel-calls"
}
calls() { cat "$A/rekernel-calls" 2>/dev/null; }
plugin_env() { # plugin_env CONFIG COMMAND...: a clean environment, the stub first in PATH, rekernel's paths in the root
  local config=$1; shift
  env -i PATH="$A/stub:/usr/sbin:/usr/bin:/sbin:/bin" REKERNEL_CONFIG="$config" REKERNEL_STATE_DIR="$A/var/lib/rekernel" \
    REKERNEL_RUN_DIR="$A/run/rekernel" "$@"
}
# How RHEL 8's kernel-install (systemd 239) calls plugins, here on root $A: BOOT_DIR_ABS is /boot/MACHINE_ID/VERSION
# when /boot/loader/entries exists, and is created; KERNEL_INSTALL_MACHINE_ID is exported; every executable *.install
# of /etc/kernel/install.d and /usr/lib/kernel/install.d, sorted by name, gets `add VERSION BOOT_DIR_ABS KERNEL_IMAGE`
# (no initrds) or `remove VERSION BOOT_DIR_ABS`; the exit codes are summed (77 stops the loop) and the sum is
# kernel-install's exit code: a failing plugin fails the kernel package's installation.
rhel8_kernel_install() { # rhel8_kernel_install CONFIG add|remove VERSION [KERNEL_IMAGE]
  local config=$1 cmd=$2 ver=$3 image=${4:-} mid bootdir d f x ret=0
  read -r mid <"$A/etc/machine-id"
  if [ -d "$A/efi/loader/entries" ] || [ -d "$A/efi/$mid" ]; then bootdir=/efi/$mid/$ver
  elif [ -d "$A/boot/loader/entries" ] || [ -d "$A/boot/$mid" ]; then bootdir=/boot/$mid/$ver
  else bootdir=/boot/efi/$mid/$ver; fi
  [ "$cmd" = add ] && mkdir -p "$A$bootdir"
  for f in $(for d in "$A/etc/kernel/install.d" "$A/usr/lib/kernel/install.d"; do
               for f in "$d"/*.install; do [ -e "$f" ] && echo "${f##*/}"; done; done | sort -Vu); do
    if [ -e "$A/etc/kernel/install.d/$f" ]; then f=$A/etc/kernel/install.d/$f; else f=$A/usr/lib/kernel/install.d/$f; fi
    [ -x "$f" ] || continue
    if [ "$cmd" = add ]; then plugin_env "$config" KERNEL_INSTALL_MACHINE_ID="$mid" "$f" add "$ver" "$A$bootdir" "$image"
    else plugin_env "$config" KERNEL_INSTALL_MACHINE_ID="$mid" "$f" remove "$ver" "$A$bootdir"; fi
    x=$?; [ "$x" -eq 77 ] && { ret=0; break; }; ret=$((ret + x))
  done
  [ "$cmd" = remove ] && rm -rf "${A:?}$bootdir"
  return "$ret"
}

# auto_stage off: the packaged /etc/rekernel.conf as installed (every key commented out).
stub 0
rhel8_kernel_install "$A/etc/rekernel.conf" add "$V" "/lib/modules/$V/vmlinuz" 2>"$work/err" >/dev/null; rc=$?
check rpm-kernel-install-rhel8-auto-stage-off-exits-0 exit_is "$rc" 0
staged_nothing() {
  echo "rekernel called with: $(calls)"; ls -A "$A/var/lib/rekernel"
  [ ! -e "$A/rekernel-calls" ] && [ -z "$(ls -A "$A/var/lib/rekernel")" ]
}
check rpm-kernel-install-rhel8-auto-stage-off-stages-nothing staged_nothing
check rpm-kernel-install-rhel8-auto-stage-off-is-silent stderr_empty "$work/err"
check rpm-kernel-install-rhel8-calling-convention same "add $V $A/boot/$MID/$V /lib/modules/$V/vmlinuz" "$(cat "$A/plugin-calls")"
new_entry_listed() {
  local out; out=$("$A/usr/bin/rekernel" list --root "$A" --running 4.18.0-348.el8.x86_64); echo "$out"
  grep -q "^ *$V  *bls " <<<"$out"
}
check rpm-kernel-install-new-bls-entry-seen-by-rekernel new_entry_listed

# auto_stage on and rekernel failing to stage (the stub exits 5, as rekernel does when the kernel refuses kexec):
# the kernel's installation must not fail, and the plugin says why.
printf '# settings\nauto_stage = yes\n' >"$work/auto.conf"
stub 5
rhel8_kernel_install "$work/auto.conf" add "$V" "/lib/modules/$V/vmlinuz" 2>"$work/err" >/dev/null; rc=$?
check rpm-kernel-install-rhel8-failing-rekernel-exits-0 exit_is "$rc" 0
check rpm-kernel-install-rhel8-failing-rekernel-warns stderr_has "$work/err" "could not stage $V (exit 5"
check rpm-kernel-install-rhel8-stages-the-new-version same "load --quiet $V" "$(calls)"
# remove of the staged version unloads it; a failing unload (exit 6: lock held) does not fail the removal either.
printf '{\n  "version": "%s",\n  "entryId": null\n}\n' "$V" >"$A/var/lib/rekernel/staged.json"
stub 6
rhel8_kernel_install "$work/auto.conf" remove "$V" 2>"$work/err" >/dev/null; rc=$?
check rpm-kernel-install-rhel8-remove-exits-0 exit_is "$rc" 0
check rpm-kernel-install-rhel8-remove-unloads-the-staged-kernel same "unload --quiet" "$(calls)"
check rpm-kernel-install-rhel8-failing-unload-warns stderr_has "$work/err" "could not unload the staged $V (exit 6"
rm -f "$A/var/lib/rekernel/staged.json" "$A/usr/lib/kernel/install.d/20-grubby.install" "$A/plugin-calls"

# The same through the host's real kernel-install (systemd 252, the version RHEL 9 ships), confined to the root:
# BOOT_ROOT, MACHINE_ID and KERNEL_INSTALL_CONF_ROOT point into it and KERNEL_INSTALL_PLUGINS names only the packaged
# plugin. kernel-install 252 exits with a plugin's non-zero exit code, so its exit 0 is the plugin's.
echo "$MID" >"$A/etc/kernel/entry-token"
ki252() { # ki252 CONFIG: kernel-install add VERSION KERNEL_IMAGE INITRD (252 passes the initrd on to plugins)
  plugin_env "$1" MACHINE_ID="$MID" BOOT_ROOT="$A/boot" KERNEL_INSTALL_CONF_ROOT="$A/etc/kernel" \
    KERNEL_INSTALL_PLUGINS="$A/usr/lib/kernel/install.d/90-rekernel.install" \
    kernel-install add "$V" "$A/lib/modules/$V/vmlinuz" "$A/boot/initramfs-$V.img"
}
stub 0
ki252 "$A/etc/rekernel.conf" 2>"$work/err" >/dev/null; rc=$?
check rpm-kernel-install-252-auto-stage-off-exits-0 exit_is "$rc" 0
check rpm-kernel-install-252-auto-stage-off-stages-nothing staged_nothing
check rpm-kernel-install-252-auto-stage-off-is-silent stderr_empty "$work/err"
stub 5
ki252 "$work/auto.conf" 2>"$work/err" >/dev/null; rc=$?
check rpm-kernel-install-252-failing-rekernel-exits-0 exit_is "$rc" 0
check rpm-kernel-install-252-failing-rekernel-warns stderr_has "$work/err" "could not stage $V (exit 5"
check rpm-kernel-install-252-stages-the-new-version same "load --quiet $V" "$(calls)"
rm -rf "$A/boot" "$A/lib" "$A/stub" "$A/run" "$A/etc/machine-id" "$A/etc/kernel" "$A/rekernel-calls"

# ---------------------------------------------------------------------------------------------------------------
# rpm -e --root: every file goes, the changed config stays as /etc/rekernel.conf.rpmsave.
echo 'auto_stage = yes' >>"$A/etc/rekernel.conf"
check rpm-erase-from-root quiet_ok --allow 'warning: /etc/rekernel.conf saved as /etc/rekernel.conf.rpmsave' rpm_root -e --root "$A" rekernel
all_gone() { local p; for p in $paths; do [ ! -e "$A$p" ] || { echo "still there: $p"; return 1; }; done; }
check rpm-erase-removes-every-file-and-directory all_gone
config_saved() { [ ! -e "$A/etc/rekernel.conf" ] && tail -n 1 "$A/etc/rekernel.conf.rpmsave" | grep -x 'auto_stage = yes'; }
check rpm-erase-keeps-changed-config-as-rpmsave config_saved
check rpm-erase-leaves-nothing-else lists_only "$A" /bin/busybox /bin/sh /etc/rekernel.conf.rpmsave
forgotten() { ! rpm --root "$A" --dbpath /var/lib/rpm -q rekernel; }
check rpm-database-forgets-it forgotten

# ---------------------------------------------------------------------------------------------------------------
# The scriptlets' systemctl calls, recorded by a stub systemctl in a second root: offline (no /run/systemd/system,
# as in an image build) and with "systemd running" (/run/systemd/system present); first install, upgrade (rpm -U
# --replacepkgs reinstalls the same package: %post with $1 = 2, then the old copy's %preun/%postun with $1 = 1) and
# erase.
B=$work/scripts
newroot "$B"
mkdir -p "$B/usr/bin" "$B/dev" && mknod -m 0666 "$B/dev/null" c 1 3
printf '#!/bin/sh\necho "$*" >>/systemctl.log\nexit 0\n' >"$B/usr/bin/systemctl"
chmod 0755 "$B/usr/bin/systemctl"
log() { cat "$B/systemctl.log" 2>/dev/null; rm -f "$B/systemctl.log"; }
check rpm-offline-install quiet_ok rpm_root -i --root "$B" --nodeps "$rpmfile"
check rpm-offline-post-presets-the-units same '--no-reload preset rekernel-verify.service rekernel-upgrade.timer' "$(log)"
# A switch journal (rekernel's, not the package's) survives the erase: rpm has no purge.
printf '[]\n' >"$B/var/lib/rekernel/journal.json"
check rpm-offline-erase quiet_ok rpm_root -e --root "$B" rekernel
journal_kept() { ls -A "$B/var/lib/rekernel"; [ "$(ls -A "$B/var/lib/rekernel")" = journal.json ]; }
check rpm-erase-keeps-the-journal journal_kept
rm -rf "$B/var/lib/rekernel"
check rpm-offline-preun-disables-without-stopping same '--no-reload disable rekernel-upgrade.timer rekernel-upgrade.service rekernel-verify.service' "$(log)"
config_removed() { [ ! -e "$B/etc/rekernel.conf" ] && [ ! -e "$B/etc/rekernel.conf.rpmsave" ]; }
check rpm-erase-removes-unchanged-config config_removed
mkdir -p "$B/run/systemd/system"
check rpm-running-install quiet_ok rpm_root -i --root "$B" --nodeps "$rpmfile"
check rpm-running-post-presets-and-reloads same '--no-reload preset rekernel-verify.service rekernel-upgrade.timer
daemon-reload' "$(log)"
check rpm-running-upgrade quiet_ok rpm_root -U --replacepkgs --root "$B" --nodeps "$rpmfile"
check rpm-running-upgrade-reloads-and-restarts-the-timer-only same 'daemon-reload
daemon-reload
try-restart rekernel-upgrade.timer' "$(log)"
check rpm-running-erase quiet_ok rpm_root -e --root "$B" rekernel
check rpm-running-preun-disables-and-stops same '--no-reload disable --now rekernel-upgrade.timer rekernel-upgrade.service rekernel-verify.service
daemon-reload' "$(log)"

echo "rpm: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
