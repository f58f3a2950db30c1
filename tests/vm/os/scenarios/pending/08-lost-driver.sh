# PENDING (needs the health checks merged with the outcomes). The new kernel boots without a driver the old one
# had bound: `--append module_blacklist=e1000e` (QEMU's default NIC on q35 at 0000:00:02.0; the disk is
# virtio_blk, so the guest still boots). `verify --json` reports unhealthy (exit 10), its "drivers" check failed
# and names the device.
DEADLINE=720

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    value nicdriver "$(basename "$(readlink /sys/bus/pci/devices/0000:00:02.0/driver)")"
    systemctl mask -q rekernel-verify.service
    echo "@@SWITCH upgrade"
    run rekernel upgrade --yes --append module_blacklist=e1000e
    sleep 600 ;;
2)
    value uname "$(uname -r)"
    value nicdriver "$(readlink /sys/bus/pci/devices/0000:00:02.0/driver || echo none)"
    run rekernel verify --json
    run rekernel history --json
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_value 1 nicdriver e1000e
    expect_value 2 uname "$OS_NEW"
    expect_value 2 nicdriver none
    expect_rc 2 "rekernel verify --json" 10
    expect_output 2 "rekernel verify --json" '"outcome": *"unhealthy"'
    expect_output 2 "rekernel verify --json" '"name": *"drivers"'
    expect_output 2 "rekernel verify --json" '0000:00:02\.0'
    expect_output 2 "rekernel history --json" '"outcome": *"unhealthy"'
}
