"""Mon profil against the real server: loading, the instant IBAN check, saving, field errors."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from client.api.models import Profile
from client.ui.context import AppContext
from client.ui.profile import iban
from client.ui.profile.dialog import ProfileDialog
from tests.client.ui.conftest import log_in_as
from tests.server_stub.factories import World

VALID_IBAN = "FR76 3000 6000 0112 3456 7890 189"
WRONG_KEY_IBAN = "FR76 3000 6000 0112 3456 7890 188"


@pytest.fixture
def dialog(qtbot: Any, ctx: AppContext, world: World) -> ProfileDialog:
    user = world.person(iban="FR7630006000011234567890189", account_holder="Élodie Dupont-Martin")
    world.commit()
    ctx.identity = log_in_as(ctx.raw_api, user).user
    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded):
        dialog.load()
    return dialog


def test_the_profile_is_shown(dialog: ProfileDialog) -> None:
    assert dialog.administrative.edit.text() == "Amiens (80000)"
    assert dialog.family.edit.text() == "Amiens (80000)"
    assert dialog.fiscal_power.text() == "5 CV"
    assert dialog.iban.text() == VALID_IBAN
    assert dialog.account_holder.text() == "Élodie Dupont-Martin"
    assert dialog.subtitle.text().startswith("Élodie Dupont-Martin – identifiant ")
    assert dialog.save_button.isEnabled()


def test_the_iban_is_checked_as_it_is_typed(dialog: ProfileDialog) -> None:
    assert dialog.iban_state.text() == "✓ Clé de contrôle correcte"
    dialog.iban.setText("FR76 3000 6000")
    assert dialog.iban_state.text() == "IBAN incomplet"
    dialog.iban.setText(WRONG_KEY_IBAN)
    assert dialog.iban_state.text() == "✗ Clé de contrôle incorrecte"
    dialog.iban.setText("")
    assert dialog.iban_state.text() == ""


def test_a_refused_iban_is_shown_beside_the_field(qtbot: Any, dialog: ProfileDialog) -> None:
    dialog.iban.setText(WRONG_KEY_IBAN)
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["iban"].isVisible())
    assert "IBAN invalide" in dialog.errors["iban"].text()
    assert dialog.bar.isVisible()
    assert dialog.iban.hasFocus()
    assert dialog.iban.text() == WRONG_KEY_IBAN  # nothing typed is lost
    # Typing again clears the server's message.
    qtbot.keyClick(dialog.iban, Qt.Key.Key_Backspace)
    assert not dialog.errors["iban"].isVisible()
    assert dialog.bar.isVisible(), "not corrected yet"
    dialog.iban.setText(VALID_IBAN)
    assert not dialog.bar.isVisible(), "« IBAN invalide » is gone once the IBAN is right"


def test_saving_sends_only_what_changed(qtbot: Any, dialog: ProfileDialog, ctx: AppContext) -> None:
    dialog.fiscal_power.setValue(7)
    dialog.disability.setChecked(True)
    dialog.bic.setText("agrifrpp")
    assert dialog.changes() == {"fiscal_power": 7, "disability": True, "bic": "AGRIFRPP"}
    with qtbot.waitSignal(dialog.saved) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    profile: Profile = saved.args[0]
    assert (profile.fiscal_power, profile.disability) == (7, True)
    assert profile.bic is not None and profile.bic.startswith("AGRIFRPP")
    assert dialog.bar.text == "Votre profil est enregistré."
    assert ctx.raw_api.me().fiscal_power == 7


def test_nothing_changed_nothing_sent(dialog: ProfileDialog) -> None:
    dialog.save()
    assert dialog.bar.text == "Aucune modification à enregistrer."


def test_choosing_a_commune_by_postal_code(qtbot: Any, dialog: ProfileDialog) -> None:
    picker = dialog.family
    picker.edit.setFocus()
    picker.edit.clear()
    with qtbot.waitSignal(picker.results_arrived, timeout=10_000) as arrived:
        qtbot.keyClicks(picker.edit, "60000")  # typing pauses, then the directory answers
    assert arrived.args[0] >= 1
    assert picker.model.index(0).data() == "Beauvais (60000)"
    picker.choose(0)
    assert picker.edit.text() == "Beauvais (60000)"
    assert dialog.changes() == {"family_residence": "60057"}
    with qtbot.waitSignal(dialog.saved) as saved:
        dialog.save()
    assert saved.args[0].family_residence.name == "Beauvais"


def test_a_commune_typed_but_not_chosen_is_flagged(dialog: ProfileDialog) -> None:
    dialog.administrative.edit.setText("Ami")
    dialog.administrative.edit.textEdited.emit("Ami")
    dialog.save()
    assert dialog.errors["administrative_residence"].isVisible()
    assert "Choisissez la commune" in dialog.errors["administrative_residence"].text()


def test_a_holder_other_than_oneself_is_refused_beside_the_field(
    qtbot: Any, dialog: ProfileDialog
) -> None:
    dialog.account_holder.setText("Jean Valjean")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["account_holder"].isVisible())
    assert dialog.errors["account_holder"].text() == "Le titulaire du compte doit être vous-même."


# --- the IBAN check itself ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "state"),
    [
        ("", iban.IbanState.EMPTY),
        ("FR76 3000", iban.IbanState.INCOMPLETE),
        (VALID_IBAN, iban.IbanState.VALID),
        (VALID_IBAN.lower(), iban.IbanState.VALID),
        (WRONG_KEY_IBAN, iban.IbanState.BAD_CHECKSUM),
        (VALID_IBAN + "1", iban.IbanState.TOO_LONG),
        ("76FR 3000 6000", iban.IbanState.BAD_COUNTRY),
        ("FR76-3000", iban.IbanState.BAD_CHARACTERS),
        ("BE68 5390 0754 7034", iban.IbanState.VALID),
        ("DE89 3704 0044 0532 0130 00", iban.IbanState.VALID),
    ],
)
def test_iban_check(typed: str, state: iban.IbanState) -> None:
    assert iban.check(typed) is state


def test_iban_is_grouped_by_four() -> None:
    assert iban.grouped("fr7630006000011234567890189") == VALID_IBAN


def test_closing_with_unsaved_changes_asks_first(
    dialog: ProfileDialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []

    def keep_typing() -> bool:
        asked.append(True)
        return False

    monkeypatch.setattr(dialog, "confirm_discard", keep_typing)
    dialog.bic.setText("AGRIFRPP")
    dialog.reject()
    assert asked == [True]
    assert dialog.isVisible()  # still there, with what was typed
    assert dialog.bic.text() == "AGRIFRPP"
    monkeypatch.setattr(dialog, "confirm_discard", lambda: True)
    dialog.reject()
    assert not dialog.isVisible()


def test_the_social_security_number_is_saved_and_a_wrong_key_shown_beside_it(
    qtbot: Any, dialog: ProfileDialog, ctx: AppContext
) -> None:
    dialog.nir.setText("1 84 12 80 021 451 61")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["nir"].isVisible())
    assert dialog.errors["nir"].text().startswith("La clé (2 derniers chiffres)")
    dialog.grab().save("/tmp/profile-nir-error.png")
    assert dialog.nir.hasFocus()
    dialog.nir.setText("184128002145160")
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert dialog.nir.text() == "1 84 12 80 021 451 60"
    assert ctx.raw_api.me().nir == "184128002145160"
    dialog.grab().save("/tmp/profile-nir.png")


# --- e-mail messages -----------------------------------------------------------------------


def test_the_address_and_the_messages_chosen_are_saved(
    qtbot: Any, dialog: ProfileDialog, ctx: AppContext
) -> None:
    convocation = dialog.kind_boxes["CONVOCATION"]
    reminder = dialog.kind_boxes["DEADLINE_REMINDER"]
    assert convocation.isChecked() and not convocation.isEnabled()  # statutory
    assert reminder.isChecked() and reminder.isEnabled()
    dialog.email.setText("elodie.dupont@ac-amiens.fr")
    reminder.setChecked(False)
    assert dialog.changes() == {"email": "elodie.dupont@ac-amiens.fr"}
    assert dialog.declined() == ["DEADLINE_REMINDER"]

    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    chosen = ctx.raw_api.notifications()
    assert chosen.email == "elodie.dupont@ac-amiens.fr"
    assert {k.kind: k.enabled for k in chosen.kinds}["DEADLINE_REMINDER"] is False
    assert not dialog.kind_boxes["DEADLINE_REMINDER"].isChecked()
    assert dialog.declined() is None and dialog.changes() == {}


def test_a_wrong_address_is_refused_beside_the_field(qtbot: Any, dialog: ProfileDialog) -> None:
    dialog.email.setText("elodie.dupont")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["email"].isVisible())
    assert dialog.errors["email"].text().startswith("Adresse électronique invalide")
    assert dialog.email.hasFocus()


def test_the_documents_of_the_financial_file_are_attached_from_the_profile(
    qtbot: Any, ctx: AppContext, world: World, tmp_path: Any
) -> None:
    from tests.client.ui.documents.test_viewer import scan

    user = world.person("Paul", "Girard", academic=False)
    world.commit()
    ctx.identity = log_in_as(ctx.raw_api, user).user
    dialog = ProfileDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.load()
    rib = "RIB au nom et à l'adresse personnelle de l'intervenant"
    assert list(dialog.documents.rows) == [
        rib,
        "Notice de renseignements personnels signée",
        "Copie de la carte Vitale",
    ]
    path = tmp_path / "RIB banque.pdf"
    path.write_bytes(scan(1))
    dialog.documents.attach(rib, [str(path)])
    row = dialog.documents.rows[rib]
    qtbot.waitUntil(lambda: row.state.text() == "✔ joint", timeout=10_000)
    assert row.list.item(0).text().startswith("RIB banque.pdf — ")
    assert [f.label for f in dialog.documents.api.of_profile()] == [rib]
    dialog.resize(760, 1400)
    qtbot.wait(50)
