/// Reads consecutive big-endian fields from a binary value (arrays and other composite formats).
struct BinaryReader {
    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    mutating func read<T: FixedWidthInteger>(_ type: T.Type) -> T? {
        guard let slice = read(count: MemoryLayout<T>.size) else { return nil }
        return BinaryCoding.integer(type, from: slice)
    }

    mutating func read(count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count >= count else { return nil }
        defer { bytes = bytes.dropFirst(count) }
        return bytes.prefix(count)
    }
}
