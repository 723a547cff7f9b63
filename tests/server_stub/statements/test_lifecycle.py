"""DOMAIN §3: who may move a statement from where to where, and what people read."""

from __future__ import annotations

import datetime as dt

import pytest

from server_stub.statements.lifecycle import (
    MOVES,
    Action,
    Actor,
    Timing,
    allowed,
    dec_label,
    intervenant_label,
    part_labels,
    refusal,
    target,
)
from server_stub.statements.models import Status

JUNE_15 = dt.date(2026, 6, 15)


def timing(today: dt.date) -> Timing:
    return Timing(JUNE_15, JUNE_15, today)


@pytest.mark.parametrize(
    ("today", "label"),
    [
        (dt.date(2026, 6, 1), "Mission non effectuée"),
        (JUNE_15, "Mission en cours"),
        (dt.date(2026, 7, 1), "Non validé"),
    ],
)
def test_an_open_statement_reads_by_the_mission_dates(today: dt.date, label: str) -> None:
    assert intervenant_label(Status.OPEN, timing(today)) == label


def test_dec_sees_the_mission_not_yet_performed_then_performed() -> None:
    assert dec_label(Status.OPEN, timing(dt.date(2026, 6, 1))) == "Mission non encore effectuée"
    assert dec_label(Status.OPEN, timing(dt.date(2026, 7, 1))) == "Mission effectuée"
    assert dec_label(Status.SUBMITTED, timing(dt.date(2026, 7, 1))) == "À valider"
    assert dec_label(Status.IN_PAYMENT, timing(dt.date(2026, 7, 1))) == "Transmis à la liquidation"


def test_every_status_has_both_labels() -> None:
    later = timing(dt.date(2026, 7, 1))
    for status in Status:
        assert intervenant_label(status, later)
        assert dec_label(status, later)


def test_the_intervenant_path() -> None:
    assert target(Action.SUBMIT, Status.OPEN) is Status.SUBMITTED
    assert target(Action.DECLARE_NOT_PERFORMED, Status.OPEN) is Status.NOT_PERFORMED
    assert target(Action.SUBMIT, Status.RETURNED) is Status.SUBMITTED
    assert target(Action.SAVE, Status.RETURNED) is Status.RETURNED


def test_a_validated_statement_is_immutable_for_the_intervenant() -> None:
    intervenant_actions = [a for a, move in MOVES.items() if move.actor is Actor.INTERVENANT]
    for status in (Status.SUBMITTED, Status.APPROVED, Status.DEC_ENTERED, Status.PAID):
        for action in intervenant_actions:
            # Once the DEC entered the indemnity, the person may still type their travel part
            # or declare the mission not performed.
            if status is not Status.DEC_ENTERED or action is Action.SUBMIT:
                assert not allowed(action, status)
    assert "validé" in refusal(Action.SAVE, Status.SUBMITTED)
    assert allowed(Action.DECLARE_NOT_PERFORMED, Status.DEC_ENTERED)
    assert target(Action.SAVE, Status.DEC_ENTERED) is Status.OPEN


def test_the_dec_path_to_payment() -> None:
    assert target(Action.APPROVE, Status.SUBMITTED) is Status.APPROVED
    assert target(Action.SEND_TO_PAYMENT, Status.APPROVED) is Status.IN_PAYMENT
    assert target(Action.SEND_TO_PAYMENT, Status.DEC_ENTERED) is Status.IN_PAYMENT
    assert target(Action.MARK_PAID, Status.IN_PAYMENT) is Status.PAID
    assert not allowed(Action.APPROVE, Status.OPEN)
    assert not allowed(Action.SEND_TO_PAYMENT, Status.SUBMITTED)


def test_cancel_freezes_and_uncancel_restores_the_previous_status() -> None:
    assert target(Action.CANCEL, Status.SUBMITTED) is Status.CANCELLED
    assert target(Action.UNCANCEL, Status.CANCELLED, before_cancel=Status.SUBMITTED) is (
        Status.SUBMITTED
    )
    assert not allowed(Action.CANCEL, Status.PAID)
    assert not allowed(Action.SAVE, Status.CANCELLED)
    assert "annulé" in refusal(Action.SAVE, Status.CANCELLED)


def test_part_labels_for_dec_handled_and_unpaid_missions() -> None:
    later = timing(dt.date(2026, 7, 1))
    pay, travel = part_labels(
        Status.OPEN,
        later,
        dec_handled=True,
        pay_possible=False,
        travel_possible=False,
        travel_elsewhere=False,
    )
    assert (pay, travel) == ("Traité par le gestionnaire", "Pas de frais")
    pay, travel = part_labels(
        Status.SUBMITTED,
        later,
        dec_handled=False,
        pay_possible=True,
        travel_possible=True,
        travel_elsewhere=True,
    )
    assert (pay, travel) == ("Validé", "Invalidable")
