# rekernel — build, test and demo entry points. See README.md.
SHELL := /bin/bash
DOTNET ?= dotnet
LAB_CACHE ?= /var/cache/rekernel-lab
export REKERNEL_LAB_CACHE := $(LAB_CACHE)
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

# Debian packages the build, the tests and the VM lab use; installed when missing.
APT_PACKAGES := gcc zlib1g-dev qemu-system-x86 qemu-utils busybox-static cpio kexec-tools systemd-boot-efi \
	binutils grub-common rpm dpkg-dev util-linux e2fsprogs xz-utils zstd kmod debootstrap fdisk

.PHONY: all deps build publish test unit demo bench lab-kernels clean

all: publish

deps:
	@tools/ensure-deps.sh $(APT_PACKAGES)

build:
	$(DOTNET) build rekernel.slnx -c Release

publish: deps
	@tools/publish.sh

lab-kernels: deps
	@tests/vm/fetch-kernels.sh

unit: deps lab-kernels
	$(DOTNET) test tests/Rekernel.Tests -c Release

test: deps
	@tests/run-all.sh

demo: publish lab-kernels
	@tests/vm/demo.sh

bench: publish
	@bench/run.sh

clean:
	rm -rf artifacts
