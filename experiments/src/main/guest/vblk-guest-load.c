/*
 * vblk's load inside a real guest: for each disk, N processes, each with one O_DIRECT request outstanding
 * (random 4 KiB-aligned pread/pwrite at a read percentage), as the 2008 experiment's processes did. It
 * reports on stdout (the serial console) when the processes run, when the measured window opens and
 * closes, and per disk what it completed in the window, with a latency histogram, and the kernel's own
 * completed-request counts from /sys/block/DISK/stat at both edges.
 *
 * usage: vblk-guest-load WARMUP_S DURATION_S PROCESSES READ_PERCENT BLOCK_BYTES DISK...
 *
 * Lines (all start with "vblk-guest: "):
 *   started DISKS PROCESSES
 *   open                                       the warmup is over; the window starts
 *   close                                      the window is over
 *   disk NAME ios N bytes B errors E sys-open R W sys-close R W
 *   lat NAME B0:C0 B1:C1 ...                   latency buckets in microseconds (lower bound): counts
 *   done
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/fs.h>

#define MAX_DISKS 16
/* 4 buckets per power of two from 1 us up to about 2^31 us */
#define BUCKETS 128

struct tally {
    uint64_t ios, bytes, errors;
    uint64_t lat[BUCKETS];
};

/* shared between the processes: per disk, what was completed while the window was open */
static struct tally *tallies;
static volatile int *window; /* 0 warmup, 1 open, 2 closed */

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int bucket(uint64_t us) {
    if (us < 1) return 0;
    int p = 63 - __builtin_clzll(us);
    int sub = p >= 2 ? (int) ((us >> (p - 2)) & 3) : (int) ((us << (2 - p)) & 3);
    int b = p * 4 + sub;
    return b < BUCKETS ? b : BUCKETS - 1;
}

static uint64_t bucket_floor(int b) {
    int p = b / 4, sub = b % 4;
    return p >= 2 ? ((uint64_t) (4 + sub)) << (p - 2) : (uint64_t) 1 << p;
}

/* one process: one request outstanding on DISK until the window closes */
static void run(const char *path, int disk, int read_percent, long block, uint64_t seed) {
    int fd = open(path, O_RDWR | O_DIRECT);
    if (fd < 0) {
        fprintf(stderr, "vblk-guest: cannot open %s: %s\n", path, strerror(errno));
        _exit(1);
    }
    uint64_t size = 0;
    if (ioctl(fd, BLKGETSIZE64, &size) != 0 || size < (uint64_t) block) {
        fprintf(stderr, "vblk-guest: %s: no size\n", path);
        _exit(1);
    }
    uint64_t blocks = size / block;
    void *buf;
    if (posix_memalign(&buf, 4096, block) != 0) _exit(1);
    memset(buf, (int) (seed & 0xff), block);
    uint64_t x = seed * 2654435761u + 1;
    struct tally *t = &tallies[disk];
    while (*window < 2) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        off_t at = (off_t) ((x >> 8) % blocks) * block;
        int reading = (int) ((x >> 3) % 100) < read_percent;
        uint64_t t0 = now_us();
        ssize_t n = reading ? pread(fd, buf, block, at) : pwrite(fd, buf, block, at);
        uint64_t t1 = now_us();
        if (*window == 1) {
            if (n == block) {
                __atomic_fetch_add(&t->ios, 1, __ATOMIC_RELAXED);
                __atomic_fetch_add(&t->bytes, (uint64_t) block, __ATOMIC_RELAXED);
                __atomic_fetch_add(&t->lat[bucket(t1 - t0)], 1, __ATOMIC_RELAXED);
            } else {
                __atomic_fetch_add(&t->errors, 1, __ATOMIC_RELAXED);
            }
        }
    }
    _exit(0);
}

/* reads and writes completed, from /sys/block/NAME/stat (fields 1 and 5) */
static void sys_stat(const char *name, unsigned long long *r, unsigned long long *w) {
    char p[64];
    snprintf(p, sizeof p, "/sys/block/%s/stat", name);
    FILE *f = fopen(p, "r");
    unsigned long long v[11] = {0};
    if (f) {
        if (fscanf(f, "%llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3], &v[4]) != 5) v[0] = v[4] = 0;
        fclose(f);
    }
    *r = v[0];
    *w = v[4];
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 7) {
        fprintf(stderr, "usage: %s WARMUP_S DURATION_S PROCESSES READ_PERCENT BLOCK_BYTES DISK...\n", argv[0]);
        return 2;
    }
    double warmup = atof(argv[1]), duration = atof(argv[2]);
    int processes = atoi(argv[3]), read_percent = atoi(argv[4]);
    long block = atol(argv[5]);
    int disks = argc - 6;
    if (disks > MAX_DISKS || processes < 1 || block < 512 || block % 512 != 0) {
        fprintf(stderr, "vblk-guest: bad arguments\n");
        return 2;
    }
    tallies = mmap(NULL, sizeof(struct tally) * MAX_DISKS + 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (tallies == MAP_FAILED) return 1;
    memset(tallies, 0, sizeof(struct tally) * MAX_DISKS);
    window = (volatile int *) (tallies + MAX_DISKS);
    *window = 0;
    for (int d = 0; d < disks; d++) {
        char path[64];
        snprintf(path, sizeof path, "/dev/%s", argv[6 + d]);
        for (int p = 0; p < processes; p++) {
            pid_t pid = fork();
            if (pid == 0) run(path, d, read_percent, block, (uint64_t) (d * 100003 + p + 1));
            if (pid < 0) {
                fprintf(stderr, "vblk-guest: fork: %s\n", strerror(errno));
                return 1;
            }
        }
    }
    printf("vblk-guest: started %d %d\n", disks, processes);
    usleep((useconds_t) (warmup * 1e6));
    unsigned long long r0[MAX_DISKS], w0[MAX_DISKS], r1[MAX_DISKS], w1[MAX_DISKS];
    for (int d = 0; d < disks; d++) sys_stat(argv[6 + d], &r0[d], &w0[d]);
    __atomic_store_n(window, 1, __ATOMIC_SEQ_CST);
    printf("vblk-guest: open\n");
    usleep((useconds_t) (duration * 1e6));
    __atomic_store_n(window, 2, __ATOMIC_SEQ_CST);
    for (int d = 0; d < disks; d++) sys_stat(argv[6 + d], &r1[d], &w1[d]);
    printf("vblk-guest: close\n");
    while (wait(NULL) > 0) {
    }
    for (int d = 0; d < disks; d++) {
        struct tally *t = &tallies[d];
        printf("vblk-guest: disk %s ios %llu bytes %llu errors %llu sys-open %llu %llu sys-close %llu %llu\n",
               argv[6 + d], (unsigned long long) t->ios, (unsigned long long) t->bytes,
               (unsigned long long) t->errors, r0[d], w0[d], r1[d], w1[d]);
        printf("vblk-guest: lat %s", argv[6 + d]);
        for (int b = 0; b < BUCKETS; b++) {
            if (t->lat[b]) printf(" %llu:%llu", (unsigned long long) bucket_floor(b), (unsigned long long) t->lat[b]);
        }
        printf("\n");
    }
    printf("vblk-guest: done\n");
    return 0;
}
