#include "mk_proto_runtime.h"

#include <stdlib.h>
#include <string.h>

static _Thread_local MKProtoArenaStatistics mk_proto_statistics;

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

void mk_proto_arena_release(MKProtoArena *arena) {
    if (arena == NULL) return;
    MKProtoArenaChunk *chunk = arena->chunks;
    while (chunk != NULL) {
        MKProtoArenaChunk *next = chunk->next;
        free(chunk);
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
    size_t chunk_size = arena->next_chunk_size > needed ? arena->next_chunk_size : needed;
    MKProtoArenaChunk *chunk = malloc(chunk_size);
    if (chunk == NULL) return NULL;
    mk_proto_statistics.chunks_allocated++;
    chunk->size = chunk_size;
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

MKProtoCopyStatus mk_proto_arena_copy_string(MKProtoArena *arena, const void *bytes, size_t length,
                                             char **out) {
    if (length == 0) {
        *out = (char *)protobuf_c_empty_string;
        return MK_PROTO_COPY_OK;
    }
    if (memchr(bytes, 0, length) != NULL) return MK_PROTO_COPY_INTERIOR_NUL;
    if (length == SIZE_MAX) return MK_PROTO_COPY_OUT_OF_MEMORY;
    char *copy = mk_proto_arena_alloc(arena, length + 1);
    if (copy == NULL) return MK_PROTO_COPY_OUT_OF_MEMORY;
    memcpy(copy, bytes, length);
    copy[length] = 0;
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

/* Eight bytes at `p` are ASCII and none is NUL. */
static int mk_proto_plain_ascii_word(const unsigned char *p) {
    uint64_t word;
    memcpy(&word, p, sizeof word);
    const uint64_t high = 0x8080808080808080ull;
    const uint64_t ones = 0x0101010101010101ull;
    return (word & high) == 0 && ((word - ones) & ~word & high) == 0;
}

MKProtoStringStatus mk_proto_utf8_check(const unsigned char *bytes, size_t length, int *ascii) {
    const unsigned char *p = bytes;
    const unsigned char *end = bytes + length;
    int all_ascii = 1;
    while (p < end) {
        if ((size_t)(end - p) >= 8 && mk_proto_plain_ascii_word(p)) {
            p += 8;
            continue;
        }
        unsigned char lead = *p;
        if (lead < 0x80) {
            if (lead == 0) return MK_PROTO_STRING_INTERIOR_NUL;
            p++;
            continue;
        }
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
