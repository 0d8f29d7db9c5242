#!/usr/bin/env python3
"""Runs the system tests (Tests/System) with pytest and ends with one line `N passed, N failed`.

Usage: Tests/System/run.py [BIN_DIR] [pytest arguments…]
BIN_DIR is the folder of the built executables (default: `swift build --show-bin-path`). Exits 0
only when tests ran and all passed: pytest's "no tests collected" (exit 5) is a failure here.
"""

import os
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout

import pytest  # noqa: E402


class Tally:
    def __init__(self):
        self.passed = self.failed = self.skipped = 0

    def pytest_runtest_logreport(self, report):
        if report.when == "call" and report.passed:
            self.passed += 1
        elif report.failed:
            self.failed += 1
        elif report.skipped:
            self.skipped += 1


def main() -> int:
    arguments = sys.argv[1:]
    if arguments and not arguments[0].startswith("-") and Path(arguments[0]).is_dir():
        os.environ["MK_BIN_DIR"] = arguments.pop(0)
    here = Path(__file__).resolve().parent
    tally = Tally()
    code = pytest.main(["-p", "no:cacheprovider", "-q", "-rfE", str(here), *arguments], plugins=[tally])
    skipped = f", {tally.skipped} skipped" if tally.skipped else ""
    print(f"System tests: {tally.passed} passed, {tally.failed} failed{skipped}")
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("System tests: no tests ran; that is a failure")
        return 1
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
