"""The DEC's document viewer, driven as a gestionnaire uses it: the first page of a scan drawn
on a worker, next and previous through every page of every file, zoom, the "received" tick."""

from __future__ import annotations

import datetime as dt
import io

from PIL import Image
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from client.api.models import DocumentFile
from client.ui.documents.viewer import DocumentViewer
from client.ui.tasks import TaskRunner

AT = dt.datetime(2026, 6, 20, 9, 30, tzinfo=dt.UTC)


def scan(pages: int) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for n in range(pages):
        canvas.setFont("Helvetica", 28)
        canvas.drawString(72, 720, f"Facture d'hotel - page {n + 1}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def files() -> tuple[list[DocumentFile], dict[int, bytes]]:
    listed = [
        DocumentFile(
            id=1,
            statement_id=7,
            label="Facture d'hôtel acquittée",
            name="facture.pdf",
            media_type="application/pdf",
            size=1,
            pages=20,
            created_at=AT,
        ),
        DocumentFile(
            id=2,
            statement_id=7,
            label="Facture d'hôtel acquittée",
            name="ticket.jpg",
            media_type="image/jpeg",
            size=1,
            pages=1,
            created_at=AT,
        ),
    ]
    return listed, {1: scan(20), 2: photo()}


def test_pages_of_every_file_are_shown_one_after_the_other_with_zoom_and_the_tick(
    qtbot: QtBot,
) -> None:
    listed, contents = files()
    fetched: list[int] = []

    def fetch(document_id: int) -> bytes:
        fetched.append(document_id)
        return contents[document_id]

    runner = TaskRunner()
    viewer = DocumentViewer("Facture d'hôtel acquittée", listed, fetch, runner)
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: viewer.page.pixmap() is not None and not viewer.page.pixmap().isNull())
    assert "facture.pdf — page 1 sur 20 (fichier 1 sur 2)" in viewer.where.text()
    assert not viewer.previous_button.isEnabled()
    width = viewer.page.pixmap().width()

    with qtbot.waitSignal(viewer.page_shown) as shown:
        viewer.zoom_in_button.click()
    assert shown.args == [0, 0]
    assert viewer.zoom_label.text() == "125 %"
    assert viewer.page.pixmap().width() > width

    with qtbot.waitSignal(viewer.page_shown):
        viewer.next_button.click()
    assert "page 2 sur 20" in viewer.where.text()
    for _ in range(19):
        with qtbot.waitSignal(viewer.page_shown):
            viewer.next()
    assert "ticket.jpg — page 1 sur 1 (fichier 2 sur 2)" in viewer.where.text()
    assert not viewer.next_button.isEnabled()
    assert fetched == [1, 2]  # each file fetched once

    with qtbot.waitSignal(viewer.received_changed) as ticked:
        viewer.received.click()
    assert ticked.args == [True]
    runner.wait_for_done()


def test_a_file_that_cannot_be_drawn_says_so(qtbot: QtBot) -> None:
    listed, _ = files()
    runner = TaskRunner()
    viewer = DocumentViewer("Facture", listed[:1], lambda _: b"%PDF-1.4 abime", runner)
    qtbot.addWidget(viewer)
    qtbot.waitUntil(lambda: "n'a pas pu être affiché" in viewer.page.text())
    runner.wait_for_done()
