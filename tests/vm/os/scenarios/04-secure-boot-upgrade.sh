# UEFI with Secure Boot: OVMF (Microsoft's keys enrolled) boots shim, which boots Debian's signed GRUB, which
# boots Debian's signed 6.1.0-47; the kernel is locked down (integrity) and trusts Debian's CA through shim.
# A kernel with its signature stripped is refused by kexec_file_load, through kexec-tools and through
# rekernel (exit 5, the signature check named as the reason): under Secure Boot the kernel enforces kexec
# signatures (x86's IMA arch policy sets sig_enforce), so the refusal is the check's own ENODATA ("no
# signature"), not the EPERM that lockdown=integrity alone gives (tests/vm/scenarios/10-unsigned-kernel.sh).
# Then `rekernel upgrade --yes` stages Debian's signed 53 (the kernel verifies its signature against Debian's
# CA, which shim handed it) and the guest comes back on 53, Secure Boot still on.
FIRMWARE=uefi
DEADLINE=900

guest_script() {
    cat <<'GUEST'
NEW=6.1.0-53-cloud-amd64
# The last byte of the SecureBoot variable (the first four are its attributes): 1 when Secure Boot is on.
secure_boot() { od -An -t u1 /sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c | awk '{ v = $NF } END { print v }'; }
# strip_signature IN OUT: IN without its Authenticode signature, what `sbattach --remove` writes (except the
# PE checksum, which nothing checks): the certificate table (PE32+ data directory 4) zeroed, the file cut
# where the table began (it is the file's tail).
strip_signature() {
    local pe dir off
    pe=$(od -An -t u4 -j 60 -N 4 "$1" | tr -d ' ')
    dir=$((pe + 24 + 112 + 4 * 8))
    off=$(od -An -t u4 -j "$dir" -N 4 "$1" | tr -d ' ')
    head -c "$off" "$1" > "$2"
    printf '\0\0\0\0\0\0\0\0' | dd of="$2" bs=1 seek="$dir" conv=notrunc status=none
}
case $BOOT in
1)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    value efi "$([ -d /sys/firmware/efi ] && echo yes)"
    value secureboot "$(secure_boot)"
    value lockdown "$(cat /sys/kernel/security/lockdown)"
    value sb_dmesg "$(dmesg | grep -o 'Secure boot enabled' | head -n1)"
    # shim hands its vendor certificate to the kernel (MokListRT): the platform keyring that verifies kexec.
    value debian_ca "$(dmesg | grep -o "Loaded X.509 cert 'Debian Secure Boot CA[^']*'" | head -n1)"
    value esp "$(findmnt -n -o FSTYPE /boot/efi) $(ls /boot/efi/EFI/BOOT | tr '\n' ' ')"
    # The negative: Debian's 53 without its signature.
    strip_signature /boot/vmlinuz-$NEW /root/vmlinuz-unsigned
    value stripped "$(cmp -s /boot/vmlinuz-$NEW /root/vmlinuz-unsigned || echo differs) $(stat -c %s /boot/vmlinuz-$NEW) $(stat -c %s /root/vmlinuz-unsigned)"
    run kexec -s -l /root/vmlinuz-unsigned --initrd=/boot/initrd.img-$NEW --reuse-cmdline
    value kexec_loaded_tools "$(cat /sys/kernel/kexec_loaded)"
    # rekernel stages what the boot loader names: put the unsigned image where the signed one was, for one load.
    cp -p /boot/vmlinuz-$NEW /root/vmlinuz-signed
    cp /root/vmlinuz-unsigned /boot/vmlinuz-$NEW
    run rekernel load
    cp -p /root/vmlinuz-signed /boot/vmlinuz-$NEW
    sync
    value kexec_loaded_rekernel "$(cat /sys/kernel/kexec_loaded)"
    value sig_log "$(dmesg | grep -o 'Enforced kernel signature verification failed ([-0-9]*)' | head -n 1)"
    value restored "$(cmp -s /root/vmlinuz-signed /boot/vmlinuz-$NEW && echo yes)"
    echo "@@SWITCH upgrade"
    run rekernel upgrade --yes
    sleep 300 ;;
2)
    value uname "$(uname -r)"
    value cmdline "$(cat /proc/cmdline)"
    value grubargs "$(grub_args)"
    value secureboot "$(secure_boot)"
    value lockdown "$(cat /sys/kernel/security/lockdown)"
    report_verify
    run rekernel history --json
    finish ;;
*) echo "@@UNEXPECTED boot $BOOT"; finish ;;
esac
GUEST
}

check() {
    expect_value 1 uname "$OS_OLD"
    expect_cmdline_has 1 "BOOT_IMAGE=/boot/vmlinuz-$OS_OLD"   # started by GRUB on the old kernel
    expect_value 1 efi yes
    expect_value 1 secureboot 1
    expect_value 1 lockdown "none [integrity] confidentiality"
    expect_value 1 sb_dmesg "Secure boot enabled"
    expect_like 1 debian_ca "Loaded X.509 cert 'Debian Secure Boot CA*"   # the kernel got Debian's CA from shim
    expect_words 1 esp vfat BOOTX64.EFI grubx64.efi   # /boot/efi is the ESP with shim and GRUB
    # The stripped copy is smaller (no certificate table) and the kernel refuses it.
    expect_like 1 stripped "differs *"
    local tools="kexec -s -l /root/vmlinuz-unsigned --initrd=/boot/initrd.img-$OS_NEW --reuse-cmdline"
    local trc; trc=$(rc_of 1 "$tools")
    expect_true "boot 1: kexec-tools loaded an unsigned kernel under Secure Boot (rc '$trc')" grep -qxE '[1-9][0-9]*' <<<"$trc"
    expect_output 1 "$tools" "^kexec_file_load failed: No data available"
    expect_value 1 kexec_loaded_tools 0
    expect_rc 1 "rekernel load" 5
    expect_output 1 "rekernel load" "^rekernel: staging the kernel \(kexec_file_load\) failed \(ENODATA\): the kernel's signature check rejected the image"
    expect_value 1 kexec_loaded_rekernel 0
    expect_value 1 sig_log "Enforced kernel signature verification failed (-61)"
    expect_value 1 restored yes
    # The upgrade: Debian's signature on 53 verified by the kernel, 53 running with GRUB's command line.
    expect_value 2 uname "$OS_NEW"
    expect_grub_cmdline 2 2
    expect_value 2 secureboot 1
    expect_value 2 lockdown "none [integrity] confidentiality"
    expect_verify_success 2
    expect_output 2 "rekernel history --json" '"outcome": *"success"'
    local a b
    a=$(host_time '@@SWITCH upgrade'); b=$(host_time '@@READY uname='"$OS_NEW")
    OS_NOTE="downtime $(seconds_between "$a" "$b")s"
}
