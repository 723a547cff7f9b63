"""The few questions the editor has to ask, each one a function (tests replace them).

Every button says what it does ("Garder ma saisie"), never "Oui" or "OK".
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from client.formatting import date_fr, time_fr

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


def confirm_validation(parent: QWidget | None) -> bool:
    box = _box(
        parent,
        _tr("Valider l'état de frais"),
        _tr(
            "Après validation, vous ne pourrez plus modifier cet état de frais : il sera transmis "
            "au service gestionnaire (DEC) pour vérification et mise en paiement."
        ),
        _tr("Pensez à imprimer le récapitulatif et à réunir les pièces justificatives."),
    )
    validate = box.addButton(_tr("&Valider"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(_tr("A&nnuler"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is validate


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
