internal import CMKProto
internal import CProtobufC

/// The pack and unpack paths every generated message shares.
///
/// Decoding unpacks with an arena's allocator, converts the C tree to Swift values, and releases
/// the arena (which frees everything protobuf-c allocated, on success and on failure alike).
/// Encoding builds the C tree in an arena, packs it and releases the arena.
enum ProtoCodec {
    /// Unpacks `bytes` with `unpack` and reads the result into `message` (at its defaults) with `read`.
    static func decode<C, M: ProtoMessage>(
        _ bytes: UnsafeRawBufferPointer, into message: inout M,
        unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<C>?,
        read: (UnsafeMutablePointer<C>, inout M) throws(ProtoError) -> Void
    ) throws(ProtoError) {
        try ProtoArena.with { arena throws(ProtoError) -> Void in
            var empty: UInt8 = 0
            let unpacked: UnsafeMutablePointer<C>?
            if let base = bytes.baseAddress, bytes.count > 0 {
                unpacked = unpack(arena.allocator, bytes.count, base.assumingMemoryBound(to: UInt8.self))
            } else {
                unpacked = unpack(arena.allocator, 0, &empty)
            }
            guard let unpacked else { throw ProtoError(.malformed, message: M.protoMessageName) }
            // Freed with the arena; protobuf_c_message_free_unpacked would only call its no-op free.
            try read(unpacked, &message)
        }
    }

    /// The packed size of `message`.
    static func packedSize<M, C>(
        _ message: M,
        build: (M, ProtoArena) throws(ProtoError) -> UnsafeMutablePointer<C>,
        size: (UnsafePointer<C>?) -> Int
    ) throws(ProtoError) -> Int {
        try ProtoArena.with { arena throws(ProtoError) -> Int in size(try build(message, arena)) }
    }

    /// Packs `message` into `buffer`.
    static func pack<M: ProtoMessage, C>(
        _ message: M,
        into buffer: UnsafeMutableRawBufferPointer,
        build: (M, ProtoArena) throws(ProtoError) -> UnsafeMutablePointer<C>,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) throws(ProtoError) -> Int {
        try ProtoArena.with { arena throws(ProtoError) -> Int in
            let c = try build(message, arena)
            let needed = size(c)
            guard needed <= buffer.count else { throw ProtoError(.bufferTooSmall, message: M.protoMessageName) }
            guard needed > 0, let base = buffer.baseAddress else { return 0 }
            return pack(c, base.bindMemory(to: UInt8.self, capacity: needed))
        }
    }

    /// The most bytes one field adds besides its payload: a tag (at most 5 bytes, field numbers
    /// being below 2²⁹) and a length or scalar value (at most 10, a varint of 64 bits). A packed
    /// repeated scalar field takes one tag and length and at most 10 bytes per element.
    static let fieldBound = 15

    /// The largest bound ``packedBytes(_:bound:build:size:pack:)`` packs on the stack before copying
    /// the bytes into an array of their exact size: `withUnsafeTemporaryAllocation` promises the stack
    /// only up to 1024 bytes.
    static let stackPackingLimit = 1024

    /// The packed bytes of `message`, building the C tree once and packing it into `bound` bytes
    /// (the message's `packedSizeBound`, at least its packed size). `size` (protobuf-c's exact
    /// walk) checks the bound in debug builds only: skipping that walk is the point.
    static func packedBytes<M, C>(
        _ message: M,
        bound: Int,
        build: (M, ProtoArena) throws(ProtoError) -> UnsafeMutablePointer<C>,
        size: (UnsafePointer<C>?) -> Int,
        pack: (UnsafePointer<C>?, UnsafeMutablePointer<UInt8>?) -> Int
    ) throws(ProtoError) -> [UInt8] {
        try ProtoArena.with { arena throws(ProtoError) -> [UInt8] in
            let c = try build(message, arena)
            assert(size(c) <= bound, "the packed size exceeds the generated bound")
            guard bound > 0 else { return [] }
            guard bound <= stackPackingLimit else {
                return [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
                    count = pack(c, buffer.baseAddress)
                }
            }
            // Copying from a buffer creates the array without the generic metadata lookup that
            // `init(unsafeUninitializedCapacity:)` pays on every call (≈ 20 ns, more than the copy).
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
                [UInt8](UnsafeBufferPointer(start: buffer.baseAddress, count: pack(c, buffer.baseAddress)))
            }
        }
    }

    /// A string field of an unpacked message: rejects interior NUL and invalid UTF-8.
    static func string(
        _ pointer: UnsafeMutablePointer<CChar>?, message: String, field: String
    ) throws(ProtoError) -> String {
        // One C pass: the length from the arena's size header, the NUL check and UTF-8 validation.
        var length = 0
        var ascii: Int32 = 0
        switch mk_proto_unpacked_string_check(pointer, &length, &ascii) {
        case MK_PROTO_STRING_OK: break
        case MK_PROTO_STRING_INTERIOR_NUL: throw ProtoError(.interiorNUL, message: message, field: field)
        default: throw ProtoError(.invalidUTF8, message: message, field: field)
        }
        guard length > 0, let pointer else { return "" }
        let bytes = UnsafeBufferPointer(
            start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: length)
        if #available(macOS 26, *) {
            // Already validated above, so the string is built without a second validation pass.
            return String(copying: UTF8Span(unchecked: bytes.span, isKnownASCII: ascii != 0))
        }
        // Validated above: decoding cannot repair anything.
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A bytes field of an unpacked message.
    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let base = data.data else { return [] }
        return [UInt8](UnsafeBufferPointer(start: base, count: data.len))
    }

    /// A repeated string field of an unpacked message.
    static func strings(
        _ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int, message: String, field: String
    ) throws(ProtoError) -> [String] {
        guard count > 0, let array else { return [] }
        var result: [String] = []
        result.reserveCapacity(count)
        for i in 0..<count { result.append(try string(array[i], message: message, field: field)) }
        return result
    }

    /// A singular message field of an unpacked message; `nil` when absent.
    static func message<C, M: ProtoMessage>(
        _ pointer: UnsafeMutablePointer<C>?, read: (UnsafeMutablePointer<C>, inout M) throws(ProtoError) -> Void
    ) throws(ProtoError) -> M? {
        guard let pointer else { return nil }
        var value = M()
        try read(pointer, &value)
        return value
    }

    /// A repeated message field of an unpacked message.
    static func messages<C, M: ProtoMessage>(
        _ array: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, count: Int, message: String, field: String,
        read: (UnsafeMutablePointer<C>, inout M) throws(ProtoError) -> Void
    ) throws(ProtoError) -> [M] {
        guard count > 0, let array else { return [] }
        // Each element is read in place: a local appended afterwards was copied, not moved.
        return try [M](unsafeUninitializedCapacity: count) { buffer, initialized throws(ProtoError) in
            for i in 0..<count {
                guard let element = array[i] else { throw ProtoError(.malformed, message: message, field: field) }
                (buffer.baseAddress! + i).initialize(to: M())
                initialized = i + 1
                try read(element, &buffer[i])
            }
        }
    }

    /// A repeated scalar, enum or bytes field of an unpacked message.
    static func scalars<C, V>(_ array: UnsafeMutablePointer<C>?, count: Int, _ convert: (C) -> V) -> [V] {
        guard count > 0, let array else { return [] }
        return UnsafeBufferPointer(start: array, count: count).map(convert)
    }
}
