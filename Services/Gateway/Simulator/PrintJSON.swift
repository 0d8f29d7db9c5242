import ArgumentParser
import Crypto
import Foundation
import MobileKeySimulator

/// Prints JSON-compatible values as JSON lines.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}
