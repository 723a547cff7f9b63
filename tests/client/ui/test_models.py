"""The table models: every one passes Qt's model tester; the missions' filters and search."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from client.api.client import ImaginClient
from client.api.models import CommuneRef, Convocation, MissionType, Status
from client.demo import DemoAccount
from client.ui.models.choices import CheckableListModel
from client.ui.models.communes import CommuneListModel, commune_label
from client.ui.models.convocations import (
    ROW_ROLE,
    Column,
    ConvocationFilter,
    ConvocationFilterProxy,
    ConvocationTableModel,
    folded,
    short_period,
)
from client.ui.models.demo_accounts import DemoAccountsModel
from tests.client.ui.conftest import Intervenant, log_in_as


@pytest.fixture
def convocations(api: ImaginClient, intervenant: Intervenant) -> list[Convocation]:
    log_in_as(api, intervenant.user)
    return api.convocations()


def proxy_over(rows: list[Convocation]) -> ConvocationFilterProxy:
    model = ConvocationTableModel(rows)
    proxy = ConvocationFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.DATES.value, Qt.SortOrder.AscendingOrder)
    return proxy


def shown(proxy: ConvocationFilterProxy) -> list[Convocation]:
    return [proxy.index(n, 0).data(ROW_ROLE) for n in range(proxy.rowCount())]


def test_convocation_model_passes_the_model_tester(
    qtmodeltester: Any, convocations: list[Convocation]
) -> None:
    model = ConvocationTableModel(convocations)
    qtmodeltester.check(model)
    proxy = proxy_over(convocations)
    qtmodeltester.check(proxy)


def test_convocation_columns_read_in_french(convocations: list[Convocation]) -> None:
    model = ConvocationTableModel(sorted(convocations, key=lambda c: c.mission.start_date))
    headers = [
        model.headerData(c.value, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        for c in Column
    ]
    assert headers == [
        "Dates",
        "Examen",
        "Épreuve",
        "Type de mission",
        "Lieu",
        "Indemnités",
        "Déplacement",
        "Montant",
    ]
    oral = model.index(1, Column.DATES.value)
    assert oral.data() == "22 au 23/06/2026"
    assert oral.data(Qt.ItemDataRole.ToolTipRole) == "du 22/06/2026 au 23/06/2026"
    amount = model.index(1, Column.AMOUNT.value)
    assert amount.data().endswith("\u00a0€")
    assert amount.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert model.index(0, Column.MISSION_TYPE.value).data() == "Correction"
    assert "Lycée professionnel" in model.index(0, Column.PLACE.value).data()


def test_filter_to_complete_keeps_begun_missions_not_yet_validated(
    convocations: list[Convocation],
) -> None:
    proxy = proxy_over(convocations)
    proxy.set_filter(ConvocationFilter.TO_COMPLETE)
    assert [c.labels.intervenant for c in shown(proxy)] == ["Non validé"]


def test_filter_validated_keeps_validated_statements(convocations: list[Convocation]) -> None:
    proxy = proxy_over(convocations)
    proxy.set_filter(ConvocationFilter.VALIDATED)
    assert [c.status for c in shown(proxy)] == [Status.SUBMITTED]


def test_filter_all_shows_every_mission_in_date_order(convocations: list[Convocation]) -> None:
    proxy = proxy_over(convocations)
    proxy.set_filter(ConvocationFilter.ALL)
    dates = [c.mission.start_date for c in shown(proxy)]
    assert dates == [dt.date(2026, 6, 15), dt.date(2026, 6, 22), dt.date(2026, 9, 10)]


def test_search_ignores_accents_and_case(convocations: list[Convocation]) -> None:
    proxy = proxy_over(convocations)
    proxy.set_search("EPREUVE de mathematiques")
    assert len(shown(proxy)) == 3  # every paper is "Épreuve de mathématiques"
    proxy.set_search("beauvais interrogation")
    assert [c.mission.type for c in shown(proxy)] == [MissionType.INTERROGATION]
    proxy.set_search("introuvable")
    assert shown(proxy) == []


def test_amount_column_sorts_on_the_value_not_the_text(convocations: list[Convocation]) -> None:
    proxy = proxy_over(convocations)
    proxy.sort(Column.AMOUNT.value, Qt.SortOrder.DescendingOrder)
    totals = [c.total for c in shown(proxy)]
    assert totals == sorted(totals, reverse=True)
    assert totals[0] > Decimal(0)


def test_short_period() -> None:
    assert short_period(dt.date(2026, 5, 29), dt.date(2026, 6, 2)) == ("29/05", "02/06/2026")
    assert short_period(dt.date(2026, 12, 30), dt.date(2027, 1, 2)) == (
        "30/12/2026",
        "02/01/2027",
    )


def test_folded_removes_accents() -> None:
    assert folded("Épreuve Élaboration Ça") == "epreuve elaboration ca"


# --- the DEC queue -------------------------------------------------------------------------


def test_checkable_list_model(qtmodeltester: Any) -> None:
    model = CheckableListModel(["a", "b", "c"], str.upper, checked=[1])
    qtmodeltester.check(model)
    assert model.checked_rows() == ["b"]
    model.setData(model.index(0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    assert model.checked_rows() == ["a", "b"]
    model.set_all(False)
    assert model.checked_count() == 0


def test_commune_list_model(qtmodeltester: Any) -> None:
    model = CommuneListModel()
    amiens = CommuneRef(insee="80021", name="Amiens", department="80", postal_codes=["80000"])
    model.set_rows([amiens])
    qtmodeltester.check(model)
    assert model.index(0).data() == "Amiens (80000)"
    assert commune_label(amiens) == "Amiens (80000)"


def test_demo_accounts_model(qtmodeltester: Any) -> None:
    model = DemoAccountsModel(
        [DemoAccount("edupontm", "Jury-2026!", "INTERVENANT", "Correctrice de mathématiques")]
    )
    qtmodeltester.check(model)
    assert model.index(0, 2).data() == "Intervenant"
