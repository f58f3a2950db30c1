# Debian plain /boot with two kernels: `rekernel upgrade --latest` moves the machine onto the
# newer one, reusing the running command line without the bootloader's BOOT_IMAGE= and adding
# panic=; after the switch `rekernel verify` confirms it and reports the downtime. The new kernel
# runs exactly the command line rekernel staged, its rekernel.switch= token included. On x86-64
# the kernel loads through kexec_file_load; Debian's arm64 kernels have only kexec_load, so there
# kexec-tools loads it (kexec -c), as status, the dry run and the journal say.
LAB_ARCHES="x86_64 arm64"
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA root=/dev/ram0 ro console=$CONSOLE quiet"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    run rekernel status
    run rekernel list
    run rekernel upgrade --latest --now --dry-run
    switch rekernel upgrade --latest --now --yes
}

guest_phase2() {
    run rekernel verify
    run rekernel history
    run rekernel history --json
    run rekernel status --json
}

# The loader and its reason, as src/Rekernel/Planning/StagingMethod.cs and Readiness.cs word them for this
# architecture's kernel A (its config is the lab's /boot/config-$KA, from Debian's package).
case $LAB_ARCH in
    x86_64) LOADER=kexec_file_load
        REASON="the running kernel has the kexec_file_load system call (CONFIG_KEXEC_FILE=y in /boot/config-$KA)."
        LOADER_ROW="ok loader kexec_file_load: $REASON" ;;
    arm64) LOADER=kexec-tools
        REASON="the running kernel has only the old kexec_load system call (CONFIG_KEXEC_FILE is not set in /boot/config-$KA), so kexec-tools loads the kernel with kexec -c, building the device tree and purgatory in user space."
        LOADER_ROW="ok loader kexec-tools (/usr/sbin/kexec): $REASON" ;;
esac

check() {
    expect_phase 1 "$KA"
    expect_rc "rekernel status" 0
    expect_output "rekernel list" "$KB"
    expect_line "rekernel status" "$LOADER_ROW"
    expect_line "rekernel upgrade --latest --now --dry-run" "loader $LOADER: $REASON"
    expect_phase 2 "$KB"
    expect_done 2
    expect_cmdline_staged 2 "rekernel upgrade --latest --now --yes"
    expect_cmdline_lacks 2 BOOT_IMAGE=
    expect_cmdline_has 2 panic=
    expect_cmdline_has 2 console=$CONSOLE
    expect_cmdline_has 2 root=/dev/ram0
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
    expect_output "rekernel verify" downtime
    expect_output "rekernel history" "$KB"
    expect_output "rekernel history --json" "\"loader\": ?\"$LOADER\""
}
