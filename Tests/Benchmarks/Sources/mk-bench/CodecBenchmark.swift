import BenchProtos
import MKMessages
import SwiftProtobuf

/// The codec row: one message encoded to bytes and decoded back, per iteration, single-threaded,
/// by our bindings over protobuf-c and by swift-protobuf, in interleaved time slices.
enum CodecBenchmark {
    /// One message in both flavours.
    struct Case: Sendable {
        let name: String
        let ours: @Sendable (Int) throws -> Int
        let theirs: @Sendable (Int) throws -> Int
        let ourBytes: [UInt8]
        let theirBytes: [UInt8]
    }

    static func cases() throws -> [Case] {
        [
            try makeCase("Device record", CodecFixtures.ourDevice(), CodecFixtures.theirDevice()),
            try makeCase("ListDevicesResponse, 10 keys", CodecFixtures.ourList(), CodecFixtures.theirList()),
            try makeCase(
                "Settings grid, 2 contacts + 3 named keys", CodecFixtures.ourSettings(),
                CodecFixtures.theirSettings()),
        ]
    }

    static func makeCase<Ours: ProtoMessage, Theirs: SwiftProtobuf.Message & Equatable>(
        _ name: String, _ ours: Ours, _ theirs: Theirs
    ) throws -> Case {
        let ourBytes = try ours.serializedBytes()
        let theirBytes: [UInt8] = try theirs.serializedBytes()
        // Both sides must carry the same message: same bytes, and each decodes the other's.
        guard ourBytes == theirBytes else {
            throw BenchError("\(name): the two encodings differ (\(ourBytes.count) vs \(theirBytes.count) bytes)")
        }
        guard try Ours(serializedBytes: theirBytes) == ours, try Theirs(serializedBytes: ourBytes) == theirs else {
            throw BenchError("\(name): a decoded message differs from the original")
        }
        return Case(
            name: name,
            ours: { iterations in try ourRoundTrips(ours, iterations: iterations) },
            theirs: { iterations in try theirRoundTrips(theirs, iterations: iterations) },
            ourBytes: ourBytes,
            theirBytes: theirBytes
        )
    }

    /// Encodes and decodes `message` `iterations` times; returns a checksum so nothing is elided.
    @inline(never)
    static func ourRoundTrips<M: ProtoMessage>(_ message: M, iterations: Int) throws -> Int {
        var checksum = 0
        for _ in 0..<iterations {
            let bytes = try message.serializedBytes()
            let decoded = try M(serializedBytes: bytes)
            checksum &+= bytes.count
            blackHole(decoded)
        }
        return checksum
    }

    @inline(never)
    static func theirRoundTrips<M: SwiftProtobuf.Message & Equatable>(_ message: M, iterations: Int) throws -> Int {
        var checksum = 0
        for _ in 0..<iterations {
            let bytes: [UInt8] = try message.serializedBytes()
            let decoded = try M(serializedBytes: bytes)
            checksum &+= bytes.count
            blackHole(decoded)
        }
        return checksum
    }

    /// Keeps a value alive without looking at it, so the optimiser cannot drop the decode.
    @inline(never)
    static func blackHole<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }

    /// Runs `body` in batches until `slice` has passed; returns messages per second.
    static func rate(for slice: Duration, _ body: (Int) throws -> Int) throws -> Sample {
        let clock = ContinuousClock()
        var batch = 64
        var total = 0
        var checksum = 0
        let start = clock.now
        var elapsed = Duration.zero
        while elapsed < slice {
            checksum &+= try body(batch)
            total += batch
            elapsed = clock.now - start
            if elapsed < slice / 20 { batch *= 2 }
        }
        precondition(checksum != 0)
        return Sample(operations: total, seconds: elapsed.seconds)
    }

    /// Interleaved rounds: ours, theirs, ours, theirs, … each for `slice`.
    static func run(rounds: Int, slice: Duration) throws -> [ReportRow] {
        var rows: [ReportRow] = []
        for c in try cases() {
            progress("codec: \(c.name) (\(c.ourBytes.count) bytes)")
            _ = try rate(for: slice / 2, c.ours)
            _ = try rate(for: slice / 2, c.theirs)
            var ours: [Sample] = []
            var theirs: [Sample] = []
            for _ in 0..<rounds {
                ours.append(try rate(for: slice, c.ours))
                theirs.append(try rate(for: slice, c.theirs))
            }
            rows.append(
                ReportRow(
                    area: "Codec",
                    benchmark: "\(c.name), \(c.ourBytes.count) B, encode+decode, 1 thread",
                    unit: "msg/s",
                    ours: Measurement(samples: ours),
                    alternativeName: "swift-protobuf 1.39.0",
                    alternative: Measurement(samples: theirs),
                    goal: .atLeast(1.5)
                ))
        }
        return rows
    }

    /// A fixed number of round trips of one case, for `valgrind --tool=callgrind`.
    static func profile(system: String, message: String, iterations: Int) throws {
        guard let c = try cases().first(where: { $0.name.lowercased().hasPrefix(message.lowercased()) }) else {
            throw BenchError("no codec case starts with \(message)")
        }
        let checksum = system == "ours" ? try c.ours(iterations) : try c.theirs(iterations)
        print("\(system) \(c.name): \(iterations) round trips, checksum \(checksum)")
    }
}
