"""Table rows in exactly the format mk-bench prints (Tests/Benchmarks/Sources/mk-bench/Report.swift),
so `make bench` shows one table: the same columns, numbers, ratios and latency texts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from statistics import median

HEADER = [
    "| area | benchmark | ours | alternative | alternative's result | ours ÷ alternative, median [min–max] "
    "| ours p50 / p99 | alternative p50 / p99 | goal | status |",
    "| --- | --- | ---: | --- | ---: | --- | --- | --- | --- | --- |",
]


def format_number(value: float) -> str:
    """Report.swift's `format`: whole above 100, one decimal above 10, else two."""
    if not math.isfinite(value):
        return "n/a"
    if value >= 100:
        return str(int(round(value)))
    if value >= 10:
        return str(round(value * 10) / 10)
    return f"{round(value * 100) / 100:.2f}"


def format_count(value: float) -> str:
    """A whole number with thousands separators (12,345), as Report.swift's `formatCount`."""
    return "n/a" if not math.isfinite(value) else f"{int(round(value)):,}"


def latency_text(micros: float) -> str:
    """µs below 10 ms, ms above (Report.swift's `latencyText`)."""
    micros = int(round(micros))
    return f"{micros} µs" if micros < 10_000 else f"{format_number(micros / 1000)} ms"


@dataclass
class Contender:
    """One contender's rounds: rate per round and p50/p99 (µs) per round."""

    rates: list[float] = field(default_factory=list)
    p50s: list[float] = field(default_factory=list)
    p99s: list[float] = field(default_factory=list)

    def add(self, rate: float, p50_us: float, p99_us: float) -> None:
        self.rates.append(rate)
        self.p50s.append(p50_us)
        self.p99s.append(p99_us)

    @property
    def median_rate(self) -> float:
        return median(self.rates) if self.rates else math.nan

    @property
    def latency(self) -> str:
        """Medians over the rounds of each round's p50 and p99 (wrk gives percentiles, not samples)."""
        if not self.p50s:
            return "—"
        return f"{latency_text(median(self.p50s))} / {latency_text(median(self.p99s))}"


@dataclass
class Row:
    """One line: ours against an alternative (ratio per interleaved round), or ours alone against
    an absolute goal (`alternative_name` "—")."""

    area: str
    benchmark: str
    unit: str
    ours: Contender
    goal: str
    met: bool | None
    alternative_name: str = "—"
    alternative: Contender | None = None
    ratios: list[float] = field(default_factory=list)
    ours_text: str | None = None

    def render(self) -> str:
        ours = self.ours_text or f"{format_count(self.ours.median_rate)} {self.unit}"
        if self.alternative is None:
            theirs, ratio, their_latency = "—", "—", "—"
        else:
            theirs = f"{format_count(self.alternative.median_rate)} {self.unit}"
            their_latency = self.alternative.latency
            ratio = (f"**{format_number(median(self.ratios))}×** [{format_number(min(self.ratios))}–"
                     f"{format_number(max(self.ratios))}], {len(self.ratios)} rounds" if self.ratios else "not measured")
        status = "—" if self.met is None else ("met" if self.met else "NOT met")
        return (f"| {self.area} | {self.benchmark} | {ours} | {self.alternative_name} | {theirs} | {ratio} "
                f"| {self.ours.latency} | {their_latency} | {self.goal} | {status} |")


def not_measured(area: str, benchmark: str, goal: str, why: str) -> str:
    """A row whose measurement failed: says so instead of a number."""
    return f"| {area} | {benchmark} | not measured ({why}) | — | — | — | — | — | {goal} | not measured |"
