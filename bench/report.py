"""The figures a benchmark judges, one machine-readable line each, and the table `make bench`
ends with (`bench/run_all.py`).

A benchmark prints its own report as it likes, and calls `emit` for each figure it holds to a
target: the figure, its unit, the target, the baseline measured in the same run and whether
the target was met. `run_all.py` picks these lines out of every benchmark's output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

MARK = "BENCH-FIGURE "


@dataclass(frozen=True)
class Figure:
    bench: str
    name: str
    value: float
    unit: str
    target: str  # as read: "≤ 50 ms", "≥ 0.40"
    baseline: float | None
    ratio: float | None
    met: bool


def emit(
    name: str,
    value: float,
    unit: str,
    *,
    target: str,
    met: bool,
    baseline: float | None = None,
    ratio: float | None = None,
) -> bool:
    """Prints the figure's line; returns `met`."""
    if ratio is None and baseline:
        ratio = value / baseline
    figure = Figure(Path(sys.argv[0]).stem, name, value, unit, target, baseline, ratio, met)
    sys.stdout.write(MARK + json.dumps(asdict(figure), ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return met


def parse(line: str) -> Figure | None:
    if not line.startswith(MARK):
        return None
    return Figure(**json.loads(line.removeprefix(MARK)))


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"
    return f"{text} {unit}".rstrip()


def table(figures: Iterable[Figure]) -> str:
    """One row per figure: benchmark, figure, value, target, baseline, ratio, met."""
    rows = [("benchmark", "figure", "value", "target", "baseline", "ratio", "met")]
    for f in figures:
        rows.append(
            (
                f.bench,
                f.name,
                _number(f.value, f.unit),
                f.target,
                _number(f.baseline, f.unit),
                "—" if f.ratio is None else f"{f.ratio:.2f}×",
                "yes" if f.met else "NO",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)
