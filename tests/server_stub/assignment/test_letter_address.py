"""The convocation letter gives the centre's postal code and town once."""

from __future__ import annotations

from server_stub.assignment.convening import full_address


def test_an_address_already_ending_with_its_town_is_left_as_it_is() -> None:
    assert full_address("12 rue Delpech, 80000 Amiens", "80000", "Amiens") == (
        "12 rue Delpech, 80000 Amiens"
    )


def test_an_address_without_its_town_is_given_it() -> None:
    assert full_address("12 rue Delpech", "80000", "Amiens") == "12 rue Delpech, 80000 Amiens"
    assert full_address("", "80000", "Amiens") == "80000 Amiens"
    assert full_address("12 rue Delpech", "", "") == "12 rue Delpech"
