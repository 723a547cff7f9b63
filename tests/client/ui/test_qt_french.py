"""Qt's own dialogs speak French: the words its translation lacks are supplied, and the file
dialog writes dates as 02/12/2026."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QObject
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel

from client.ui import qt_french

ENGLISH = re.compile(
    r"\b(Look|Files|File|Folder|Name|Size|Type|Date|Modified|Open|Save|Cancel|Back|Forward|"
    r"Directory|Drive|Computer|Yes|No)\b"
)


def test_the_file_dialog_has_no_english_word(qapp: QApplication, qtbot: Any) -> None:
    keep: list[QObject] = []
    previous = QLocale()
    try:
        assert qt_french.install(qapp, keep)  # qtbase_fr.qm ships with PySide6
        dialog = QFileDialog(None, "Enregistrer le récapitulatif", "/tmp", "PDF (*.pdf)")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        dialog.show()
        texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible()]
        texts += [b.text() for b in dialog.findChildren(QAbstractButton) if b.isVisible()]
        assert "&Chercher dans :" in texts and "Fichiers de &type :" in texts
        english = [t for t in texts if ENGLISH.search(t.replace("&", ""))]
        assert not english
        # The application's own words pass through untouched.
        assert QCoreApplication.translate("MissionsPage", "Mes missions") == "Mes missions"
    finally:
        for translator in keep:
            qapp.removeTranslator(translator)  # type: ignore[arg-type]
        QLocale.setDefault(previous)


def test_the_file_dialog_writes_french_dates() -> None:
    """In a fresh process, as the application starts: the system locale Qt asks is French."""
    code = (
        "from PySide6.QtCore import QDate, QLocale\n"
        "from client.ui.application import make_application\n"
        "app = make_application([])\n"
        "print(QLocale.system().toString(QDate(2026, 12, 2), QLocale.FormatType.ShortFormat))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LC_TIME": "en_US.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "02/12/2026", result.stderr
