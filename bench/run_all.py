"""`make bench`: every benchmark in turn, even when one misses its target or fails, then one
table of every judged figure (bench/report.py); exits 1 if any target was missed.

    .venv/bin/python bench/run_all.py [name ...]     # e.g. recap_pdf client_startup
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import Figure, parse, table

HERE = Path(__file__).resolve().parent
# In the order of `make bench`; the client's start-up runs offscreen.
BENCHES = (
    "server_load",
    "dec_bulk",
    "assignment",
    "recap_pdf",
    "client_startup",
    "wide_area",
    "document_upload",
    "document_viewer",
)
OFFSCREEN = frozenset({"client_startup", "document_viewer"})


def run(name: str) -> tuple[list[Figure], int, float]:
    """Runs one benchmark, its output passed through; its figures, exit code and duration."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"} if name in OFFSCREEN else None
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(HERE / f"{name}.py")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    figures = []
    for line in process.stdout:
        figure = parse(line)
        if figure is None:
            sys.stdout.write(line)
            sys.stdout.flush()
        else:
            figures.append(figure)
    return figures, process.wait(), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    names = argv if argv else list(BENCHES)
    figures: list[Figure] = []
    failed: list[str] = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        found, code, seconds = run(name)
        figures += found
        print(f"=== {name}: exit {code}, {seconds:.0f} s ===", flush=True)
        if code != 0 and all(f.met for f in found):
            failed.append(f"{name} (exit {code})")
        if not found:
            failed.append(f"{name} (no figure reported)")
    print("\n" + table(figures))
    missed = [f"{f.bench}: {f.name}" for f in figures if not f.met]
    if missed or failed:
        print("\nMissed: " + "; ".join(missed + failed))
        return 1
    print("\nEvery target met.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
