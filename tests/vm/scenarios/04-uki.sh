# Unified Kernel Images (objcopy + systemd's EFI stub) in the ESP: the new kernel boots with the
# command line embedded in the UKI's .cmdline section, not the running one.
CMDLINE_A="console=ttyS0 quiet lab.running=old"
ESP_LINUX=/boot/efi/EFI/Linux

setup_boot() {
    boot_uki "$KA" "$ESP_LINUX/debian-$KA.efi" "$CMDLINE_A" &&
    boot_uki "$KB" "$ESP_LINUX/debian-$KB.efi" "console=ttyS0 quiet lab.entry=uki53"
}

guest_phase1() {
    run rekernel list
    switch rekernel upgrade --latest --now --yes
}

guest_phase2() {
    run rekernel verify
}

check() {
    expect_output "rekernel list" "$KB"
    expect_phase 2 "$KB"
    expect_done 2
    expect_cmdline_is 2 "console=ttyS0 quiet lab.entry=uki53"
    expect_cmdline_has 2 panic=
    expect_rc "rekernel verify" 0
}
