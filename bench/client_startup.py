"""Client start-up: from process start to the log-in window on screen.

Beside the same measurement of a bare PySide6 window (QApplication, a QMainWindow with a label,
shown) in the same run, the two alternating so that both see the same machine. Target: the
application's median is at most twice the bare window's.

Each run is a fresh Python process on the offscreen platform, with empty settings (no
remembered session is tried). `IMAGIN_STARTUP_PROBE=1` makes `imagin` print the moment the
log-in window was first shown and quit; the bare script does the same.

    python bench/client_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import emit

ROOT = Path(__file__).resolve().parents[1]
MARKER = "IMAGIN_STARTUP_PROBE"
TARGET_RATIO = 2.0

APP = (
    "import sys\nfrom client.app import main\nsys.exit(main(['--server', 'http://127.0.0.1:9']))\n"
)

BARE = f"""
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("IMAG'IN")
window.setCentralWidget(QLabel("Connexion"))

def report():
    sys.stdout.write("{MARKER} shown_at=%.6f\\n" % time.time())
    sys.stdout.flush()
    app.quit()

window.show()
QTimer.singleShot(0, report)
sys.exit(app.exec())
"""


def measure(code: str, env: dict[str, str]) -> float:
    """Seconds from just before the process starts to the window's first show."""
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    for line in result.stdout.splitlines():
        if line.startswith(MARKER):
            shown = float(line.split("shown_at=")[1].split()[0])
            return shown - started
    raise RuntimeError(f"no start-up marker (exit {result.returncode}):\n{result.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="imagin-startup-") as folder:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "IMAGIN_STARTUP_PROBE": "1",
            "XDG_CONFIG_HOME": str(Path(folder) / "config"),
            "XDG_DATA_HOME": str(Path(folder) / "data"),
            "XDG_STATE_HOME": str(Path(folder) / "state"),
            "XDG_CACHE_HOME": str(Path(folder) / "cache"),
        }
        # One untimed run of each: byte-code compilation and the font cache are not start-up.
        measure(APP, env)
        measure(BARE, env)
        app_times, bare_times = [], []
        for _ in range(args.runs):
            app_times.append(measure(APP, env))
            bare_times.append(measure(BARE, env))

    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    ratio = app_median / bare_median
    print(f"start-up to the log-in window, median of {args.runs} runs (offscreen):")
    print(f"  imagin       {app_median * 1000:7.0f} ms  (min {min(app_times) * 1000:.0f} ms)")
    print(f"  bare PySide6 {bare_median * 1000:7.0f} ms  (min {min(bare_times) * 1000:.0f} ms)")
    verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
    print(f"  ratio        {ratio:7.2f}   (target ≤ {TARGET_RATIO:.1f}: {verdict})")
    met = emit(
        "start-up to the log-in window",
        app_median * 1000,
        "ms",
        target=f"ratio ≤ {TARGET_RATIO:.1f}",
        baseline=bare_median * 1000,
        met=ratio <= TARGET_RATIO,
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
