import Foundation
import Histogram

/// A failed precondition of a benchmark (bad setup, mismatching encodings).
struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Progress goes to standard error so standard output holds only the table.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// One timed run of one contender: how many operations in how long, and their latencies (µs).
struct Sample: Sendable {
    var operations: Int
    var seconds: Double
    var latencies: Histogram<UInt64>?

    var rate: Double { seconds > 0 ? Double(operations) / seconds : 0 }
}

/// The rounds of one contender in one row.
struct Measurement: Sendable {
    var samples: [Sample]
    /// A label shown instead of numbers when the contender could not run.
    var unavailable: String? = nil

    var rates: [Double] { samples.map(\.rate) }
    var medianRate: Double { median(rates) }

    var latencies: Histogram<UInt64>? {
        var merged: Histogram<UInt64>?
        for sample in samples {
            guard let histogram = sample.latencies else { continue }
            if merged == nil { merged = histogram } else { merged!.add(histogram) }
        }
        return merged
    }
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// What a row must show to meet issue 8's goal.
enum Goal: Sendable {
    /// ours ÷ alternative ≥ the factor.
    case atLeast(Double)
    /// No goal for this row (context only).
    case none

    var text: String {
        switch self {
        case .atLeast(let factor):
            factor >= 1 ? "≥ \(format(factor))×" : "≥ \(Int((factor * 100).rounded())) %"
        case .none: "—"
        }
    }
}

/// One line of the table: our contender against one alternative, in interleaved rounds.
struct ReportRow: Sendable {
    var area: String
    var benchmark: String
    var unit: String
    var ours: Measurement
    var alternativeName: String
    var alternative: Measurement
    var goal: Goal
    /// Extra goal text (latency goals) and its verdict, when the row has one.
    var latencyGoal: (text: String, met: Bool)? = nil

    /// ours ÷ alternative, per round (rounds were interleaved, so each pair shares conditions).
    var ratios: [Double] {
        zip(ours.rates, alternative.rates).compactMap { $1 > 0 ? $0 / $1 : nil }
    }

    var verdict: String {
        guard ours.unavailable == nil, alternative.unavailable == nil, !ratios.isEmpty else { return "not measured" }
        var verdicts: [Bool] = []
        if case .atLeast(let factor) = goal { verdicts.append(median(ratios) >= factor) }
        if let latencyGoal { verdicts.append(latencyGoal.met) }
        guard !verdicts.isEmpty else { return "—" }
        return verdicts.allSatisfy { $0 } ? "met" : "NOT met"
    }
}

func format(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    if value >= 100 { return String(Int(value.rounded())) }
    if value >= 10 { return String(format1(value)) }
    return format2(value)
}

private func format1(_ value: Double) -> String { String((value * 10).rounded() / 10) }
private func format2(_ value: Double) -> String {
    let rounded = (value * 100).rounded() / 100
    var text = String(rounded)
    if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) == 2 { text += "0" }
    return text
}

/// A whole number with thin thousands separators (12 345).
func formatCount(_ value: Double) -> String {
    guard value.isFinite else { return "n/a" }
    let digits = String(Int(value.rounded()))
    var result = ""
    for (i, character) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return String(result.reversed())
}

/// A rate: one decimal below 100 (BOK verifications, privacyIDEA), whole numbers above.
func formatRate(_ value: Double) -> String {
    value.isFinite && value < 100 ? String((value * 10).rounded() / 10) : formatCount(value)
}

func formatLatency(_ histogram: Histogram<UInt64>?) -> String {
    guard let histogram, histogram.totalCount > 0 else { return "—" }
    return "\(latencyText(histogram.valueAtPercentile(50))) / \(latencyText(histogram.valueAtPercentile(99)))"
}

/// Microseconds as µs below 10 ms, ms above.
func latencyText(_ micros: UInt64) -> String {
    micros < 10_000 ? "\(micros) µs" : "\(format(Double(micros) / 1000)) ms"
}

/// The table `make bench` prints (Markdown, so PERFORMANCE.md can hold it as is).
func renderTable(_ rows: [ReportRow]) -> String {
    var lines = [
        "| area | benchmark | ours | alternative | alternative's result | ours ÷ alternative, median [min–max] "
            + "| ours p50 / p99 | alternative p50 / p99 | goal | status |",
        "| --- | --- | ---: | --- | ---: | --- | --- | --- | --- | --- |",
    ]
    for row in rows {
        let ours = row.ours.unavailable ?? "\(formatRate(row.ours.medianRate)) \(row.unit)"
        let theirs = row.alternative.unavailable ?? "\(formatRate(row.alternative.medianRate)) \(row.unit)"
        let ratios = row.ratios
        let ratio =
            ratios.isEmpty || row.alternative.unavailable != nil
            ? "not measured"
            : "**\(format(median(ratios)))×** [\(format(ratios.min()!))–\(format(ratios.max()!))], \(ratios.count) rounds"
        var goal = row.goal.text
        if let latencyGoal = row.latencyGoal { goal = goal == "—" ? latencyGoal.text : goal + "; " + latencyGoal.text }
        lines.append(
            "| \(row.area) | \(row.benchmark) | \(ours) | \(row.alternativeName) | \(theirs) | \(ratio) "
                + "| \(formatLatency(row.ours.latencies)) | \(formatLatency(row.alternative.latencies)) "
                + "| \(goal) | \(row.verdict) |")
    }
    return lines.joined(separator: "\n")
}
