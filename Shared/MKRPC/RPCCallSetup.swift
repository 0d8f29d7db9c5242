import NIOCore

/// What every caller (the network client and the in-process caller) works out the same way before
/// a call: its deadline and its trace id.
enum RPCCallSetup {
    /// The earliest of `options.timeout` from now, the inherited ``RPCTaskContext/deadline`` and the
    /// caller's default timeout from now.
    static func deadline(
        options: RPCCallOptions,
        defaultTimeout: Duration,
        now: ContinuousClock.Instant = .now
    ) -> ContinuousClock.Instant {
        var deadline = now.advanced(by: defaultTimeout)
        if let timeout = options.timeout {
            deadline = min(deadline, now.advanced(by: timeout))
        }
        if let inherited = RPCTaskContext.deadline {
            deadline = min(deadline, inherited)
        }
        return deadline
    }

    /// `metadata` with its trace id filled: its own, else ``RPCTaskContext/traceID``, else a new one;
    /// and its caller filled with `defaultCaller` when empty.
    static func metadata(_ metadata: RPCMetadata, defaultCaller: String) -> RPCMetadata {
        var metadata = metadata
        if metadata.traceID.isEmpty {
            metadata.traceID = RPCTaskContext.traceID.flatMap { $0.isEmpty ? nil : $0 } ?? Self.newTraceID()
        }
        if metadata.caller.isEmpty {
            metadata.caller = defaultCaller
        }
        return metadata
    }

    /// A new W3C trace id: 32 lowercase hex characters, not all zero, unique within the process.
    ///
    /// Trace ids correlate logs; they are not secrets, so they come from a SplitMix64 sequence
    /// seeded once from the system's generator rather than from a system call per call.
    static func newTraceID() -> String {
        let (high, low) = RPCTraceIDSequence.next()
        return String(unsafeUninitializedCapacity: 32) { buffer in
            Self.writeHex(high, into: buffer, at: 0)
            Self.writeHex(low, into: buffer, at: 16)
            return 32
        }
    }

    /// True for a W3C trace id: 32 lowercase hex characters, not all zero.
    static func isValidTraceID(_ traceID: String) -> Bool {
        guard traceID.utf8.count == 32 else { return false }
        // Native strings are contiguous: a buffer walk instead of the UTF-8 view's index steps.
        if let valid = traceID.utf8.withContiguousStorageIfAvailable(Self.isNonZeroLowercaseHex) { return valid }
        return Self.isNonZeroLowercaseHex(Array(traceID.utf8))
    }

    private static func isNonZeroLowercaseHex(_ utf8: some Collection<UInt8>) -> Bool {
        var allZero = true
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0"):
                continue
            case UInt8(ascii: "1")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"):
                allZero = false
            default:
                return false
            }
        }
        return !allZero
    }

    /// The timeout to put in a request frame: microseconds from now until `deadline`, at least 1
    /// (0 would mean "no deadline").
    static func timeoutMicros(until deadline: ContinuousClock.Instant, now: ContinuousClock.Instant = .now) -> UInt64 {
        let remaining = now.duration(to: deadline)
        let (seconds, attoseconds) = remaining.components
        guard seconds >= 0 else { return 1 }
        let micros = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000)
        guard !micros.overflow else { return UInt64.max }
        return max(1, micros.partialValue &+ UInt64(attoseconds / 1_000_000_000_000))
    }

    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        let digits: StaticString = "0123456789abcdef"
        digits.withUTF8Buffer { digits in
            for index in 0..<16 {
                let nibble = Int((value >> UInt64(60 - 4 * index)) & 0xF)
                buffer[offset + index] = digits[nibble]
            }
        }
    }
}

extension RPCCallSetup {
    /// The event-loop deadline of `deadline` (at most a day away; longer ones are shortened).
    static func nioDeadline(for deadline: ContinuousClock.Instant, now: ContinuousClock.Instant = .now) -> NIODeadline {
        let remaining = min(max(now.duration(to: deadline), .zero), .seconds(86_400))
        return .now() + TimeAmount(remaining)
    }
}
