# The new kernel boots without a driver the old one had bound. The guest gets a virtio RNG (`-device
# virtio-rng-pci`): virtio_pci binds the PCI function and the module virtio_rng binds the virtio device on it (the
# lab's cloud kernel binds nothing else by a loadable module but virtio_pci, which the disks need). `rekernel
# upgrade --yes --append module_blacklist=virtio_rng` jumps to 53, which refuses to load that module: the virtio
# device is there without a driver. verify reports unhealthy (exit 10), its "drivers" check failed and names the
# device and the lost driver, in text and in `verify --json`; the journal's record keeps the checks.
DEADLINE=1500
QEMU_ARGS=(-device virtio-rng-pci)

guest_script() {
    cat <<'GUEST'
case $BOOT in
1)
    value uname "$(uname -r)"
    # The virtio device virtio_rng drives, and the PCI function under it.
    for d in /sys/bus/virtio/devices/*; do
        [ "$(basename "$(readlink "$d/driver")")" = virtio_rng ] \
            && echo "$(basename "$d") $(basename "$(readlink -f "$d/..")")" > /var/lib/lab/lost
    done
    read -r dev pci < /var/lib/lab/lost
    value device "$dev"
    value pci "$pci"
    value pcidriver "$(basename "$(readlink "/sys/bus/pci/devices/$pci/driver")")"
    # This scenario's own verify settles the switch, twice (text, then JSON).
    systemctl mask -q rekernel-verify.service
    echo "@@SWITCH upgrade"
    run rekernel upgrade --yes --append module_blacklist=virtio_rng
    sleep 600 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    read -r dev pci < /var/lib/lab/lost
    value driver "$(readlink "/sys/bus/virtio/devices/$dev/driver" || echo none)"
    value pcidriver "$(basename "$(readlink "/sys/bus/pci/devices/$pci/driver")")"
    # verify settles the switch; the same state is verified twice, as text and as JSON.
    cp -a /var/lib/rekernel /var/lib/lab/rekernel-state
    run rekernel verify
    rm -rf /var/lib/rekernel; cp -a /var/lib/lab/rekernel-state /var/lib/rekernel
    run rekernel verify --json
    run rekernel history --json
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    local dev
    dev=$(value_of 1 device)
    expect_value 1 uname "$OS_OLD"
    expect_like 1 device 'virtio[0-9]*'
    expect_like 1 pci '0000:00:*'
    expect_value 1 pcidriver virtio-pci
    expect_value 2 uname "$OS_NEW"
    expect_cmdline_has 2 module_blacklist=virtio_rng
    # Through this kexec: rekernel's token, not GRUB's BOOT_IMAGE=.
    expect_like 2 cmdline '* rekernel.switch=*'
    expect_cmdline_lacks 2 BOOT_IMAGE=
    # The PCI function keeps virtio_pci; only the virtio device on it lost its driver.
    expect_value 2 pcidriver virtio-pci
    expect_value 2 driver none
    expect_rc 2 "rekernel verify" 10
    expect_output 2 "rekernel verify" "$dev on bus virtio lost its driver virtio_rng"
    expect_rc 2 "rekernel verify --json" 10
    expect_output 2 "rekernel verify --json" '"outcome": *"unhealthy"'
    expect_output 2 "rekernel verify --json" "$dev on bus virtio lost its driver virtio_rng"
    expect_output 2 "rekernel history --json" '"outcome": *"unhealthy"'
    expect_output 2 "rekernel history --json" "$dev on bus virtio lost its driver virtio_rng"
}
