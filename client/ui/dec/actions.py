"""The DEC's actions on statements: bulk moves in chunks, and the dialogs that ask for what
an action needs (a reason, corrected counts, an indemnity, a payment date).

A bulk action sends CHUNK statements per request on the worker pool, reports progress after
each chunk and stops between two chunks when asked to: what was sent is done (the server
answered it), what was not is reported as not sent. The outcome of every statement comes back
in one `BulkReport`, shown by `ReportDialog`, exportable as CSV.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html import escape
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from client.api.dec_models import (
    BulkResult,
    DecQueueRow,
    ItemResult,
    Outcome,
    ReturnReason,
    StatementRef,
)
from client.api.models import Entry, HalfDay, MissionType, PayDay, Statement
from client.formatting import date_fr, long_date, plural
from client.ui import app_style
from client.ui.dec.export import ask_path, write_csv
from client.ui.errors import message_for
from client.ui.models.rows import Column, RowsModel
from client.ui.ops import Op
from client.ui.tasks import Task, TaskRunner

CHUNK = 200


@dataclass
class BulkReport:
    """What a bulk action did to each statement asked for."""

    action: str  # "Validation", "Renvoi", ... (French, for the dialog's title)
    requested: int
    results: list[ItemResult] = field(default_factory=list)
    not_sent: list[int] = field(default_factory=list)
    cancelled: bool = False
    error: BaseException | None = None

    @property
    def done(self) -> list[ItemResult]:
        return [r for r in self.results if r.ok]

    @property
    def failed(self) -> list[ItemResult]:
        return [r for r in self.results if not r.ok]


BulkCall = Callable[[Sequence[StatementRef]], BulkResult]


class ChunkedAction(QObject):
    """One bulk action on the worker pool, CHUNK statements per request.

    Signals:
        chunk_done(object): a chunk was answered (its `BulkResult`), to update the rows at once.
        progressed(int, int): statements answered so far, out of how many.
        finished(object): the `BulkReport`, cancelled or not, failed or not.
    """

    chunk_done = Signal(object)
    progressed = Signal(int, int)
    finished = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        action: str,
        call: BulkCall,
        refs: Sequence[tuple[int, int | None]],
        *,
        chunk: int = CHUNK,
        parent: QObject | None = None,
    ) -> None:
        """`refs` are (statement id, version read) pairs: the wire models are built on the
        worker, chunk by chunk (10,000 of them would hold the GUI thread for 0.2 s)."""
        super().__init__(parent)
        self._runner = runner
        self._call = call
        self._refs = list(refs)
        self._chunk = chunk
        self._stop = threading.Event()
        self.report = BulkReport(action=action, requested=len(self._refs))
        self.task: Task | None = None

    def start(self) -> None:
        self.task = (
            Op.reporting(self, self._work)
            .on_success(self._on_done)
            .on_failure(self._on_done)  # never raised: `_work` reports its own failure
            .on_progress(self.progressed.emit)
            .run(self._runner)
        )

    def cancel(self) -> None:
        """Stops after the chunk in flight (which the server is already handling)."""
        self._stop.set()

    @property
    def cancelling(self) -> bool:
        return self._stop.is_set()

    def _work(self, task: Task) -> BulkReport:
        report, total = self.report, len(self._refs)
        for start in range(0, total, self._chunk):
            if self._stop.is_set():
                report.cancelled = True
                report.not_sent = [ref[0] for ref in self._refs[start:]]
                break
            chunk = [
                StatementRef.model_construct(id=i, version=v)
                for i, v in self._refs[start : start + self._chunk]
            ]
            try:
                answer = self._call(chunk)
            except Exception as error:  # the remaining statements are reported as not sent
                report.error = error
                report.not_sent = [ref[0] for ref in self._refs[start:]]
                break
            report.results.extend(answer.results)
            self.chunk_done.emit(answer)  # queued to the GUI thread: this object lives there
            task.progress(min(start + len(chunk), total), total)
        return report

    def _on_done(self, _result: object) -> None:
        self.finished.emit(self.report)


class BulkProgress(QWidget):
    """The progress of a bulk action, inline under the list, with Annuler (between chunks).

    Not a QProgressDialog: a modal one runs a nested event loop at each step, and showing
    it takes longer than the interface may freeze.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._action: ChunkedAction | None = None
        self._label_text = ""
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("Avancement"))
        self.bar.setFormat(self.tr("%v sur %m"))
        self.cancel_button = QPushButton(self.tr("Annuler"))
        self.cancel_button.setToolTip(
            self.tr("Arrêter après le paquet en cours (Échap) ; le reste est inchangé.")
        )
        self.cancel_button.clicked.connect(self.on_cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self.hide()

    def follow(self, action: ChunkedAction, label: str) -> None:
        self._action = action
        self._label_text = label
        self.label.setText(label)
        self.bar.setRange(0, action.report.requested)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        action.progressed.connect(self.on_progressed)
        action.finished.connect(lambda _report: self.hide())
        self.show()
        self.cancel_button.setFocus()

    def on_progressed(self, done: int, total: int) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)

    def on_cancel(self) -> None:
        if self._action is not None:
            self._action.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Annulation après le paquet en cours…"))


def self_tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("BulkProgress", text)


def outcome_text(result: ItemResult) -> str:
    """Why a statement was not moved, in French (the server's words when it gave some)."""
    if result.reason:
        return result.reason
    tr = self_tr
    return {
        Outcome.OK: tr("Fait."),
        Outcome.NOT_FOUND: tr("Cet état de frais n'existe pas ou n'est pas de votre service."),
        Outcome.ALREADY_DONE: tr("Déjà fait (par un collègue ?)."),
        Outcome.STALE_VERSION: tr("Modifié depuis votre lecture : rechargez-le."),
        Outcome.TRANSITION_REFUSED: tr("Impossible dans son statut actuel."),
        Outcome.ANOMALIES: tr("Il présente des anomalies."),
        Outcome.INVALID: tr("Saisie invalide."),
    }[result.outcome]


@dataclass(frozen=True)
class ReportLine:
    id: int
    intervenant: str
    outcome: str
    reason: str


class ReportDialog(QDialog):
    """What a bulk action did: the count done, and each statement not done, and why."""

    def __init__(
        self,
        report: BulkReport,
        names: Callable[[int], str],
        runner: TaskRunner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.report = report
        self._runner = runner
        self.setWindowTitle(self.tr("{0} : compte rendu").format(report.action))
        self.resize(760, 420)
        done, failed = len(report.done), len(report.failed)
        parts = [
            plural(done, self.tr("état de frais traité"), self.tr("états de frais traités")),
            plural(failed, self.tr("refusé"), self.tr("refusés")),
        ]
        if report.not_sent:
            parts.append(
                plural(len(report.not_sent), self.tr("non envoyé"), self.tr("non envoyés"))
            )
        self.summary = QLabel(" ; ".join(parts) + ".")
        self.summary.setWordWrap(True)
        notes = []
        if report.cancelled:
            notes.append(
                self.tr("Vous avez annulé : les états de frais non envoyés sont inchangés.")
            )
        if report.error is not None:
            notes.append(
                self.tr("L'envoi s'est interrompu : {0}").format(message_for(report.error))
            )
        self.note = app_style.hint("\n".join(notes))
        self.note.setVisible(bool(notes))
        ok_text = self.tr("Fait")
        not_sent = self.tr("Non envoyé")
        lines = [
            ReportLine(r.id, names(r.id), outcome_text_label(r), outcome_text(r))
            for r in report.failed
        ] + [ReportLine(i, names(i), not_sent, not_sent) for i in report.not_sent]
        self.lines = lines
        self.model: RowsModel[ReportLine] = RowsModel(
            [
                Column(self.tr("N°"), lambda line: str(line.id), numeric=True),
                Column(self.tr("Intervenant"), lambda line: line.intervenant),
                Column(self.tr("Résultat"), lambda line: line.outcome),
                Column(
                    self.tr("Motif"), lambda line: line.reason, tooltip=lambda line: line.reason
                ),
            ],
            lines,
            self,
        )
        self._ok_text = ok_text
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setVisible(bool(lines))
        self.export_button = QPushButton(self.tr("&Exporter en CSV…"))
        self.export_button.setToolTip(
            self.tr("Enregistrer le compte rendu complet, dossier par dossier (CSV).")
        )
        self.export_button.clicked.connect(self.on_export)
        self.status = app_style.hint()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Fermer"))
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._names = names

    def csv_rows(self) -> list[list[str]]:
        """Every statement asked for: done, refused (and why) or not sent."""
        rows = [[str(r.id), self._names(r.id), self._ok_text, ""] for r in self.report.done]
        rows += [[str(line.id), line.intervenant, line.outcome, line.reason] for line in self.lines]
        return rows

    def export_to(self, path: Path) -> None:
        headings = [self.tr("N°"), self.tr("Intervenant"), self.tr("Résultat"), self.tr("Motif")]
        rows = self.csv_rows()
        Op(self, lambda: write_csv(path, headings, rows)).on_success(
            lambda n: self.status.setText(
                self.tr("Compte rendu enregistré ({0} lignes) : {1}").format(n, path)
            )
        ).on_failure(lambda error: self.status.setText(message_for(error))).run(self._runner)

    def on_export(self) -> None:
        path = ask_path(
            self,
            self.tr("Exporter le compte rendu"),
            "compte-rendu.csv",
            self.tr("Fichiers CSV (*.csv)"),
        )
        if path is not None:
            self.export_to(path)


def outcome_text_label(result: ItemResult) -> str:
    tr = self_tr
    return {
        Outcome.OK: tr("Fait"),
        Outcome.NOT_FOUND: tr("Introuvable"),
        Outcome.ALREADY_DONE: tr("Déjà fait"),
        Outcome.STALE_VERSION: tr("Modifié entre-temps"),
        Outcome.TRANSITION_REFUSED: tr("Refusé"),
        Outcome.ANOMALIES: tr("Anomalies"),
        Outcome.INVALID: tr("Invalide"),
    }[result.outcome]


# --- dialogs asking for what an action needs -----------------------------------------------


@dataclass(frozen=True)
class ApprovalSummary:
    """What a bulk "Valider" is about to approve: how many rows carry each anomaly, how many
    lack the constat de service fait, and which rows carry neither."""

    total: int
    by_anomaly: list[tuple[str, int]]  # (label, rows), most frequent first
    without_service_done: int
    clean_ids: list[int]

    @property
    def flagged(self) -> int:
        return self.total - len(self.clean_ids)


def approval_summary(rows: Sequence[DecQueueRow], labels: dict[str, str]) -> ApprovalSummary:
    counts: dict[str, int] = {}
    for row in rows:
        for code in dict.fromkeys(row.anomaly_codes):
            label = labels.get(code, code)
            counts[label] = counts.get(label, 0) + 1
    return ApprovalSummary(
        total=len(rows),
        by_anomaly=sorted(counts.items(), key=lambda item: (-item[1], item[0])),
        without_service_done=sum(1 for row in rows if not row.service_done),
        clean_ids=[r.id for r in rows if not r.anomaly_codes and r.service_done],
    )


class ApprovalDialog(QDialog):
    """Before a bulk "Valider": the counts by anomaly and of missing constats de service fait,
    and the choice to leave the flagged statements out (ticked by default)."""

    def __init__(self, summary: ApprovalSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = summary
        count = plural(summary.total, self.tr("état de frais"), self.tr("états de frais"))
        self.setWindowTitle(self.tr("Valider {0}").format(count))
        layout = QVBoxLayout(self)
        lines = [f"<p>{escape(self.tr('Vous allez valider {0}.').format(count))}</p>"]
        items = [
            escape(self.tr("{0} : {1}").format(label, plural(n, "état", "états")))
            for label, n in summary.by_anomaly
        ]
        if summary.without_service_done:
            items.append(
                escape(
                    self.tr("Service fait non constaté : {0}").format(
                        plural(summary.without_service_done, "état", "états")
                    )
                )
            )
        if items:
            lines.append(f"<p><b>{escape(self.tr('Signalés :'))}</b></p>")
            lines.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
        else:
            lines.append(
                f"<p>{escape(self.tr('Aucune anomalie ; le service fait est constaté pour tous.'))}"
                "</p>"
            )
        self.text = QLabel("".join(lines))
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(self.text.text())
        layout.addWidget(self.text)
        self.leave_out = QCheckBox(
            self.tr("&Laisser de côté les {0} signalés (ne valider que les {1} autres)").format(
                summary.flagged, len(summary.clean_ids)
            )
        )
        self.leave_out.setChecked(summary.flagged > 0)
        self.leave_out.setVisible(summary.flagged > 0)
        self.leave_out.toggled.connect(self._update)
        layout.addWidget(self.leave_out)
        self.buttons = QDialogButtonBox()
        self.validate_button = self.buttons.addButton(
            self.tr("&Valider"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(self.tr("A&nnuler"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self._update()

    def _update(self) -> None:
        chosen = self.chosen_count()
        self.validate_button.setText(
            self.tr("&Valider {0}").format(
                plural(chosen, self.tr("état de frais"), self.tr("états de frais"))
            )
        )
        self.validate_button.setEnabled(chosen > 0)

    def chosen_count(self) -> int:
        return len(self.summary.clean_ids) if self.leave_out.isChecked() else self.summary.total

    def chosen_ids(self) -> set[int] | None:
        """The statements to approve: None for all, else the ones not flagged."""
        return set(self.summary.clean_ids) if self.leave_out.isChecked() else None


CODE_ROLE = Qt.ItemDataRole.UserRole + 1  # a common reason's code, in the choice's items


class ReasonDialog(QDialog):
    """One reason for many statements: chosen from the académie's list, or typed."""

    def __init__(
        self,
        title: str,
        prompt: str,
        reasons: Sequence[ReturnReason],
        *,
        required: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(620, 300)
        self._required = required
        self.choice = QComboBox()
        self.choice.setAccessibleName(self.tr("Motif courant"))
        self.choice.addItem(self.tr("Motif libre (saisissez-le ci-dessous)"), "")
        for reason in reasons:
            self.choice.addItem(reason.label, reason.label)
            self.choice.setItemData(
                self.choice.count() - 1, reason.label, Qt.ItemDataRole.ToolTipRole
            )
            self.choice.setItemData(self.choice.count() - 1, reason.code, CODE_ROLE)
        self.choice.currentIndexChanged.connect(self.on_choice)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(self.tr("Motif"))
        self.text.setTabChangesFocus(True)
        self.text.textChanged.connect(self._update)
        choice_label = QLabel(self.tr("Motif &courant :"))
        choice_label.setBuddy(self.choice)
        text_label = QLabel(
            self.tr("&Motif lu par l'intervenant :")
            if required
            else self.tr("&Motif (facultatif) :")
        )
        text_label.setBuddy(self.text)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Confirmer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abandonner"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(prompt))
        if reasons:
            layout.addWidget(choice_label)
            layout.addWidget(self.choice)
        else:
            self.choice.hide()
        layout.addWidget(text_label)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.buttons)
        self._update()

    @property
    def reason(self) -> str:
        return self.text.toPlainText().strip()

    @property
    def reason_code(self) -> str | None:
        """The académie's reason the text was chosen from (it may have been edited since)."""
        code = self.choice.currentData(CODE_ROLE)
        return str(code) if code else None

    def on_choice(self, _index: int) -> None:
        label = self.choice.currentData()
        if label:
            self.text.setPlainText(label)

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.reason) or not self._required)


class _DayRow:
    """The editors of one day's counts, shaped after what the day holds."""

    def __init__(self, day: PayDay, mission_type: MissionType) -> None:
        self.day = day
        self.copies: QSpinBox | None = None
        self.morning: QSpinBox | None = None
        self.afternoon: QSpinBox | None = None
        self.hours: QDoubleSpinBox | None = None
        if day.copies is not None or (
            not day.candidates and day.hours is None and mission_type is MissionType.CORRECTION
        ):
            self.copies = _spin(day.copies or 0)
        elif day.candidates or mission_type is MissionType.INTERROGATION:
            self.morning = _spin(day.candidates.get(HalfDay.MORNING, 0))
            self.afternoon = _spin(day.candidates.get(HalfDay.AFTERNOON, 0))
        else:
            self.hours = QDoubleSpinBox()
            self.hours.setRange(0, 24)
            self.hours.setDecimals(2)
            self.hours.setSingleStep(0.5)
            self.hours.setValue(float(day.hours or 0))

    def widgets(self) -> list[QWidget]:
        return [w for w in (self.copies, self.morning, self.afternoon, self.hours) if w is not None]

    def value(self) -> PayDay:
        if self.copies is not None:
            return PayDay(date=self.day.date, copies=self.copies.value())
        if self.morning is not None and self.afternoon is not None:
            candidates = {
                half: spin.value()
                for half, spin in (
                    (HalfDay.MORNING, self.morning),
                    (HalfDay.AFTERNOON, self.afternoon),
                )
                if spin.value()
            }
            return PayDay(date=self.day.date, candidates=candidates)
        assert self.hours is not None
        return PayDay(date=self.day.date, hours=Decimal(str(self.hours.value())))


def _spin(value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(0, 9999)
    spin.setValue(value)
    return spin


class CorrectionDialog(QDialog):
    """The per-day counts of a statement, corrected by the DEC with a mandatory comment.

    "Enregistrer la correction" emits `submitted` and the dialog stays open: the server checks
    the counts with the same rules as the intervenant's own entry, and what it refuses is shown
    beside the day concerned (`show_field_errors`); the caller closes it with `finish()` once
    stored.
    """

    submitted = Signal()

    def __init__(self, statement: Statement, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement = statement
        self.setWindowTitle(self.tr("Corriger le décompte de {0}").format(statement.intervenant))
        self.resize(560, 380)
        days = statement.entry.days or [
            PayDay(date=statement.mission.start_date + dt.timedelta(days=n))
            for n in range((statement.mission.end_date - statement.mission.start_date).days + 1)
        ]
        grid = QGridLayout()
        self.rows = [_DayRow(day, statement.mission.type) for day in days]
        first = self.rows[0] if self.rows else None
        headings = [self.tr("Jour")]
        if first is not None and first.copies is not None:
            headings.append(self.tr("Copies"))
        elif first is not None and first.morning is not None:
            headings += [self.tr("Candidats le matin"), self.tr("Candidats l'après-midi")]
        else:
            headings.append(self.tr("Heures"))
        for column, heading in enumerate(headings):
            grid.addWidget(app_style.hint(heading), 0, column)
        self.row_errors: list[QLabel] = []
        for number, row in enumerate(self.rows, start=1):
            grid.addWidget(QLabel(long_date(row.day.date)), 2 * number - 1, 0)
            for column, widget in enumerate(row.widgets(), start=1):
                heading = headings[min(column, len(headings) - 1)]
                widget.setAccessibleName(f"{heading} {date_fr(row.day.date)}")
                grid.addWidget(widget, 2 * number - 1, column)
                spin = widget
                if isinstance(spin, (QSpinBox, QDoubleSpinBox)):
                    spin.valueChanged.connect(lambda _v, n=number - 1: self._clear_row(n))
            error = app_style.field_error()
            grid.addWidget(error, 2 * number, 1, 1, max(len(headings) - 1, 1))
            self.row_errors.append(error)
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setAccessibleName(self.tr("Commentaire"))
        self.comment.setPlaceholderText(
            self.tr("Obligatoire : l'intervenant le lit avec la correction.")
        )
        self.comment.textChanged.connect(self._update)
        comment_label = QLabel(self.tr("&Commentaire :"))
        comment_label.setBuddy(self.comment)
        self.error = app_style.field_error()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            self.tr("Enregistrer la correction")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abandonner"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(comment_label)
        layout.addWidget(self.comment, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update()

    @property
    def comment_text(self) -> str:
        return self.comment.toPlainText().strip()

    def entry(self) -> Entry:
        days = [row.value() for row in self.rows]
        return self.statement.entry.model_copy(update={"days": days})

    def show_error(self, text: str) -> None:
        app_style.show_field_error(self.error, text)

    def accept(self) -> None:
        """Sends rather than closes: the caller answers with `finish()` or the errors."""
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.submitted.emit()

    def finish(self) -> None:
        super().accept()

    def show_field_errors(self, fields: dict[str, str], detail: str) -> None:
        """The server's refusals beside their day (`days.2.copies`), the rest below."""
        others = []
        for path, message in fields.items():
            parts = path.split(".")
            if parts[0] == "days" and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                if index < len(self.row_errors):
                    app_style.show_field_error(self.row_errors[index], message)
                    continue
            others.append(message)
        app_style.show_field_error(self.error, " ".join(others) or (None if fields else detail))
        self._update()

    def _clear_row(self, index: int) -> None:
        app_style.show_field_error(self.row_errors[index], None)

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.comment_text))


def parse_amount(text: str) -> Decimal | None:
    """`1 234,50` or `1234.5` → Decimal('1234.50'); None if not an amount."""
    cleaned = "".join(text.replace("€", "").split()).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return None
    return value.quantize(Decimal("0.01"))


class IndemnityDialog(QDialog):
    """The indemnity of a surveillance, subject writing or deliberation, entered by the DEC."""

    def __init__(
        self, count: int, current: Decimal | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Saisir l'indemnité"))
        self.amount = QLineEdit()
        self.amount.setAccessibleName(self.tr("Montant en euros"))
        self.amount.setPlaceholderText(self.tr("par exemple 45,00"))
        if current is not None:
            self.amount.setText(f"{current:.2f}".replace(".", ","))
        self.amount.textChanged.connect(self._update)
        self.comment = QLineEdit()
        self.comment.setAccessibleName(self.tr("Commentaire"))
        self.error = app_style.field_error()
        # The error has its place under the amount even while there is none, so that showing it
        # never pushes the other fields.
        error_place = QWidget()
        error_place.setMinimumHeight(self.error.fontMetrics().lineSpacing() * 2 + 4)
        error_layout = QVBoxLayout(error_place)
        error_layout.setContentsMargins(0, 0, 0, 0)
        error_layout.addWidget(self.error)
        error_layout.addStretch()
        self.setMinimumWidth(420)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Montant (€) :"), self.amount)
        form.addRow("", error_place)
        form.addRow(self.tr("&Commentaire :"), self.comment)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Enregistrer"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abandonner"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                plural(
                    count, self.tr("état de frais concerné"), self.tr("états de frais concernés")
                )
                + "."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._update()

    @property
    def value(self) -> Decimal | None:
        return parse_amount(self.amount.text())

    @property
    def comment_text(self) -> str | None:
        return self.comment.text().strip() or None

    def _update(self) -> None:
        ok = self.value is not None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        app_style.show_field_error(
            self.error,
            None
            if ok or not self.amount.text()
            else self.tr("Montant invalide (euros et centimes)."),
        )


class DateDialog(QDialog):
    """A date, such as the day a payment batch was paid."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setAccessibleName(prompt)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Confirmer"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abandonner"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(prompt, self.date)
        form.addRow(buttons)

    @property
    def value(self) -> dt.date:
        value = self.date.date().toPython()
        assert isinstance(value, dt.date)
        return value
