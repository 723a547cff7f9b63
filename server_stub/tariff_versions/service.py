"""The tariffs in effect: the packaged files and the versions administrators added since.

A new version is read by its file's own loader (`Tariffs.with_version`): one place decides
what a valid version is, for the packaged files and for the database alike. The versions in
effect are rebuilt when the database's versions change, whichever process added them: each
request that reads tariffs asks the database for a marker (how many versions, the newest's
token; read with the académie's other values, referential/values.py) and reuses the merged
tariffs only while the marker is the same.

A new version changes the statements not yet validated whose mission ends on or after its
first day: they are computed again from their own entry. A validated statement (approved,
entered by the DEC, in payment, paid) keeps the amounts it was validated with.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import threading
import tomllib
import uuid
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from server_stub.audit import service as audit
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import InvalidInput, NotFound
from server_stub.core.routing import current_session
from server_stub.core.settings import Settings
from server_stub.referential import values as referential
from server_stub.rules.french import format_date, plural
from server_stub.rules.tariffs import (
    VERSIONED_FILES,
    InvalidTariffVersionError,
    TariffError,
    Tariffs,
    packaged_tariffs,
)
from server_stub.statements import service as statements
from server_stub.statements.models import Statement, Status
from server_stub.statements.vocabulary import Timing, dec_label
from server_stub.tariff_versions import repository
from server_stub.tariff_versions.models import TariffVersion
from server_stub.tariff_versions.schemas import (
    StatementChangeOut,
    TariffAddedOut,
    TariffFileOut,
    TariffPreviewOut,
    TariffVersionIn,
    TariffVersionOut,
)
from server_stub.tariff_versions.toml_text import plain, version_text

log = logging.getLogger(__name__)

# The files of `rules/tariffs/` an administrator reads here, in the order of the screen.
TITLES = {
    "vacations": "Vacations des jurys",
    "pay_groups": "Groupes de taux des diplômes",
    "meetings": "Réunions",
    "meals": "Repas",
    "nights": "Nuitées",
    "lodging_zones": "Zones d'hébergement",
    "kilometric": "Indemnités kilométriques",
    "road_distance": "Distance routière estimée",
    "anomalies": "Seuils d'anomalies",
}
# Files read here but changed elsewhere, and why.
READ_ONLY = {
    "road_distance": "Le facteur de détour est un réglage du serveur : il ne se modifie pas ici.",
    "anomalies": "Les seuils d'anomalies se règlent avec les données de référence de l'académie.",
}
# What each key of a version means, for the screen's labels and for the errors.
LABELS = {
    "copy_rates": "Taux par copie (€)",
    "hourly_rates": "Taux horaire (€)",
    "optional_oral_factor": "Coefficient des oraux facultatifs",
    "unpaid_groups": "Groupes non rémunérés",
    "diplomas": "Diplômes",
    "written": "écrit (groupe)",
    "oral": "oral (groupe)",
    "configurable": "réglage académique",
    "hourly_rate": "Taux horaire (€)",
    "rate": "Taux du repas (€)",
    "administrative_restaurant_factor": "Coefficient en restaurant administratif",
    "windows_configurable": "Plages réglables",
    "windows": "Plages horaires",
    "LUNCH": "déjeuner",
    "DINNER": "dîner",
    "start": "début",
    "end": "fin",
    "window_configurable": "Plage réglable",
    "window": "Plage de la nuit",
    "caps": "Plafonds (€)",
    "standard": "taux de base",
    "large_city": "grande ville",
    "grand_paris": "Grand Paris",
    "paris": "Paris",
    "disability": "handicap",
    "paris_insee_prefixes": "Paris (codes INSEE)",
    "grand_paris_departments": "Grand Paris (départements)",
    "grand_paris_communes": "Grand Paris (autres communes)",
    "large_city_population": "Population d'une grande ville",
    "large_city_insee_prefixes": "Grandes villes (codes INSEE)",
    "actual_costs_source": "Source des frais réels",
    "band_limits_km": "Limites des tranches (km)",
    "max_km_per_day": "Kilomètres par jour au plus",
    "car_classes": "Catégories de véhicules",
    "label": "libellé",
    "max_fiscal_power": "puissance fiscale maximale (CV)",
    "rates": "taux (€/km)",
    "two_wheeler_rates": "Deux-roues (€/km)",
    "MOTORCYCLE": "motocyclette",
    "MOPED": "cyclomoteur",
    "factor": "Facteur de détour",
    "half_day_minutes": "Durée d'une demi-journée (min)",
    "km_ratio": "Rapport de kilomètres",
    "km_excess": "Excédent de kilomètres",
    "night_near_home_km": "Nuitée proche du domicile (km)",
    "financial_file_validity_days": "Validité du dossier financier (jours)",
}
# The keys every version has besides its values.
_HEAD = ("version", "valid_from", "valid_to", "source")

# Not validated: computed again under a new version. Validated: never.
RECOMPUTED = (Status.OPEN, Status.SUBMITTED, Status.RETURNED)
VALIDATED = tuple(sorted(statements.VALIDATED))


# --- the tariffs in effect ---------------------------------------------------------------------


@functools.cache
def _packaged_raw(stem: str) -> tuple[dict[str, Any], ...]:
    folder = resources.files("server_stub.rules").joinpath("tariffs")
    text = folder.joinpath(f"{stem}.toml").read_text(encoding="utf-8")
    versions: list[dict[str, Any]] = tomllib.loads(text, parse_float=Decimal)["versions"]
    return tuple(versions)


def _raw(row: TariffVersion) -> dict[str, Any]:
    raw: dict[str, Any] = tomllib.loads(row.text, parse_float=Decimal)["versions"][0]
    return raw


def merged(rows: list[TariffVersion]) -> Tariffs:
    """The packaged tariffs with the added versions, each file's in the order of their days."""
    tariffs = packaged_tariffs()
    for row in sorted(rows, key=lambda r: (r.file, r.valid_from)):
        try:
            tariffs = tariffs.with_version(row.file, _raw(row))
        except (TariffError, tomllib.TOMLDecodeError, KeyError):
            # Checked when added; only two processes adding versions of one file at once could
            # leave one that no longer follows the other. The file keeps the others.
            log.exception("tariff version %s (%s) left out", row.version, row.file)
    return tariffs


_lock = threading.Lock()
_merged: weakref.WeakKeyDictionary[Engine, tuple[referential.TariffMarker, Tariffs]] = (
    weakref.WeakKeyDictionary()
)


def in_effect(session: Session) -> Tariffs:
    """The tariffs in effect for the database of `session`, rebuilt when its versions change."""
    memo: Tariffs | None = session.info.get("tariffs_in_effect")
    if memo is not None:
        return memo
    bind = session.get_bind()
    # A session may be bound to a connection (a test's transaction): the cache is its engine's.
    engine = bind if isinstance(bind, Engine) else bind.engine
    marker = referential.tariff_marker(session)
    with _lock:
        known = _merged.get(engine)
    if known is not None and known[0] == marker:
        tariffs = known[1]
    else:
        rows = list(repository.versions(session)) if marker[0] else []
        tariffs = merged(rows) if rows else packaged_tariffs()
        with _lock:
            _merged[engine] = (marker, tariffs)
    session.info["tariffs_in_effect"] = tariffs
    return tariffs


def for_request() -> Tariffs:
    """`rules.tariffs.tariffs_in_effect()` on the server: those of the request's database."""
    session = current_session.get()
    return packaged_tariffs() if session is None else in_effect(session)


# --- the administrator's list ------------------------------------------------------------------


def catalogue(session: Session) -> list[TariffFileOut]:
    rows = list(repository.versions(session))
    names = repository.authors(session, {r.added_by for r in rows if r.added_by is not None})
    tariffs = in_effect(session)
    files = []
    for stem, title in TITLES.items():
        added = {r.version: r for r in rows if r.file == stem}
        if stem in VERSIONED_FILES:
            heads = [v.info for v in tariffs.versions_of(stem)]
            raws = {str(r["version"]): r for r in _packaged_raw(stem)}
            raws |= {r.version: _raw(r) for r in added.values()}
        else:
            raws = {str(r["version"]): r for r in _packaged_raw(stem)}
            heads = []
        versions = []
        for version, raw in raws.items():
            info = next((h for h in heads if h.version == version), None)
            row = added.get(version)
            versions.append(
                TariffVersionOut(
                    version=version,
                    source=str(raw["source"]),
                    valid_from=info.valid_from if info else raw["valid_from"],
                    valid_to=info.valid_to if info else raw.get("valid_to"),
                    added=row is not None,
                    added_at=row.added_at if row else None,
                    added_by=names.get(row.added_by) if row and row.added_by else None,
                    values={k: plain(v) for k, v in raw.items() if k not in _HEAD},
                )
            )
        versions.sort(key=lambda v: v.valid_from)
        files.append(
            TariffFileOut(
                file=stem,
                title=title,
                editable=stem in VERSIONED_FILES,
                note=READ_ONLY.get(stem),
                labels=LABELS,
                versions=versions,
            )
        )
    return files


# --- a new version -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    file: str
    raw: dict[str, Any]
    tariffs: Tariffs  # those in effect with the new version


def candidate(session: Session, stem: str, body: TariffVersionIn) -> Candidate:
    """The new version read and checked by its file's loader; French 4xx otherwise."""
    if stem not in TITLES:
        raise NotFound(f"Aucun fichier de tarifs ne s'appelle « {stem} ».")
    if stem not in VERSIONED_FILES:
        raise InvalidInput(READ_ONLY.get(stem, "Ce fichier ne se modifie pas ici."))
    tariffs = in_effect(session)
    last = tariffs.versions_of(stem)[-1].info
    if body.valid_from <= last.valid_from:
        message = (
            f"La nouvelle version doit prendre effet après le {format_date(last.valid_from)}, "
            f"premier jour de la version en vigueur ({last.version})."
        )
        raise InvalidInput(message, fields={"valid_from": message})
    template = _template(session, stem, tariffs)
    values = _coerce(body.values, template, "")
    prefix = re.sub(r"-?\d{4}-\d{2}-\d{2}$", "", last.version) or stem
    raw = {
        "version": f"{prefix}-{body.valid_from.isoformat()}",
        "valid_from": body.valid_from,
        "source": body.source.strip(),
        **values,
    }
    try:
        extended = tariffs.with_version(stem, raw)
    except InvalidTariffVersionError as error:
        raise _refusal(error.cause, template) from error
    return Candidate(stem, raw, extended)


def _template(session: Session, stem: str, tariffs: Tariffs) -> dict[str, Any]:
    """The values of the version in force last: the shape and types a new one follows."""
    last = tariffs.versions_of(stem)[-1].info.version
    for raw in _packaged_raw(stem):
        if raw["version"] == last:
            return {k: v for k, v in raw.items() if k not in _HEAD}
    for row in repository.versions(session):
        if row.version == last and row.file == stem:
            return {k: v for k, v in _raw(row).items() if k not in _HEAD}
    return {k: v for k, v in _packaged_raw(stem)[-1].items() if k not in _HEAD}


class _Wrong(Exception):
    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def _coerce(value: Any, template: Any, path: str) -> Any:
    """`value` (as JSON sent it) in the types of `template` (the same place in the version in
    force): amounts as exact decimals, times and dates as such. Wrong types raise `_Wrong`."""
    try:
        return _coerced(value, template, path)
    except _Wrong as wrong:
        raise InvalidInput(wrong.message, fields={wrong.path: wrong.message}) from wrong


def _coerced(value: Any, template: Any, path: str) -> Any:
    here = path or "values"
    if isinstance(template, Mapping) or (template is None and isinstance(value, Mapping)):
        if not isinstance(value, Mapping):
            raise _Wrong(here, f"{_label(here)} : un tableau de valeurs est attendu.")
        template = template or {}
        sibling = next(iter(template.values()), None)
        return {
            str(k): _coerced(v, template.get(k, sibling), f"{path}.{k}" if path else str(k))
            for k, v in value.items()
        }
    if isinstance(template, list) or (template is None and isinstance(value, list)):
        if not isinstance(value, list):
            raise _Wrong(here, f"{_label(here)} : une liste de valeurs est attendue.")
        template = template or []
        return [
            _coerced(v, template[i] if i < len(template) else (template or [None])[0], here)
            for i, v in enumerate(value)
        ]
    if isinstance(template, bool):
        if not isinstance(value, bool):
            raise _Wrong(here, f"{_label(here)} : « oui » ou « non » est attendu.")
        return value
    if isinstance(template, Decimal):
        return _decimal(value, here)
    if isinstance(template, int):
        amount = _decimal(value, here)
        if amount != amount.to_integral_value():
            raise _Wrong(here, f"{_label(here)} : un nombre entier est attendu.")
        return int(amount)
    if isinstance(template, dt.time):
        try:
            return dt.time.fromisoformat(str(value).strip())
        except ValueError:
            raise _Wrong(here, f"{_label(here)} : une heure HH:MM est attendue.") from None
    if isinstance(template, str):
        if not isinstance(value, str):
            raise _Wrong(here, f"{_label(here)} : un texte est attendu.")
        return value.strip()
    # A place the version in force does not have: kept as sent; the loader says if it is wrong.
    if isinstance(value, float):
        return Decimal(repr(value))
    if value is None:
        raise _Wrong(here, f"{_label(here)} : une valeur est attendue.")
    return value


def _decimal(value: Any, here: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Wrong(here, f"{_label(here)} : un nombre est attendu.")
    text = repr(value) if isinstance(value, float) else str(value).strip().replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _Wrong(here, f"{_label(here)} : « {value} » n'est pas un nombre.") from None
    if not amount.is_finite():
        raise _Wrong(here, f"{_label(here)} : un nombre est attendu.")
    return amount


def _label(path: str) -> str:
    if path == "values":
        return "Valeurs"
    return " › ".join(LABELS.get(part, part) for part in path.split("."))


# The loaders' complaints (rules/tariffs.py), in French.
_ENDINGS = {
    "must be a number": "un nombre est attendu.",
    "must be a non-negative amount": "le montant ne peut pas être négatif.",
    "must be in (0, 1]": "le coefficient doit être supérieur à 0 et au plus égal à 1.",
    "must be a non-empty string": "un texte non vide est attendu.",
    "must be a positive integer": "un nombre entier positif est attendu.",
    "must be a list of INSEE codes or prefixes": "une liste de codes INSEE est attendue.",
    "start and end must be times": "le début et la fin doivent être des heures.",
    "start must come before end": "le début doit précéder la fin.",
    "must be a date": "une date est attendue.",
}
_WHOLE = {
    "every hourly rate needs a copy rate of the same group": (
        "hourly_rates",
        "Chaque groupe qui a un taux horaire doit avoir un taux par copie.",
    ),
    "an unpaid group cannot have rates": (
        "unpaid_groups",
        "Un groupe non rémunéré ne peut pas avoir de taux.",
    ),
    "band_limits_km must be increasing positive kilometres": (
        "band_limits_km",
        "Les limites des tranches doivent être des kilomètres positifs et croissants.",
    ),
    "each car class needs one rate per band": (
        "car_classes",
        "Chaque catégorie de véhicules doit avoir un taux par tranche.",
    ),
    "only the last car class is open-ended": (
        "car_classes",
        "Seule la dernière catégorie de véhicules est sans puissance maximale.",
    ),
    "car classes must come by increasing fiscal power": (
        "car_classes",
        "Les catégories de véhicules vont par puissance fiscale croissante.",
    ),
    "two_wheeler_rates needs MOTORCYCLE and MOPED": (
        "two_wheeler_rates",
        "Les deux-roues ont un taux pour la motocyclette et un pour le cyclomoteur.",
    ),
}


def _refusal(cause: Exception | None, template: Mapping[str, Any]) -> InvalidInput:
    """The loader's complaint as a French error beside its field."""
    if isinstance(cause, KeyError):
        key = str(cause.args[0]) if cause.args else ""
        path = _path_of(key, template)
        message = f"{_label(path)} : valeur manquante."
        return InvalidInput(message, fields={path: message})
    text = str(cause) if cause is not None else ""
    if text in _WHOLE:
        path, message = _WHOLE[text]
        return InvalidInput(message, fields={path: message})
    for ending, french in _ENDINGS.items():
        if text.endswith(ending):
            what = text[: -len(ending)].strip().rstrip(":").strip()
            path = _path_of(what, template) if what else "values"
            message = f"{_label(path)} : {french}"
            return InvalidInput(message, fields={path: message})
    if "is not a valid TravelMode" in text:
        message = "Deux-roues : seules la motocyclette (MOTORCYCLE) et le cyclomoteur (MOPED)."
        return InvalidInput(message, fields={"two_wheeler_rates": message})
    return InvalidInput("Les valeurs de cette version sont incorrectes : vérifiez chaque champ.")


def _path_of(what: str, template: Mapping[str, Any]) -> str:
    """The dotted path of a key the loader names (`rate`, `caps.standard`, `LUNCH`)."""
    if what in _HEAD:
        return what
    paths = list(_paths(template, ""))
    if what in paths:
        return what
    ending = [p for p in paths if p.endswith(f".{what}")]
    return ending[0] if len(ending) == 1 else what


def _paths(value: Any, path: str) -> Any:
    if path:
        yield path
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _paths(inner, f"{path}.{key}" if path else str(key))


# --- what a new version changes ----------------------------------------------------------------


@dataclass(frozen=True)
class _Change:
    statement: Statement
    row: StatementChangeOut
    computation: Any


def _changes(session: Session, settings: Settings, new: Candidate, day: dt.date) -> list[_Change]:
    today = clock.today(settings)
    found = []
    for statement in repository.statements_from(session, day, RECOMPUTED):
        if not statement.computation:
            continue  # nothing entered yet: computed when it is
        mission = statements.mission_of(session, statement)
        computation = statements.recomputed(session, statement, mission, new.tariffs)
        if computation.problems or computation.total == statement.total:
            if computation.problems:
                log.info("statement %s cannot be computed under the new version", statement.id)
            continue
        person = statement.user
        found.append(
            _Change(
                statement,
                StatementChangeOut(
                    statement_id=statement.id,
                    person=f"{person.first_name} {person.last_name}",
                    mission=mission.paper_name or mission.mission_label or mission.session_name,
                    start_date=mission.start_date,
                    status=dec_label(
                        Status(statement.status),
                        Timing(mission.start_date, mission.end_date, today),
                    ),
                    old_total=statement.total,
                    new_total=computation.total,
                ),
                computation,
            )
        )
    return found


def preview(
    session: Session, settings: Settings, stem: str, body: TariffVersionIn
) -> TariffPreviewOut:
    new = candidate(session, stem, body)
    changes = _changes(session, settings, new, body.valid_from)
    return TariffPreviewOut(
        file=stem,
        version=str(new.raw["version"]),
        valid_from=body.valid_from,
        changed=[c.row for c in changes],
        validated_kept=repository.count_from(session, body.valid_from, VALIDATED),
    )


def add(
    session: Session, settings: Settings, actor: User, stem: str, body: TariffVersionIn
) -> TariffAddedOut:
    new = candidate(session, stem, body)
    changes = _changes(session, settings, new, body.valid_from)
    row = TariffVersion(
        file=stem,
        version=str(new.raw["version"]),
        valid_from=body.valid_from,
        source=str(new.raw["source"]),
        text=version_text(new.raw),
        token=uuid.uuid4().hex,
        added_at=clock.now(),
        added_by=actor.id,
    )
    repository.add(session, row)
    for change in changes:
        statements.store_recomputed(change.statement, change.computation)
    session.info.pop("tariffs_in_effect", None)
    referential.forget(session)
    kept = repository.count_from(session, body.valid_from, VALIDATED)
    audit.record(
        session,
        actor,
        "TARIFF_VERSION_ADDED",
        "tariff",
        f"{stem}:{row.version}",
        f"{TITLES[stem]} : nouvelle version {row.version} en vigueur à partir du "
        f"{format_date(body.valid_from)} ({row.source}) ; "
        f"{plural(len(changes), 'état de frais recalculé', 'états de frais recalculés')}, "
        f"{plural(kept, 'état de frais validé inchangé', 'états de frais validés inchangés')}.",
        {
            "file": stem,
            "version": row.version,
            "valid_from": body.valid_from.isoformat(),
            "source": row.source,
            "values": plain({k: v for k, v in new.raw.items() if k not in _HEAD}),
            "recomputed": [
                {
                    "statement_id": c.row.statement_id,
                    "old_total": str(c.row.old_total),
                    "new_total": str(c.row.new_total),
                }
                for c in changes
            ],
        },
    )
    listed = next(f for f in catalogue(session) if f.file == stem)
    version = next(v for v in listed.versions if v.version == row.version)
    return TariffAddedOut(version=version, recomputed=len(changes), validated_kept=kept)
