"""docs/licences.md is current (make licences) and every distributed dependency fits EUPL-1.2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "licences.py"


def test_the_licence_report_is_current_and_every_licence_fits() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", str(ROOT / "docs" / "licences.md")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_verdicts(tmp_path: Path) -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import licences
    finally:
        sys.path.remove(str(SCRIPT.parent))
    assert licences.fits("MIT") and licences.fits("LGPL-3.0-only OR GPL-2.0-only")
    assert licences.fits("BSD-3-Clause AND 0BSD AND MIT")
    assert not licences.fits("GPL-3.0-only") and not licences.fits(
        "Artistic-1.0 OR GPL-2.0-or-later"
    )
    assert not licences.fits("MIT AND GPL-2.0-only") and not licences.fits("?")
    assert licences.verdict("GPL-3.0-only", "client") == "À REMPLACER"
    assert (
        licences.verdict("GPL-2.0-or-later WITH Bootloader-exception", "dev")
        == "outil non distribué"
    )
