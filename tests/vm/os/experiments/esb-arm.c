/* esb-arm DEV TICKS: arms QEMU's i6300esb at PCI address DEV (e.g. 0000:00:03.0) as its Linux driver programs it
   (1 kHz clock, no interrupt, reset on), both stages TICKS long (a tick is 2^15 x 30 ns, about 1 ms), and never
   pings it: what a watchdog armed before a kexec looks like to the new kernel. Lab experiment: needs /dev/mem
   (no lockdown) and no driver bound to the device. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
static char path[256];
static int cfg;
static void cfgw(int off, const void *v, int n) { if (pwrite(cfg, v, n, off) != n) { perror("config"); exit(1); } }
int main(int argc, char **argv) {
    if (argc != 3) return 2;
    unsigned long long start; FILE *f; uint32_t pre = strtoul(argv[2], 0, 0);
    snprintf(path, sizeof path, "/sys/bus/pci/devices/%s/resource", argv[1]);
    f = fopen(path, "r"); if (!f || fscanf(f, "%llx", &start) != 1) { perror("resource"); return 1; }
    snprintf(path, sizeof path, "/sys/bus/pci/devices/%s/config", argv[1]);
    cfg = open(path, O_RDWR); if (cfg < 0) { perror("config"); return 1; }
    uint16_t cmd; pread(cfg, &cmd, 2, 4); cmd |= 2; cfgw(4, &cmd, 2);       /* memory decoding on */
    uint16_t conf = 0x0003; cfgw(0x60, &conf, 2);                            /* 1 kHz, no IRQ, reboot on */
    int mem = open("/dev/mem", O_RDWR | O_SYNC); if (mem < 0) { perror("/dev/mem"); return 1; }
    volatile uint8_t *base = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mem, start & ~0xfffULL);
    if (base == MAP_FAILED) { perror("mmap"); return 1; }
    base += start & 0xfff;
#define UNLOCK() (base[0xc] = 0x80, base[0xc] = 0x86)
    UNLOCK(); *(volatile uint32_t *)(base + 0) = pre;
    UNLOCK(); *(volatile uint32_t *)(base + 4) = pre;
    UNLOCK(); *(volatile uint16_t *)(base + 0xc) = 0x100;                   /* reload */
    uint8_t lock = 0x02; cfgw(0x68, &lock, 1);                               /* enable */
    printf("armed %s at %#llx, 2 x %u ticks\n", argv[1], start, pre);
    return 0;
}
