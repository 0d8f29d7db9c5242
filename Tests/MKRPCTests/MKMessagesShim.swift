import MKMessages

/// Packed test messages.
enum MKMessagesShim {
    /// A packed `Mk_Rpc_V1_Metadata` with `traceId` set to `tag`.
    static func metadata(_ tag: String) throws -> [UInt8] {
        try Mk_Rpc_V1_Metadata(traceId: tag).serializedBytes()
    }

    /// Decodes a packed `Mk_Rpc_V1_Metadata`.
    static func decodeMetadata(_ bytes: [UInt8]) throws -> Mk_Rpc_V1_Metadata {
        try Mk_Rpc_V1_Metadata(serializedBytes: bytes)
    }
}
