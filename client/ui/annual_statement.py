""" "Attestation annuelle des sommes versées": which year, then the PDF written in the recaps'
folder and opened with the system's viewer, like a recap. The intervenant asks for their own
(missions screen); the DEC for the person of the statement it is checking.

The question is `ask_year` (tests answer it by replacing that function).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtWidgets import QInputDialog, QWidget

from client.api.models import AnnualPayments
from client.recaps import today, write_annual_statement
from client.ui.context import AppContext
from client.ui.ops import Op
from client.ui.tasks import Task
from client.ui.widgets import MessageBar

FIRST_YEAR = 2000  # the server's first year (payment/annual.py)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AnnualStatement", text)


def default_year(day: dt.date) -> int:
    """Last year: the one a tax return declares."""
    return day.year - 1


def ask_year(parent: QWidget, whose: str | None = None) -> int | None:
    """The calendar year of the statement, last year to begin with; None if cancelled."""
    current = today().year
    label = (
        _tr("Sommes versées à {0} pendant l'année :").format(whose)
        if whose
        else _tr("Sommes qui vous ont été versées pendant l'année :")
    )
    year, accepted = QInputDialog.getInt(
        parent,
        _tr("Attestation annuelle des sommes versées"),
        label,
        default_year(today()),
        FIRST_YEAR,
        current,
    )
    return year if accepted else None


def print_annual_statement(
    parent: QWidget,
    ctx: AppContext,
    bar: MessageBar,
    fetch: Callable[[int], AnnualPayments],
    *,
    whose: str | None = None,
) -> Task | None:
    """Asks the year, then fetches, writes and opens the statement in the background; reports
    in `bar`. None when the person cancelled."""
    year = ask_year(parent, whose)
    if year is None:
        return None
    folder = ctx.recaps_folder()
    bar.info(_tr("Préparation de l'attestation des sommes versées en {0}…").format(year))

    def written(path: Path) -> None:
        if ctx.open_url(QUrl.fromLocalFile(str(path))):
            bar.success(
                _tr(
                    "L'attestation des sommes versées en {0} est ouverte ; elle est enregistrée "
                    "dans {1}."
                ).format(year, path)
            )
        else:
            bar.warning(
                _tr(
                    "L'attestation est enregistrée dans {0}, mais aucun lecteur de PDF n'a pu "
                    "l'ouvrir."
                ).format(path),
                _tr("Afficher le dossier"),
                lambda: ctx.open_url(QUrl.fromLocalFile(str(path.parent))),
            )

    return (
        Op(parent, lambda: write_annual_statement(fetch(year), folder), bar=bar)
        .on_success(written)
        .run(ctx.runner)
    )
