# BLS type #1 layout as kernel-install writes it ($BOOT/<machine-id>/<version>/linux): the
# entry's options differ from the running command line, and the new kernel gets the entry's.
LAB_ARCHES="x86_64 arm64"
MID=6c1d3a4b5e6f47a8b9c0d1e2f3a4b5c6
CMDLINE_A="console=$CONSOLE quiet lab.running=old"

bls_entry() { # VERSION OPTIONS
    boot_write "/boot/loader/entries/$MID-$1.conf" <<CONF
title      Debian GNU/Linux 12 (bookworm)
version    $1
machine-id $MID
sort-key   debian
options    $2
linux      /$MID/$1/linux
initrd     /$MID/$1/initrd
CONF
}

setup_boot() {
    boot_kernel "$KA" "/boot/$MID/$KA/linux"; boot_initrd "$KA" "/boot/$MID/$KA/initrd"
    boot_kernel "$KB" "/boot/$MID/$KB/linux"; boot_initrd "$KB" "/boot/$MID/$KB/initrd"
    # Debian's package installs it in every layout; on arm64 it tells rekernel that the running kernel has only
    # kexec_load (without it, kexec_file_load is tried and fails with ENOSYS).
    boot_config "$KA"
    bls_entry "$KA" "console=$CONSOLE quiet lab.running=old"
    bls_entry "$KB" "console=$CONSOLE quiet lab.entry=bls53 mitigations=auto"
    echo "type1" | boot_write /boot/loader/entries.srel
}

guest_phase1() {
    run rekernel list
    switch rekernel upgrade --default --now --yes
}

guest_phase2() {
    run rekernel verify
}

check() {
    expect_phase 1 "$KA"
    expect_output "rekernel list" "$KB"
    expect_phase 2 "$KB"
    expect_done 2
    expect_cmdline_is 2 "console=$CONSOLE quiet lab.entry=bls53 mitigations=auto"
    expect_cmdline_staged 2 "rekernel upgrade --default --now --yes"
    expect_cmdline_has 2 panic=
    expect_rc "rekernel verify" 0
    expect_output "rekernel verify" success
}
