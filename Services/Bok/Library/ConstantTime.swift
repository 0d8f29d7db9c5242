/// Comparison whose running time does not depend on where two secrets differ.
enum ConstantTime {
    /// True when `left` and `right` are equal; examines every byte even after a difference.
    static func equals(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices {
            difference |= left[index] ^ right[index]
        }
        return difference == 0
    }
}
