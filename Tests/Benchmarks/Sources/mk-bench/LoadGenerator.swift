import Histogram

extension Duration {
    /// Whole microseconds (negative durations count as zero).
    var wholeMicroseconds: UInt64 {
        let (seconds, attoseconds) = components
        let micros = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        return micros > 0 ? UInt64(micros) : 0
    }
}

/// Closed-loop load: `concurrency` tasks, each calling as soon as its previous call returned,
/// until the slice has passed. Every call's latency lands in an HdrHistogram (µs).
enum LoadGenerator {
    static func run(
        concurrency: Int, for slice: Duration, _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> Sample {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + slice
        var total = 0
        var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        try await withThrowingTaskGroup(of: (Int, Histogram<UInt64>).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var histogram = Histogram<UInt64>(
                        highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                    var count = 0
                    var before = clock.now
                    while before < end {
                        try await call()
                        let after = clock.now
                        _ = histogram.record((after - before).wholeMicroseconds)
                        count += 1
                        before = after
                    }
                    return (count, histogram)
                }
            }
            for try await (count, histogram) in group {
                total += count
                merged.add(histogram)
            }
        }
        return Sample(operations: total, seconds: (clock.now - start).seconds, latencies: merged)
    }
}
