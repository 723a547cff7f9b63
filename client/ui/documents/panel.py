"""The supporting documents a person gives: for each required document, the files attached
(with a preview in the viewer), « Joindre un fichier… » or a file dropped on the document,
« Retirer », and « Envoyé par courrier » for a document sent on paper.

A chosen file is first written to the local choices (client/attachments.py) with the upload id
it is sent under: a dropped connection, a closed window or a crash never loses it, and sending
it again is the same upload (the server keeps it once). Each upload shows its progress; a
failed one stays listed with « Réessayer ». Once the statement is validated, the files are
shown but can no longer change.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.documents import DocumentsApi, new_upload_id
from client.api.models import DocumentFile
from client.attachments import AttachmentNotes, Pending
from client.formatting import number
from client.ui.documents.viewer import DocumentViewer
from client.ui.ops import Op
from client.ui.tasks import Task, TaskRunner

ACCEPTED = (".pdf", ".jpg", ".jpeg", ".png")
FILTER = "Documents (*.pdf *.jpg *.jpeg *.png *.PDF *.JPG *.JPEG *.PNG)"


def size_text(size: int) -> str:
    if size >= 1_048_576:
        tenths = (Decimal(size) / 1_048_576).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return f"{number(tenths, 1)} Mo"
    return f"{max(1, round(size / 1024))} Ko"


class DocumentRow(QFrame):
    """One required document: its files, its buttons, its upload in progress."""

    attach_requested = Signal(str, list)  # label, paths
    remove_requested = Signal(object)  # DocumentFile
    preview_requested = Signal(str)  # label
    by_post_changed = Signal(str, bool)
    retry_requested = Signal(str)  # upload id

    def __init__(self, label: str, on_statement: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = label
        self.on_statement = on_statement
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.files: list[DocumentFile] = []
        self.title = QLabel(f"<b>{label}</b>")
        self.title.setWordWrap(True)
        self.state = QLabel()
        self.by_post = QCheckBox(self.tr("Envoyé par courrier"))
        self.by_post.setAccessibleName(self.tr("{0} : envoyé par courrier").format(label))
        self.by_post.toggled.connect(lambda on: self.by_post_changed.emit(self.label, on))
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Fichiers joints : {0}").format(label))
        self.list.setMaximumHeight(90)
        self.list.itemDoubleClicked.connect(lambda _: self.preview_requested.emit(self.label))
        self.attach_button = QPushButton(self.tr("Joindre un fichier…"))
        self.attach_button.setToolTip(
            self.tr("PDF, JPEG ou PNG, 10 Mo au plus ; vous pouvez aussi déposer le fichier ici.")
        )
        self.attach_button.clicked.connect(self._choose)
        self.remove_button = QPushButton(self.tr("Retirer"))
        self.remove_button.clicked.connect(self._remove)
        self.preview_button = QPushButton(self.tr("Aperçu"))
        self.preview_button.clicked.connect(lambda: self.preview_requested.emit(self.label))
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.progress.setFormat(self.tr("Envoi : %p %"))
        self.failure = QLabel()
        self.failure.setWordWrap(True)
        self.failure.setStyleSheet("color: #b00020;")
        self.retry_button = QPushButton(self.tr("Réessayer"))
        self.retry_button.clicked.connect(self._retry)
        self.failed_upload: str | None = None
        for widget in (self.failure, self.retry_button):
            widget.setVisible(False)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.state)
        head.addWidget(self.by_post)
        buttons = QVBoxLayout()
        for button in (self.attach_button, self.remove_button, self.preview_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(buttons)
        failed = QHBoxLayout()
        failed.addWidget(self.failure, 1)
        failed.addWidget(self.retry_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(body)
        layout.addWidget(self.progress)
        layout.addLayout(failed)
        self.set_files([], [])

    def set_files(self, files: Sequence[DocumentFile], pending: Sequence[Pending]) -> None:
        self.files = list(files)
        self.list.clear()
        for file in files:
            pages = (
                self.tr(", {0} pages").format(file.pages) if file.is_pdf and file.pages > 1 else ""
            )
            own = (
                self.tr(" (dossier financier)")
                if self.on_statement and file.statement_id is None
                else ""
            )
            item = QListWidgetItem(f"{file.name} — {size_text(file.size)}{pages}{own}")
            item.setData(Qt.ItemDataRole.UserRole, file.id)
            self.list.addItem(item)
        for waiting in pending:
            item = QListWidgetItem(self.tr("{0} — en attente d'envoi").format(waiting.name))
            item.setForeground(Qt.GlobalColor.darkGray)
            self.list.addItem(item)
        attached = bool(files)
        self.state.setText(self.tr("✔ joint") if attached else self.tr("à fournir"))
        self.preview_button.setEnabled(attached)
        self.remove_button.setEnabled(attached and self.attach_button.isVisible())

    def set_editable(self, editable: bool) -> None:
        self.attach_button.setVisible(editable)
        self.remove_button.setVisible(editable)
        self.by_post.setEnabled(editable)
        self.setAcceptDrops(editable)

    def show_progress(self, done: int, total: int) -> None:
        self.progress.setVisible(done < total)
        self.progress.setMaximum(max(total, 1))
        self.progress.setValue(done)

    def show_failure(self, upload_id: str | None, message: str) -> None:
        self.failed_upload = upload_id
        self.progress.setVisible(False)
        self.failure.setText(message)
        self.failure.setVisible(bool(message))
        self.retry_button.setVisible(upload_id is not None)

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Joindre : {0}").format(self.label), "", FILTER
        )
        if paths:
            self.attach_requested.emit(self.label, paths)

    def _remove(self) -> None:
        item = self.list.currentItem() or self.list.item(0)
        if item is None:
            return
        wanted = item.data(Qt.ItemDataRole.UserRole)
        found = next((f for f in self.files if f.id == wanted), None)
        if found is not None:
            self.remove_requested.emit(found)

    def _retry(self) -> None:
        if self.failed_upload is not None:
            self.retry_requested.emit(self.failed_upload)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        urls = event.mimeData().urls()
        if urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.attach_requested.emit(self.label, paths)
            event.acceptProposedAction()


class DocumentsPanel(QWidget):
    """Every required document of a statement (`statement_id`) or of the financial file
    (None).

    changed(): the files or the choices changed (the recap lists them).
    """

    changed = Signal()

    def __init__(
        self,
        api: DocumentsApi,
        runner: TaskRunner,
        notes: AttachmentNotes,
        statement_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.api = api
        self.runner = runner
        self.notes = notes
        self.statement_id = statement_id
        self.rows: dict[str, DocumentRow] = {}
        self.files: list[DocumentFile] = []
        self.editable = True
        self.sending: set[str] = set()  # upload ids on their way
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.hint)

    # --- what is shown ---------------------------------------------------------------------

    def set_required(self, labels: Sequence[str]) -> None:
        if list(self.rows) == list(labels):
            return
        for row in self.rows.values():
            row.deleteLater()
        self.rows = {}
        for label in labels:
            row = DocumentRow(label, self.statement_id is not None, self)
            row.attach_requested.connect(self.attach)
            row.remove_requested.connect(self.remove)
            row.preview_requested.connect(self.preview)
            row.by_post_changed.connect(self._by_post)
            row.retry_requested.connect(self._retry)
            row.set_editable(self.editable)
            self.rows[label] = row
            self.layout_.addWidget(row)
        self.hint.setText(
            self.tr(
                "Joignez chaque pièce (PDF, photo JPEG ou PNG, 10 Mo au plus), ou cochez « Envoyé "
                "par courrier » si vous l'envoyez sur papier."
            )
            if labels
            else self.tr("Aucune pièce justificative n'est demandée.")
        )
        self._show()

    def set_editable(self, editable: bool) -> None:
        self.editable = editable
        for row in self.rows.values():
            row.set_editable(editable)

    def by_post(self) -> list[str]:
        return list(self.notes.load().by_post)

    def _show(self) -> None:
        choices = self.notes.load()
        for label, row in self.rows.items():
            row.set_files(
                [f for f in self.files if f.label == label],
                [p for p in choices.pending if p.label == label],
            )
            row.by_post.blockSignals(True)
            row.by_post.setChecked(label in choices.by_post)
            row.by_post.blockSignals(False)
        self.changed.emit()

    def refresh(self) -> None:
        """Reads the files from the server, then sends what is still waiting."""
        api, statement_id = self.api, self.statement_id

        def read() -> list[DocumentFile]:
            return api.of_statement(statement_id) if statement_id else api.of_profile()

        Op(self, read, latest="documents").on_success(self.show_files).run(self.runner)

    def show_files(self, files: list[DocumentFile]) -> None:
        """Shows the files the server holds, then sends what is still waiting."""
        self.files = files
        self._show()
        if self.editable:
            for waiting in self.notes.load().pending:
                self._send(waiting)

    # --- changes ---------------------------------------------------------------------------

    def attach(self, label: str, paths: list[str]) -> None:
        for path in paths:
            if not path.lower().endswith(ACCEPTED):
                self.rows[label].show_failure(
                    None,
                    self.tr("« {0} » n'est ni un PDF ni une image JPEG ou PNG.").format(
                        Path(path).name
                    ),
                )
                continue
            waiting = Pending(
                upload_id=new_upload_id(), label=label, path=path, name=Path(path).name
            )
            self.notes.add_pending(waiting)
            self._send(waiting)
        self._show()

    def _send(self, waiting: Pending) -> None:
        if waiting.upload_id in self.sending:
            return
        self.sending.add(waiting.upload_id)
        row = self.rows.get(waiting.label)
        api, statement_id = self.api, self.statement_id

        def upload(task: Task) -> DocumentFile:
            content = Path(waiting.path).read_bytes()
            return api.upload(
                statement_id, waiting.label, waiting.name, content, waiting.upload_id, task.progress
            )

        def done(file: DocumentFile) -> None:
            self.sending.discard(waiting.upload_id)
            self.notes.remove_pending(waiting.upload_id)
            self.files = [f for f in self.files if f.id != file.id] + [file]
            if row is not None:
                row.show_failure(None, "")
            self._show()

        def failed(error: BaseException) -> None:
            self.sending.discard(waiting.upload_id)
            detail = getattr(error, "detail", None) or str(error)
            if isinstance(error, FileNotFoundError):
                self.notes.remove_pending(waiting.upload_id)
                detail = self.tr("le fichier a été déplacé ou supprimé")
                if row is not None:
                    row.show_failure(None, self.tr("« {0} » : {1}.").format(waiting.name, detail))
                self._show()
                return
            if getattr(error, "status", 0) in (413, 422):
                self.notes.remove_pending(waiting.upload_id)  # the server will never take it
                if row is not None:
                    row.show_failure(
                        None, self.tr("« {0} » refusé : {1}").format(waiting.name, detail)
                    )
                self._show()
                return
            if row is not None:
                row.show_failure(
                    waiting.upload_id,
                    self.tr("« {0} » n'a pas pu être envoyé : {1}").format(waiting.name, detail),
                )

        op = Op.reporting(self, upload, latest=f"upload-{waiting.upload_id}")
        op.on_success(done).on_failure(failed)
        if row is not None:
            op.on_progress(row.show_progress)
        op.run(self.runner)

    def _retry(self, upload_id: str) -> None:
        found = next((p for p in self.notes.load().pending if p.upload_id == upload_id), None)
        if found is not None:
            self.rows[found.label].show_failure(None, "")
            self._send(found)

    def remove(self, file: DocumentFile) -> None:
        api = self.api

        def gone(_: object) -> None:
            self.files = [f for f in self.files if f.id != file.id]
            self._show()

        Op(self, lambda: api.remove(file.id)).on_success(gone).on_failure(
            lambda error: self.rows[file.label].show_failure(
                None, getattr(error, "detail", None) or str(error)
            )
        ).run(self.runner)

    def _by_post(self, label: str, on: bool) -> None:
        self.notes.set_by_post(label, on)
        self.changed.emit()

    def preview(self, label: str) -> None:
        files = [f for f in self.files if f.label == label]
        if not files:
            return
        viewer = DocumentViewer(label, files, self.api.content, self.runner, parent=self)
        viewer.received.setVisible(False)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
