internal import CMKProto
internal import CProtobufC

/// A view of a C arena (`MKProtoArena`) that lives only inside ``ProtoArena/with(_:)``.
///
/// Generated code builds C messages for packing in it, and protobuf-c unpacks into it; releasing
/// the arena frees every block at once, so no error path can leak a field. Never store it.
struct ProtoArena {
    let pointer: UnsafeMutablePointer<MKProtoArena>

    /// Bytes of the first region, on the stack; larger messages grow into chunks (the thread keeps
    /// one released chunk for the next arena). Not more: `withUnsafeTemporaryAllocation` only
    /// promises the stack up to 1024 bytes, and above it a device record's round trip paid two
    /// malloc/free pairs of this buffer.
    private static let inlineCapacity = 1024

    /// Runs `body` with a fresh arena and releases it on every path.
    static func with<R>(_ body: (ProtoArena) throws(ProtoError) -> R) throws(ProtoError) -> R {
        try withUnsafeTemporaryAllocation(byteCount: inlineCapacity, alignment: Int(MK_PROTO_ARENA_ALIGNMENT)) {
            buffer throws(ProtoError) -> R in
            guard let arena = mk_proto_arena_init(buffer.baseAddress, buffer.count) else {
                throw ProtoError(.outOfMemory, message: "")
            }
            defer { mk_proto_arena_release(arena) }
            return try body(ProtoArena(pointer: arena))
        }
    }

    /// protobuf-c's view of the arena (its first member).
    var allocator: UnsafeMutablePointer<ProtobufCAllocator> {
        UnsafeMutableRawPointer(pointer).assumingMemoryBound(to: ProtobufCAllocator.self)
    }

    /// Uninitialized memory for `count` values of `T`.
    func allocate<T>(_ type: T.Type, count: Int = 1, message: String) throws(ProtoError) -> UnsafeMutablePointer<T> {
        let (bytes, overflow) = MemoryLayout<T>.stride.multipliedReportingOverflow(by: count)
        guard !overflow, let raw = mk_proto_arena_alloc(pointer, bytes) else {
            throw ProtoError(.outOfMemory, message: message)
        }
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// A NUL-terminated copy of `value`; throws `.interiorNUL` when it contains a NUL.
    func string(_ value: String, message: String, field: String) throws(ProtoError) -> UnsafeMutablePointer<CChar> {
        var result: UnsafeMutablePointer<CChar>?
        // Native strings are contiguous: read them in place instead of copying the String first.
        let status: MKProtoCopyStatus
        if let copied = value.utf8.withContiguousStorageIfAvailable({ utf8 in
            mk_proto_arena_copy_string(pointer, utf8.baseAddress, utf8.count, &result)
        }) {
            status = copied
        } else {
            var value = value
            status = value.withUTF8 { utf8 in
                mk_proto_arena_copy_string(pointer, utf8.baseAddress, utf8.count, &result)
            }
        }
        switch status {
        case MK_PROTO_COPY_OK:
            if let result { return result }
            throw ProtoError(.outOfMemory, message: message, field: field)
        case MK_PROTO_COPY_INTERIOR_NUL:
            throw ProtoError(.interiorNUL, message: message, field: field)
        default:
            throw ProtoError(.outOfMemory, message: message, field: field)
        }
    }

    /// A copy of `value` as protobuf-c's bytes.
    func bytes(_ value: [UInt8], message: String, field: String) throws(ProtoError) -> ProtobufCBinaryData {
        var outOfMemory: Int32 = 0
        let data = value.withUnsafeBytes { raw in
            mk_proto_arena_copy_bytes(pointer, raw.baseAddress, raw.count, &outOfMemory)
        }
        if outOfMemory != 0 { throw ProtoError(.outOfMemory, message: message, field: field) }
        return ProtobufCBinaryData(len: value.count, data: data)
    }

    /// The C array of a repeated string field.
    func strings(
        _ values: [String], message: String, field: String
    ) throws(ProtoError) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let array = try allocate(UnsafeMutablePointer<CChar>?.self, count: values.count, message: message)
        try values.withUnsafeBufferPointer { values throws(ProtoError) in
            for i in values.indices {
                (array + i).initialize(to: try string(values[i], message: message, field: field))
            }
        }
        return array
    }

    /// The C array of a repeated bytes field.
    func byteArrays(
        _ values: [[UInt8]], message: String, field: String
    ) throws(ProtoError) -> UnsafeMutablePointer<ProtobufCBinaryData> {
        let array = try allocate(ProtobufCBinaryData.self, count: values.count, message: message)
        try values.withUnsafeBufferPointer { values throws(ProtoError) in
            for i in values.indices {
                (array + i).initialize(to: try bytes(values[i], message: message, field: field))
            }
        }
        return array
    }

    /// The C array of a repeated message field.
    func messages<M, C>(
        _ values: [M], message: String, field: String,
        build: (M, ProtoArena) throws(ProtoError) -> UnsafeMutablePointer<C>
    ) throws(ProtoError) -> UnsafeMutablePointer<UnsafeMutablePointer<C>?> {
        let array = try allocate(UnsafeMutablePointer<C>?.self, count: values.count, message: message)
        // Elements are borrowed from the array's buffer: iterating the array copied each message.
        try values.withUnsafeBufferPointer { values throws(ProtoError) in
            for i in values.indices {
                (array + i).initialize(to: try build(values[i], self))
            }
        }
        return array
    }

    /// The C array of a repeated scalar or enum field.
    func scalars<V, C>(
        _ values: [V], message: String, _ convert: (V) -> C
    ) throws(ProtoError) -> UnsafeMutablePointer<C> {
        let array = try allocate(C.self, count: values.count, message: message)
        for (i, value) in values.enumerated() {
            (array + i).initialize(to: convert(value))
        }
        return array
    }
}
