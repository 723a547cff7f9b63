"""Settings every test shares: Qt offscreen before anything imports it; the paying account
of payment files set explicitly (the shipped example one is refused); supporting documents
stored in a directory of the run, never in the user's data directory; the shared fixtures
(tests/fixtures.py)."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault(
    "IMAGIN_PAYMENT_DEBTOR_FILE", str(Path(__file__).parent / "data" / "debtor.toml")
)
os.environ.setdefault("IMAGIN_DOCUMENTS_DIR", tempfile.mkdtemp(prefix="imagin-documents-"))

pytest_plugins = ["tests.fixtures"]
