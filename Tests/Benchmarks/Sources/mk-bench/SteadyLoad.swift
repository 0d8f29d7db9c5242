import Histogram

/// Closed-loop load measured in its steady state: `concurrency` tasks call back to back from
/// `start` until `end`, and only calls that finish inside [`measureFrom`, `end`) count, with their
/// latencies (µs). For slow calls (a BOK verification takes about as long as a slice), where
/// LoadGenerator's ramp-up and drain would show as idle capacity that is not really there.
enum SteadyLoad {
    static func run(
        concurrency: Int, start: ContinuousClock.Instant, measureFrom: ContinuousClock.Instant,
        end: ContinuousClock.Instant, _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> Sample {
        let clock = ContinuousClock()
        var total = 0
        var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        try await withThrowingTaskGroup(of: (Int, Histogram<UInt64>).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    try await Task.sleep(until: start, clock: clock)
                    var histogram = Histogram<UInt64>(
                        highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                    var count = 0
                    var before = clock.now
                    while before < end {
                        try await call()
                        let after = clock.now
                        if after >= measureFrom && after < end {
                            _ = histogram.record((after - before).wholeMicroseconds)
                            count += 1
                        }
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
        return Sample(operations: total, seconds: (end - measureFrom).seconds, latencies: merged)
    }
}
