"""The administrator's Tarifs tab against the real server: every file with its dated versions and
sources; a new version of the vacations typed, refused beside its fields, previewed with the
statements it changes, then added; a validated statement left as it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QLineEdit
from sqlalchemy.orm import Session

from client.tariff_fields import Field
from client.ui.admin.tariffs import TariffsPage, TariffVersionDialog
from client.ui.admin.workspace import AdministrationWorkspace
from client.ui.context import AppContext
from server_stub.auth.models import Role, User
from server_stub.statements.models import Statement, Status
from tests.client.ui.conftest import log_in_as
from tests.server_stub.dec.helpers import copies, submitted
from tests.server_stub.factories import World


class Office:
    """Adèle the administrator; a statement awaiting the DEC and one it approved, each of 40
    copies of taux 5 on 15 June 2026 (40 × 5,00 € = 200,00 €)."""

    def __init__(self, world: World) -> None:
        self.admin: User = world.person("Adèle", "Admin", role=Role.ADMIN, fiscal_power=None)
        self.waiting: Statement = submitted(world, entry=copies(40))
        self.approved: Statement = submitted(world, entry=copies(40), status=Status.APPROVED)
        world.commit()


@pytest.fixture
def office(world: World) -> Office:
    return Office(world)


@pytest.fixture
def page(qtbot: Any, ctx: AppContext, office: Office) -> TariffsPage:
    ctx.identity = log_in_as(ctx.raw_api, office.admin).user
    workspace = AdministrationWorkspace(ctx)
    qtbot.addWidget(workspace)
    workspace.resize(1180, 760)
    workspace.show()
    with qtbot.waitSignal(workspace.accounts.loaded):
        workspace.start()
    with qtbot.waitSignal(workspace.tariffs.loaded):
        workspace.tabs.setCurrentWidget(workspace.tariffs)
    return workspace.tariffs


def _input(dialog: TariffVersionDialog, name: str) -> tuple[Field, QLineEdit]:
    field = next(f for f in dialog.fields if f.name == name)
    widget = dialog.inputs[field]
    assert isinstance(widget, QLineEdit)
    return field, widget


def _type(qtbot: Any, widget: QLineEdit, text: str) -> None:
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def test_every_file_shows_its_versions_with_their_days_and_source(page: TariffsPage) -> None:
    titles = [page.files.row(r).title for r in range(page.files.rowCount())]
    assert titles[:3] == ["Vacations des jurys", "Groupes de taux des diplômes", "Réunions"]
    page.select("meals")
    rows = range(page.versions.rowCount())
    cells = [[page.versions.index(r, c).data() for c in range(3)] for r in rows]
    assert cells == [
        ["repas-2023-09-22", "22/09/2023", "—"],
        ["repas-2020-01-01", "01/01/2020", "21/09/2023"],
        ["repas-2019-03-01", "01/03/2019", "31/12/2019"],
    ]
    text = page.values.toPlainText()
    assert "Source : Arrêté du 3 juillet 2006 modifié par l'arrêté du 20 septembre 2023" in text
    assert "Taux du repas (€) : 20,00" in text
    assert "Plages horaires › déjeuner › début : 11:00" in text
    assert page.add_button.isEnabled()
    page.select("anomalies")
    assert not page.add_button.isEnabled()
    assert page.note.text().startswith("Les seuils d'anomalies se règlent")


def test_a_new_version_is_refused_beside_its_fields_then_previewed_and_added(
    qtbot: Any, page: TariffsPage, office: Office, db: Session
) -> None:
    page.select("vacations")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.valid_from.setDate(QDate(2012, 5, 3))
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    assert dialog.errors["source"].text() == "Indiquez le texte officiel qui fixe ces valeurs."
    assert dialog.errors["valid_from"].text() == (
        "La nouvelle version doit prendre effet après le 03/05/2012."
    )

    dialog.valid_from.setDate(QDate(2026, 6, 1))
    dialog.source.setText("Arrêté du 2 mai 2026, art. 2")
    field, rate = _input(dialog, "copy_rates.5")
    assert rate.text() == "5,00"
    _type(qtbot, rate, "-1")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.error_label(field).text()))
    assert dialog.error_label(field).text() == (
        "Taux par copie (€) › 5 : le montant ne peut pas être négatif."
    )
    assert not dialog.add_button.isEnabled()

    _type(qtbot, rate, "6,00")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.previewed is not None)
    assert dialog.error_label(field).text() == ""
    rows = [
        [dialog.changes.index(r, c).data() for c in (0, 4, 5, 6)]
        for r in range(dialog.changes.rowCount())
    ]
    assert rows == [[str(office.waiting.id), "À valider", "200,00\u00a0€", "240,00\u00a0€"]]
    assert "Validés, qui gardent leurs montants : 1 état de frais." in dialog.preview_text.text()
    dialog.grab().save("/tmp/admin-tariff-version.png")

    # A value changed after the preview asks for another one before anything is added.
    _type(qtbot, rate, "6,50")
    assert not dialog.add_button.isEnabled()
    _type(qtbot, rate, "6,00")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.add_button.isEnabled())

    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert page.bar.text == (
        "Version vacations-2026-06-01 ajoutée, en vigueur à partir du 01/06/2026 : "
        "1 état de frais recalculé."
    )
    top = [page.versions.index(0, c).data() for c in range(5)]
    assert top == [
        "vacations-2026-06-01", "01/06/2026", "—", "Adèle Admin", "Arrêté du 2 mai 2026, art. 2"
    ]  # fmt: skip
    assert page.versions.index(1, 2).data() == "31/05/2026"
    db.expire_all()
    assert db.get(Statement, office.waiting.id).total == Decimal("240.00")  # type: ignore[union-attr]
    assert db.get(Statement, office.approved.id).total == Decimal("200.00")  # type: ignore[union-attr]
