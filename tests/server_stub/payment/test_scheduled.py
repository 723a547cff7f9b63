"""Payment batches created on schedule: each TARGET2 business day from the configured time, one
batch per configured office and day, holding what "Créer" would; run again, or by two server
processes at once, it makes no second batch."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server_stub.cli import main
from server_stub.core.database import make_session_factory
from server_stub.core.settings import Settings, get_settings
from server_stub.payment import scheduled as scheduled_module
from server_stub.payment import service
from server_stub.payment.models import PaymentBatch
from server_stub.payment.scheduled import Run, create_due
from server_stub.statements.models import AuditEntry, Status
from tests.server_stub.dec.helpers import car_trip, copies, intervenant, status_of, submitted
from tests.server_stub.factories import World

PARIS = ZoneInfo("Europe/Paris")
IBAN = "FR7630004000031234567890143"


def scheduled(settings: Settings, offices: str = "DEC", day: dt.date | None = None) -> Settings:
    return settings.model_copy(
        update={
            "payment_auto_offices": offices,
            "payment_auto_time": "07:30",
            "today": day or settings.today,
        }
    )


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def batches(db: Session) -> list[PaymentBatch]:
    db.expire_all()
    return list(db.scalars(select(PaymentBatch).order_by(PaymentBatch.id)))


def test_the_day_s_batch_is_made_once_from_the_configured_time(
    engine: Engine, db: Session, world: World, settings: Settings
) -> None:
    person = intervenant(world)
    fees = submitted(world, person, entry=copies(20), status=Status.APPROVED)
    config = scheduled(settings)
    day = config.today
    assert day is not None and day.weekday() < 5
    factory = make_session_factory(engine)

    early = create_due(factory, config, at(day, 7, 29))
    assert early.waiting == "Les lots du jour sont créés à partir de 07:30."
    assert batches(db) == []

    run = create_due(factory, config, at(day, 7, 30))
    assert run.waiting is None
    [outcome] = run.outcomes
    [batch] = batches(db)
    assert outcome.office == "DEC" and outcome.reference == batch.reference
    assert outcome.message.startswith(f"Lot {batch.reference} créé : 1 état(s) de frais pour ")
    assert (batch.office, batch.scheduled_on, batch.created_by) == ("DEC", day, None)
    assert status_of(db, fees.id).status == Status.IN_PAYMENT
    [actor] = db.scalars(
        select(AuditEntry.actor_id).where(
            AuditEntry.statement_id == fees.id, AuditEntry.action == "SEND_TO_PAYMENT"
        )
    ).all()
    assert actor is None  # no one pressed "Créer"
    assert service.out(db, batch).created_by == "la planification automatique"

    # Later the same day, with a new statement validated: still one batch for the day.
    submitted(world, intervenant(world), entry=copies(10), status=Status.APPROVED)
    again = create_due(factory, config, at(day, 16, 0))
    assert [o.message for o in again.outcomes] == [f"Lot du jour déjà créé : {batch.reference}."]
    assert len(batches(db)) == 1


def test_no_batch_on_a_target2_holiday_nor_for_an_office_not_configured(
    engine: Engine, db: Session, world: World, settings: Settings
) -> None:
    submitted(world, intervenant(world), entry=copies(20), status=Status.APPROVED)
    factory = make_session_factory(engine)
    may_day = dt.date(2026, 5, 1)
    holiday = create_due(factory, scheduled(settings, day=may_day), at(may_day, 9))
    assert holiday.waiting is not None
    assert holiday.waiting.startswith("Le 01/05/2026 (")
    assert "n'est pas un jour ouvré TARGET2" in holiday.waiting
    nobody = create_due(factory, scheduled(settings, offices=""), at(pinned(settings), 9))
    assert nobody.waiting == "Aucun service n'a choisi la création automatique des lots."
    other = create_due(factory, scheduled(settings, offices="AUTRE"), at(pinned(settings), 9))
    assert [o.office for o in other.outcomes] == ["AUTRE"]
    assert other.outcomes[0].reference is None  # nothing validated there: said, not made
    assert other.outcomes[0].message.startswith("Aucun état de frais validé")
    assert batches(db) == []


def test_every_office_and_a_part_that_must_wait_are_handled(
    engine: Engine, db: Session, world: World, settings: Settings
) -> None:
    """TOUS: each office with a session gets its batch; a travel part without an account
    waits, the indemnity goes, as with "Créer"."""
    interne = intervenant(world)  # no IBAN: their travel waits, their indemnity goes
    both = submitted(world, interne, entry=car_trip(), status=Status.APPROVED)
    factory = make_session_factory(engine)
    day = pinned(settings)
    run = create_due(factory, scheduled(settings, offices="tous"), at(day, 8))
    [outcome] = run.outcomes
    assert outcome.office == "DEC" and outcome.reference is not None
    state = status_of(db, both.id)
    assert (state.pay_payment, state.travel_payment) == ("IN_PAYMENT", None)


def test_two_processes_at_once_make_one_batch(
    engine: Engine, db: Session, world: World, settings: Settings
) -> None:
    for _ in range(3):
        submitted(world, intervenant(world), entry=copies(20), status=Status.APPROVED)
    config = scheduled(settings)
    day = pinned(settings)
    barrier = threading.Barrier(2)
    runs: list[Run] = []
    errors: list[BaseException] = []

    def run() -> None:
        factory = make_session_factory(engine)
        barrier.wait()
        try:
            runs.append(create_due(factory, config, at(day, 8)))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    [batch] = batches(db)
    assert batch.statement_count == 3
    messages = sorted(o.message for r in runs for o in r.outcomes)
    assert len(messages) == 2
    assert messages[1] == f"Lot du jour déjà créé : {batch.reference}."
    assert messages[0].startswith(f"Lot {batch.reference} créé : 3 état(s) de frais")


def pinned(settings: Settings) -> dt.date:
    """The tests' day (a Wednesday)."""
    assert settings.today is not None
    return settings.today


@pytest.mark.parametrize("more", [True, False], ids=["insert-refused", "nothing-left"])
def test_a_second_run_the_check_missed_reports_the_first_batch(
    engine: Engine,
    db: Session,
    world: World,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    more: bool,
) -> None:
    """Two processes can both find no batch of the day: the second one's insert is then
    refused by the (office, day) key (or it finds nothing left to pay), its transaction rolled
    back, and the batch of the first reported."""
    submitted(world, intervenant(world), entry=copies(20), status=Status.APPROVED)
    factory = make_session_factory(engine)
    config, day = scheduled(settings), pinned(settings)
    [first] = create_due(factory, config, at(day, 8)).outcomes
    if more:
        submitted(world, intervenant(world), entry=copies(10), status=Status.APPROVED)
    calls: list[str] = []
    real = scheduled_module._existing

    def missed_once(session: Session, office: str, when: dt.date) -> str | None:
        calls.append(office)
        return None if len(calls) == 1 else real(session, office, when)

    monkeypatch.setattr(scheduled_module, "_existing", missed_once)
    [second] = create_due(factory, config, at(day, 9)).outcomes
    assert second.message == f"Lot du jour déjà créé : {first.reference}."
    assert len(calls) == 2  # the check missed it, the unique key did not
    [batch] = batches(db)
    assert batch.statement_count == 1


def test_the_command_for_the_timer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`imagin-server payment create-due` says what it did, and refuses a time it cannot
    read."""
    monkeypatch.setenv("IMAGIN_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("IMAGIN_TODAY", "2026-07-01")
    monkeypatch.setenv("IMAGIN_PAYMENT_AUTO_TIME", "00:00")
    get_settings.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="imagin.server"):
            assert main(["payment", "create-due"]) == 0
        assert "Aucun service n'a choisi la création automatique des lots." in caplog.text
        monkeypatch.setenv("IMAGIN_PAYMENT_AUTO_OFFICES", "DEC")
        get_settings.cache_clear()
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="imagin.server"):
            assert main(["payment", "create-due"]) == 0
        assert "DEC : Aucun état de frais validé" in caplog.text
        monkeypatch.setenv("IMAGIN_PAYMENT_AUTO_TIME", "7h")
        get_settings.cache_clear()
        assert main(["payment", "create-due"]) == 2
    finally:
        get_settings.cache_clear()
