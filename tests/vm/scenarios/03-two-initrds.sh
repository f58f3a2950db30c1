# A BLS entry with two initrd lines (an early-microcode-style cpio first, the main initrd second):
# both must reach the new kernel, concatenated in order.
MID=6c1d3a4b5e6f47a8b9c0d1e2f3a4b5c6
CMDLINE_A="console=ttyS0 quiet"

setup_boot() {
    boot_kernel "$KA" "/boot/$MID/$KA/linux"; boot_initrd "$KA" "/boot/$MID/$KA/initrd"
    boot_kernel "$KB" "/boot/$MID/$KB/linux"; boot_initrd "$KB" "/boot/$MID/$KB/initrd"
    mkdir -p "$(boot_path "/boot/$MID/$KB")"
    marker_cpio "$(boot_path "/boot/$MID/$KB/microcode")" /kernel/x86/microcode/lab-marker early-initrd
    boot_write "/boot/loader/entries/$MID-$KA.conf" <<CONF
title      Debian GNU/Linux 12 (bookworm)
version    $KA
machine-id $MID
options    console=ttyS0 quiet
linux      /$MID/$KA/linux
initrd     /$MID/$KA/initrd
CONF
    boot_write "/boot/loader/entries/$MID-$KB.conf" <<CONF
title      Debian GNU/Linux 12 (bookworm)
version    $KB
machine-id $MID
options    console=ttyS0 quiet
linux      /$MID/$KB/linux
initrd     /$MID/$KB/microcode
initrd     /$MID/$KB/initrd
CONF
}

guest_phase1() {
    exists /kernel/x86/microcode/lab-marker
    switch rekernel upgrade --latest --now --yes
}

guest_phase2() {
    exists /kernel/x86/microcode/lab-marker
    exists /lab/scenario.sh
    show early "$(cat /kernel/x86/microcode/lab-marker)"
}

check() {
    expect_marker "@@MISSING /kernel/x86/microcode/lab-marker"
    expect_phase 2 "$KB"
    expect_done 2
    expect_value early early-initrd
    expect_marker "@@EXISTS /lab/scenario.sh"
}
