"""Autosaved drafts: what was typed survives a crash, a corrupt file never stops the app."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal
from pathlib import Path

import pytest

from client.api.models import (
    Entry,
    HalfDay,
    Meal,
    MealKind,
    Night,
    PayDay,
    Travel,
    TravelMode,
    Trip,
)
from client.drafts import DraftStore, account_folder

JUNE_15 = dt.date(2026, 6, 15)


def week_of_oral_exams() -> Entry:
    """A typical entry: five days of orals, a car trip and a lunch each day, four nights."""
    days = [JUNE_15 + dt.timedelta(days=n) for n in range(5)]
    return Entry(
        days=[PayDay(date=d, candidates={HalfDay.MORNING: 6, HalfDay.AFTERNOON: 5}) for d in days],
        travel=Travel(
            claimed=True,
            trips=[
                Trip(
                    depart_at=dt.datetime.combine(d, dt.time(7, 15)),
                    return_at=dt.datetime.combine(d, dt.time(18, 30)),
                    mode=TravelMode.CAR,
                    km=Decimal("112.5"),
                    tolls=Decimal("4.60"),
                )
                for d in days
            ],
            meals=[Meal(date=d, kind=MealKind.LUNCH, administrative_restaurant=True) for d in days],
            nights=[Night(date=d, cost=Decimal("72.00")) for d in days[:4]],
        ),
    )


@pytest.fixture
def store(tmp_path: Path) -> DraftStore:
    return DraftStore(tmp_path / "drafts")


def test_a_draft_reads_back_exactly_as_typed(store: DraftStore) -> None:
    entry = week_of_oral_exams()
    saved = store.save(12, base_version=3, entry=entry, page=2)
    draft = store.load(12)
    assert draft == saved
    assert draft is not None
    assert (draft.statement_id, draft.base_version, draft.page) == (12, 3, 2)
    assert draft.entry == entry
    assert draft.entry.travel.trips[0].km == Decimal("112.5")
    assert draft.saved_at.tzinfo is not None


def test_saving_again_replaces_the_draft(store: DraftStore) -> None:
    store.save(12, base_version=3, entry=Entry(), page=0)
    store.save(12, base_version=3, entry=week_of_oral_exams(), page=1)
    draft = store.load(12)
    assert draft is not None and draft.page == 1
    assert [p.name for p in store.folder.iterdir()] == ["statement-12.json"]


def test_no_draft_is_none(store: DraftStore) -> None:
    assert store.load(12) is None
    assert store.list() == []


def test_a_discarded_draft_is_gone(store: DraftStore) -> None:
    store.save(12, base_version=3, entry=Entry(), page=0)
    store.discard(12)
    assert store.load(12) is None
    store.discard(12)  # twice is harmless


def test_a_corrupt_draft_is_set_aside_not_fatal(store: DraftStore) -> None:
    store.save(12, base_version=3, entry=Entry(), page=0)
    store.path(12).write_text('{"statement_id": 12, "entry": {"days": [', encoding="utf-8")
    assert store.load(12) is None
    assert not store.path(12).exists()
    assert (store.folder / "statement-12.json.corrupt").exists()
    # A new draft can be written over it, and a second corrupt file does not clash.
    store.save(12, base_version=3, entry=Entry(), page=0)
    store.path(12).write_bytes(b"\xff\xfe")
    assert store.load(12) is None
    assert len(list(store.folder.glob("statement-12.json*.corrupt"))) == 2


def test_a_draft_filed_under_another_statement_is_set_aside(store: DraftStore) -> None:
    store.save(12, base_version=3, entry=Entry(), page=0)
    store.path(12).rename(store.path(13))
    assert store.load(13) is None
    assert (store.folder / "statement-13.json.corrupt").exists()


def test_listing_gives_every_readable_draft_oldest_first(store: DraftStore) -> None:
    store.save(20, base_version=1, entry=Entry(), page=0)
    store.save(7, base_version=2, entry=week_of_oral_exams(), page=3)
    store.path(9).write_text("not json", encoding="utf-8")
    (store.folder / ".draft-123.tmp").write_text("half written", encoding="utf-8")
    assert [d.statement_id for d in store.list()] == [20, 7]


def test_each_account_on_each_server_has_its_own_drafts() -> None:
    real = account_folder("https://imagin.ac-amiens.fr/", "EDupontM")
    assert real == account_folder("https://imagin.ac-amiens.fr", "edupontm")
    assert real != account_folder("http://127.0.0.1:8000", "edupontm")
    assert real.parent.name == "drafts"


def test_saving_a_typical_entry_takes_well_under_two_milliseconds(store: DraftStore) -> None:
    entry = week_of_oral_exams()
    store.save(12, base_version=3, entry=entry, page=2)
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        store.save(12, base_version=3, entry=entry, page=2)
        timings.append(time.perf_counter() - start)
    # Measured here: 0.25 ms median, 0.3 ms at the 95th percentile. The fastest run is what the
    # code costs; the median also counts whatever else a busy CI machine is doing.
    assert min(timings) < 0.002
    assert statistics.median(timings) < 0.02
