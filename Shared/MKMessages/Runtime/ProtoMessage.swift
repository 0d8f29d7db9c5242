#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A message of the contracts in `proto/`, encoded and decoded through libprotobuf-c.
///
/// Generated types conform to it; decoding never crashes on peer input: malformed bytes,
/// invalid UTF-8 and interior NUL characters throw ``ProtoError``.
public protocol ProtoMessage: Sendable, Equatable {
    /// The fully qualified protobuf name, for example `mk.registry.v1.Device`.
    static var protoMessageName: String { get }

    /// A message with every field at its default (absent) value.
    init()

    /// Decodes a message from its packed protobuf bytes. Unknown fields are skipped.
    init(serializedBytes bytes: UnsafeRawBufferPointer) throws(ProtoError)

    /// The number of bytes ``serialize(into:)`` writes.
    func serializedSize() throws(ProtoError) -> Int

    /// Packs the message into `buffer`, which must hold at least ``serializedSize()`` bytes, and
    /// returns the number of bytes written.
    func serialize(into buffer: UnsafeMutableRawBufferPointer) throws(ProtoError) -> Int

    /// The packed protobuf bytes of the message. Generated types implement it to build their C
    /// representation once; the default calls ``serializedSize()`` and ``serialize(into:)``.
    func serializedBytes() throws(ProtoError) -> [UInt8]
}

extension ProtoMessage {
    /// Decodes a message from packed protobuf bytes held in any contiguous collection.
    ///
    /// Inlinable so that callers specialise it for their concrete message and byte types: the
    /// unspecialised generic path paid for metadata look-ups and value-witness copies per call.
    @inlinable
    public init(serializedBytes bytes: some ContiguousBytes) throws(ProtoError) {
        let result: Result<Self, ProtoError> = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtoError) in try Self(serializedBytes: raw) }
        }
        // Moved out of the result: `get()` would copy the message and then destroy the result,
        // a retain and a release per string field.
        switch consume result {
        case .success(let message): self = message
        case .failure(let error): throw error
        }
    }

    /// Decodes a message from packed protobuf bytes in an array.
    ///
    /// The array's buffer passes typed errors through, so no `Result` carries the message out.
    @inlinable
    public init(serializedBytes bytes: [UInt8]) throws(ProtoError) {
        self = try bytes.withUnsafeBufferPointer { buffer throws(ProtoError) in
            try Self(serializedBytes: UnsafeRawBufferPointer(buffer))
        }
    }

    /// The packed protobuf bytes of the message.
    @inlinable
    public func serializedBytes() throws(ProtoError) -> [UInt8] {
        let size = try serializedSize()
        var failure: ProtoError?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            do throws(ProtoError) {
                count = try serialize(into: UnsafeMutableRawBufferPointer(buffer))
            } catch {
                failure = error
                count = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }
}
