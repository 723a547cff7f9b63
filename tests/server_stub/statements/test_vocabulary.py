"""One vocabulary: every status and every recorded action has one French label per audience,
two statuses never read alike, and the DEC's filter offers every label its lists can show."""

from __future__ import annotations

import datetime as dt
import itertools

from server_stub.statements.lifecycle import Action
from server_stub.statements.models import Status
from server_stub.statements.vocabulary import (
    ACTIONS,
    STAGES,
    Recorded,
    Stage,
    Timing,
    action_words,
    dec_label,
    dec_status_kinds,
    intervenant_label,
    stage,
    status_of,
)

START, END = dt.date(2026, 6, 15), dt.date(2026, 6, 17)
TIMINGS = [Timing(START, END, day) for day in (START.replace(day=1), START, END.replace(day=30))]


def _french(label: str) -> bool:
    return bool(label) and label[0].isupper() and not label.isupper() and "_" not in label


def test_every_stage_and_action_has_one_label_per_audience() -> None:
    assert set(STAGES) == set(Stage)
    assert set(ACTIONS) == set(Recorded)
    for words in [*STAGES.values(), *ACTIONS.values()]:
        assert _french(words.intervenant), words
        assert _french(words.dec), words


def test_every_move_of_the_lifecycle_is_a_recorded_action() -> None:
    assert {a.value for a in Action} <= {r.value for r in Recorded}


def test_every_status_reads_as_one_of_its_stages() -> None:
    for status, timing in itertools.product(Status, TIMINGS):
        shown = stage(status, timing)
        assert status_of(shown) is status
        assert intervenant_label(status, timing) == STAGES[shown].intervenant
        assert dec_label(status, timing) == STAGES[shown].dec


def test_two_statuses_never_share_a_label_within_an_audience() -> None:
    for audience in ("intervenant", "dec"):
        owners: dict[str, set[Status]] = {}
        for shown, words in STAGES.items():
            owners.setdefault(getattr(words, audience), set()).add(status_of(shown))
        shared = {label: s for label, s in owners.items() if len(s) > 1}
        assert not shared, (audience, shared)


def test_the_filter_offers_every_label_the_lists_can_show() -> None:
    shown = {dec_label(s, t) for s, t in itertools.product(Status, TIMINGS)}
    kinds = dec_status_kinds()
    assert [k.label for k in kinds] == list(dict.fromkeys(k.label for k in kinds))  # once each
    assert {k.label for k in kinds} == shown
    for kind in kinds:
        timings = [t for t in TIMINGS if kind.done is None or t.over is kind.done]
        assert {dec_label(kind.status, t) for t in timings} == {kind.label}


def test_an_unknown_action_never_reads_raw() -> None:
    assert action_words("ISSUE").dec == "Convocation émise"
    assert action_words("SOMETHING_NEW").dec == "Opération enregistrée"
