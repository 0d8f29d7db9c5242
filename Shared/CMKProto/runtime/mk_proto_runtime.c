#include "mk_proto_runtime.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local MKProtoArenaStatistics mk_proto_statistics;

/*
 * One released chunk kept per thread for the next arena: a message larger than the inline region
 * would otherwise cost a malloc and a free per pack or unpack. Chunks above the cap are freed.
 */
static _Thread_local MKProtoArenaChunk *mk_proto_spare_chunk;
#define MK_SPARE_CHUNK_MAX_SIZE (64 * 1024)

/* Frees the spare chunk when its thread exits (a key destructor runs while TLS is still valid). */
static pthread_key_t mk_proto_spare_key;
static pthread_once_t mk_proto_spare_once = PTHREAD_ONCE_INIT;
static _Thread_local int mk_proto_spare_registered;

static void mk_proto_spare_destructor(void *marker) {
    (void)marker;
    free(mk_proto_spare_chunk);
    mk_proto_spare_chunk = NULL;
    mk_proto_spare_registered = 0;
}

static void mk_proto_spare_key_create(void) {
    (void)pthread_key_create(&mk_proto_spare_key, mk_proto_spare_destructor);
}

#define MK_ALIGN_UP(x) (((x) + (MK_PROTO_ARENA_ALIGNMENT - 1)) & ~(uintptr_t)(MK_PROTO_ARENA_ALIGNMENT - 1))
#define MK_FIRST_CHUNK_SIZE 4096
#define MK_MAX_CHUNK_SIZE (256 * 1024)

static void *mk_proto_arena_alloc_callback(void *allocator_data, size_t size) {
    return mk_proto_arena_alloc((MKProtoArena *)allocator_data, size);
}

static void mk_proto_arena_free_callback(void *allocator_data, void *pointer) {
    /* Blocks live until the arena is released. */
    (void)allocator_data;
    (void)pointer;
}

MKProtoArena *mk_proto_arena_init(void *buffer, size_t size) {
    if (buffer == NULL || size < MK_PROTO_ARENA_MIN_BUFFER) return NULL;
    MKProtoArena *arena = (MKProtoArena *)buffer;
    arena->allocator.alloc = mk_proto_arena_alloc_callback;
    arena->allocator.free = mk_proto_arena_free_callback;
    arena->allocator.allocator_data = arena;
    arena->cursor = (unsigned char *)MK_ALIGN_UP((uintptr_t)(arena + 1));
    arena->end = (unsigned char *)buffer + size;
    arena->chunks = NULL;
    arena->next_chunk_size = MK_FIRST_CHUNK_SIZE;
    mk_proto_statistics.arenas_initialized++;
    return arena;
}

/* The thread's spare chunk when it holds at least `needed` bytes, else a new one (NULL when out of memory). */
static MKProtoArenaChunk *mk_proto_chunk_get(size_t needed, size_t preferred) {
    MKProtoArenaChunk *spare = mk_proto_spare_chunk;
    if (spare != NULL && spare->size >= needed) {
        mk_proto_spare_chunk = NULL;
        mk_proto_statistics.chunks_reused++;
        return spare;
    }
    size_t size = preferred > needed ? preferred : needed;
    MKProtoArenaChunk *chunk = malloc(size);
    if (chunk != NULL) chunk->size = size;
    return chunk;
}

/* Keeps the larger of `chunk` and the spare (up to the cap) for the next arena; frees the other. */
static void mk_proto_chunk_put(MKProtoArenaChunk *chunk) {
    MKProtoArenaChunk *spare = mk_proto_spare_chunk;
    if (chunk->size > MK_SPARE_CHUNK_MAX_SIZE || (spare != NULL && spare->size >= chunk->size)) {
        free(chunk);
        return;
    }
    if (!mk_proto_spare_registered) {
        /* Without the key the chunk could outlive its thread: free it instead of keeping it. */
        if (pthread_once(&mk_proto_spare_once, mk_proto_spare_key_create) != 0 ||
            pthread_setspecific(mk_proto_spare_key, &mk_proto_spare_registered) != 0) {
            free(chunk);
            return;
        }
        mk_proto_spare_registered = 1;
    }
    mk_proto_spare_chunk = chunk;
    free(spare);
}

void mk_proto_arena_release(MKProtoArena *arena) {
    if (arena == NULL) return;
    MKProtoArenaChunk *chunk = arena->chunks;
    while (chunk != NULL) {
        MKProtoArenaChunk *next = chunk->next;
        mk_proto_chunk_put(chunk);
        mk_proto_statistics.chunks_freed++;
        chunk = next;
    }
    arena->chunks = NULL;
    arena->cursor = arena->end = NULL;
    mk_proto_statistics.arenas_released++;
}

/* Room for a header and `size` bytes starting at `cursor`, or NULL when [cursor, end) is too small. */
static void *mk_proto_take(unsigned char **cursor, unsigned char *end, size_t size) {
    uintptr_t start = MK_ALIGN_UP((uintptr_t)*cursor);
    uintptr_t limit = (uintptr_t)end;
    if (start > limit || limit - start < MK_PROTO_ARENA_ALIGNMENT) return NULL;
    uintptr_t block = start + MK_PROTO_ARENA_ALIGNMENT;
    if (limit - block < size) return NULL;
    ((size_t *)block)[-1] = size;
    *cursor = (unsigned char *)(block + size);
    return (void *)block;
}

void *mk_proto_arena_alloc(MKProtoArena *arena, size_t size) {
    if (arena == NULL || arena->cursor == NULL) return NULL;
    void *block = mk_proto_take(&arena->cursor, arena->end, size);
    if (block != NULL) return block;

    /* A new chunk big enough for this block, at least the next chunk size. */
    size_t header = MK_ALIGN_UP(sizeof(MKProtoArenaChunk));
    if (size > SIZE_MAX - header - 2 * MK_PROTO_ARENA_ALIGNMENT) return NULL;
    size_t needed = header + 2 * MK_PROTO_ARENA_ALIGNMENT + size;
    MKProtoArenaChunk *chunk = mk_proto_chunk_get(needed, arena->next_chunk_size);
    if (chunk == NULL) return NULL;
    mk_proto_statistics.chunks_allocated++;
    size_t chunk_size = chunk->size;
    chunk->next = arena->chunks;
    arena->chunks = chunk;
    if (arena->next_chunk_size < MK_MAX_CHUNK_SIZE) arena->next_chunk_size *= 2;

    unsigned char *cursor = (unsigned char *)chunk + header;
    unsigned char *end = (unsigned char *)chunk + chunk_size;
    block = mk_proto_take(&cursor, end, size);
    /* Keep bumping in whichever region has more room left. */
    if ((size_t)(end - cursor) > (size_t)(arena->end - arena->cursor)) {
        arena->cursor = cursor;
        arena->end = end;
    }
    return block;
}

/* Some byte of `word` is zero. */
static inline int mk_proto_word_has_zero(uint64_t word) {
    return ((word - 0x0101010101010101ull) & ~word & 0x8080808080808080ull) != 0;
}

MKProtoCopyStatus mk_proto_arena_copy_string(MKProtoArena *arena, const void *bytes, size_t length,
                                             char **out) {
    if (length == 0) {
        *out = (char *)protobuf_c_empty_string;
        return MK_PROTO_COPY_OK;
    }
    if (length == SIZE_MAX) return MK_PROTO_COPY_OUT_OF_MEMORY;
    char *copy = mk_proto_arena_alloc(arena, length + 1);
    if (copy == NULL) return MK_PROTO_COPY_OUT_OF_MEMORY;
    /* One pass copies and looks for NUL, eight bytes at a time: fields are short, and two libc
       calls (memchr, memcpy) cost more than the bytes. */
    const unsigned char *from = bytes;
    unsigned char *to = (unsigned char *)copy;
    size_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word;
        memcpy(&word, from + i, sizeof word);
        if (mk_proto_word_has_zero(word)) return MK_PROTO_COPY_INTERIOR_NUL;
        memcpy(to + i, &word, sizeof word);
    }
    if (i < length && length >= 8) {
        /* The tail as the last eight bytes, overlapping copied ones (which hold no NUL). */
        uint64_t word;
        memcpy(&word, from + length - 8, sizeof word);
        if (mk_proto_word_has_zero(word)) return MK_PROTO_COPY_INTERIOR_NUL;
        memcpy(to + length - 8, &word, sizeof word);
        i = length;
    }
    for (; i < length; i++) {
        if (from[i] == 0) return MK_PROTO_COPY_INTERIOR_NUL;
        to[i] = from[i];
    }
    to[length] = 0;
    *out = copy;
    return MK_PROTO_COPY_OK;
}

uint8_t *mk_proto_arena_copy_bytes(MKProtoArena *arena, const void *bytes, size_t length,
                                   int *out_of_memory) {
    *out_of_memory = 0;
    if (length == 0) return NULL;
    uint8_t *copy = mk_proto_arena_alloc(arena, length);
    if (copy == NULL) {
        *out_of_memory = 1;
        return NULL;
    }
    memcpy(copy, bytes, length);
    return copy;
}

/*
 * The high bit of each byte of the eight at `p` that is NUL or not ASCII (a byte after a NUL may
 * be flagged too); zero when all eight are plain ASCII.
 */
static inline uint64_t mk_proto_word_flags(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, sizeof word);
    return (word | ((word - 0x0101010101010101ull) & ~word)) & 0x8080808080808080ull;
}

MKProtoStringStatus mk_proto_utf8_check(const unsigned char *bytes, size_t length, int *ascii) {
    const unsigned char *p = bytes;
    const unsigned char *end = bytes + length;
    int all_ascii = 1;
    for (;;) {
        /* Plain ASCII eight bytes at a time, then byte by byte, each in a loop of its own. One loop
           testing for both on every byte took longer than the bytes of these short strings. */
        while ((size_t)(end - p) >= 8) {
            uint64_t flagged = mk_proto_word_flags(p);
            if (flagged != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                /* Straight to the first byte that is NUL or not ASCII (exact: borrows only run up). */
                p += (size_t)__builtin_ctzll(flagged) / 8;
#endif
                break;
            }
            p += 8;
        }
        /* Stops at the end or at the first byte that is NUL or not ASCII. */
        while (p < end && (unsigned char)(*p - 1) < 0x7F) p++;
        if (p == end) break;
        unsigned char lead = *p;
        if (lead == 0) return MK_PROTO_STRING_INTERIOR_NUL;
        all_ascii = 0;
        /* Well-formed sequences, Unicode table 3-7: the second byte's range depends on the lead. */
        size_t size;
        unsigned char low = 0x80, high = 0xBF;
        if (lead >= 0xC2 && lead <= 0xDF) {
            size = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            size = 3;
            if (lead == 0xE0) low = 0xA0;
            if (lead == 0xED) high = 0x9F;
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            size = 4;
            if (lead == 0xF0) low = 0x90;
            if (lead == 0xF4) high = 0x8F;
        } else {
            return MK_PROTO_STRING_INVALID_UTF8;
        }
        if ((size_t)(end - p) < size) return MK_PROTO_STRING_INVALID_UTF8;
        if (p[1] < low || p[1] > high) return MK_PROTO_STRING_INVALID_UTF8;
        for (size_t i = 2; i < size; i++) {
            if ((p[i] & 0xC0) != 0x80) return MK_PROTO_STRING_INVALID_UTF8;
        }
        p += size;
    }
    *ascii = all_ascii;
    return MK_PROTO_STRING_OK;
}

MKProtoStringStatus mk_proto_unpacked_string_check(const char *string, size_t *length, int *ascii) {
    if (string == NULL || string == protobuf_c_empty_string) {
        *length = 0;
        *ascii = 1;
        return MK_PROTO_STRING_OK;
    }
    /* protobuf-c allocated wire length + 1 bytes and NUL-terminated the copy. */
    size_t wire_length = ((const size_t *)string)[-1] - 1;
    MKProtoStringStatus status = mk_proto_utf8_check((const unsigned char *)string, wire_length, ascii);
    if (status == MK_PROTO_STRING_OK) *length = wire_length;
    return status;
}

MKProtoArenaStatistics mk_proto_arena_thread_statistics(void) {
    return mk_proto_statistics;
}
