import BenchArgon2
import Bok
import Histogram
import NIOPosix

/// Times raw Argon2id hashes with the BOK service's parameters, a 6-digit password, a 16-byte salt
/// and 32 bytes of output, on the blocking thread pool the service hashes on. One thread gives
/// the denominator of the Argon2id limit (cores ÷ one hash's time); all threads at once show how
/// far the machine itself scales.
enum Argon2Timing {
    /// Whose hash is timed.
    enum Implementation: Sendable {
        /// The service's own call, `Bok.Argon2id.hash` (its memory on transparent huge pages).
        case service
        /// libargon2's `argon2id_hash_raw` with the library's own allocation (`malloc`).
        case library
    }

    /// One hash; throws when libargon2 refuses (bad parameters, no memory).
    static func hash(_ parameters: Argon2Parameters, salt: [UInt8], by implementation: Implementation) throws {
        let password = Array("482916".utf8)
        switch implementation {
        case .service:
            guard Argon2id.hash(password: password, salt: salt, parameters: parameters) != nil else {
                throw BenchError("Argon2id.hash failed")
            }
        case .library:
            var output = [UInt8](repeating: 0, count: 32)
            let result = password.withUnsafeBytes { passwordBytes in
                salt.withUnsafeBytes { saltBytes in
                    output.withUnsafeMutableBytes { outputBytes in
                        argon2id_hash_raw(
                            UInt32(parameters.iterations), UInt32(parameters.memoryKiB), UInt32(parameters.parallelism),
                            passwordBytes.baseAddress, passwordBytes.count, saltBytes.baseAddress, saltBytes.count,
                            outputBytes.baseAddress, outputBytes.count)
                    }
                }
            }
            guard result == ARGON2_OK.rawValue else { throw BenchError("argon2id_hash_raw failed with \(result)") }
        }
    }

    /// Hashes on `threads` pool threads at once until `slice` has passed (each thread finishes
    /// the hash it is in). The sample's rate is the sum of the threads' own rates (hashes ÷ the
    /// time that thread spent hashing), so a thread finishing its last hash early is not counted
    /// as idle; its latencies are the hashes' durations (µs).
    static func run(
        _ parameters: Argon2Parameters, by implementation: Implementation, threads: Int, for slice: Duration
    ) async throws -> Sample {
        let clock = ContinuousClock()
        let end = clock.now + slice
        let salt = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        var total = 0
        var rate = 0.0
        try await withThrowingTaskGroup(of: (Int, Double, Histogram<UInt64>).self) { group in
            for _ in 0..<threads {
                group.addTask {
                    try await NIOThreadPool.singleton.runIfActive {
                        var histogram = Histogram<UInt64>(
                            highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                        let start = clock.now
                        var before = start
                        var count = 0
                        while before < end {
                            try hash(parameters, salt: salt, by: implementation)
                            let after = clock.now
                            _ = histogram.record((after - before).wholeMicroseconds)
                            count += 1
                            before = after
                        }
                        return (count, (before - start).seconds, histogram)
                    }
                }
            }
            for try await (count, seconds, histogram) in group {
                total += count
                rate += seconds > 0 ? Double(count) / seconds : 0
                merged.add(histogram)
            }
        }
        return Sample(operations: total, seconds: rate > 0 ? Double(total) / rate : 0, latencies: merged)
    }

    /// The Argon2id limit from a one-thread sample of ``run(_:by:threads:for:)``: `cores` ÷ the
    /// mean time of one hash, as a sample whose rate is that limit and whose latencies are the
    /// hash times.
    static func limit(fromOneThread sample: Sample, cores: Int) -> Sample {
        var limit = sample
        limit.operations *= cores
        return limit
    }
}
