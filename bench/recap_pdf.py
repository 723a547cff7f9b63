"""How long a recap takes to render, against a plain one-page reportlab document.

Renders 1,000 recaps of a realistic statement (a correction over 3 days, a car trip with meals
and a night) and, interleaved in the same run, 1,000 one-page documents of a few paragraphs on
the same embedded font. Targets: recap median ≤ 25 ms and ≤ 3× the baseline's median.

    .venv/bin/python bench/recap_pdf.py [--count 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import emit
from client.pdf.fonts import BOLD, REGULAR, register_fonts
from client.pdf.recap import render_recap
from tests.client.pdf.factories import correction_statement

RECAP_TARGET_MS = 25.0
RATIO_TARGET = 3.0
PRINTED_ON = dt.date(2026, 11, 27)
NBSP = "\u00a0"


# The realistic statement the recap tests print: three days of copies, a car trip, meals
# and a night.
STATEMENT = correction_statement()


BASELINE_TITLE = ParagraphStyle("bench-title", fontName=BOLD, fontSize=15, leading=19)
BASELINE_BODY = ParagraphStyle("bench-body", fontName=REGULAR, fontSize=10, leading=13)
BASELINE_TEXT = (
    "Les indemnités de vacation sont versées pour la correction des copies et les "
    "interrogations des candidats ; les frais de déplacement sont remboursés sur la base des "
    f"barèmes en vigueur, soit 1\u202f234,56{NBSP}€ pour l'ensemble des missions de l'œuvre."
)


def render_recap_once() -> bytes:
    return render_recap(STATEMENT, printed_on=PRINTED_ON)


def render_baseline_once() -> bytes:
    """A one-page document of a few paragraphs, on the same embedded font."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=22 * mm,
        invariant=True,
    )
    story = [Paragraph("Récapitulatif de référence", BASELINE_TITLE)]
    story += [Paragraph(BASELINE_TEXT, BASELINE_BODY) for _ in range(4)]
    document.build(story)
    return buffer.getvalue()


def _timed(render: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    render()
    return (time.perf_counter() - start) * 1000


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="documents of each kind")
    count = parser.parse_args(argv).count

    register_fonts()
    for _ in range(20):  # warm up caches (fonts, Babel, reportlab's metrics)
        render_recap_once()
        render_baseline_once()
    # Interleaved, so that both kinds see the same machine load.
    recap: list[float] = []
    baseline: list[float] = []
    for _ in range(count):
        recap.append(_timed(render_recap_once))
        baseline.append(_timed(render_baseline_once))

    recap_median = statistics.median(recap)
    baseline_median = statistics.median(baseline)
    ratio = recap_median / baseline_median
    pages = len(re.findall(rb"/Type /Page\b(?!s)", render_recap_once()))
    print(f"{count} recaps ({pages} pages each), {count} one-page baseline documents")
    print(f"recap median {recap_median:.1f} ms (target ≤ {RECAP_TARGET_MS:.0f} ms)")
    print(f"recap p95 {_p95(recap):.1f} ms")
    print(f"baseline median {baseline_median:.1f} ms")
    print(f"baseline p95 {_p95(baseline):.1f} ms")
    print(f"ratio {ratio:.1f} (target ≤ {RATIO_TARGET:.1f})")
    met = emit(
        "recap median",
        recap_median,
        "ms",
        target=f"≤ {RECAP_TARGET_MS:.0f} ms, ratio ≤ {RATIO_TARGET:.1f}",
        baseline=baseline_median,
        met=recap_median <= RECAP_TARGET_MS and ratio <= RATIO_TARGET,
    )
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
