"""What the DEC reads about an assignment and about a need left uncovered, in French.

Pure: the solver's figures and the cost estimate in, sentences out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from server_stub.assignment.costing import Basis, Estimate
from server_stub.assignment.solver import Limits, Reason, Shortfall, TaskKind
from server_stub.rules.french import HALF_DAY_NAMES, MEAL_NAMES, format_date, format_number, plural
from server_stub.rules.model import HalfDay
from server_stub.rules.money import format_euros

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

# Who fills a seat, by kind of task: singular, plural.
SEAT_NOUNS: dict[TaskKind, tuple[str, str]] = {
    TaskKind.LOT: ("correcteur", "correcteurs"),
    TaskKind.COMMISSION: ("examinateur", "examinateurs"),
    TaskKind.MEETING: ("participant", "participants"),
}

REASONS: dict[Reason, str] = {
    Reason.NOT_COMPETENT: "n'a pas de compétence validée pour cette épreuve",
    Reason.UNAVAILABLE: "s'est déclaré(e) indisponible sur cette demi-journée",
    Reason.ENGAGED: "est déjà convoqué(e) ailleurs sur cette demi-journée",
    Reason.OWN_SCHOOL: "appartient à un établissement dont les candidats composent dans ce centre",
    Reason.DOUBLE_BOOKED: "a déjà une autre affectation sur cette demi-journée",
    Reason.OVER_HALF_DAYS: "dépasserait le nombre maximal de demi-journées",
    Reason.OVER_COPIES: "dépasserait le nombre maximal de copies",
    Reason.UNKNOWN: "ne figure pas parmi les intervenants ou les besoins de la session",
    Reason.FULL: "occuperait une place alors que toutes sont déjà pourvues",
}


def slot_label(day: dt.date, half_day: HalfDay) -> str:
    """`jeudi 18/06/2026 après-midi`."""
    return f"{WEEKDAYS[day.weekday()]} {format_date(day)} {HALF_DAY_NAMES[half_day]}"


def day_label(day: dt.date) -> str:
    """`jeudi 18/06/2026`."""
    return f"{WEEKDAYS[day.weekday()]} {format_date(day)}"


def need_title(kind: TaskKind, paper_code: str, paper_name: str, centre_name: str) -> str:
    """`Épreuve E21 (Mathématiques) au centre « Lycée Jean Moulin »`."""
    what = {
        TaskKind.LOT: "Correction de l'épreuve",
        TaskKind.COMMISSION: "Épreuve",
        TaskKind.MEETING: "Réunion de l'épreuve",
    }[kind]
    return f"{what} {paper_code} ({paper_name}) au centre « {centre_name} »"


def requirement(kind: TaskKind, required: int) -> str:
    """`3 examinateurs requis`, `12 lots à corriger`."""
    if kind is TaskKind.LOT:
        return f"{plural(required, 'lot', 'lots')} à corriger"
    singular, plural_form = SEAT_NOUNS[kind]
    return f"{plural(required, singular, plural_form)} requis"


def _only(count: int, what_singular: str, what_plural: str) -> str:
    if count == 0:
        return f"aucun {what_singular}"
    if count == 1:
        return f"1 seul {what_singular}"
    return f"seulement {count} {what_plural}"


def shortfall_message(title: str, slot: str, kind: TaskKind, shortfall: Shortfall) -> str:
    """Why the need could not be covered, e.g. `Épreuve E21 … , jeudi 18/06/2026 après-midi :
    3 examinateurs requis, 1 seul compétent et disponible.`"""
    head = f"{title}, {slot} : {requirement(kind, shortfall.required)}"
    if shortfall.competent == 0:
        return f"{head}, aucun intervenant n'a de compétence validée pour cette épreuve."
    if shortfall.available < shortfall.required:
        if shortfall.available == 0:
            return (
                f"{head}, aucun des {shortfall.competent} intervenants compétents n'est disponible."
                if shortfall.competent > 1
                else f"{head}, le seul intervenant compétent n'est pas disponible."
            )
        only = _only(shortfall.available, "compétent et disponible", "compétents et disponibles")
        return f"{head}, {only}."
    if shortfall.eligible < shortfall.required:
        only = _only(shortfall.eligible, "n'est", "sont")
        return (
            f"{head} ; {shortfall.available} compétents et disponibles, dont {only} pas d'un "
            "établissement dont les candidats composent dans ce centre."
        )
    missing = shortfall.missing
    return (
        f"{head} ; {shortfall.eligible} compétents et disponibles, mais déjà affectés ailleurs "
        f"sur cette demi-journée ou à leur charge maximale : "
        f"{plural(missing, 'place non pourvue', 'places non pourvues')}."
    )


def estimate_text(estimate: Estimate, centre_commune: str) -> str:
    """How the expected cost was reached."""
    residence = estimate.residence.name if estimate.residence else ""
    if estimate.basis is Basis.NOT_REIMBURSABLE:
        return "Aucun frais de déplacement : cette mission ne les prend pas en charge."
    if estimate.basis is Basis.SAME_COMMUNE:
        return (
            f"Aucun frais de déplacement : le centre est dans la commune de résidence "
            f"({residence})."
        )
    if estimate.basis is Basis.ADJACENT:
        return (
            f"Aucun frais de déplacement : {centre_commune} est limitrophe de la commune de "
            f"résidence ({residence})."
        )
    rate = format_euros(estimate.rate or Decimal(0))
    km = format_number(estimate.round_trip_km)
    if estimate.basis is Basis.UNKNOWN_RESIDENCE:
        journey = f"Résidence non renseignée : estimé sur {km} km aller-retour"
    else:
        origin = estimate.origin.name if estimate.origin else ""
        journey = f"{origin} → {centre_commune} : {km} km aller-retour"
    text = f"{journey} × {rate} ({estimate.car_class}) = {format_euros(estimate.kilometric)}"
    for meal in estimate.meals:
        text += f" + {MEAL_NAMES[meal]} {format_euros(estimate.meal_rate)}"
    return f"{text} ; coût estimé {format_euros(estimate.amount)}."


def load_text(half_days: int, copies: int, limits: Limits) -> str:
    text = (
        f"Charge dans la session : {plural(half_days, 'demi-journée', 'demi-journées')} "
        f"sur {limits.max_half_days} au plus"
    )
    if copies:
        text += (
            f", {plural(copies, 'copie', 'copies')} sur {format_number(limits.max_copies)} au plus"
        )
    return text + "."


def choice_text(
    rank: int | None, candidates: int, *, locked: bool, manual: bool, issued: bool = False
) -> str:
    if issued:
        return "Convocation émise : l'affectation ne change plus."
    if manual:
        return "Affectation faite à la main par la DEC" + (" et verrouillée." if locked else ".")
    if locked and rank is None:
        return "Affectation verrouillée par la DEC : conservée à chaque nouveau calcul."
    if rank is None:
        return "Affectation proposée."
    among = f"des {candidates} intervenants possibles" if candidates > 1 else "possible"
    if rank == 1:
        choice = f"Le moins coûteux {among}." if candidates > 1 else "Le seul intervenant possible."
    else:
        choice = (
            f"{rank}e moins coûteux {among} : les moins coûteux sont affectés ailleurs sur "
            "cette demi-journée ou à leur charge maximale, ou le coût total est moindre ainsi."
        )
    return choice + (" Verrouillée par la DEC." if locked else "")


def competence_text(paper_code: str, decided_at: dt.datetime | None, decided_by: str | None) -> str:
    if decided_at is None:
        return f"Aucune compétence validée pour l'épreuve {paper_code}."
    by = f" par {decided_by}" if decided_by else ""
    return (
        f"Compétence validée pour l'épreuve {paper_code} le {format_date(decided_at.date())}{by}."
    )


def reasons_text(name: str, reasons: Iterable[Reason]) -> str:
    """`Élodie Dupont n'a pas de compétence validée pour cette épreuve et …`."""
    parts = [REASONS[r] for r in dict.fromkeys(reasons)]
    if not parts:
        return ""
    if len(parts) == 1:
        return f"{name} {parts[0]}."
    return f"{name} {', '.join(parts[:-1])} et {parts[-1]}."


@dataclass
class Explanation:
    competence: str
    travel: str
    load: str
    choice: str
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "competence": self.competence,
            "travel": self.travel,
            "load": self.load,
            "choice": self.choice,
            "warnings": list(self.warnings),
        }
