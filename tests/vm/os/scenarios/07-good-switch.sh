# A good switch: `rekernel upgrade --yes` sets GRUB's next_entry to the running
# 6.1.0-47 right before the jump; 6.1.0-53 comes up by kexec (its token on the command line), verify succeeds and
# clears next_entry; then a plain `systemctl reboot` goes through firmware and GRUB to GRUB's default, 53,
# not back to 47.
DEADLINE=900

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    run rekernel status --json
    echo "@@SWITCH upgrade"
    run rekernel upgrade --yes
    sleep 600 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    report_verify
    run rekernel history --json
    run grub-editenv list
    echo "@@REBOOT plain"
    systemctl reboot
    sleep 600 ;;
3)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_output 1 "rekernel status --json" '"mechanism": *"grub-next-entry"'
    expect_value 2 uname "$OS_NEW"
    expect_true "boot 2: no rekernel.switch= token in $(value_of 2 cmdline)" grep -qE '(^| )rekernel\.switch=[0-9a-f]{12}( |$)' <<<"$(value_of 2 cmdline)"
    expect_cmdline_lacks 2 BOOT_IMAGE=
    expect_verify_success 2
    expect_output 2 "rekernel history --json" '"outcome": *"success"'
    expect_rc 2 "grub-editenv list" 0
    asserted; output_of 2 "grub-editenv list" | grep -q '^next_entry=.' && fail "boot 2: verify left next_entry in grubenv: $(output_of 2 "grub-editenv list" | tr '\n' ' ')"
    # The kexec printed no firmware banner; the plain reboot did, and GRUB booted its default.
    expect_firmware_boots 2
    expect_value 3 uname "$OS_NEW"
    expect_cmdline_has 3 "BOOT_IMAGE=/boot/vmlinuz-$OS_NEW"
}
