# A kernel signed by nobody (Debian's signature stripped with sbattach --remove) under lockdown=integrity:
# kexec_file_load refuses it (the kernel logs "kexec of unsigned images is restricted"), rekernel says lockdown
# is why, nothing is staged and the machine stays up.
CMDLINE_A="BOOT_IMAGE=/boot/vmlinuz-$KA console=ttyS0 quiet lockdown=integrity"

setup_boot() {
    boot_kernel "$KA"; boot_initrd "$KA"
    boot_kernel "$KB"; boot_initrd "$KB"
    local kernel
    kernel=$(boot_path "/boot/vmlinuz-$KB")
    sbattach --remove "$kernel" >/dev/null || return 1
    # The stripped image must really carry no signature, or this would test the signed case again.
    sbverify --list "$kernel" 2>&1 | grep -q "No signature table present" \
        || { echo "sbattach --remove left a signature on vmlinuz-$KB" >&2; return 1; }
}

guest_phase1() {
    show lockdown "$(cat /sys/kernel/security/lockdown)"
    run rekernel load --latest
    show kexec_loaded "$(cat /sys/kernel/kexec_loaded)"
    show lockdown_log "$(dmesg | grep -o 'kexec of unsigned images is restricted' | head -n 1)"
    show still_up yes
}

check() {
    expect_phase 1 "$KA"
    expect_value lockdown "none [integrity] confidentiality"
    expect_rc "rekernel load --latest" nonzero
    expect_output "rekernel load --latest" "^rekernel: .*lockdown \(integrity\) refuses unsigned or untrusted images"
    expect_value kexec_loaded 0
    expect_value lockdown_log "kexec of unsigned images is restricted"
    expect_value still_up yes
    expect_done 1
    expect_no_phase 2
}
