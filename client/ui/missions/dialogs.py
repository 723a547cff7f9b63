"""The questions the missions screen asks: a mission not performed, which recaps to export."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from client.api.models import Convocation
from client.formatting import date_fr, plural
from client.ui import app_style
from client.ui.models.choices import CheckableListModel
from client.ui.models.convocations import validated

REASON_MAX = 500


class NotPerformedDialog(QDialog):
    """ "Je n'ai pas effectué cette mission": a confirmation, with an optional reason."""

    def __init__(self, convocation: Convocation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Mission non effectuée"))
        self.setModal(True)
        self.setMinimumWidth(500)
        self.setProperty("helpTopic", "mission_detail.not_performed")
        mission = convocation.mission
        what = mission.paper or mission.exam or mission.type_label
        title = app_style.section_title(self.tr("Vous n'avez pas effectué cette mission ?"))
        text = QLabel(
            self.tr(
                "La mission « {what} » du {date} au centre {centre} sera signalée comme non "
                "effectuée au service gestionnaire. Son état de frais ne pourra plus être "
                "complété."
            ).format(what=what, date=date_fr(mission.start_date), centre=mission.centre)
        )
        text.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Motif (facultatif)"))
        self.reason.setPlaceholderText(
            self.tr("Par exemple : empêchement de dernière minute, remplacé(e) par un collègue…")
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        reason_label = QLabel(self.tr("&Motif (facultatif) :"))
        reason_label.setBuddy(self.reason)

        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton(
            self.tr("&Confirmer : mission non effectuée"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = self.buttons.addButton(
            self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(reason_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        # Enter means "Annuler": nothing is declared by accident. Set once the button is in
        # the dialog, or the dialog would make the first accepting button the default.
        self.cancel_button.setDefault(True)
        self.reason.setFocus()

    def reason_text(self) -> str | None:
        text = self.reason.toPlainText().strip()
        return text[:REASON_MAX] or None


def convocation_label(row: Convocation) -> str:
    mission = row.mission
    what = mission.paper or mission.exam or mission.session
    parts = (date_fr(mission.start_date), mission.type_label, row.labels.intervenant, what)
    return " · ".join(parts)


class ExportDialog(QDialog):
    """Which recaps go into the export: the validated statements are ticked to begin with."""

    def __init__(self, convocations: Sequence[Convocation], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Exporter mes récapitulatifs"))
        self.setModal(True)
        self.resize(760, 500)
        self.setProperty("helpTopic", "mission_detail.print")
        ticked = [n for n, row in enumerate(convocations) if validated(row)]
        self.model: CheckableListModel[Convocation] = CheckableListModel(
            convocations, convocation_label, ticked, parent=self
        )
        title = app_style.section_title(self.tr("Quels récapitulatifs exporter ?"))
        text = QLabel(
            self.tr(
                "Les récapitulatifs cochés seront réunis dans un seul document PDF, chacun "
                "sur sa propre page. Les états de frais validés sont cochés d'office."
            )
        )
        text.setWordWrap(True)
        self.list = QListView()
        self.list.setModel(self.model)
        self.list.setAccessibleName(self.tr("Récapitulatifs à exporter"))
        self.list.setAlternatingRowColors(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.count = app_style.hint()
        self.count.setWordWrap(False)
        self.check_all = QPushButton(self.tr("&Tout cocher"))
        self.check_none = QPushButton(self.tr("Tout &décocher"))
        self.check_all.clicked.connect(lambda: self.model.set_all(True))
        self.check_none.clicked.connect(lambda: self.model.set_all(False))
        ticks = QHBoxLayout()
        ticks.addWidget(self.check_all)
        ticks.addWidget(self.check_none)
        ticks.addStretch(1)
        ticks.addWidget(self.count)

        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton(
            self.tr("E&xporter…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuler"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.model.dataChanged.connect(self._update)

        layout = QVBoxLayout(self)
        app_style.page_margins(layout)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addWidget(self.list, 1)
        layout.addLayout(ticks)
        layout.addWidget(self.buttons)
        self.list.setFocus()
        if self.model.rowCount():
            self.list.setCurrentIndex(self.model.index(0))
        self._update()

    def chosen(self) -> list[Convocation]:
        return self.model.checked_rows()

    def _update(self) -> None:
        count = self.model.checked_count()
        self.count.setText(
            plural(
                count, self.tr("récapitulatif sélectionné"), self.tr("récapitulatifs sélectionnés")
            )
        )
        self.export_button.setEnabled(count > 0)
