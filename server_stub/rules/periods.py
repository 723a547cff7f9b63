"""The mission's dates, and how the rules speak of them."""

from __future__ import annotations

import datetime as dt

from server_stub.rules.french import format_date
from server_stub.rules.model import Mission


def mission_days(mission: Mission) -> str:
    """`le 12/06/2026` or `du 12/06/2026 au 13/06/2026`."""
    if mission.start_date == mission.end_date:
        return f"le {format_date(mission.start_date)}"
    return f"du {format_date(mission.start_date)} au {format_date(mission.end_date)}"


def within_mission(mission: Mission, day: dt.date) -> bool:
    return mission.start_date <= day <= mission.end_date


def outside_mission_message(mission: Mission, day: dt.date) -> str:
    return f"Le {format_date(day)} est en dehors des dates de la mission ({mission_days(mission)})."


def journey_taken_elsewhere(day: dt.date) -> str:
    """DOMAIN §5: several missions the same day, travel is claimed once, on the first."""
    return (
        f"Le déplacement du {format_date(day)} est déjà pris en charge sur la première "
        "mission de la journée."
    )


def wall_clock(moment: dt.datetime) -> dt.datetime:
    """Trip times are the local time of the mission; compare them as wall-clock times."""
    return moment.replace(tzinfo=None)


def covered(
    trips_spans: list[tuple[dt.datetime, dt.datetime]], start: dt.datetime, end: dt.datetime
) -> bool:
    """True when one trip spans the whole of [start, end]."""
    return any(depart <= start and end <= back for depart, back in trips_spans)
