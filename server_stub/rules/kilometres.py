"""Kilometric bands: a car trip is paid by the band the person's yearly kilometres are in.

Arrêté du 3 juillet 2006 fixant les taux des indemnités kilométriques (as amended by the
arrêté du 14 mars 2022): the rate depends on the cumulative kilometres of the calendar year,
so a trip that crosses a band limit is split and each part paid at its band's rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from server_stub.rules.french import format_number


@dataclass(frozen=True)
class BandSegment:
    band: int  # index of the band, 0 for the first
    km: Decimal
    year_km_before: Decimal  # cumulative kilometres of the year when the segment starts
    year_km_after: Decimal


def split_into_bands(
    year_km_before: Decimal, km: Decimal, band_limits: Sequence[int]
) -> list[BandSegment]:
    """The parts of a trip of `km` kilometres that fall in each band, in order."""
    segments: list[BandSegment] = []
    position, end = year_km_before, year_km_before + km
    for band, upper in enumerate([*band_limits, None]):
        if position >= end:
            break
        if upper is not None and position >= upper:
            continue
        segment_end = end if upper is None else min(end, Decimal(upper))
        segments.append(BandSegment(band, segment_end - position, position, segment_end))
        position = segment_end
    return segments


def band_label(band: int, band_limits: Sequence[int]) -> str:
    """`jusqu'à 2 000 km`, `de 2 001 à 10 000 km`, `au-delà de 10 000 km`."""
    if not band_limits:
        return "toute distance"
    if band == 0:
        return f"jusqu'à {_km(band_limits[0])} km"
    if band == len(band_limits):
        return f"au-delà de {_km(band_limits[-1])} km"
    return f"de {_km(band_limits[band - 1] + 1)} à {_km(band_limits[band])} km"


def _km(value: int) -> str:
    return format_number(Decimal(value))
