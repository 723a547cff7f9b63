"""The dated tariff files under `tariffs/`, loaded once, validated, and looked up by date.

Every rate, cap, time window and threshold the rules apply comes from these files (DOMAIN §5:
rates are versioned by date and kept as data with their source). A version is in force from
`valid_from` to `valid_to` inclusive (open-ended when absent); versions of one file never
overlap.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from importlib import resources
from typing import Any, TypeVar

from server_stub.rules.french import format_date
from server_stub.rules.model import MealKind, PaperKind, TravelMode

__all__ = [
    "CarClass",
    "InvalidTariffFileError",
    "KilometricRates",
    "LodgingZone",
    "LodgingZones",
    "MealRates",
    "MeetingRates",
    "NightRates",
    "NoTariffInForceError",
    "PayGroupTable",
    "TariffError",
    "TariffSet",
    "Tariffs",
    "TimeWindow",
    "UnknownDiplomaError",
    "VacationRates",
    "VersionInfo",
    "packaged_tariffs",
    "pay_group_for",
    "tariff_snapshot",
    "tariffs_in_effect",
    "use_tariff_source",
]


class TariffError(Exception):
    """Base of the tariff errors."""


class InvalidTariffFileError(TariffError):
    """A tariff file is missing a field, holds a wrong value, or overlaps itself."""


class NoTariffInForceError(TariffError):
    """No version of a tariff is in force on the requested day."""


class UnknownDiplomaError(TariffError):
    """The diploma is not in the diploma → pay group table."""


class InvalidTariffVersionError(InvalidTariffFileError):
    """One version given on its own (an administrator's new version) is refused: `cause` is
    the loader's own complaint (a missing key, a wrong type, a value out of range)."""

    def __init__(self, message: str, cause: Exception | None = None) -> None:
        super().__init__(message)
        self.cause = cause


class LodgingZone(StrEnum):
    STANDARD = "standard"
    LARGE_CITY = "large_city"
    GRAND_PARIS = "grand_paris"
    PARIS = "paris"
    DISABILITY = "disability"


# --- one version of each tariff -------------------------------------------------------------


@dataclass(frozen=True)
class VersionInfo:
    version: str
    source: str
    valid_from: dt.date
    valid_to: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class TimeWindow:
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class VacationRates:
    info: VersionInfo
    copy_rates: Mapping[str, Decimal]  # pay group → € per copy
    hourly_rates: Mapping[str, Decimal]  # pay group → € per hour (taux 5 has none)
    optional_oral_factor: Decimal
    unpaid_groups: frozenset[str]


@dataclass(frozen=True)
class DiplomaPayGroups:
    written: str
    oral: str  # orals and practical tests
    configurable: bool


@dataclass(frozen=True)
class PayGroupTable:
    info: VersionInfo
    diplomas: Mapping[str, DiplomaPayGroups]


@dataclass(frozen=True)
class MeetingRates:
    info: VersionInfo
    hourly_rate: Decimal


@dataclass(frozen=True)
class MealRates:
    info: VersionInfo
    rate: Decimal
    administrative_restaurant_factor: Decimal
    windows: Mapping[MealKind, TimeWindow]


@dataclass(frozen=True)
class NightRates:
    info: VersionInfo
    caps: Mapping[LodgingZone, Decimal]
    # On the morning after the evening the night begins.
    window: TimeWindow


@dataclass(frozen=True)
class LodgingZones:
    info: VersionInfo
    paris_insee_prefixes: tuple[str, ...]
    grand_paris_departments: frozenset[str]
    grand_paris_communes: frozenset[str]
    large_city_population: int
    large_city_insee_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class CarClass:
    label: str  # French, e.g. "5 CV et moins"
    max_fiscal_power: int | None  # None: no upper bound
    rates: tuple[Decimal, ...]  # one per kilometre band


@dataclass(frozen=True)
class KilometricRates:
    info: VersionInfo
    actual_costs_source: str
    band_limits_km: tuple[int, ...]  # upper limits of the bands but the last, open one
    car_classes: tuple[CarClass, ...]  # by increasing fiscal power
    two_wheeler_rates: Mapping[TravelMode, Decimal]
    max_km_per_day: int

    def car_class(self, fiscal_power: int) -> CarClass:
        for car_class in self.car_classes:
            if car_class.max_fiscal_power is None or fiscal_power <= car_class.max_fiscal_power:
                return car_class
        raise AssertionError("validated: the last car class is open-ended")


@dataclass(frozen=True)
class TariffSet:
    """The versions in force on one day."""

    day: dt.date
    vacations: VacationRates
    pay_groups: PayGroupTable
    meetings: MeetingRates
    meals: MealRates
    nights: NightRates
    lodging_zones: LodgingZones
    kilometric: KilometricRates


# --- all versions -----------------------------------------------------------------------------

_Versioned = TypeVar(
    "_Versioned",
    VacationRates,
    PayGroupTable,
    MeetingRates,
    MealRates,
    NightRates,
    LodgingZones,
    KilometricRates,
)


class Tariffs:
    """Every version of every tariff, and the labels of the supporting documents."""

    def __init__(
        self,
        *,
        vacations: Sequence[VacationRates],
        pay_groups: Sequence[PayGroupTable],
        meetings: Sequence[MeetingRates],
        meals: Sequence[MealRates],
        nights: Sequence[NightRates],
        lodging_zones: Sequence[LodgingZones],
        kilometric: Sequence[KilometricRates],
        document_labels: Mapping[str, str],
    ) -> None:
        self.vacations = _chronological("vacations", vacations)
        self.pay_groups = _chronological("pay_groups", pay_groups)
        self.meetings = _chronological("meetings", meetings)
        self.meals = _chronological("meals", meals)
        self.nights = _chronological("nights", nights)
        self.lodging_zones = _chronological("lodging_zones", lodging_zones)
        self.kilometric = _chronological("kilometric", kilometric)
        self.document_labels = dict(document_labels)

    @classmethod
    def from_texts(cls, texts: Mapping[str, str]) -> Tariffs:
        """Build from the text of each file, keyed by file stem (`"meals"`, ...)."""

        def versions(
            stem: str, parse: Callable[[Mapping[str, Any]], _Versioned]
        ) -> list[_Versioned]:
            document = _load(stem, texts)
            raw_versions = document.get("versions")
            if not isinstance(raw_versions, list) or not raw_versions:
                raise InvalidTariffFileError(f"{stem}.toml: no [[versions]]")
            parsed = []
            for index, raw in enumerate(raw_versions):
                try:
                    parsed.append(parse(raw))
                except (KeyError, TypeError, ValueError) as error:
                    where = f"{stem}.toml, version {index}"
                    raise InvalidTariffFileError(f"{where}: {error}") from error
            return parsed

        documents = _load("documents", texts).get("documents", [])
        return cls(
            vacations=versions("vacations", _vacation_rates),
            pay_groups=versions("pay_groups", _pay_group_table),
            meetings=versions("meetings", _meeting_rates),
            meals=versions("meals", _meal_rates),
            nights=versions("nights", _night_rates),
            lodging_zones=versions("lodging_zones", _lodging_zones),
            kilometric=versions("kilometric", _kilometric_rates),
            document_labels={_text(d, "key"): _text(d, "label") for d in documents},
        )

    def at(self, day: dt.date) -> TariffSet:
        """The versions in force on `day`; `NoTariffInForceError` when one tariff has none."""
        return TariffSet(
            day=day,
            vacations=_in_force("vacations", self.vacations, day),
            pay_groups=_in_force("pay_groups", self.pay_groups, day),
            meetings=_in_force("meetings", self.meetings, day),
            meals=_in_force("meals", self.meals, day),
            nights=_in_force("nights", self.nights, day),
            lodging_zones=_in_force("lodging_zones", self.lodging_zones, day),
            kilometric=_in_force("kilometric", self.kilometric, day),
        )

    def versions_of(self, stem: str) -> tuple[Any, ...]:
        """Every version of one file (`"meals"`, ...), oldest first."""
        if stem not in VERSIONED_FILES:
            raise KeyError(stem)
        versions: tuple[Any, ...] = getattr(self, stem)
        return versions

    def with_version(self, stem: str, raw: Mapping[str, Any]) -> Tariffs:
        """These tariffs and one more version of `stem`, read by the file's own loader from
        `raw` (a `[[versions]]` table as tomllib reads it). The version in force until then
        ends the day before the new one starts; the new one must start after it starts."""
        parse = _PARSERS.get(stem)
        if parse is None:
            raise InvalidTariffVersionError(f"{stem}: not a versioned tariff file")
        try:
            added = parse(raw)
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise InvalidTariffVersionError(f"{stem}: {error!r}", error) from error
        versions = list(self.versions_of(stem))
        last = versions[-1]
        if added.info.valid_from <= last.info.valid_from:
            raise InvalidTariffVersionError(f"{stem}: starts on or before {last.info.version}")
        if last.info.valid_to is None or last.info.valid_to >= added.info.valid_from:
            ended = dataclasses.replace(
                last.info, valid_to=added.info.valid_from - dt.timedelta(days=1)
            )
            versions[-1] = dataclasses.replace(last, info=ended)
        versions.append(added)
        current = {name: getattr(self, name) for name in VERSIONED_FILES}
        return Tariffs(**(current | {stem: versions}), document_labels=self.document_labels)


# For the French sentence of a date without a tariff in force.
_TARIFF_NAMES = {
    "vacations": "des vacations",
    "pay_groups": "des groupes de taux",
    "meetings": "des réunions",
    "meals": "des repas",
    "nights": "des nuitées",
    "lodging_zones": "des zones d'hébergement",
    "kilometric": "des indemnités kilométriques",
}

TARIFF_FILES = (
    "vacations",
    "pay_groups",
    "meetings",
    "meals",
    "nights",
    "lodging_zones",
    "kilometric",
    "documents",
)


@functools.cache
def packaged_tariffs() -> Tariffs:
    """The tariffs shipped with the server, read and validated once."""
    folder = resources.files("server_stub.rules").joinpath("tariffs")
    texts = {
        stem: folder.joinpath(f"{stem}.toml").read_text(encoding="utf-8") for stem in TARIFF_FILES
    }
    return Tariffs.from_texts(texts)


# Where `tariffs_in_effect()` reads from: the packaged files, unless the server installs the
# reader of the versions administrators added (tariff_versions/service.py).
_source: Callable[[], Tariffs] = packaged_tariffs


def use_tariff_source(source: Callable[[], Tariffs]) -> None:
    global _source
    _source = source


def tariffs_in_effect() -> Tariffs:
    """The tariffs the rules apply when none are given: the packaged versions and those added
    since (on the server, as its database holds them at the time of the request)."""
    return _source()


def pay_group_for(
    diploma: str, kind: PaperKind, on: dt.date, tariffs: Tariffs | None = None
) -> str:
    """The pay group (taux) of a paper of `diploma` and `kind` on a day (DOMAIN §4)."""
    table = (tariffs or tariffs_in_effect()).at(on).pay_groups
    groups = table.diplomas.get(diploma)
    if groups is None:
        raise UnknownDiplomaError(f"Diplôme inconnu de la table des taux : {diploma}")
    return groups.written if kind is PaperKind.WRITTEN else groups.oral


def known_diplomas(tariffs: Tariffs | None = None) -> frozenset[str]:
    """The diplomas some version of the pay-group table knows (DOMAIN §4)."""
    return frozenset(
        name for table in (tariffs or tariffs_in_effect()).pay_groups for name in table.diplomas
    )


def tariff_snapshot(on: dt.date, tariffs: Tariffs | None = None) -> dict[str, Any]:
    """What `GET /tariffs?date=` answers: every tariff in force, amounts as strings, each with
    its version and source."""
    current = (tariffs or tariffs_in_effect()).at(on)

    def head(info: VersionInfo) -> dict[str, Any]:
        return {
            "version": info.version,
            "source": info.source,
            "valid_from": info.valid_from.isoformat(),
            "valid_to": info.valid_to.isoformat() if info.valid_to else None,
        }

    def window(value: TimeWindow) -> dict[str, str]:
        return {"start": value.start.strftime("%H:%M"), "end": value.end.strftime("%H:%M")}

    vacations, zones, km = current.vacations, current.lodging_zones, current.kilometric
    return {
        "date": on.isoformat(),
        "vacations": head(vacations.info)
        | {
            "copy_rates": {group: str(rate) for group, rate in vacations.copy_rates.items()},
            "hourly_rates": {group: str(rate) for group, rate in vacations.hourly_rates.items()},
            "optional_oral_factor": str(vacations.optional_oral_factor),
            "unpaid_groups": sorted(vacations.unpaid_groups),
        },
        "pay_groups": head(current.pay_groups.info)
        | {
            "diplomas": {
                name: {"written": g.written, "oral": g.oral, "configurable": g.configurable}
                for name, g in current.pay_groups.diplomas.items()
            }
        },
        "meetings": head(current.meetings.info)
        | {"hourly_rate": str(current.meetings.hourly_rate)},
        "meals": head(current.meals.info)
        | {
            "rate": str(current.meals.rate),
            "administrative_restaurant_factor": str(current.meals.administrative_restaurant_factor),
            "windows": {kind.value: window(w) for kind, w in current.meals.windows.items()},
        },
        "nights": head(current.nights.info)
        | {
            "caps": {zone.value: str(cap) for zone, cap in current.nights.caps.items()},
            "window": window(current.nights.window),
        },
        "lodging_zones": head(zones.info)
        | {
            "paris_insee_prefixes": list(zones.paris_insee_prefixes),
            "grand_paris_departments": sorted(zones.grand_paris_departments),
            "grand_paris_communes": sorted(zones.grand_paris_communes),
            "large_city_population": zones.large_city_population,
            "large_city_insee_prefixes": list(zones.large_city_insee_prefixes),
        },
        "kilometric": head(km.info)
        | {
            "actual_costs_source": km.actual_costs_source,
            "band_limits_km": list(km.band_limits_km),
            "car_classes": [
                {
                    "label": c.label,
                    "max_fiscal_power": c.max_fiscal_power,
                    "rates": [str(rate) for rate in c.rates],
                }
                for c in km.car_classes
            ],
            "two_wheeler_rates": {
                mode.value: str(rate) for mode, rate in km.two_wheeler_rates.items()
            },
            "max_km_per_day": km.max_km_per_day,
        },
    }


# --- reading and validating ---------------------------------------------------------------------


def _load(stem: str, texts: Mapping[str, str]) -> dict[str, Any]:
    if stem not in texts:
        raise InvalidTariffFileError(f"{stem}.toml is missing")
    try:
        # Floats are read as exact decimals: "9.60" stays Decimal("9.60").
        return tomllib.loads(texts[stem], parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise InvalidTariffFileError(f"{stem}.toml: {error}") from error


def _chronological(name: str, versions: Sequence[_Versioned]) -> tuple[_Versioned, ...]:
    ordered = tuple(sorted(versions, key=lambda v: v.info.valid_from))
    if not ordered:
        raise InvalidTariffFileError(f"{name}: no version")
    ids = [v.info.version for v in ordered]
    if len(set(ids)) != len(ids):
        raise InvalidTariffFileError(f"{name}: duplicate version id")
    for earlier, later in itertools.pairwise(ordered):
        if earlier.info.valid_to is None or earlier.info.valid_to >= later.info.valid_from:
            overlap = f"{earlier.info.version} overlaps {later.info.version}"
            raise InvalidTariffFileError(f"{name}: {overlap}")
    return ordered


def _in_force(name: str, versions: Sequence[_Versioned], day: dt.date) -> _Versioned:
    for version in versions:
        if version.info.covers(day):
            return version
    raise NoTariffInForceError(
        f"Aucun barème {_TARIFF_NAMES.get(name, name)} n'est en vigueur le {format_date(day)} : "
        "cette date ne peut pas être calculée."
    )


def _version_info(raw: Mapping[str, Any]) -> VersionInfo:
    valid_from = raw["valid_from"]
    valid_to = raw.get("valid_to")
    if not isinstance(valid_from, dt.date) or isinstance(valid_from, dt.datetime):
        raise TypeError("valid_from must be a date")
    if valid_to is not None and (
        not isinstance(valid_to, dt.date) or isinstance(valid_to, dt.datetime)
    ):
        raise TypeError("valid_to must be a date")
    if valid_to is not None and valid_to < valid_from:
        raise ValueError("valid_to before valid_from")
    return VersionInfo(
        version=_text(raw, "version"),
        source=_text(raw, "source"),
        valid_from=valid_from,
        valid_to=valid_to,
    )


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise TypeError(f"{key} must be a non-empty string")
    return value


def _integer(raw: Mapping[str, Any], key: str) -> int:
    value = raw[key]
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise TypeError(f"{key} must be a positive integer")
    return value


def _amount(value: Any, what: str) -> Decimal:
    """A non-negative decimal; integers are accepted, floats never exist (parse_float)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a number")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{what} must be a non-negative amount")
    return amount


def _factor(raw: Mapping[str, Any], key: str) -> Decimal:
    factor = _amount(raw[key], key)
    if not 0 < factor <= 1:
        raise ValueError(f"{key} must be in (0, 1]")
    return factor


def _window(raw: Any, what: str) -> TimeWindow:
    start, end = raw["start"], raw["end"]
    if not isinstance(start, dt.time) or not isinstance(end, dt.time):
        raise TypeError(f"{what}: start and end must be times")
    if start >= end:
        raise ValueError(f"{what}: start must come before end")
    return TimeWindow(start=start, end=end)


def _vacation_rates(raw: Mapping[str, Any]) -> VacationRates:
    copy_rates = {str(g): _amount(r, f"copy_rates.{g}") for g, r in raw["copy_rates"].items()}
    hourly_rates = {str(g): _amount(r, f"hourly_rates.{g}") for g, r in raw["hourly_rates"].items()}
    if not set(hourly_rates) <= set(copy_rates):
        raise ValueError("every hourly rate needs a copy rate of the same group")
    unpaid = frozenset(str(g) for g in raw["unpaid_groups"])
    if unpaid & set(copy_rates):
        raise ValueError("an unpaid group cannot have rates")
    return VacationRates(
        info=_version_info(raw),
        copy_rates=copy_rates,
        hourly_rates=hourly_rates,
        optional_oral_factor=_factor(raw, "optional_oral_factor"),
        unpaid_groups=unpaid,
    )


def _pay_group_table(raw: Mapping[str, Any]) -> PayGroupTable:
    diplomas = {
        str(name): DiplomaPayGroups(
            written=_text(groups, "written"),
            oral=_text(groups, "oral"),
            configurable=bool(groups.get("configurable", True)),
        )
        for name, groups in raw["diplomas"].items()
    }
    return PayGroupTable(info=_version_info(raw), diplomas=diplomas)


def _meeting_rates(raw: Mapping[str, Any]) -> MeetingRates:
    return MeetingRates(
        info=_version_info(raw), hourly_rate=_amount(raw["hourly_rate"], "hourly_rate")
    )


def _meal_rates(raw: Mapping[str, Any]) -> MealRates:
    windows = {kind: _window(raw["windows"][kind.value], kind.value) for kind in MealKind}
    return MealRates(
        info=_version_info(raw),
        rate=_amount(raw["rate"], "rate"),
        administrative_restaurant_factor=_factor(raw, "administrative_restaurant_factor"),
        windows=windows,
    )


def _night_rates(raw: Mapping[str, Any]) -> NightRates:
    caps = {zone: _amount(raw["caps"][zone.value], f"caps.{zone}") for zone in LodgingZone}
    return NightRates(info=_version_info(raw), caps=caps, window=_window(raw["window"], "window"))


def _lodging_zones(raw: Mapping[str, Any]) -> LodgingZones:
    def codes(key: str) -> tuple[str, ...]:
        values = raw[key]
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise TypeError(f"{key} must be a list of INSEE codes or prefixes")
        return tuple(values)

    return LodgingZones(
        info=_version_info(raw),
        paris_insee_prefixes=codes("paris_insee_prefixes"),
        grand_paris_departments=frozenset(codes("grand_paris_departments")),
        grand_paris_communes=frozenset(codes("grand_paris_communes")),
        large_city_population=_integer(raw, "large_city_population"),
        large_city_insee_prefixes=codes("large_city_insee_prefixes"),
    )


def _kilometric_rates(raw: Mapping[str, Any]) -> KilometricRates:
    limits = tuple(int(limit) for limit in raw["band_limits_km"])
    if list(limits) != sorted(set(limits)) or (limits and limits[0] <= 0):
        raise ValueError("band_limits_km must be increasing positive kilometres")
    classes = tuple(
        CarClass(
            label=_text(c, "label"),
            max_fiscal_power=c.get("max_fiscal_power"),
            rates=tuple(_amount(r, "car rate") for r in c["rates"]),
        )
        for c in raw["car_classes"]
    )
    if any(len(c.rates) != len(limits) + 1 for c in classes):
        raise ValueError("each car class needs one rate per band")
    bounds = [c.max_fiscal_power for c in classes]
    closed = [bound for bound in bounds[:-1] if bound is not None]
    if not bounds or bounds[-1] is not None or len(closed) != len(bounds) - 1:
        raise ValueError("only the last car class is open-ended")
    if closed != sorted(set(closed)):
        raise ValueError("car classes must come by increasing fiscal power")
    two_wheelers = {
        TravelMode(mode): _amount(rate, f"two_wheeler_rates.{mode}")
        for mode, rate in raw["two_wheeler_rates"].items()
    }
    if set(two_wheelers) != {TravelMode.MOTORCYCLE, TravelMode.MOPED}:
        raise ValueError("two_wheeler_rates needs MOTORCYCLE and MOPED")
    return KilometricRates(
        info=_version_info(raw),
        actual_costs_source=_text(raw, "actual_costs_source"),
        band_limits_km=limits,
        car_classes=classes,
        two_wheeler_rates=two_wheelers,
        max_km_per_day=_integer(raw, "max_km_per_day"),
    )


_PARSERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "vacations": _vacation_rates,
    "pay_groups": _pay_group_table,
    "meetings": _meeting_rates,
    "meals": _meal_rates,
    "nights": _night_rates,
    "lodging_zones": _lodging_zones,
    "kilometric": _kilometric_rates,
}
# The files whose versions `Tariffs` holds (documents.toml has none).
VERSIONED_FILES = tuple(_PARSERS)
