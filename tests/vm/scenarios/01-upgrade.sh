# Debian plain /boot with two kernels: `rekernel upgrade --latest` moves the machine onto the
# newer one, reusing the running command line without the bootloader's BOOT_IMAGE= and adding
# panic=; after the switch `rekernel verify` confirms it and reports the downtime.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA root=/dev/ram0 ro console=ttyS0 quiet"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
}

guest_phase1() {
    run rekernel status
    run rekernel list
    switch rekernel upgrade --latest --now --yes
}

guest_phase2() {
    run rekernel verify
    run rekernel history
    run rekernel status --json
}

check() {
    expect_phase 1 "$KA"
    expect_rc "rekernel status" 0
    expect_output "rekernel list" "$KB"
    expect_phase 2 "$KB"
    expect_done 2
    expect_cmdline_lacks 2 BOOT_IMAGE=
    expect_cmdline_has 2 panic=
    expect_cmdline_has 2 console=ttyS0
    expect_cmdline_has 2 root=/dev/ram0
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
    expect_output "rekernel verify" downtime
    expect_output "rekernel history" "$KB"
}
