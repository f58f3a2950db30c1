# rekernel — build, test and demo entry points. See README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
LAB_CACHE ?= /var/cache/rekernel-lab
export REKERNEL_LAB_CACHE := $(LAB_CACHE)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# Debian packages the build, the tests and the VM lab use; installed when missing.
APT_PACKAGES := gcc gcc-aarch64-linux-gnu zlib1g-dev groff-base debootstrap fdisk zsh systemd qemu-system-x86 qemu-utils busybox-static cpio kexec-tools \
	systemd-boot-efi binutils grub-common rpm rpm2cpio dpkg-dev util-linux e2fsprogs xz-utils zstd kmod sbsigntool dosfstools fusefat mtools ovmf \
	systemd-boot needrestart time bc etcd-server etcd-client jq socat qemu-system-arm flex bison

# ARCH=arm64: make publish / deb / rpm cross-build for linux-arm64 (tools/ensure-arm64.sh adds dpkg's arm64
# architecture and the cross toolchain, only then).
ARCH ?= x64
export ARCH

.PHONY: all deps deps-arm64 build publish deb rpm test test-arm64 test-uefi unit fuzz demo bench lab-kernels clean

all: publish

deps:
	@tools/ensure-deps.sh $(APT_PACKAGES)
	@if [ "$(ARCH)" = arm64 ]; then tools/ensure-arm64.sh; fi

# The arm64 lab (in make test) cross-publishes its binary: dpkg's arm64 architecture, clang, lld and the arm64
# libraries, whatever ARCH says.
deps-arm64: deps
	@tools/ensure-arm64.sh

build:
	$(DOTNET) build rekernel.slnx -c Release

publish: deps
	@tools/publish.sh

# artifacts/rekernel_<version>_amd64.deb: binary, units, hooks, config, man page, completions (packaging/deb/build.sh).
deb: publish
	@packaging/deb/build.sh

# artifacts/rekernel-<version>.<arch>.rpm with rpmbuild: the .deb's files for RHEL 9+/Fedora, the kernel-install plugin
# as the hook (packaging/rpm/build.sh). ARCH=arm64 builds an aarch64 package from artifacts/bin/linux-arm64/rekernel.
rpm: publish
	@packaging/rpm/build.sh

# The lab's Debian kernels, and the genuine EFI zboot images the unit tests read (the kernel's own Makefile.zboot
# around Debian's arm64 Image; about 2 minutes the first time).
lab-kernels: deps
	@tests/vm/fetch-kernels.sh
	@tests/vm/build-kernel.sh zboot >/dev/null

unit: deps lab-kernels
	$(DOTNET) test tests/Rekernel.Tests -c Release

# STAGES="publish smoke vm" runs only those stages of tests/run-all.sh (unit publish smoke pkg rpm vm fleet arm64 os).
# Its arm64 stage runs ARM64_IN_TEST (an arm64 switch costs about 90 s under emulation); make test-arm64 runs the
# arm64 stage with every arm64 scenario, including the two on the lab's own kernel (13, 14), whose build from source
# would not fit make test's time.
ARM64_IN_TEST := 01-upgrade 12-arm64-refusals
test: deps-arm64
	@REKERNEL_ARM64_SCENARIOS="$(ARM64_IN_TEST)" tests/run-all.sh $(STAGES)

test-arm64: deps-arm64
	@tests/run-all.sh arm64

# The full-OS scenarios of the return path and health (05-08; `make test` runs them on the bios image) on the uefi
# image: OVMF with Secure Boot, shim, signed GRUB. One guest at a time unless OS_JOBS says otherwise.
test-uefi: deb
	OS_FIRMWARE=uefi OS_JOBS=$${OS_JOBS:-1} tests/vm/os/run.sh 05 06 07 08

# Longer fuzz campaigns than `make test` runs: FUZZ_SCALE times the iterations of every property and fuzz test
# in tests/Rekernel.Tests/Hardening (100 takes several minutes on 2 cores). A failure prints the CsCheck seed.
FUZZ_SCALE ?= 100
fuzz: deps
	REKERNEL_FUZZ_SCALE=$(FUZZ_SCALE) $(DOTNET) test tests/Rekernel.Tests -c Release --filter "FullyQualifiedName~Rekernel.Tests.Hardening|FullyQualifiedName~PropertyTests|FullyQualifiedName~Differential"

demo: publish lab-kernels
	@tests/vm/demo.sh

bench: deb
	@bench/run.sh

clean:
	rm -rf artifacts
