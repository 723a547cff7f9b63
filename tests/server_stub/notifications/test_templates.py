"""The messages' French text: the same words in plain text and HTML, HTML escaped."""

from __future__ import annotations

from server_stub.notifications.kinds import LABELS, OPTIONAL, STATUTORY, Kind
from server_stub.notifications.templates import render


def test_what_a_person_typed_cannot_become_html() -> None:
    reason = "Pièce <b>manquante</b> & <script>alert(1)</script>"
    message = render(
        Kind.STATEMENT_RETURNED, "Élodie Dupont", {"mission": "Correction", "reason": reason}
    )
    assert "<script>" not in message.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.html
    assert f"Motif du renvoi : {reason}" in message.text


def test_every_kind_has_a_french_name_and_the_statutory_ones_are_not_optional() -> None:
    assert set(LABELS) == set(Kind)
    assert not set(OPTIONAL) & STATUTORY
    assert {Kind.CONVOCATION, Kind.STATEMENT_RETURNED, Kind.PAYMENT_REJECTED} <= STATUTORY


def test_a_reset_code_message_says_how_long_it_lasts() -> None:
    message = render(
        Kind.PASSWORD_RESET,
        "Paul Martin",
        {"login": "pmartin", "code": "ABCD-1234", "minutes": "30"},
    )
    assert "dans les 30 minutes" in message.text
    assert "ABCD-1234" in message.html
    assert message.html.startswith('<!DOCTYPE html><html lang="fr">')
