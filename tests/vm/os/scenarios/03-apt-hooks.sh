# The Debian kernel hooks of the installed package, driven by apt as a kernel update drives them: with
# 6.1.0-53 staged, `apt-get purge` of its package unloads it (postrm.d/zzz-rekernel); with
# `auto_stage = yes`, `apt-get install` of the package again stages it (postinst.d/zzz-rekernel, after
# initramfs-tools built the initrd and zz-update-grub wrote the entry) with the command line of its new
# GRUB entry; `rekernel switch --yes` then moves the guest onto it.
DEADLINE=720

guest_script() {
    cat <<'GUEST'
NEW=6.1.0-53-cloud-amd64
loaded() { cat /sys/kernel/kexec_loaded; }
# Offline (the package is in apt's cache, as after a download), and without needrestart's apt hook restarting services mid-scenario.
apt_get() { NEEDRESTART_SUSPEND=1 DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 "$@"; }
case $BOOT in
1)
    value uname "$(uname -r)"
    run rekernel load --quiet
    value loaded-before-purge "$(loaded)"
    run apt_get purge "linux-image-$NEW"
    value loaded-after-purge "$(loaded)"
    value kernel-after-purge "$(ls /boot/vmlinuz-$NEW 2>&1)"
    # Only the modules this machine needs in the new initrd (initramfs-tools' MODULES=dep, a common server
    # setting): with Debian's MODULES=most, mkinitramfs alone takes 5-7 minutes under emulation.
    echo MODULES=dep > /etc/initramfs-tools/conf.d/lab-modules
    sed -i 's/^#\? *auto_stage *=.*/auto_stage = yes/' /etc/rekernel.conf
    value auto_stage "$(grep '^auto_stage' /etc/rekernel.conf)"
    run apt_get install --no-download "linux-image-$NEW"
    value loaded-after-install "$(loaded)"
    value grubargs "$(grub_args "$NEW")"
    run rekernel status
    run rekernel status --json
    echo "@@SWITCH switch"
    run rekernel switch --yes
    sleep 300 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    report_verify
    run rekernel history --json
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_rc 1 "rekernel load --quiet" 0
    expect_value 1 loaded-before-purge 1
    expect_rc 1 "apt_get purge linux-image-$OS_NEW" 0
    expect_output 1 "apt_get purge linux-image-$OS_NEW" "rekernel \(postrm.d\): unloaded the staged $OS_NEW"
    expect_value 1 loaded-after-purge 0
    expect_like 1 kernel-after-purge "*No such file*"   # apt-get purge removed /boot/vmlinuz-$OS_NEW
    expect_rc 1 "apt_get install --no-download linux-image-$OS_NEW" 0
    # run-parts order: the initrd is built and GRUB's entry written before rekernel stages the kernel.
    local install="apt_get install --no-download linux-image-$OS_NEW" order
    order=$(output_of 1 "$install" | grep -oE "update-initramfs: Generating|Generating grub configuration|rekernel \(postinst.d\): staged" | uniq | tr '\n' '|')
    expect_true "apt's kernel hooks ran in the order '$order', expected initramfs, update-grub, rekernel" \
        [ "$order" = "update-initramfs: Generating|Generating grub configuration|rekernel (postinst.d): staged|" ]
    expect_value 1 loaded-after-install 1
    expect_output 1 "rekernel status" "^Kernel staged: +yes, $OS_NEW "
    expect_rc 1 "rekernel switch --yes" 0
    expect_value 2 uname "$OS_NEW"
    expect_grub_cmdline 2 1
    expect_verify_success 2
    expect_output 2 "rekernel history --json" '"outcome": *"success"'
}
