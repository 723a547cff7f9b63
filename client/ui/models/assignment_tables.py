"""The columns of each list of the assignment screens (papers, competences, unavailability,
needs, proposals, loads, candidates, letters, withdrawals), shown by the one rows model
(`client.ui.models.rows`), and the French labels of their states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
)

from client.api.assignment_models import (
    Assignment,
    AssignmentStatus,
    Candidate,
    Competence,
    CompetenceStatus,
    Letter,
    MyAssignment,
    Need,
    NeedKind,
    PaperChoice,
    PersonLoad,
    Task,
    Unavailability,
    Withdrawal,
)
from client.api.models import HalfDay
from client.formatting import date_fr, euros, number, time_fr
from client.ui.app_style import ERROR_COLOUR
from client.ui.models.convocations import folded
from client.ui.models.rows import Column

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex

_WARNING = "#8a5300"
_ERROR = ERROR_COLOUR
_SUCCESS = "#1e6b34"
_MUTED = "#5f6b7a"


def _tr(text: str) -> str:
    return QCoreApplication.translate("assignment", text)


# --- French labels ------------------------------------------------------------------------------


def half_day_label(half_day: HalfDay) -> str:
    return _tr("matin") if half_day is HalfDay.MORNING else _tr("après-midi")


def competence_status_label(status: CompetenceStatus) -> str:
    return {
        CompetenceStatus.PENDING: _tr("En attente"),
        CompetenceStatus.VALIDATED: _tr("Validée"),
        CompetenceStatus.REFUSED: _tr("Refusée"),
    }[status]


def _competence_colour(row: Competence) -> str | None:
    return {
        CompetenceStatus.PENDING: _WARNING,
        CompetenceStatus.VALIDATED: _SUCCESS,
        CompetenceStatus.REFUSED: _ERROR,
    }[row.status]


def assignment_status_label(status: AssignmentStatus) -> str:
    return {
        AssignmentStatus.PROPOSED: _tr("Proposée"),
        AssignmentStatus.ISSUED: _tr("Convoquée"),
        AssignmentStatus.WITHDRAWN: _tr("Désistement"),
        AssignmentStatus.REPLACED: _tr("Remplacée"),
    }[status]


def need_kind_label(kind: NeedKind) -> str:
    return {
        NeedKind.CORRECTION: _tr("Correction"),
        NeedKind.ORAL: _tr("Oral"),
        NeedKind.MEETING: _tr("Réunion"),
    }[kind]


def _moment(value: dt.datetime) -> str:
    return _tr("{date} à {time}").format(date=date_fr(value.date()), time=time_fr(value.time()))


# --- the intervenant's lists --------------------------------------------------------------------


def paper_columns() -> list[Column[PaperChoice]]:
    return [
        Column(_tr("Épreuve"), lambda p: f"{p.code} – {p.name}", sort=lambda p: folded(p.code)),
        Column(_tr("Examen"), lambda p: p.exam_name),
        Column(_tr("Session"), lambda p: p.session_name),
    ]


def my_competence_columns() -> list[Column[Competence]]:
    return [
        Column(_tr("Épreuve"), lambda c: f"{c.paper_code} – {c.paper_name}"),
        Column(_tr("Examen"), lambda c: c.exam_name),
        Column(
            _tr("État"),
            lambda c: competence_status_label(c.status),
            tooltip=_decision,
            colour=_competence_colour,
        ),
        Column(
            _tr("Déclarée le"),
            lambda c: date_fr(c.declared_at.date()),
            sort=lambda c: c.declared_at,
        ),
        Column(_tr("Motif du refus"), lambda c: c.refusal_reason or ""),
    ]


def _decision(row: Competence) -> str:
    if row.status is CompetenceStatus.PENDING:
        return _tr("En attente de validation par la DEC ou votre chef de centre.")
    when = date_fr(row.decided_at.date()) if row.decided_at else "—"
    if row.status is CompetenceStatus.VALIDATED:
        return _tr("Validée le {date} par {who}.").format(date=when, who=row.decided_by or "—")
    return _tr("Refusée le {date} par {who} : {reason}").format(
        date=when, who=row.decided_by or "—", reason=row.refusal_reason or "—"
    )


def unavailability_columns() -> list[Column[Unavailability]]:
    return [
        Column(
            _tr("Période"),
            lambda u: u.label,
            sort=lambda u: (u.start_date.isoformat(), u.start_half_day.value),
        ),
        Column(_tr("Motif"), lambda u: u.reason or ""),
    ]


def my_assignment_columns() -> list[Column[MyAssignment]]:
    return [
        Column(_tr("Mission"), lambda a: a.title),
        Column(_tr("Créneau"), lambda a: a.slot),
        Column(_tr("État"), lambda a: assignment_status_label(a.status)),
    ]


def letter_columns() -> list[Column[Letter]]:
    return [
        Column(_tr("Intervenant"), lambda a: a.person_name),
        Column(_tr("Identifiant"), lambda a: a.login),
        Column(_tr("Émise le"), lambda a: _moment(a.created_at), sort=lambda a: a.created_at),
        Column(
            _tr("Mot de passe temporaire"),
            lambda a: _tr("Oui") if a.with_password else _tr("Non"),
        ),
    ]


def my_letter_columns() -> list[Column[Letter]]:
    return [
        Column(
            _tr("Lettre de convocation"),
            lambda a: _tr("Convocation du {0}").format(date_fr(a.created_at.date())),
            sort=lambda a: a.created_at,
        ),
        Column(_tr("Émise le"), lambda a: _moment(a.created_at), sort=lambda a: a.created_at),
        Column(
            _tr("Mot de passe temporaire"),
            lambda a: (
                _tr("Oui, à changer à la première connexion") if a.with_password else _tr("Non")
            ),
        ),
    ]


# --- the DEC's lists ----------------------------------------------------------------------------


def competence_queue_columns() -> list[Column[Competence]]:
    return [
        Column(_tr("Intervenant"), lambda c: c.person_name),
        Column(_tr("Établissement"), lambda c: c.school or ""),
        Column(_tr("Épreuve"), lambda c: f"{c.paper_code} – {c.paper_name}"),
        Column(_tr("Enseignement déclaré"), lambda c: c.subject or ""),
        Column(
            _tr("Déclarée le"),
            lambda c: date_fr(c.declared_at.date()),
            sort=lambda c: c.declared_at,
        ),
        Column(
            _tr("État"),
            lambda c: competence_status_label(c.status),
            tooltip=_decision,
            colour=_competence_colour,
        ),
    ]


def _need_size(need: Need) -> str:
    if need.kind is NeedKind.CORRECTION:
        return _tr("{copies} copies en {lots} lots de {size}").format(
            copies=number(need.copies or 0), lots=need.tasks, size=need.lot_size or "—"
        )
    if need.kind is NeedKind.ORAL:
        return _tr("{commissions} commission(s) × {seats} examinateurs").format(
            commissions=need.commissions or need.tasks, seats=need.seats
        )
    return _tr("{seats} participant(s)").format(seats=need.seats)


def need_columns() -> list[Column[Need]]:
    return [
        Column(
            _tr("Nature"),
            lambda n: (
                need_kind_label(n.kind)
                if n.kind is not NeedKind.MEETING or not n.meeting_type
                else (_tr("Harmonisation") if n.meeting_type == "HARMONISATION" else _tr("Réunion"))
            ),
        ),
        Column(_tr("Épreuve"), lambda n: n.paper_code),
        Column(_tr("Centre"), lambda n: n.centre_name),
        Column(
            _tr("Créneau"),
            lambda n: n.slot,
            sort=lambda n: (n.day.isoformat(), n.half_day.value),
        ),
        Column(
            _tr("Horaires"),
            lambda n: _tr("{start} – {end}").format(
                start=time_fr(n.start_time), end=time_fr(n.end_time)
            ),
        ),
        Column(_tr("Volume"), _need_size, sort=lambda n: n.required),
        Column(
            _tr("Personnes"), lambda n: str(n.required), sort=lambda n: n.required, numeric=True
        ),
        Column(
            _tr("Convoqué"),
            lambda n: _tr("Oui") if n.mission_id is not None else _tr("Non"),
        ),
    ]


@dataclass(frozen=True)
class ResultRow:
    """One seat of a need in the review: who sits there (None: the seat is empty)."""

    need: Need
    task: Task
    assignment: Assignment | None
    shortfall: str | None = None


def _person(row: ResultRow) -> str:
    if row.assignment is None:
        return _tr("— place non pourvue —")
    return row.assignment.person_name


def _state(row: ResultRow) -> str:
    a = row.assignment
    if a is None:
        return _tr("Non couverte")
    text = assignment_status_label(a.status)
    if a.locked:
        text = _tr("{status}, verrouillée").format(status=text)
    if a.explanation.warnings:
        text = _tr("{status} ⚠").format(status=text)
    return text


def _state_colour(row: ResultRow) -> str | None:
    a = row.assignment
    if a is None:
        return _ERROR
    if a.explanation.warnings:
        return _WARNING
    if a.status is AssignmentStatus.ISSUED:
        return _SUCCESS
    return None


def _explained(row: ResultRow) -> str:
    a = row.assignment
    if a is None:
        return row.shortfall or _tr("Place non pourvue.")
    parts = [a.explanation.competence, a.explanation.travel, a.explanation.load]
    parts += [a.explanation.choice, *a.explanation.warnings]
    return "\n".join(p for p in parts if p)


def result_columns() -> list[Column[ResultRow]]:
    def seat(row: ResultRow) -> Any:
        return (row.need.day.isoformat(), row.need.half_day.value, row.need.id, row.task.index)

    return [
        Column(_tr("Besoin"), lambda r: r.need.title, sort=seat),
        Column(_tr("Créneau"), lambda r: r.need.slot, sort=seat),
        Column(_tr("Tâche"), lambda r: r.task.label, sort=seat),
        Column(_tr("Intervenant"), _person, tooltip=_explained),
        Column(_tr("État"), _state, tooltip=_explained, colour=_state_colour),
        Column(
            _tr("Compétence"),
            lambda r: r.assignment.explanation.competence if r.assignment else "",
        ),
        Column(
            _tr("Distance"),
            lambda r: (
                _tr("{km} km").format(km=number(r.assignment.round_trip_km)) if r.assignment else ""
            ),
            sort=lambda r: r.assignment.round_trip_km if r.assignment else -1,
            tooltip=lambda r: r.assignment.explanation.travel if r.assignment else None,
            numeric=True,
        ),
        Column(
            _tr("Coût estimé"),
            lambda r: euros(r.assignment.expected_cost) if r.assignment else "",
            sort=lambda r: r.assignment.expected_cost if r.assignment else Decimal(-1),
            tooltip=lambda r: r.assignment.explanation.travel if r.assignment else None,
            numeric=True,
        ),
        Column(
            _tr("Charge"),
            lambda r: r.assignment.explanation.load if r.assignment else "",
        ),
        Column(
            _tr("Choix"),
            lambda r: r.assignment.explanation.choice if r.assignment else (r.shortfall or ""),
            tooltip=_explained,
        ),
    ]


@dataclass(frozen=True)
class Uncovered:
    need: Need
    missing: int
    message: str


def uncovered_columns() -> list[Column[Uncovered]]:
    return [
        Column(_tr("Besoin"), lambda u: u.need.title),
        Column(_tr("Créneau"), lambda u: u.need.slot),
        Column(_tr("Manquant"), lambda u: str(u.missing), sort=lambda u: u.missing, numeric=True),
        Column(_tr("Raison"), lambda u: u.message),
    ]


def load_columns() -> list[Column[PersonLoad]]:
    return [
        Column(_tr("Intervenant"), lambda p: p.person_name),
        Column(_tr("Établissement"), lambda p: p.school or ""),
        Column(
            _tr("Demi-journées"),
            lambda p: str(p.half_days),
            sort=lambda p: p.half_days,
            numeric=True,
        ),
        Column(_tr("Copies"), lambda p: number(p.copies), sort=lambda p: p.copies, numeric=True),
        Column(
            _tr("Coût estimé"),
            lambda p: euros(p.expected_cost),
            sort=lambda p: p.expected_cost,
            numeric=True,
        ),
    ]


@dataclass(frozen=True)
class RankedCandidate:
    rank: int
    candidate: Candidate


def candidate_columns() -> list[Column[RankedCandidate]]:
    return [
        Column(_tr("Rang"), lambda r: str(r.rank), sort=lambda r: r.rank, numeric=True),
        Column(_tr("Intervenant"), lambda r: r.candidate.person_name),
        Column(_tr("Établissement"), lambda r: r.candidate.school or ""),
        Column(
            _tr("Distance"),
            lambda r: _tr("{km} km").format(km=number(r.candidate.round_trip_km)),
            sort=lambda r: r.candidate.round_trip_km,
            numeric=True,
        ),
        Column(
            _tr("Coût estimé"),
            lambda r: euros(r.candidate.expected_cost),
            sort=lambda r: r.candidate.expected_cost,
            tooltip=lambda r: r.candidate.travel,
            numeric=True,
        ),
        Column(
            _tr("Charge"),
            lambda r: _tr("{half_days} demi-j., {copies} copies").format(
                half_days=r.candidate.half_days, copies=number(r.candidate.copies)
            ),
            sort=lambda r: (r.candidate.half_days, r.candidate.copies),
        ),
        Column(_tr("Déplacement"), lambda r: r.candidate.travel),
    ]


def withdrawal_columns() -> list[Column[Withdrawal]]:
    return [
        Column(_tr("Intervenant"), lambda w: w.assignment.person_name),
        Column(_tr("Mission"), lambda w: w.title),
        Column(_tr("Créneau"), lambda w: w.slot),
        Column(_tr("Tâche"), lambda w: w.assignment.task_label),
        Column(
            _tr("Signalé par"),
            lambda w: (
                _tr("Désistement")
                if w.declared_by == "WITHDRAWAL"
                else _tr("État de frais « non effectuée »")
            ),
        ),
        Column(
            _tr("Le"),
            lambda w: _moment(w.assignment.withdrawn_at) if w.assignment.withdrawn_at else "",
            sort=lambda w: w.assignment.withdrawn_at or "",
        ),
        Column(_tr("Motif"), lambda w: w.assignment.withdrawal_reason or ""),
    ]
