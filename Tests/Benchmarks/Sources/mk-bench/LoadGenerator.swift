import Histogram
import MKRPC
import NIOPosix

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
///
/// The tasks run on the event loops of `MultiThreadedEventLoopGroup.singleton`, round-robin, as a
/// server's handlers run on theirs: the group every client and server of the benchmarks uses, so
/// a client that sends a call on its caller's loop (ours) wakes no other thread for it.
enum LoadGenerator {
    /// One executor per loop of the group the benchmarks' clients and servers run on.
    static let callerExecutors = MultiThreadedEventLoopGroup.singleton.makeIterator().map {
        RPCEventLoopExecutor(eventLoop: $0)
    }

    static func run(
        concurrency: Int, for slice: Duration, _ call: @escaping @Sendable () async throws -> Void
    ) async throws -> Sample {
        let clock = ContinuousClock()
        let start = clock.now
        let end = start + slice
        var total = 0
        var merged = Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
        try await withThrowingTaskGroup(of: (Int, Histogram<UInt64>).self) { group in
            for index in 0..<concurrency {
                group.addTask(executorPreference: callerExecutors[index % callerExecutors.count]) {
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
