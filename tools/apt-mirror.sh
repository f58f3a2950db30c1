#!/usr/bin/env bash
# Prints the package mirror this host's apt is configured with for a Debian suite, so that the lab's
# debootstraps (tests/pkg/deb-test.sh, tests/vm/os/build-image.sh) use the host's mirror instead of a host name
# written into the repository.
#   tools/apt-mirror.sh SUITE        e.g. bookworm, bookworm-security
# The sources are apt's own view of /etc/apt/sources.list and /etc/apt/sources.list.d/*.{list,sources}
# (`apt-get indextargets`: one-line `deb` lines and deb822 `URIs:`/`Suites:`, `Enabled: no` and deb-src
# skipped). The first `deb` source for SUITE wins; without one, the first source of a suite of the same kind
# (another release's `-security` suite for a `-security` suite, a plain release suite for a plain one), which the
# same archive serves. Prints the URI without its trailing slash; exits 1 with a reason when there is none.
set -euo pipefail
suite=${1:?usage: tools/apt-mirror.sh SUITE}
say() { echo "apt-mirror: $*" >&2; }
command -v apt-get >/dev/null || { say "apt-get is missing: cannot read the host's apt sources"; exit 1; }

# "URI SUITE" for every deb (binary) source, in apt's order.
sources=$(apt-get indextargets --no-release-info --format '$(TARGET_OF) $(REPO_URI) $(RELEASE)' 2>/dev/null \
  | awk '$1 == "deb" && !seen[$2 " " $3]++ { print $2, $3 }')
[ -n "$sources" ] || { say "the host's apt configuration has no deb sources"; exit 1; }

kind() { case $1 in *-security|*/updates) echo security ;; *-*) echo other ;; *) echo release ;; esac; }
uri=$(awk -v s="$suite" '$2 == s { print $1; exit }' <<<"$sources")
if [ -z "$uri" ]; then
  want=$(kind "$suite")
  while read -r u s; do
    if [ "$(kind "$s")" = "$want" ]; then uri=$u; say "no apt source for $suite; using $u (the host's source for $s)"; break; fi
  done <<<"$sources"
fi
[ -n "$uri" ] || { say "no apt source on this host serves $suite or a suite like it; add one to /etc/apt/sources.list.d"; exit 1; }
echo "${uri%/}"
