# A kernel is staged (`rekernel load`) but the machine reboots through firmware (`systemctl reboot`): no switch was
# requested, so no one-shot return path is armed and GRUB starts its default, the target 6.1.0-53. The release
# matches, but the kernel did not come through this kexec (no rekernel.switch= token on its command line, GRUB's
# BOOT_IMAGE= instead). rekernel-verify.service reports a firmware reboot (exit 9), not success, and the journal
# keeps that outcome. (A requested switch arms GRUB's next_entry, so a firmware reboot then comes back on the
# running kernel: the fallback of 05.)
DEADLINE=900

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    run rekernel load --quiet
    echo "@@REBOOT firmware"
    systemctl reboot
    sleep 300 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    # The verify unit runs once at boot; wait until it has ended (it fails on exit 9).
    for _ in $(seq 90); do
        case $(systemctl show -p ActiveState --value rekernel-verify.service) in active|failed) break ;; esac
        sleep 1
    done
    value verifyexit "$(systemctl show -p ExecMainStatus --value rekernel-verify.service)"
    run journalctl -b -u rekernel-verify.service --no-pager -o cat
    run rekernel history --json
    # The unit settled the switch: nothing is left to verify.
    run rekernel verify --json
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_rc 1 "rekernel load --quiet" 0
    # Through firmware and GRUB onto GRUB's default: the firmware twice, GRUB's command line, no token.
    expect_firmware_boots 2
    expect_value 2 uname "$OS_NEW"
    expect_cmdline_has 2 "BOOT_IMAGE=/boot/vmlinuz-$OS_NEW"
    expect_cmdline_lacks 2 rekernel.switch=
    expect_value 2 verifyexit 9
    expect_output 2 "journalctl -b -u rekernel-verify.service --no-pager -o cat" "firmware reboot"
    expect_output 2 "rekernel history --json" '"outcome": *"firmware-reboot"'
    expect_rc 2 "rekernel verify --json" 11
}
