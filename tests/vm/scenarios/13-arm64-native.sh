# arm64 with kexec_file_load: the lab's own kernel (KN: Debian's linux-source-6.1 built with CONFIG_KEXEC_FILE=y by
# tests/vm/build-kernel.sh) runs, and rekernel stages Debian's 6.1.0-53-cloud-arm64 Image with the kexec_file_load
# system call itself, with kexec-tools removed from the guest: status, the dry run and the journal name the loader
# and its reason, the new kernel runs byte for byte the command line rekernel staged, token included. Without the
# kernel's config, status still finds kexec_file_load (the running kernel does not answer ENOSYS).
LAB_ARCHES="arm64"
NEEDS_LAB_KERNEL=1
KERNEL_A=$KN
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KN root=/dev/ram0 ro console=$CONSOLE quiet"
UPGRADE="rekernel upgrade 6.1.0-53-cloud-arm64 --now --yes"

setup_boot() {
    boot_kernel "$KN"; boot_initrd "$KN"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    run rekernel status
    run rekernel upgrade 6.1.0-53-cloud-arm64 --now --dry-run
    mv "/boot/config-$(uname -r)" /tmp/config
    run rekernel status --json
    mv /tmp/config "/boot/config-$(uname -r)"
    rm /usr/sbin/kexec
    switch rekernel upgrade 6.1.0-53-cloud-arm64 --now --yes
}

guest_phase2() {
    run rekernel verify
    run rekernel history --json
}

# As src/Rekernel/Planning/StagingMethod.cs and Readiness.cs word them for the lab kernel's /boot/config-$KN.
REASON="the running kernel has the kexec_file_load system call (CONFIG_KEXEC_FILE=y in /boot/config-$KN)."
NO_CONFIG='no config of the running kernel was found, but it has the kexec_file_load system call \(it did not answer ENOSYS\)\.'

check() {
    expect_phase 1 "$KN"
    expect_line "rekernel status" "ok kexec-support CONFIG_KEXEC_FILE=y (/boot/config-$KN)"
    expect_line "rekernel status" "ok loader kexec_file_load: $REASON"
    expect_line "rekernel upgrade 6.1.0-53-cloud-arm64 --now --dry-run" "loader kexec_file_load: $REASON"
    expect_output "rekernel status --json" "\"detail\": ?\"kexec_file_load: $NO_CONFIG\""
    expect_phase 2 "$KB"
    expect_done 2
    expect_cmdline_staged 2 "$UPGRADE"
    expect_cmdline_lacks 2 BOOT_IMAGE=
    expect_cmdline_has 2 panic=10
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
    expect_output "rekernel history --json" "\"loader\": ?\"kexec_file_load\""
    expect_output "rekernel history --json" "\"loaderReason\": ?\"the running kernel has the kexec_file_load system call \\(CONFIG_KEXEC_FILE=y in /boot/config-$KN\\)\\.\""
}
