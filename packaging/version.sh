#!/bin/sh
# Prints rekernel's version: <Version> in Directory.Build.props, the one place it is set (the binary's --version,
# the .deb of packaging/deb/build.sh and the .rpm of packaging/rpm/build.sh all take it from there).
cd "$(dirname "$0")/.." || exit 1
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
[ -n "$version" ] || { echo "version: no <Version> in Directory.Build.props" >&2; exit 1; }
echo "$version"
