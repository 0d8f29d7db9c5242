import Histogram

/// Open-loop background load at a fixed rate: `tasks` tasks share `rate` calls per second, each
/// calling on its own fixed schedule (staggered) from `start` until `end`, however slow the calls
/// are. Latencies (µs) run from each call's start to its answer.
enum PacedLoad {
    static func run(
        rate: Int, tasks: Int, start: ContinuousClock.Instant, end: ContinuousClock.Instant,
        _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> Sample {
        let clock = ContinuousClock()
        let interval = Duration.seconds(Double(tasks) / Double(rate))
        var total = 0
        var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        try await withThrowingTaskGroup(of: (Int, Histogram<UInt64>).self) { group in
            for index in 0..<tasks {
                group.addTask {
                    var histogram = Histogram<UInt64>(
                        highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
                    var count = 0
                    var tick = start + interval * (Double(index) / Double(tasks))
                    while tick < end {
                        try await Task.sleep(until: tick, clock: clock)
                        let before = clock.now
                        try await call()
                        _ = histogram.record((clock.now - before).wholeMicroseconds)
                        count += 1
                        tick += interval
                    }
                    return (count, histogram)
                }
            }
            for try await (count, histogram) in group {
                total += count
                merged.add(histogram)
            }
        }
        return Sample(operations: total, seconds: (end - start).seconds, latencies: merged)
    }
}
