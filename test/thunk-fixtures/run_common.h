/*
 * run_common.h - helpers for the native run programs: "32-bit caller" memory
 * at fixed addresses below 4 GB (so a 32-bit pointer value is a real address
 * once zero-extended, and a sign-extended one is not), with an unmapped page
 * after it for faults in the middle of an array.
 */
#include <stdio.h>
#include <sys/mman.h>

/* Maps `size` bytes at `at`, followed by one inaccessible page. */
static void *caller_memory(uintptr_t at, size_t size) {
    void *p = mmap((void *)at, size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED || (uintptr_t)p != at) {
        printf("cannot map caller memory at %#lx\n", (unsigned long)at);
        exit(3);
    }
    mprotect((char *)p + size, 4096, PROT_NONE);
    return p;
}

#define SHOW(...) (printf(__VA_ARGS__), printf("\n"))
#define HEX(v) ((unsigned long long)(ULONG_PTR)(v))
