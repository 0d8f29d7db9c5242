// The reference Argon2 library (Debian libargon2-dev), for the BOK service's credential hashing.
#ifndef MK_CARGON2_SHIM_H
#define MK_CARGON2_SHIM_H
#include <argon2.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

// Argon2's memory (64 MiB in production) in a mapping of its own, advised to be backed by
// transparent huge pages: each hash then takes a few dozen page faults instead of 16,384, and its
// random reads over the whole area miss the TLB far less often. The advice may be ignored (no THP
// on the host): the hash is the same, only slower. libargon2 wipes the memory before releasing it.
static inline int mk_argon2_allocate(uint8_t **memory, size_t bytes) {
    void *mapping = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping == MAP_FAILED) {
        *memory = NULL;  // libargon2 reports ARGON2_MEMORY_ALLOCATION_ERROR
        return -1;
    }
#ifdef MADV_HUGEPAGE
    (void)madvise(mapping, bytes, MADV_HUGEPAGE);
#endif
    *memory = mapping;
    return 0;
}

// Releases what mk_argon2_allocate mapped.
static inline void mk_argon2_free(uint8_t *memory, size_t bytes) {
    (void)munmap(memory, bytes);
}
#endif
