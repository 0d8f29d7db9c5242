import CoreMetrics
import Synchronization

/// Keeps every metric in memory, for assertions. Passed to the server through its configuration,
/// so no test bootstraps the process-wide `MetricsSystem`.
final class TestMetricsFactory: MetricsFactory {
    final class TestCounter: CounterHandler, Sendable {
        private let value = Mutex<Int64>(0)
        func increment(by amount: Int64) { self.value.withLock { $0 += amount } }
        func reset() { self.value.withLock { $0 = 0 } }
        var total: Int64 { self.value.withLock { $0 } }
    }

    final class TestTimer: TimerHandler, Sendable {
        private let values = Mutex<[Int64]>([])
        func recordNanoseconds(_ duration: Int64) { self.values.withLock { $0.append(duration) } }
        var recorded: [Int64] { self.values.withLock { $0 } }
    }

    final class TestMeter: MeterHandler, Sendable {
        private let value = Mutex<Double>(0)
        private let peak = Mutex<Double>(0)
        func set(_ value: Int64) { self.set(Double(value)) }
        func set(_ value: Double) {
            self.value.withLock { $0 = value }
            self.peak.withLock { $0 = max($0, value) }
        }
        func increment(by amount: Double) {
            let now = self.value.withLock {
                $0 += amount
                return $0
            }
            self.peak.withLock { $0 = max($0, now) }
        }
        func decrement(by amount: Double) { self.value.withLock { $0 -= amount } }
        var current: Double { self.value.withLock { $0 } }
        var highest: Double { self.peak.withLock { $0 } }
    }

    final class TestRecorder: RecorderHandler, Sendable {
        func record(_ value: Int64) {}
        func record(_ value: Double) {}
    }

    private let counters = Mutex<[String: TestCounter]>([:])
    private let timers = Mutex<[String: TestTimer]>([:])
    private let meters = Mutex<[String: TestMeter]>([:])

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        ([label] + dimensions.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }).joined(separator: ",")
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        self.counters.withLock { metrics in
            let key = Self.key(label, dimensions)
            if let existing = metrics[key] { return existing }
            let created = TestCounter()
            metrics[key] = created
            return created
        }
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        self.meters.withLock { metrics in
            let key = Self.key(label, dimensions)
            if let existing = metrics[key] { return existing }
            let created = TestMeter()
            metrics[key] = created
            return created
        }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        TestRecorder()
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        self.timers.withLock { metrics in
            let key = Self.key(label, dimensions)
            if let existing = metrics[key] { return existing }
            let created = TestTimer()
            metrics[key] = created
            return created
        }
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}

    func counter(_ label: String, _ dimensions: [(String, String)]) -> Int64 {
        self.counters.withLock { $0[Self.key(label, dimensions)]?.total } ?? 0
    }

    func timerValues(_ label: String, _ dimensions: [(String, String)]) -> [Int64] {
        self.timers.withLock { $0[Self.key(label, dimensions)]?.recorded } ?? []
    }

    func meter(_ label: String) -> TestMeter? {
        self.meters.withLock { $0[Self.key(label, [])] }
    }
}
