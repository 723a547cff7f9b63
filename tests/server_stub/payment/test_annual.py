"""The annual statement of the sums paid to a person: what real batches paid them in a calendar
year, per mission and per part, each part in the year of its payment date, for the person and
for the DEC of their office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server_stub.core import clock
from server_stub.core.settings import Settings
from server_stub.statements.models import Statement, Status
from tests.server_stub.conftest import NIR_KEY
from tests.server_stub.dec.helpers import car_trip, copies, gestionnaire, intervenant, submitted
from tests.server_stub.factories import World, log_in
from tests.server_stub.payment.test_reconcile import IBAN_1, IBAN_2, camt054, end_to_end

BATCHES = "/api/v1/dec/payment-batches"
JUNE_16 = "2026-06-16"


@pytest.fixture
def settings() -> Settings:
    # Batches are made now, and marked paid today: the server's today is the real one.
    return Settings(database_url="unused://", today=dt.date.today(), nir_key=NIR_KEY)


def car_trip_june_16() -> dict[str, Any]:
    """The same day of corrections and car trip as `car_trip()`, the next day."""
    entry = car_trip()
    entry["days"] = [{"date": JUNE_16, "copies": 40}]
    trip = entry["travel"]["trips"][0]
    trip["depart_at"], trip["return_at"] = "2026-06-16T07:15:00", "2026-06-16T19:30:00"
    entry["travel"]["meals"] = [{"date": JUNE_16, "kind": "LUNCH"}]
    return entry


def pay_batch(
    client: TestClient, dec: dict[str, str], transfers: list[tuple[int, Decimal]], booked: dt.date
) -> dict[str, Any]:
    """A batch of every validated statement; the bank books its transfers on `booked`
    (camt.054), then the payroll's indemnities are marked paid today."""
    created = client.post(BATCHES, json={}, headers=dec)
    assert created.status_code == 201, created.text
    batch: dict[str, Any] = created.json()["batch"]
    document = camt054(
        [(end_to_end(batch, who), amount, None) for who, amount in transfers], booked
    )
    bank = client.post(
        f"{BATCHES}/{batch['id']}/bank-statement", json={"document": document}, headers=dec
    )
    assert bank.status_code == 200, bank.text
    assert bank.json()["paid"] == len(transfers)
    paid = client.post(
        f"{BATCHES}/{batch['id']}/paid", json={"paid_on": str(dt.date.today())}, headers=dec
    )
    assert paid.status_code == 200, paid.text
    return batch


def parts(answer: dict[str, Any]) -> list[tuple[int, str, str, Decimal, str]]:
    return [
        (m["statement_id"], p["part"], p["channel"], Decimal(p["amount"]), p["paid_on"])
        for m in answer["missions"]
        for p in m["parts"]
    ]


def test_each_part_counts_in_the_year_of_its_payment(
    client: TestClient, world: World, settings: Settings
) -> None:
    recent = clock.now() - dt.timedelta(days=30)
    interne = intervenant(world, iban=IBAN_1, financial_file_updated=recent)
    externe = intervenant(world, academic=False, iban=IBAN_2, financial_file_updated=recent)
    first: Statement = submitted(world, interne, entry=car_trip(), status=Status.APPROVED)
    fees = submitted(world, externe, entry=copies(20), status=Status.APPROVED)
    dec = log_in(client, gestionnaire(world))
    year = dt.date.today().year
    new_year_eve, new_year = dt.date(year, 12, 31), dt.date(year + 1, 1, 1)
    # Batch 1: the interne's travel and the externe's fees booked by the bank on 31 December.
    batch_1 = pay_batch(
        client, dec, [(interne.id, first.travel_total), (externe.id, fees.total)], new_year_eve
    )
    # Batch 2: a second mission, whose travel the bank books on 1 January of the next year.
    second = submitted(
        world,
        interne,
        world.mission(start=dt.date(2026, 6, 16)),
        entry=car_trip_june_16(),
        status=Status.APPROVED,
    )
    batch_2 = pay_batch(client, dec, [(interne.id, second.travel_total)], new_year)
    today = str(dt.date.today())

    mine = log_in(client, interne)
    this_year = client.get(f"/api/v1/me/payments/{year}", headers=mine)
    assert this_year.status_code == 200, this_year.text
    answer = this_year.json()
    # Both indemnities went through payroll today; only the first travel was booked this year.
    assert sorted(parts(answer)) == sorted(
        [
            (first.id, "PAY", "PAYROLL", first.pay_total, today),
            (first.id, "TRAVEL", "TRANSFER", first.travel_total, str(new_year_eve)),
            (second.id, "PAY", "PAYROLL", second.pay_total, today),
        ]
    )
    # 40 copies at 5,00 € each mission: 200,00 € of indemnities per statement.
    assert first.pay_total == second.pay_total == Decimal("200.00")
    assert Decimal(answer["pay_total"]) == Decimal(answer["payroll_total"]) == Decimal("400.00")
    assert (
        Decimal(answer["travel_total"]) == Decimal(answer["transfer_total"]) == (first.travel_total)
    )
    assert Decimal(answer["total"]) == Decimal("400.00") + first.travel_total
    [mission_1] = [m for m in answer["missions"] if m["statement_id"] == first.id]
    assert Decimal(mission_1["total"]) == first.total
    assert mission_1["exam"] == "Baccalauréat professionnel"
    assert mission_1["mission_type_label"] == "Correction"
    assert mission_1["start_date"] == "2026-06-15"
    assert [p["part_label"] for p in mission_1["parts"]] == ["Indemnités", "Frais de déplacement"]
    assert [p["channel_label"] for p in mission_1["parts"]] == ["Paie", "Virement"]
    assert {p["batch_reference"] for p in mission_1["parts"]} == {f"LOT-{year}-{batch_1['id']:06d}"}
    assert mission_1["parts"][1]["reference"] == f"BQ-{interne.id:07d}"
    assert answer["person"]["name"] == interne.full_name
    assert answer["person"]["interne"] is True
    assert answer["academie"] == "Académie d'Amiens"
    assert answer["offices"] is None
    assert answer["rule"].startswith("Une somme compte dans l'année de sa date de paiement")

    # 1 January: the second travel only, in the next year's statement.
    next_year = client.get(f"/api/v1/me/payments/{year + 1}", headers=mine).json()
    assert parts(next_year) == [
        (second.id, "TRAVEL", "TRANSFER", second.travel_total, str(new_year))
    ]
    assert next_year["missions"][0]["parts"][0]["batch_reference"] == (
        f"LOT-{year}-{batch_2['id']:06d}"
    )
    assert Decimal(next_year["total"]) == second.travel_total
    assert Decimal(next_year["pay_total"]) == Decimal("0.00")
    # Nothing was paid the year before.
    before = client.get(f"/api/v1/me/payments/{year - 1}", headers=mine).json()
    assert (before["missions"], Decimal(before["total"])) == ([], Decimal("0.00"))

    # The externe's indemnity went by transfer; none of the interne's money is theirs.
    theirs = client.get(f"/api/v1/me/payments/{year}", headers=log_in(client, externe)).json()
    assert parts(theirs) == [(fees.id, "PAY", "TRANSFER", fees.pay_total, str(new_year_eve))]
    assert Decimal(theirs["payroll_total"]) == Decimal("0.00")

    # The DEC of the office reads the same for the interne.
    for_dec = client.get(f"/api/v1/dec/people/{interne.id}/payments/{year}", headers=dec)
    assert for_dec.status_code == 200, for_dec.text
    assert for_dec.json() | {"offices": None} == answer
    assert for_dec.json()["offices"] == ["DEC"]


def test_a_gestionnaire_of_another_office_finds_no_one(
    client: TestClient, world: World, settings: Settings
) -> None:
    person, other = intervenant(world, iban=IBAN_1), intervenant(world)
    submitted(world, person, entry=copies(), status=Status.APPROVED)
    url = f"/api/v1/dec/people/{person.id}/payments/2026"
    elsewhere = log_in(client, gestionnaire(world, office="DEC-LILLE", name="Martin"))
    response = client.get(url, headers=elsewhere)
    assert response.status_code == 404
    assert response.json()["detail"] == "Cet intervenant n'existe pas."
    assert client.get(url, headers=log_in(client, gestionnaire(world))).status_code == 200
    # Another intervenant may not ask at all.
    assert client.get(url, headers=log_in(client, other)).status_code == 403


@pytest.mark.parametrize("year", ["1999", "9999", "deux-mille", "0"])
def test_a_year_out_of_range_is_refused_in_french(
    client: TestClient, world: World, settings: Settings, year: str
) -> None:
    person = intervenant(world)
    world.commit()
    response = client.get(f"/api/v1/me/payments/{year}", headers=log_in(client, person))
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "invalid_input"
    message = body["fields"]["year"]
    if year.isdigit() and year != "0":
        last = dt.date.today().year + 1
        assert message == f"L'année doit être comprise entre 2000 et {last} (et non {int(year)})."
    else:
        assert message in {
            "Un nombre entier est attendu, en chiffres seulement.",
            "La valeur doit être au moins 1.",
        }
