/*
 * Hand-written runtime for the generated protobuf-c code: an arena allocator that the Swift
 * bindings use for both directions, and the descriptor table types mk_proto_descriptors.h fills.
 *
 * Why an arena: one unpack (or one C struct tree built for packing) becomes a handful of bump
 * allocations freed at once, so no path can leak a single field, and a failed unpack needs no
 * bookkeeping. Why a size header: protobuf-c copies a string's bytes and appends a NUL, so a wire
 * string containing 0x00 would silently read shorter in C; the recorded allocation size reveals it.
 */
#ifndef MK_PROTO_RUNTIME_H
#define MK_PROTO_RUNTIME_H

#include <stddef.h>
#include <stdint.h>
#include <protobuf-c/protobuf-c.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bytes every allocation is aligned to; also the size of the header before each block. */
#define MK_PROTO_ARENA_ALIGNMENT 16

/** A malloc'd chunk an arena grew into; its blocks follow the header. */
typedef struct MKProtoArenaChunk {
    struct MKProtoArenaChunk *next;
    size_t size;
} MKProtoArenaChunk;

/**
 * A bump allocator living in caller-provided memory (usually the Swift stack), growing into
 * malloc'd chunks. Every block is preceded by its requested size. Single-threaded by design: one
 * arena serves one pack or unpack and is released right after.
 */
typedef struct MKProtoArena {
    /** protobuf-c's view of the arena; `free` is a no-op, release frees everything. */
    ProtobufCAllocator allocator;
    unsigned char *cursor;
    unsigned char *end;
    MKProtoArenaChunk *chunks;
    size_t next_chunk_size;
} MKProtoArena;

/** The smallest buffer mk_proto_arena_init accepts. */
#define MK_PROTO_ARENA_MIN_BUFFER (sizeof(MKProtoArena) + 4 * MK_PROTO_ARENA_ALIGNMENT)

/**
 * Places an arena at the start of `buffer` (aligned to MK_PROTO_ARENA_ALIGNMENT, at least
 * MK_PROTO_ARENA_MIN_BUFFER bytes) and uses the rest for its first blocks. Pair with
 * mk_proto_arena_release before the buffer goes away.
 */
MKProtoArena *mk_proto_arena_init(void *buffer, size_t size);

/** Frees every chunk the arena allocated; its blocks and the arena are unusable afterwards. */
void mk_proto_arena_release(MKProtoArena *arena);

/** A block of `size` bytes (zero-filled is not promised), or NULL when memory is exhausted. */
void *mk_proto_arena_alloc(MKProtoArena *arena, size_t size);

/** Outcome of mk_proto_arena_copy_string. */
typedef enum MKProtoCopyStatus {
    MK_PROTO_COPY_OK = 0,
    MK_PROTO_COPY_INTERIOR_NUL = 1,
    MK_PROTO_COPY_OUT_OF_MEMORY = 2,
} MKProtoCopyStatus;

/**
 * Copies `length` bytes into the arena as a NUL-terminated C string for packing, looking for NUL
 * in the same pass. Refuses bytes containing NUL (C would truncate them); the arena block then
 * stays unused until release. An empty input yields protobuf_c_empty_string.
 */
MKProtoCopyStatus mk_proto_arena_copy_string(MKProtoArena *arena, const void *bytes, size_t length,
                                             char **out);

/** Copies `length` bytes into the arena; NULL for an empty input or when memory is exhausted. */
uint8_t *mk_proto_arena_copy_bytes(MKProtoArena *arena, const void *bytes, size_t length,
                                   int *out_of_memory);

/** Outcome of mk_proto_unpacked_string_check. */
typedef enum MKProtoStringStatus {
    MK_PROTO_STRING_OK = 0,
    MK_PROTO_STRING_INTERIOR_NUL = 1,
    MK_PROTO_STRING_INVALID_UTF8 = 2,
} MKProtoStringStatus;

/**
 * Checks a string field of a message unpacked with an arena's allocator in one pass: takes its
 * length from the arena's size header (protobuf-c allocated wire length + 1, no strlen), refuses a
 * NUL byte within it and validates it as UTF-8 exactly as Unicode defines well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing above U+10FFFF). On MK_PROTO_STRING_OK sets `*length`
 * and `*ascii` (1 when every byte is below 0x80). NULL and protobuf_c_empty_string are empty.
 */
MKProtoStringStatus mk_proto_unpacked_string_check(const char *string, size_t *length, int *ascii);

/** The same checks for `length` bytes at `bytes` (not necessarily NUL-terminated). */
MKProtoStringStatus mk_proto_utf8_check(const unsigned char *bytes, size_t length, int *ascii);

/**
 * Arena activity of the calling thread, for leak tests: each pair must match after a call.
 *
 * A released chunk is either freed or kept as the thread's one spare chunk (at most 64 KiB, freed
 * when the thread exits) for the next arena that needs one; both count as freed, and taking the
 * spare counts as allocated and as reused.
 */
typedef struct MKProtoArenaStatistics {
    uint64_t arenas_initialized;
    uint64_t arenas_released;
    uint64_t chunks_allocated;
    uint64_t chunks_freed;
    /** Chunks taken from the thread's spare instead of malloc. */
    uint64_t chunks_reused;
} MKProtoArenaStatistics;

/** The calling thread's counters since it started. */
MKProtoArenaStatistics mk_proto_arena_thread_statistics(void);

/** One .proto file's descriptors, as protoc-c generated them. Arrays are NULL-terminated. */
typedef struct MKProtoFileDescriptor {
    /** The file's path under proto/, "mk/rpc/v1/rpc.proto". */
    const char *proto_path;
    /** Every message, nested ones included, in protoc-c's order. */
    const ProtobufCMessageDescriptor *const *messages;
    /** For each message, protoc-c's lower-case symbol prefix ("mk__rpc__v1__envelope"). */
    const char *const *message_symbols;
    /** Every enum. */
    const ProtobufCEnumDescriptor *const *enums;
    /** Every service. */
    const ProtobufCServiceDescriptor *const *services;
} MKProtoFileDescriptor;

#ifdef __cplusplus
}
#endif

#endif
