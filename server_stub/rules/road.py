"""A journey's road distance estimated from its great-circle distance, with the factor of
`tariffs/road_distance.toml` (data with its source; the file says why 1.3)."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from importlib import resources

from server_stub.rules.tariffs import InvalidTariffFileError, NoTariffInForceError


@dataclass(frozen=True)
class RoadFactor:
    version: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None
    factor: Decimal


def parse_factors(text: str) -> list[RoadFactor]:
    try:
        document = tomllib.loads(text, parse_float=Decimal)
        factors = [
            RoadFactor(
                version=str(raw["version"]),
                source=str(raw["source"]),
                valid_from=raw["valid_from"],
                valid_to=raw.get("valid_to"),
                factor=Decimal(raw["factor"]),
            )
            for raw in document["versions"]
        ]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError) as error:
        raise InvalidTariffFileError(f"road_distance.toml: {error}") from error
    if not factors or any(f.factor < 1 for f in factors):
        raise InvalidTariffFileError("road_distance.toml: a factor of at least 1 per version")
    return sorted(factors, key=lambda f: f.valid_from)


@functools.cache
def packaged_factors() -> tuple[RoadFactor, ...]:
    folder = resources.files("server_stub.rules").joinpath("tariffs")
    return tuple(parse_factors(folder.joinpath("road_distance.toml").read_text("utf-8")))


def factor_on(day: dt.date, factors: tuple[RoadFactor, ...] | None = None) -> RoadFactor:
    for factor in reversed(factors if factors is not None else packaged_factors()):
        if factor.valid_from <= day and (factor.valid_to is None or day <= factor.valid_to):
            return factor
    raise NoTariffInForceError(f"road_distance.toml: no version in force on {day}")


def road_estimate(great_circle_km: Decimal, day: dt.date) -> Decimal:
    """The road kilometres of a journey of `great_circle_km`, to the kilometre."""
    estimate = great_circle_km * factor_on(day).factor
    return estimate.quantize(Decimal(1), rounding=ROUND_HALF_UP)
