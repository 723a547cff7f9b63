"""Nights on mission (DOMAIN §5).

Décret n° 2006-781 du 3 juillet 2006, art. 3; caps from the arrêté du 3 juillet 2006 as
amended (26 février 2019, 20 septembre 2023). A night is due when the agent is on mission for
the whole of the night window, with proof of payment; it is reimbursed at its actual cost up to
the cap of the mission commune's zone, or the disability cap in any zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from server_stub.rules.french import format_date, format_number, format_time
from server_stub.rules.model import Commune, Context, Entry, Line, LineKind, Mission, Part, Trip
from server_stub.rules.money import format_euros, round_cents
from server_stub.rules.outcome import Outcome
from server_stub.rules.periods import covered, journey_taken_elsewhere, mission_days, wall_clock
from server_stub.rules.tariffs import (
    LodgingZone,
    LodgingZones,
    NightRates,
    Tariffs,
    tariffs_in_effect,
)


def lodging_zone(commune: Commune, disability: bool, zones: LodgingZones) -> LodgingZone:
    """The cap zone of a mission commune (arrêté du 3 juillet 2006 modifié, art. 1er)."""
    if disability:
        # "fixé dans tous les cas" for an agent recognised as disabled: any zone.
        return LodgingZone.DISABILITY
    if commune.insee.startswith(zones.paris_insee_prefixes):
        return LodgingZone.PARIS
    if (
        commune.department in zones.grand_paris_departments
        or commune.insee in zones.grand_paris_communes
    ):
        return LodgingZone.GRAND_PARIS
    if commune.population >= zones.large_city_population or commune.insee.startswith(
        zones.large_city_insee_prefixes
    ):
        return LodgingZone.LARGE_CITY
    return LodgingZone.STANDARD


def night_window(evening: dt.date, rates: NightRates) -> tuple[dt.datetime, dt.datetime]:
    """The window of the night that begins on `evening`: on the next morning."""
    morning = evening + dt.timedelta(days=1)
    return (
        dt.datetime.combine(morning, rates.window.start),
        dt.datetime.combine(morning, rates.window.end),
    )


def proposed_nights(trips: Sequence[Trip], tariffs: Tariffs | None = None) -> list[dt.date]:
    """The evenings whose night the trips' times make due, for a client to propose."""
    tariffs = tariffs or tariffs_in_effect()
    spans = [(wall_clock(t.depart_at), wall_clock(t.return_at)) for t in trips]
    spans = [(start, end) for start, end in spans if start <= end]
    evenings = set()
    for start, end in spans:
        evening = start.date() - dt.timedelta(days=1)
        while evening < end.date():
            if covered(spans, *night_window(evening, tariffs.at(evening).nights)):
                evenings.add(evening)
            evening += dt.timedelta(days=1)
    return sorted(evenings)


def night_lines(
    mission: Mission,
    disability: bool,
    entry: Entry,
    context: Context,
    tariffs: Tariffs,
    travel_eligible: bool,
) -> Outcome:
    """The lines of the claimed nights; a claim the trips do not justify is a problem."""
    outcome = Outcome()
    spans = [(wall_clock(t.depart_at), wall_clock(t.return_at)) for t in entry.trips]
    seen: set[dt.date] = set()
    for index, claim in enumerate(entry.nights):
        path = f"nights.{index}"
        night = f"nuitée du {format_date(claim.date)}"
        # The night before the first day counts: one may have to arrive the evening before.
        if not mission.start_date - dt.timedelta(days=1) <= claim.date <= mission.end_date:
            outcome.problem(
                path,
                f"La {night} ne correspond pas aux dates de la mission ({mission_days(mission)}).",
            )
            continue
        if claim.cost < 0:
            outcome.problem(f"{path}.cost", "Le coût de la nuitée ne peut pas être négatif.")
            continue
        if claim.date in seen:
            outcome.problem(path, f"La {night} est déjà demandée.")
            continue
        seen.add(claim.date)
        if not travel_eligible:
            outcome.problem(
                path, f"La {night} n'est pas due : les frais de déplacement ne sont pas dus."
            )
            continue
        if claim.date in context.days_travelled_elsewhere:
            outcome.note(journey_taken_elsewhere(claim.date))
            continue
        current = tariffs.at(claim.date)
        start, end = night_window(claim.date, current.nights)
        if not covered(spans, start, end):
            outcome.problem(
                path,
                f"La {night} n'est pas due : il faut être en mission de "
                f"{format_time(start.time())} à {format_time(end.time())} "
                f"le {format_date(start.date())}.",
            )
            continue
        if claim.cost == 0:
            continue
        zone = lodging_zone(mission.commune, disability, current.lodging_zones)
        outcome.lines.append(
            _night_line(claim.date, claim.cost, zone, current.nights, current.lodging_zones)
        )
    return outcome


def _night_line(
    evening: dt.date, cost: Decimal, zone: LodgingZone, rates: NightRates, zones: LodgingZones
) -> Line:
    cap = rates.caps[zone]
    paid = round_cents(cost)
    amount = round_cents(min(paid, cap))
    zone_name = _zone_name(zone, zones)
    return Line(
        part=Part.TRAVEL,
        kind=LineKind.NIGHT,
        label=(
            f"Nuitée du {format_date(evening)} au {format_date(evening + dt.timedelta(days=1))}"
        ),
        quantity=Decimal(1),
        unit_rate=amount,
        amount=amount,
        explanation=(
            f"Coût réel {format_euros(paid)}, plafond {format_euros(cap)} ({zone_name}) : "
            f"{format_euros(amount)}"
        ),
        rule=f"Hébergement au coût réel, plafond {zone_name}",
        legal_text=rates.info.source,
        tariff_version=rates.info.version,
        date=evening,
    )


def _zone_name(zone: LodgingZone, zones: LodgingZones) -> str:
    names = {
        LodgingZone.STANDARD: "taux de base",
        LodgingZone.LARGE_CITY: (
            f"commune de {format_number(Decimal(zones.large_city_population))} habitants ou plus"
        ),
        LodgingZone.GRAND_PARIS: "métropole du Grand Paris",
        LodgingZone.PARIS: "Paris",
        LodgingZone.DISABILITY: "agent reconnu travailleur handicapé",
    }
    return names[zone]
