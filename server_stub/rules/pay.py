"""Vacation indemnities: the pay part of a statement (DOMAIN §4).

Décret n° 2010-235 du 5 mars 2010; amounts from the arrêté du 13 avril 2012, art. 2, read from
`tariffs/vacations.toml`. Papers are paid per copy (corrections) or per hour spent with
candidates (orals and practical tests); meetings at the académie's hourly rate; the mission
types the DEC handles itself carry the amount it enters.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from server_stub.rules.french import (
    HALF_DAY_NAMES,
    format_date,
    format_duration,
    format_number,
    plural,
)
from server_stub.rules.model import (
    Entry,
    EvaluationMode,
    HalfDay,
    Line,
    LineKind,
    Mission,
    MissionType,
    PaperKind,
    Part,
    PayDay,
)
from server_stub.rules.money import format_euros, format_percent, round_cents
from server_stub.rules.outcome import Outcome
from server_stub.rules.periods import outside_mission_message, within_mission
from server_stub.rules.tariffs import TariffSet, VacationRates

# Mission types the DEC pays by entering the indemnity itself (DOMAIN §4: surveillance is a
# normal duty; where the académie pays a type outside the table, the DEC enters the amount).
DEC_HANDLED: dict[MissionType, str] = {
    MissionType.SURVEILLANCE: "La surveillance",
    MissionType.SUBJECT_WRITING: "L'élaboration des sujets",
    MissionType.DELIBERATION: "La délibération",
}
MEETINGS: dict[MissionType, str] = {
    MissionType.REUNION: "Réunion",
    MissionType.HARMONISATION: "Harmonisation",
}
PAPERS = (MissionType.CORRECTION, MissionType.INTERROGATION)

DIRECT_INDEMNITY_SOURCE = "Montant saisi par la division des examens et concours"
DIRECT_INDEMNITY_VERSION = "saisie-dec"
HOURS_QUANTUM = Decimal("0.01")


def pay_lines(mission: Mission, entry: Entry, tariffs: TariffSet) -> Outcome:
    """The pay lines of a mission, with the problems of what was typed."""
    outcome = Outcome()
    valid_days = _checked_days(mission, entry, outcome)
    _direct_indemnity(mission, entry, outcome)
    if mission.type in MEETINGS:
        _meetings(mission, valid_days, tariffs, outcome)
    elif mission.type in PAPERS:
        _papers(mission, valid_days, tariffs.vacations, outcome)
    return outcome


# --- what every pay day must respect --------------------------------------------------------


def _checked_days(mission: Mission, entry: Entry, outcome: Outcome) -> list[tuple[int, PayDay]]:
    """The days without a problem; the problems of the others go into `outcome`."""
    valid: list[tuple[int, PayDay]] = []
    seen = set()
    for index, day in enumerate(entry.days):
        before = len(outcome.problems)
        path = f"days.{index}"
        if not within_mission(mission, day.date):
            outcome.problem(f"{path}.date", outside_mission_message(mission, day.date))
        elif day.date in seen:
            outcome.problem(f"{path}.date", f"Le {format_date(day.date)} est déjà saisi.")
        seen.add(day.date)
        for field, count, what in _counts(day):
            if count < 0:
                outcome.problem(f"{path}.{field}", f"Le nombre {what} ne peut pas être négatif.")
            elif count > 0 and (message := _misplaced_count(mission, field)):
                outcome.problem(f"{path}.{field}", message)
        if len(outcome.problems) == before:
            valid.append((index, day))
    return valid


def _counts(day: PayDay) -> list[tuple[str, Decimal, str]]:
    """(field path, value, French "de …" wording) of every count typed on a day."""
    counts: list[tuple[str, Decimal, str]] = []
    if day.copies is not None:
        counts.append(("copies", Decimal(day.copies), "de copies"))
    for half_day, candidates in sorted(day.candidates.items()):
        counts.append((f"candidates.{half_day.value}", Decimal(candidates), "de candidats"))
    if day.hours is not None:
        counts.append(("hours", day.hours, "d'heures"))
    return counts


def _misplaced_count(mission: Mission, field: str) -> str | None:
    """Why a count does not belong to this mission type, or None when it does."""
    if mission.type in DEC_HANDLED:
        return (
            f"{DEC_HANDLED[mission.type]} est indemnisée directement par la DEC : "
            "aucun décompte n'est à saisir."
        )
    if field == "copies" and mission.type is not MissionType.CORRECTION:
        return "Cette mission n'est pas une correction : aucune copie n'est à saisir."
    if field.startswith("candidates") and mission.type is not MissionType.INTERROGATION:
        return "Cette mission n'est pas une interrogation : aucun candidat n'est à saisir."
    if field == "hours" and mission.type not in MEETINGS:
        return "Les heures ne se saisissent que pour une réunion ou une harmonisation."
    return None


def _entered(day: PayDay) -> list[str]:
    """Fields of a day holding a positive count."""
    return [field for field, count, _ in _counts(day) if count > 0]


# --- papers: corrections and orals ------------------------------------------------------------


def _papers(
    mission: Mission,
    days: list[tuple[int, PayDay]],
    rates: VacationRates,
    outcome: Outcome,
) -> None:
    group = mission.pay_group
    if mission.evaluation_mode is EvaluationMode.IN_YEAR:
        # DOMAIN §4: papers evaluated during the year generate no pay line.
        outcome.note(
            "Cette épreuve est évaluée en cours d'année : elle ne donne pas lieu à vacation."
        )
        _refuse_counts(days, "Épreuve évaluée en cours d'année : rien n'est à saisir.", outcome)
        return
    if group is None:
        outcome.problem(
            "pay_group",
            "Le taux de rémunération de l'épreuve n'est pas renseigné : la DEC doit le compléter.",
        )
        return
    if group in rates.unpaid_groups:
        _unpaid_paper(mission, days, rates, outcome)
        return
    if group not in rates.copy_rates:
        outcome.problem("pay_group", f"Le taux « {group} » n'existe pas dans le barème.")
        return
    if mission.type is MissionType.CORRECTION:
        for _, day in days:
            if day.copies:
                outcome.lines.append(_copies_line(day, group, rates))
    else:
        _orals(mission, days, group, rates, outcome)


def _refuse_counts(days: list[tuple[int, PayDay]], message: str, outcome: Outcome) -> None:
    for index, day in days:
        for field in _entered(day):
            outcome.problem(f"days.{index}.{field}", message)


def _unpaid_paper(
    mission: Mission, days: list[tuple[int, PayDay]], rates: VacationRates, outcome: Outcome
) -> None:
    # DOMAIN §4: an NR paper shows a line that cannot be filled.
    outcome.lines.append(
        Line(
            part=Part.PAY,
            kind=LineKind.UNPAID_PAPER,
            label="Épreuve non rémunérée",
            quantity=Decimal(0),
            unit_rate=Decimal("0.00"),
            amount=Decimal("0.00"),
            explanation="Cette épreuve n'est pas rémunérée : aucune vacation n'est due.",
            rule=f"Épreuve non rémunérée ({mission.pay_group})",
            legal_text=rates.info.source,
            tariff_version=rates.info.version,
            date=mission.start_date,
        )
    )
    _refuse_counts(days, "Cette épreuve n'est pas rémunérée : rien n'est à saisir.", outcome)


def _copies_line(day: PayDay, group: str, rates: VacationRates) -> Line:
    copies = day.copies or 0
    rate = rates.copy_rates[group]
    return Line(
        part=Part.PAY,
        kind=LineKind.COPIES,
        label=f"Copies corrigées le {format_date(day.date)}",
        quantity=Decimal(copies),
        unit_rate=rate,
        amount=round_cents(copies * rate),
        explanation=f"{plural(copies, 'copie', 'copies')} × {format_euros(rate)}",
        rule=f"Correction de copies, taux {group}",
        legal_text=rates.info.source,
        tariff_version=rates.info.version,
        date=day.date,
    )


def _orals(
    mission: Mission,
    days: list[tuple[int, PayDay]],
    group: str,
    rates: VacationRates,
    outcome: Outcome,
) -> None:
    entered = [(index, day) for index, day in days if any(day.candidates.values())]
    if not entered:
        return
    first_index, first_day = entered[0]
    first_field = f"days.{first_index}.{_entered(first_day)[0]}"
    if group not in rates.hourly_rates:
        outcome.problem(
            first_field,
            f"Le taux {group} n'a pas de taux horaire : "
            "une interrogation ne peut pas être payée à ce taux.",
        )
        return
    minutes = mission.minutes_per_candidate
    if not minutes or minutes <= 0:
        outcome.problem(
            first_field,
            "La durée d'interrogation par candidat n'est pas renseignée : "
            "la DEC doit la compléter.",
        )
        return
    for _, day in entered:
        for half_day, candidates in sorted(day.candidates.items()):
            if candidates > 0:
                outcome.lines.append(
                    _oral_line(mission, day, half_day, candidates, minutes, group, rates)
                )


def _oral_line(
    mission: Mission,
    day: PayDay,
    half_day: HalfDay,
    candidates: int,
    minutes: int,
    group: str,
    rates: VacationRates,
) -> Line:
    # DOMAIN §4: paid for the time spent with candidates, candidates × minutes ÷ 60 × rate;
    # optional orals at 75 % of the hourly rate (arrêté du 13 avril 2012, art. 2).
    hourly = rates.hourly_rates[group]
    rate = hourly * rates.optional_oral_factor if mission.optional_oral else hourly
    total_minutes = candidates * minutes
    explanation = (
        f"{plural(candidates, 'candidat', 'candidats')} × {minutes} min = "
        f"{format_duration(total_minutes)} × {format_euros(rate)}"
    )
    if mission.optional_oral:
        explanation += (
            f" (épreuve facultative : {format_percent(rates.optional_oral_factor)} "
            f"de {format_euros(hourly)})"
        )
    what = "Épreuve pratique" if mission.paper_kind is PaperKind.PRACTICAL else "Interrogation"
    return Line(
        part=Part.PAY,
        kind=LineKind.ORAL,
        label=f"Interrogations du {format_date(day.date)} ({HALF_DAY_NAMES[half_day]})",
        quantity=(Decimal(total_minutes) / 60).quantize(HOURS_QUANTUM, rounding=ROUND_HALF_UP),
        unit_rate=rate,
        # Multiply before dividing so that the only rounding is the final one, to the cent.
        amount=round_cents(total_minutes * rate / 60),
        explanation=explanation,
        rule=f"{what}, taux {group}" + (" (épreuve facultative)" if mission.optional_oral else ""),
        legal_text=rates.info.source,
        tariff_version=rates.info.version,
        date=day.date,
    )


# --- meetings -----------------------------------------------------------------------------------


def _meetings(
    mission: Mission, days: list[tuple[int, PayDay]], tariffs: TariffSet, outcome: Outcome
) -> None:
    meetings = tariffs.meetings
    if meetings.hourly_rate == 0:
        # No national rate: the académie's default is that meetings are not paid.
        outcome.note("Les réunions ne sont pas rémunérées.")
        return
    name = MEETINGS[mission.type]
    for _, day in days:
        if day.hours:
            outcome.lines.append(
                Line(
                    part=Part.PAY,
                    kind=LineKind.MEETING,
                    label=f"{name} du {format_date(day.date)}",
                    quantity=day.hours,
                    unit_rate=meetings.hourly_rate,
                    amount=round_cents(day.hours * meetings.hourly_rate),
                    explanation=(
                        f"{format_number(day.hours)} h × {format_euros(meetings.hourly_rate)}"
                    ),
                    rule=f"{name}, taux horaire académique",
                    legal_text=meetings.info.source,
                    tariff_version=meetings.info.version,
                    date=day.date,
                )
            )


# --- amounts entered by the DEC ---------------------------------------------------------------


def _direct_indemnity(mission: Mission, entry: Entry, outcome: Outcome) -> None:
    amount = entry.direct_indemnity
    if amount is None:
        return
    if mission.type not in DEC_HANDLED:
        outcome.problem(
            "direct_indemnity",
            "Une indemnité ne se saisit directement que pour une surveillance, "
            "une élaboration de sujets ou une délibération.",
        )
        return
    if amount < 0:
        outcome.problem("direct_indemnity", "L'indemnité ne peut pas être négative.")
        return
    rounded = round_cents(amount)
    outcome.lines.append(
        Line(
            part=Part.PAY,
            kind=LineKind.DIRECT_INDEMNITY,
            label="Indemnité saisie par la DEC",
            quantity=Decimal(1),
            unit_rate=rounded,
            amount=rounded,
            explanation=f"Montant saisi par la DEC : {format_euros(rounded)}",
            rule=f"{DEC_HANDLED[mission.type]} : indemnité saisie par la DEC",
            legal_text=DIRECT_INDEMNITY_SOURCE,
            tariff_version=DIRECT_INDEMNITY_VERSION,
            date=mission.start_date,
        )
    )
