# arm64 refusals on the running kernel, each exit 4 with exactly the one "rekernel: ..." sentence of its cause,
# nothing staged, the machine still up: a truncated Image (a half-written package install), an x86-64 kernel
# package installed by mistake (its bzImage is refused on arm64), and kexec-tools missing where the running
# kernel has only kexec_load (Debian's arm64 kernels), with the package to install. And without the running
# kernel's config, rekernel finds by itself that kexec_file_load is missing (ENOSYS) and stages through kexec-tools.
LAB_ARCHES="arm64"
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=$CONSOLE quiet"
UPGRADE="rekernel upgrade --latest --now --yes"
X86=6.1.0-53-cloud-amd64 # the x86-64 lab's kernel B: a real bzImage

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
    boot_kernel "$X86"
    marker_cpio "$(boot_path "/boot/initrd.img-$X86")" /lab/x86-initrd "an initrd for the x86-64 kernel"
}

guest_phase1() {
    k=/boot/vmlinuz-6.1.0-53-cloud-arm64
    cp "$k" /tmp/kernel
    head -c 1000000 /tmp/kernel > "$k"
    run rekernel upgrade --latest --now --yes
    show loaded_after_truncated "$(cat /sys/kernel/kexec_loaded)"
    cp /tmp/kernel "$k"

    run rekernel upgrade 6.1.0-53-cloud-amd64 --now --yes
    show loaded_after_x86 "$(cat /sys/kernel/kexec_loaded)"

    mv /boot/config-6.1.0-47-cloud-arm64 /tmp/config
    run rekernel load --latest --json
    show loaded_without_config "$(cat /sys/kernel/kexec_loaded)"
    run rekernel unload
    show loaded_after_unload "$(cat /sys/kernel/kexec_loaded)"
    mv /tmp/config /boot/config-6.1.0-47-cloud-arm64

    rm /usr/sbin/kexec
    run rekernel status
    run rekernel upgrade --latest --now --yes
    show loaded_after_no_kexec_tools "$(cat /sys/kernel/kexec_loaded)"
    show still_up yes
}

check() {
    expect_phase 1 "$KA"
    # The sentences are the ones src/Rekernel/Planning/Preflight.cs, Readiness.cs, Arm64ImageHeader.cs and
    # KexecTools.cs write for these causes, here for this lab's files. 27234816 is where the EFI stub's last section
    # (.data) of the lab's vmlinuz-6.1.0-53-cloud-arm64 ends (aarch64-linux-gnu-objdump -h: 005b9200 bytes at
    # 01440000).
    expect_refusal "$UPGRADE" 1 "truncated Image" \
        "/boot/vmlinuz-$KB cannot be staged: the image is truncated (1000000 bytes, but its header says the kernel needs 27234816); reinstall the kernel package that owns it."
    expect_value loaded_after_truncated 0
    expect_refusal "rekernel upgrade $X86 --now --yes" 1 "x86-64 kernel on arm64" \
        "/boot/vmlinuz-$X86 is an x86 kernel (bzImage) but this machine is arm64; install the kernel package built for arm64 and retry."
    expect_value loaded_after_x86 0
    expect_rc "rekernel load --latest --json" 0
    expect_output "rekernel load --latest --json" '"loader": ?"kexec-tools"'
    expect_output "rekernel load --latest --json" '"loaderReason": ?"no config of the running kernel was found, and it has no kexec_file_load system call \(ENOSYS\), so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space\."'
    expect_value loaded_without_config 1
    expect_value loaded_after_unload 0
    local missing="the running kernel has only the old kexec_load system call, which needs kexec-tools' kexec program, and it is not installed; install the kexec-tools package (apt install kexec-tools on Debian and Ubuntu, dnf install kexec-tools on RHEL and Fedora)."
    expect_line "rekernel status" "FAIL loader $missing"
    expect_refusal "$UPGRADE" 2 "kexec-tools missing" "$missing"
    expect_value loaded_after_no_kexec_tools 0
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}
