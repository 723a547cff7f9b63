"""Qt's own words in French: its translation (qtbase_fr.qm, shipped with PySide6) and the few
words that translation lacks, and dates in the French short format where Qt asks the system.

Qt's file dialog still said "Look in:", "Files of type:" and "Folder" with qtbase_fr.qm loaded
(those strings are missing from it), and wrote file dates as "2 12 2026" (it formats them with
the system's locale, not the default one).
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

FRENCH = QLocale(QLocale.Language.French, QLocale.Country.France)
# What Qt asks the system for when it writes a date itself (the file dialog's dates).
SYSTEM_TIME_LOCALE = "fr_FR.UTF-8"

# (context, source text) → French: the strings of Qt's dialogs that qtbase_fr.qm leaves in
# English (found by opening the file dialogs with a translator that records every request).
MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "&Chercher dans :",
    ("QFileDialog", "Look in:"): "Chercher dans :",
    ("QFileDialog", "Files of &type:"): "Fichiers de &type :",
    ("QFileDialog", "Files of type:"): "Fichiers de type :",
    ("QFileDialog", "Save"): "Enregistrer",
    ("QAbstractFileIconProvider", "Folder"): "Dossier",
    ("QAbstractFileIconProvider", "File"): "Fichier",
    ("QAbstractFileIconProvider", "Drive"): "Lecteur",
    ("QAbstractFileIconProvider", "Computer"): "Ordinateur",
    ("QAbstractFileIconProvider", "Trash"): "Corbeille",
    ("QAbstractFileIconProvider", "Unknown"): "Inconnu",
}


class MissingFrench(QTranslator):
    """Answers the strings of MISSING; installed before qtbase_fr, so asked after it."""

    def translate(
        self,
        context: str,
        source: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        # None, not "": Qt takes an empty string for a translation, a null one for "unknown".
        return MISSING.get((context, source))

    def isEmpty(self) -> bool:  # noqa: N802
        return False


def prepare_system_locale() -> None:
    """Before the QApplication exists: the dates Qt writes with the system's locale in French."""
    os.environ["LC_TIME"] = SYSTEM_TIME_LOCALE


def install(app: QApplication, keep: list[QObject]) -> bool:
    """French as the default locale and Qt's translations installed; False when qtbase_fr.qm
    is not found (Qt then speaks English in its own dialogs, and the log says so)."""
    QLocale.setDefault(FRENCH)
    gaps = MissingFrench(app)
    app.installTranslator(gaps)
    keep.append(gaps)
    translations = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    translator = QTranslator(app)
    if not translator.load(FRENCH, "qtbase", "_", translations):
        log.warning("qtbase_fr translations not found in %s", translations)
        return False
    app.installTranslator(translator)
    keep.append(translator)
    return True
