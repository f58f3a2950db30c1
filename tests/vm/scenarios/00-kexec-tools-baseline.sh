# Baseline with kexec-tools, no rekernel: proves boot, markers, module loading, disk persistence
# and the two-phase flow of the lab itself.
NEEDS_REKERNEL=0
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet"

setup_boot() {
    boot_kernel "$KB"
    boot_initrd "$KB"
}

guest_phase1() {
    echo persisted-across-kexec > /var/lib/rekernel/lab-note
    run kexec -s -l /boot/vmlinuz-6.1.0-53-cloud-amd64 --initrd=/boot/initrd.img-6.1.0-53-cloud-amd64 --reuse-cmdline
    show kexec_loaded "$(cat /sys/kernel/kexec_loaded)"
    switch kexec -e
}

guest_phase2() {
    show note "$(cat /var/lib/rekernel/lab-note)"
    show kexec_loaded "$(cat /sys/kernel/kexec_loaded)"
}

check() {
    expect_rc "kexec -s -l /boot/vmlinuz-$KB --initrd=/boot/initrd.img-$KB --reuse-cmdline" 0
    expect_value kexec_loaded 1
    expect_phase 1 "$KA"
    expect_phase 2 "$KB"
    expect_done 2
    # kexec-tools' --reuse-cmdline drops BOOT_IMAGE= (the bootloader's, not the kernel's).
    expect_cmdline_is 2 "console=ttyS0 quiet"
    expect_value note persisted-across-kexec
    expect_value kexec_loaded 0
}
