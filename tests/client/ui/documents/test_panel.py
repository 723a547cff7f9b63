"""Attaching supporting documents from the statement editor, driven like a person does: a file
dropped on a document (or picked), its progress, the file listed; a dropped connection leaves
the file waiting in the local choices with « Réessayer », and sending it again is the same
upload; « Envoyé par courrier » kept; removing; and nothing changes once validated."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from pytestqt.qtbot import QtBot

from client.api import errors
from client.api.client import ImaginClient
from client.attachments import AttachmentNotes
from client.ui.statement.editor import StatementEditor
from client.ui.statement.steps import Step
from server_stub.auth.models import User
from tests.server_stub.factories import World, log_in

pytest_plugins = ["tests.client.ui.statement_conftest"]

Connect = Callable[[User], ImaginClient]
OpenEditor = Callable[[ImaginClient, int], StatementEditor]
AUTHORISATION = "Autorisation préalable d'utiliser son véhicule personnel"
CAR_TRIP = {
    "days": [{"date": "2026-06-15", "copies": 40}],
    "travel": {
        "claimed": True,
        "departure": "ADMINISTRATIVE",
        "trips": [
            {
                "depart_at": "2026-06-15T07:15:00",
                "return_at": "2026-06-15T19:30:00",
                "mode": "CAR",
                "km": "112",
            }
        ],
    },
}


def saved_with_a_car_trip(http: TestClient, user: User, statement_id: int) -> None:
    headers = log_in(http, user)
    current = http.get(f"/api/v1/statements/{statement_id}", headers=headers).json()
    saved = http.put(
        f"/api/v1/statements/{statement_id}",
        json=CAR_TRIP,
        headers={**headers, "If-Match": f'"{current["version"]}"'},
    )
    assert saved.status_code == 200, saved.text


def photo(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (10, 200, 90)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def drop(widget: Any, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)


def test_a_dropped_photo_is_uploaded_listed_and_kept_until_sent(
    qtbot: QtBot,
    world: World,
    http: TestClient,
    connect: Connect,
    open_editor: OpenEditor,
    tmp_path: Path,
) -> None:
    user = world.person()
    statement = world.statement(user)
    world.commit()
    saved_with_a_car_trip(http, user, statement.id)
    api = connect(user)
    editor = open_editor(api, statement.id)
    qtbot.mouseClick(editor.steps.button(Step.RECAP), Qt.MouseButton.LeftButton)
    panel = editor.documents
    assert AUTHORISATION in panel.rows
    row = panel.rows[AUTHORISATION]
    assert row.state.text() == "à fournir"

    # The connection drops during the first try: the file waits, with « Réessayer ».
    real_upload = panel.api.upload
    calls: list[str] = []

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[4])
        if len(calls) == 1:
            raise errors.ServerUnreachable("Le serveur ne répond pas.")
        return real_upload(*args, **kwargs)

    panel.api.upload = flaky  # type: ignore[method-assign]
    drop(row, photo(tmp_path / "autorisation.jpg"))
    qtbot.waitUntil(lambda: row.retry_button.isVisible(), timeout=5000)
    notes = AttachmentNotes(editor.drafts.folder, statement.id)
    [waiting] = notes.load().pending
    assert waiting.label == AUTHORISATION and waiting.path.endswith("autorisation.jpg")
    assert "en attente d'envoi" in row.list.item(0).text()

    progress: list[tuple[int, int]] = []
    row.progress.valueChanged.connect(lambda v: progress.append((v, row.progress.maximum())))
    qtbot.mouseClick(row.retry_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state.text() == "✔ joint", timeout=5000)
    assert len(calls) >= 2 and len(set(calls)) == 1, "each try is the same upload"
    assert notes.load().pending == []
    assert row.list.count() == 1 and row.list.item(0).text().startswith("autorisation.jpg — ")
    assert progress and progress[-1][0] == progress[-1][1]
    [file] = panel.api.of_statement(statement.id)
    assert file.label == AUTHORISATION

    row.by_post.setChecked(True)
    assert notes.load().by_post == [AUTHORISATION]

    row.list.setCurrentRow(0)
    qtbot.mouseClick(row.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: row.state.text() == "à fournir", timeout=5000)
    assert panel.api.of_statement(statement.id) == []


def test_a_file_chosen_before_closing_is_sent_on_reopening(
    qtbot: QtBot,
    world: World,
    http: TestClient,
    connect: Connect,
    open_editor: OpenEditor,
    tmp_path: Path,
    drafts: Any,
) -> None:
    from client.attachments import Pending

    user = world.person()
    statement = world.statement(user)
    world.commit()
    saved_with_a_car_trip(http, user, statement.id)
    AttachmentNotes(drafts.folder, statement.id).add_pending(
        Pending(
            upload_id="choisi-avant-fermeture-01",
            label=AUTHORISATION,
            path=str(photo(tmp_path / "scan.jpg")),
            name="scan.jpg",
        )
    )
    editor = open_editor(connect(user), statement.id)
    row = editor.documents.rows[AUTHORISATION]
    qtbot.waitUntil(lambda: row.state.text() == "✔ joint", timeout=5000)
    assert AttachmentNotes(drafts.folder, statement.id).load().pending == []


def test_a_validated_statement_shows_its_files_without_changing_them(
    qtbot: QtBot, world: World, http: TestClient, connect: Connect, open_editor: OpenEditor
) -> None:
    user = world.person()
    statement = world.statement(user)
    world.commit()
    saved_with_a_car_trip(http, user, statement.id)
    headers = log_in(http, user)
    sent = http.put(
        f"/api/v1/statements/{statement.id}/documents/envoi-valide-0001",
        params={"label": AUTHORISATION, "name": "autorisation.jpg"},
        content=photo(Path(__file__).parent / "_tmp.jpg").read_bytes(),
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    (Path(__file__).parent / "_tmp.jpg").unlink()
    assert sent.status_code == 201, sent.text
    current = http.get(f"/api/v1/statements/{statement.id}", headers=headers).json()
    validated = http.post(
        f"/api/v1/statements/{statement.id}/validate",
        json={"accurate": True, "no_overtime": True},
        headers={**headers, "If-Match": f'"{current["version"]}"'},
    )
    assert validated.status_code == 200, validated.text

    editor = open_editor(connect(user), statement.id)
    row = editor.documents.rows[AUTHORISATION]
    qtbot.waitUntil(lambda: row.state.text() == "✔ joint", timeout=5000)
    assert not row.attach_button.isVisible() and not row.remove_button.isVisible()
    assert row.preview_button.isEnabled()


def test_the_recap_lists_each_document_and_can_hold_the_whole_dossier(
    qtbot: QtBot,
    world: World,
    http: TestClient,
    connect: Connect,
    open_editor: OpenEditor,
    tmp_path: Path,
    opened: Any,
) -> None:
    from pypdf import PdfReader

    from tests.client.ui.documents.test_viewer import scan

    user = world.person()
    statement = world.statement(user)
    world.commit()
    saved_with_a_car_trip(http, user, statement.id)
    editor = open_editor(connect(user), statement.id)
    editor.go_to(Step.RECAP)
    panel = editor.documents
    assert panel is not None
    path = tmp_path / "autorisation.pdf"
    path.write_bytes(scan(2))
    panel.attach(AUTHORISATION, [str(path)])
    row = panel.rows[AUTHORISATION]
    qtbot.waitUntil(lambda: row.state.text() == "✔ joint", timeout=5000)
    panel.rows["Copie de la carte grise du véhicule (puissance fiscale)"].by_post.setChecked(True)
    recap = editor.page(Step.RECAP)
    recap.dossier.setChecked(True)  # type: ignore[attr-defined]

    qtbot.mouseClick(recap.print_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: bool(opened.urls), timeout=10000)

    printed = Path(opened.urls[0].toLocalFile())
    assert printed.name == f"dossier-etat-de-frais-{statement.id}.pdf"
    reader = PdfReader(printed)
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert "jointe à l'état de frais : autorisation.pdf" in " ".join(text.split())
    assert "envoyée par courrier" in text
    assert "Facture d'hotel - page 2" in text  # the attached file's pages follow the recap
    assert len(reader.pages) >= 3
