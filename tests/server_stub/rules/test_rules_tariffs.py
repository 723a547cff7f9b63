"""The dated tariff files: loaded, validated, looked up by date, published as a snapshot."""

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from server_stub.rules.model import PaperKind
from server_stub.rules.tariffs import (
    InvalidTariffFileError,
    LodgingZone,
    NoTariffInForceError,
    UnknownDiplomaError,
    packaged_tariffs,
    pay_group_for,
    tariff_snapshot,
)
from tests.server_stub.rules.rules_factories import tariffs_with

COMMUNES_CSV = Path("/work/shared/data/communes.csv")


def test_tariffs_in_force_in_june_2026() -> None:
    current = packaged_tariffs().at(dt.date(2026, 6, 12))
    assert current.vacations.copy_rates["5"] == Decimal("5.00")
    assert current.vacations.hourly_rates["3"] == Decimal("9.60")
    assert "5" not in current.vacations.hourly_rates
    assert current.meals.rate == Decimal("20.00")
    assert current.nights.caps[LodgingZone.PARIS] == Decimal("140.00")
    assert current.kilometric.car_class(7).rates == (
        Decimal("0.41"),
        Decimal("0.51"),
        Decimal("0.30"),
    )


def test_no_tariff_before_march_2019_is_a_clear_error() -> None:
    with pytest.raises(NoTariffInForceError, match="en vigueur le 28/02/2019"):
        packaged_tariffs().at(dt.date(2019, 2, 28))


def test_snapshot_is_json_with_amounts_as_strings_and_their_source() -> None:
    snapshot = tariff_snapshot(dt.date(2022, 3, 1))
    json.dumps(snapshot)  # serialisable as it is
    assert snapshot["meals"]["rate"] == "17.50"
    assert snapshot["meals"]["version"] == "repas-2020-01-01"
    assert snapshot["kilometric"]["source"].startswith("Arrêté du 3 juillet 2006")
    assert snapshot["kilometric"]["car_classes"][0]["rates"] == ["0.32", "0.40", "0.23"]
    assert snapshot["nights"]["caps"]["large_city"] == "90.00"
    assert snapshot["meals"]["windows"]["LUNCH"] == {"start": "11:00", "end": "14:00"}
    assert snapshot["vacations"]["hourly_rates"]["3"] == "9.60"


@pytest.mark.parametrize(
    ("diploma", "kind", "group"),
    [
        ("BAC_PRO", PaperKind.WRITTEN, "5"),
        ("BAC_GENERAL", PaperKind.ORAL, "3"),
        ("BAC_TECHNO", PaperKind.PRACTICAL, "3"),
        ("CAP", PaperKind.WRITTEN, "1"),
        ("DNB", PaperKind.ORAL, "1"),
        ("BTS", PaperKind.WRITTEN, "4"),  # académie default, configurable
    ],
)
def test_pay_group_of_a_diploma(diploma: str, kind: PaperKind, group: str) -> None:
    assert pay_group_for(diploma, kind, dt.date(2026, 6, 12)) == group


def test_unknown_diploma_is_a_clear_error() -> None:
    with pytest.raises(UnknownDiplomaError):
        pay_group_for("DOCTORAT", PaperKind.WRITTEN, dt.date(2026, 6, 12))


def test_overlapping_versions_are_rejected() -> None:
    with pytest.raises(InvalidTariffFileError, match="overlaps"):
        tariffs_with("meals", "valid_to = 2019-12-31", "valid_to = 2020-01-01")


def test_a_rate_written_without_a_number_is_rejected() -> None:
    with pytest.raises(InvalidTariffFileError, match=r"vacations\.toml"):
        tariffs_with("vacations", '"5" = 5.00', '"5" = "cinq"')


@pytest.mark.skipif(not COMMUNES_CSV.exists(), reason="shared commune list not available")
def test_grand_paris_communes_are_the_insee_codes_of_their_names() -> None:
    zones = packaged_tariffs().at(dt.date(2026, 6, 12)).lodging_zones
    with COMMUNES_CSV.open(encoding="utf-8") as file:
        names = {row["insee"]: row["name"] for row in csv.DictReader(file)}
    assert {names[code] for code in zones.grand_paris_communes} == {
        "Argenteuil",
        "Athis-Mons",
        "Juvisy-sur-Orge",
        "Morangis",
        "Paray-Vieille-Poste",
        "Savigny-sur-Orge",
        "Viry-Châtillon",
    }
