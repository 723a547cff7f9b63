"""The few questions the editor has to ask, each one a function (tests replace them).

Every button says what it does ("Garder ma saisie"), never "Oui" or "OK".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import Enum
from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from client.api.models import Pledge, Warning
from client.formatting import date_fr, time_fr
from client.ui import app_style

_CONTEXT = "StatementDialogs"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _box(parent: QWidget | None, title: str, text: str, informative: str = "") -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    box.setAccessibleName(title)
    box.setAccessibleDescription(f"{text} {informative}".strip())
    return box


def local_moment(moment: dt.datetime) -> str:
    """`15/06/2026 à 14h30`, in the computer's time zone."""
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return _tr("{0} à {1}").format(date_fr(local.date()), time_fr(local.time()))


def ask_resume(parent: QWidget | None, saved_at: dt.datetime) -> bool:
    """Whether to take up a local draft the server does not have."""
    box = _box(
        parent,
        _tr("Saisie non enregistrée"),
        _tr("Reprendre la saisie non enregistrée du {0} ?").format(local_moment(saved_at)),
        _tr(
            "Elle a été conservée sur ce poste. « Abandonner » l'efface et affiche la version "
            "enregistrée sur le serveur."
        ),
    )
    resume = box.addButton(_tr("&Reprendre"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("&Abandonner"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(resume)
    box.exec()
    return box.clickedButton() is resume


WARNING_STYLE = (
    "#warningSummary { background: #fff4e5; color: #6b4100; border: 1px solid #8a5300;"
    " border-radius: 4px; padding: 6px; }"
)


def warnings_html(warnings: Sequence[Warning], links: bool = False) -> str:
    """What the DEC will see, for the intervenant: each check's name, what it means, the facts."""
    if not warnings:
        return ""
    heading = _tr("Le service gestionnaire verra {0} :").format(
        _tr("ce point") if len(warnings) == 1 else _tr("ces {0} points").format(len(warnings))
    )
    items = []
    for w in warnings:
        name = escape(w.label)
        if links and w.field:
            name = f'<a href="{escape(w.field)}">{name}</a>'
        items.append(f"<li><b>{name}</b> — {escape(w.advice)}<br>{escape(w.message)}</li>")
    return f"<b>⚠ {escape(heading)}</b><ul>{''.join(items)}</ul>"


class ValidationDialog(QDialog):
    """ "Valider": what validating means, and each sentence to certify on honour as a box to
    tick; the Valider button waits until every box is ticked."""

    def __init__(
        self,
        parent: QWidget | None,
        pledges: Sequence[Pledge],
        warnings: Sequence[Warning] = (),
        deadline: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("Valider l'état de frais"))
        self.setAccessibleName(_tr("Valider l'état de frais"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _tr(
                "Après validation, vous ne pourrez plus modifier cet état de frais : il sera "
                "transmis au service gestionnaire (DEC) pour vérification et mise en paiement."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if deadline:
            self.deadline = QLabel(deadline)
            self.deadline.setWordWrap(True)
            layout.addWidget(self.deadline)
        # Again before validating: every check the DEC will see on this statement.
        self.warnings = QLabel(warnings_html(warnings))
        self.warnings.setObjectName("validationWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        self.warnings.setAccessibleName(" ".join(f"{w.label} : {w.advice}" for w in warnings))
        self.warnings.setStyleSheet(WARNING_STYLE.replace("#warningSummary", "#validationWarnings"))
        self.warnings.setVisible(bool(warnings))
        layout.addWidget(self.warnings)
        layout.addWidget(app_style.section_title(_tr("Attestation sur l'honneur")))
        self.boxes: dict[str, QCheckBox] = {}
        for pledge in pledges:
            box = QCheckBox()
            box.setAccessibleName(pledge.text)
            text = QLabel(pledge.text)
            text.setWordWrap(True)
            text.setBuddy(box)
            row = QHBoxLayout()
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(text, 1)
            layout.addLayout(row)
            box.toggled.connect(self._update)
            self.boxes[pledge.key] = box
        reminder = QLabel(
            _tr("Pensez à imprimer le récapitulatif et à réunir les pièces justificatives.")
        )
        reminder.setWordWrap(True)
        layout.addWidget(reminder)
        self.buttons = QDialogButtonBox()
        self.validate_button = self.buttons.addButton(
            _tr("&Valider"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(_tr("A&nnuler"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._update()

    def _update(self) -> None:
        self.validate_button.setEnabled(all(box.isChecked() for box in self.boxes.values()))

    def ticked(self) -> dict[str, bool]:
        return {key: box.isChecked() for key, box in self.boxes.items()}


def confirm_validation(
    parent: QWidget | None,
    pledges: Sequence[Pledge],
    warnings: Sequence[Warning] = (),
    deadline: str = "",
) -> dict[str, bool] | None:
    """The boxes ticked ({"accurate": True, "no_overtime": True}), or None when cancelled."""
    dialog = ValidationDialog(parent, pledges, warnings, deadline)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.ticked()


class CloseChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"  # leave without saving; the local draft stays
    CANCEL = "cancel"


def ask_close(parent: QWidget | None) -> CloseChoice:
    box = _box(
        parent,
        _tr("Modifications non enregistrées"),
        _tr("Votre saisie n'est pas enregistrée sur le serveur."),
        _tr(
            "Elle reste conservée sur ce poste : vous pourrez la reprendre en rouvrant cet état "
            "de frais."
        ),
    )
    save = box.addButton(_tr("&Enregistrer"), QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton(_tr("&Quitter sans enregistrer"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_tr("A&nnuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return CloseChoice.SAVE
    if clicked is leave:
        return CloseChoice.DISCARD
    return CloseChoice.CANCEL


class StaleChoice(Enum):
    KEEP_MINE = "keep"  # save my entry over the version stored now
    RELOAD = "reload"  # show the stored version; my entry is dropped


def ask_stale(parent: QWidget | None, detail: str) -> StaleChoice:
    box = _box(
        parent,
        _tr("Cet état de frais a été modifié ailleurs"),
        _tr("Cet état de frais a été modifié ailleurs"),
        detail,
    )
    box.setIcon(QMessageBox.Icon.Warning)
    keep = box.addButton(_tr("&Garder ma saisie"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("&Recharger la version enregistrée"), QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)  # Escape must never drop what was typed
    box.exec()
    return StaleChoice.KEEP_MINE if box.clickedButton() is keep else StaleChoice.RELOAD
