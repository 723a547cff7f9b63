"""The crash dialog: an unexpected error explained in French, instead of a silent exit.

`client.app.CrashHandler` logs the error first, then calls `show_crash_dialog` once the
interface runs (`client.ui.application` hands it over).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QGridLayout,
    QMessageBox,
    QSizePolicy,
    QSpacerItem,
    QWidget,
)


def crash_message(log_path: Path | None) -> tuple[str, str]:
    """The crash dialog's text and its details, in French."""
    tr = QCoreApplication.translate
    text = tr("crash", "IMAG'IN a rencontré une erreur inattendue.")
    where = str(log_path) if log_path is not None else tr("crash", "la sortie d'erreur")
    details = tr(
        "crash",
        "Votre saisie en cours est conservée sur ce poste.\n\n"
        "Le détail a été enregistré dans {0}.\n\n"
        "Vous pouvez continuer à travailler. Si le problème se reproduit, quittez puis "
        "relancez IMAG'IN et transmettez ce fichier à l'assistance de la division des "
        "examens et concours.",
    ).format(where)
    return text, details


def show_crash_dialog(log_path: Path | None, parent: QWidget | None = None) -> None:
    """Explains an unexpected error instead of a silent exit; quits if the person asks to."""
    app = QApplication.instance()
    if app is None:
        return
    tr = QCoreApplication.translate
    text, details = crash_message(log_path)
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(tr("crash", "Erreur inattendue"))
    box.setText(text)
    box.setInformativeText(details)
    keep = box.addButton(tr("crash", "&Continuer"), QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton(tr("crash", "&Quitter IMAG'IN"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    # Wide enough for the log file's path on one line (a message box sizes itself narrow).
    layout = box.layout()
    if isinstance(layout, QGridLayout):
        width = box.fontMetrics().horizontalAdvance(str(log_path or "")) + 160
        spacer = QSpacerItem(max(width, 460), 0, QSizePolicy.Policy.Minimum)
        layout.addItem(spacer, layout.rowCount(), 0, 1, layout.columnCount())
    box.exec()
    if box.clickedButton() is leave:
        app.quit()
