"""`imagin-server import FILE`: a whole session from one JSON document (docs/import-format.md).

Everything is checked before anything is written: each item on its own (format.py), then the
references between items and against the database (codes, communes, accounts). Every problem
is reported with its place in the file (`missions[3].centre`) and the file is refused as a
whole: `ImportRejected` is raised before the first row is added, so the caller's transaction
holds nothing from it. An accepted file creates the session, its exams, papers, centres,
accounts and missions, and issues the convocations as the DEC does (each creates its statement).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.auth.accounts import create_account
from server_stub.auth.identifiers import refusal as identifier_refusal
from server_stub.auth.models import Role, User
from server_stub.core import clock
from server_stub.core.security import hash_temporary_password, temporary_password
from server_stub.importing.format import (
    FORMAT,
    VERSION,
    CentreIn,
    ConvocationIn,
    ExamIn,
    MissionIn,
    PersonIn,
    SessionIn,
)
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.french import format_date
from server_stub.rules.tariffs import NoTariffInForceError, UnknownDiplomaError, pay_group_for
from server_stub.statements.issuing import issue_new

log = logging.getLogger(__name__)

ROOT = "$"
SECTIONS = (
    "format",
    "version",
    "session",
    "exams",
    "centres",
    "people",
    "missions",
    "convocations",
)

Item = TypeVar("Item", bound=BaseModel)


class ImportRejected(Exception):
    """The file cannot be imported; `errors` lists every problem as (place in file, French)."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__(f"{len(errors)} problème(s) dans le fichier d'import")
        self.errors = errors


class ImportSummary(TypedDict):
    sessions: int
    exams: int
    papers: int
    centres: int
    centres_reused: int
    people: int
    accounts_created: int
    accounts_reused: int
    missions: int
    convocations: int
    # login -> temporary password of each account created, to print on its convocation.
    temporary_passwords: dict[str, str]


def import_session(session: Session, path: Path) -> ImportSummary:
    """Checks the whole file, then writes it; raises `ImportRejected` with every problem."""
    document = _read(path)
    checked = _Checker(session, document).check()
    return _write(session, checked)


# --- reading --------------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise ImportRejected([(ROOT, f"Le fichier {path} est introuvable.")]) from None
    except OSError as error:
        raise ImportRejected([(ROOT, f"Le fichier {path} est illisible ({error}).")]) from None
    except UnicodeDecodeError:
        raise ImportRejected([(ROOT, "Le fichier doit être encodé en UTF-8.")]) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        message = (
            f"Le fichier n'est pas un JSON valide (ligne {error.lineno}, colonne {error.colno})."
        )
        raise ImportRejected([(ROOT, message)]) from None
    if not isinstance(document, dict):
        raise ImportRejected([(ROOT, "Le fichier doit contenir un objet JSON (entre accolades).")])
    return document


# --- checking -------------------------------------------------------------------------------


def _place(prefix: str, loc: Iterable[int | str]) -> str:
    place = prefix
    for part in loc:
        place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else part)
    return place or ROOT


_INSEE_FIELDS = {"commune_insee", "administrative_residence", "family_residence"}
_FIXED_MESSAGES = {
    "missing": "Ce champ est obligatoire.",
    "extra_forbidden": "Ce champ n'est pas reconnu.",
    "string_type": "Un texte est attendu.",
    "string_too_short": "Ce champ ne peut pas être vide.",
    "int_type": "Un nombre entier est attendu.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_from_float": "Un nombre entier est attendu.",
    "bool_type": "true ou false est attendu.",
    "bool_parsing": "true ou false est attendu.",
    "date_type": "Une date au format AAAA-MM-JJ est attendue.",
    "date_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_parsing": "Une date au format AAAA-MM-JJ est attendue.",
    "date_from_datetime_inexact": "Une date sans heure est attendue (AAAA-MM-JJ).",
    "time_type": "Une heure au format HH:MM est attendue.",
    "time_parsing": "Une heure au format HH:MM est attendue.",
    "list_type": "Une liste est attendue (entre crochets).",
    "model_type": "Un objet est attendu (entre accolades).",
    "model_attributes_type": "Un objet est attendu (entre accolades).",
    "dict_type": "Un objet est attendu (entre accolades).",
}


def _message(error: ErrorDetails) -> str:
    """A French sentence for a pydantic error."""
    kind, ctx = error["type"], error.get("ctx", {})
    last = error["loc"][-1] if error["loc"] else ""
    if kind in _FIXED_MESSAGES:
        return _FIXED_MESSAGES[kind]
    if kind == "value_error":
        return str(ctx.get("error", "Valeur invalide."))
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", " ou ")
        return f"Valeur non permise : {expected} attendu."
    if kind == "string_too_long":
        return f"Ce texte est trop long ({ctx.get('max_length')} caractères au plus)."
    if kind == "too_long":
        return f"Trop d'éléments ({ctx.get('max_length')} au plus)."
    if kind == "greater_than_equal":
        return f"La valeur doit être au moins {ctx.get('ge')}."
    if kind == "less_than_equal":
        return f"La valeur doit être au plus {ctx.get('le')}."
    if kind == "string_pattern_mismatch":
        if last in _INSEE_FIELDS:
            return "Un code INSEE de commune est attendu : cinq caractères, par exemple 80021."
        if last == "email":
            return "Adresse électronique invalide."
        if last == "login":
            return "Identifiant invalide : lettres, chiffres, point, tiret ou @ seulement."
        return "Le format de cette valeur n'est pas valide."
    return "Valeur invalide."


@dataclass
class _Checked:
    session: SessionIn
    exams: list[ExamIn]
    centres: list[CentreIn]
    existing_centres: dict[str, Centre]
    people: list[PersonIn]
    existing_people: dict[str, User]  # lower-cased login -> account
    missions: list[MissionIn]
    convocations: list[ConvocationIn]


def _text(item: object, key: str) -> str | None:
    """A string field of a raw item, stripped as the models strip it; None when absent."""
    if isinstance(item, dict) and isinstance(item.get(key), str):
        value: str = item[key].strip()
        return value
    return None


_INSEE = re.compile(r"\d[\dAB]\d{3}")


@dataclass
class _Checker:
    """Every problem of the document, the items' own and those between items.

    References are checked on the raw items, valid or not, so that one mistake in an item
    does not hide another one in the same item, nor make its references look unknown.
    """

    db: Session
    document: dict[str, Any]
    errors: list[tuple[str, str]] = field(default_factory=list)

    def problem(self, place: str, message: str) -> None:
        self.errors.append((place, message))

    def validated(self, model: type[Item], raw: object, place: str) -> Item | None:
        try:
            return model.model_validate(raw)
        except ValidationError as invalid:
            for error in invalid.errors():
                self.problem(_place(place, error["loc"]), _message(error))
            return None

    def raw(self, name: str) -> list[tuple[int, Any]]:
        items = self.document.get(name, [])
        return list(enumerate(items)) if isinstance(items, list) else []

    def section(self, name: str, model: type[Item]) -> list[Item]:
        if not isinstance(self.document.get(name, []), list):
            self.problem(name, "Une liste est attendue (entre crochets).")
            return []
        valid = (self.validated(model, item, f"{name}[{i}]") for i, item in self.raw(name))
        return [item for item in valid if item is not None]

    def unique(
        self,
        items: list[tuple[int, Any]],
        section: str,
        key: Callable[[Any], str | None],
        field_name: str,
    ) -> None:
        seen: dict[str, int] = {}
        for index, item in items:
            value = key(item)
            if value is None:
                continue
            if value in seen:
                self.problem(
                    f"{section}[{index}].{field_name}",
                    f"Doublon : « {value} » figure déjà en {section}[{seen[value]}].",
                )
            else:
                seen[value] = index

    def commune(self, place: str, insee: str | None) -> None:
        """An unknown commune; a malformed code is the model's to report."""
        if insee is not None and _INSEE.fullmatch(insee) and communes().get(insee) is None:
            self.problem(place, f"Aucune commune ne porte le code INSEE « {insee} ».")

    def check(self) -> _Checked:
        for key in self.document:
            if key not in SECTIONS:
                self.problem(key, "Cette rubrique n'est pas reconnue.")
        if self.document.get("format", FORMAT) != FORMAT:
            self.problem("format", f"Le format attendu est « {FORMAT} ».")
        if self.document.get("version", VERSION) != VERSION:
            message = f"Cette version du format n'est pas prise en charge : {VERSION} attendu."
            self.problem("version", message)
        session = None
        if "session" not in self.document:
            self.problem("session", "La rubrique session est obligatoire.")
        else:
            session = self.validated(SessionIn, self.document["session"], "session")
        exams = self.section("exams", ExamIn)
        centres = self.section("centres", CentreIn)
        people = self.section("people", PersonIn)
        missions = self.section("missions", MissionIn)
        convocations = self.section("convocations", ConvocationIn)

        self.check_session()
        self.check_exams(exams, missions, session.entry_deadline if session else None)
        existing_centres = self.check_centres()
        existing_people = self.check_people()
        self.check_missions(existing_centres)
        self.check_convocations()

        if self.errors or session is None:
            raise ImportRejected(sorted(self.errors, key=lambda e: _order(e[0])))
        return _Checked(
            session=session,
            exams=exams,
            centres=centres,
            existing_centres=existing_centres,
            people=people,
            existing_people=existing_people,
            missions=missions,
            convocations=convocations,
        )

    def check_session(self) -> None:
        code = _text(self.document.get("session"), "code")
        if code and self.db.scalar(select(ExamSession.id).where(ExamSession.code == code)):
            self.problem("session.code", f"Une session porte déjà le code « {code} ».")

    def check_exams(
        self, exams: list[ExamIn], missions: list[MissionIn], deadline: dt.date | None
    ) -> None:
        raw_exams = self.raw("exams")
        self.unique(raw_exams, "exams", lambda e: _text(e, "code"), "code")
        for index, exam in raw_exams:
            papers = exam.get("papers") if isinstance(exam, dict) else None
            if isinstance(papers, list):
                section = f"exams[{index}].papers"
                self.unique(list(enumerate(papers)), section, lambda p: _text(p, "code"), "code")
        # Papers without a pay group take their diploma's, which must be in the table.
        first_days = _first_days(missions)
        places = {_text(e, "code"): i for i, e in reversed(raw_exams)}
        for exam in exams:
            for paper_index, paper in enumerate(exam.papers):
                day = first_days.get((exam.code, paper.code), deadline)
                if paper.pay_group is not None or day is None:
                    continue
                try:
                    pay_group_for(exam.diploma, paper.kind, day)
                except UnknownDiplomaError:
                    self.problem(
                        f"exams[{places[exam.code]}].papers[{paper_index}].pay_group",
                        f"Le diplôme « {exam.diploma} » n'est pas dans la table des taux : "
                        "indiquez le taux de l'épreuve.",
                    )
                except NoTariffInForceError:
                    self.problem(
                        f"exams[{places[exam.code]}].papers[{paper_index}].pay_group",
                        f"Aucune table des taux n'est en vigueur le {format_date(day)} : "
                        "indiquez le taux de l'épreuve.",
                    )

    def check_centres(self) -> dict[str, Centre]:
        raw_centres = self.raw("centres")
        self.unique(raw_centres, "centres", lambda c: _text(c, "code"), "code")
        for index, centre in raw_centres:
            self.commune(f"centres[{index}].commune_insee", _text(centre, "commune_insee"))
        codes = {_text(c, "code") for _, c in raw_centres} | {
            _text(m, "centre") for _, m in self.raw("missions")
        }
        codes.discard(None)
        if not codes:
            return {}
        rows = self.db.scalars(select(Centre).where(Centre.code.in_(codes)))
        return {row.code: row for row in rows}

    def check_people(self) -> dict[str, User]:
        raw_people = self.raw("people")
        self.unique(raw_people, "people", lambda p: _text(p, "ref"), "ref")
        self.unique(
            raw_people, "people", lambda p: (_text(p, "login") or "").lower() or None, "login"
        )
        for index, person in raw_people:
            place = f"people[{index}]"
            for name in ("administrative_residence", "family_residence"):
                self.commune(f"{place}.{name}", _text(person, name))
            first, last = _text(person, "first_name"), _text(person, "last_name")
            if first and last and not _text(person, "login"):
                refused = identifier_refusal(first, last)
                for name, message in (refused.fields if refused else {}).items():
                    self.problem(f"{place}.{name}", message)
            iban, bic = _text(person, "iban"), _text(person, "bic")
            if iban:
                try:
                    IBAN(iban)
                except SchwiftyException:
                    self.problem(
                        f"{place}.iban", "IBAN invalide : vérifiez les caractères et la clé."
                    )
            if bic:
                try:
                    BIC(bic)
                except SchwiftyException:
                    self.problem(f"{place}.bic", "BIC invalide : 8 ou 11 caractères.")
        logins = {(_text(p, "login") or "").lower() for _, p in raw_people} - {""}
        if not logins:
            return {}
        rows = self.db.scalars(select(User).where(func.lower(User.login).in_(logins)))
        existing = {row.login.lower(): row for row in rows}
        for index, person in raw_people:
            user = existing.get((_text(person, "login") or "").lower())
            if user is not None and user.role != Role.INTERVENANT:
                self.problem(
                    f"people[{index}].login",
                    f"Le compte « {user.login} » existe déjà et n'est pas celui d'un intervenant.",
                )
        return existing

    def check_missions(self, existing_centres: dict[str, Centre]) -> None:
        raw_missions = self.raw("missions")
        self.unique(raw_missions, "missions", lambda m: _text(m, "ref"), "ref")
        papers: dict[str, set[str]] = {}
        for _, exam in self.raw("exams"):
            code = _text(exam, "code")
            raw_papers = exam.get("papers") if isinstance(exam, dict) else None
            if code is not None:
                papers.setdefault(code, set()).update(
                    _text(p, "code") or "" for p in raw_papers or () if isinstance(raw_papers, list)
                )
        centres = {_text(c, "code") for _, c in self.raw("centres")} | existing_centres.keys()
        for index, mission in raw_missions:
            place = f"missions[{index}]"
            paper = mission.get("paper") if isinstance(mission, dict) else None
            exam_code, paper_code = _text(paper, "exam"), _text(paper, "paper")
            if exam_code is not None and exam_code not in papers:
                self.problem(
                    f"{place}.paper.exam",
                    f"Aucun examen du fichier ne porte le code « {exam_code} ».",
                )
            elif exam_code is not None and paper_code not in (None, *papers[exam_code]):
                self.problem(
                    f"{place}.paper.paper",
                    f"L'examen « {exam_code} » n'a pas d'épreuve « {paper_code} ».",
                )
            centre = _text(mission, "centre")
            if centre is not None and centre not in centres:
                self.problem(
                    f"{place}.centre",
                    "Aucun centre, ni dans le fichier ni déjà enregistré, ne porte le code "
                    f"« {centre} ».",
                )

    def check_convocations(self) -> None:
        raw_convocations = self.raw("convocations")
        missions = {_text(m, "ref") for _, m in self.raw("missions")}
        people = {_text(p, "ref") for _, p in self.raw("people")}

        def pair(item: object) -> str | None:
            mission, person = _text(item, "mission"), _text(item, "person")
            return f"{person} à {mission}" if mission and person else None

        self.unique(raw_convocations, "convocations", pair, "person")
        for index, convocation in raw_convocations:
            mission, person = _text(convocation, "mission"), _text(convocation, "person")
            if mission is not None and mission not in missions:
                self.problem(
                    f"convocations[{index}].mission",
                    f"Aucune mission du fichier ne porte la référence « {mission} ».",
                )
            if person is not None and person not in people:
                self.problem(
                    f"convocations[{index}].person",
                    f"Aucune personne du fichier ne porte la référence « {person} ».",
                )


_PLACE_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _order(place: str) -> tuple[tuple[int, int | str], ...]:
    """Problems in the order of the file: sections, then items, then fields."""
    parts: list[tuple[int, int | str]] = []
    for name, index in _PLACE_PART.findall(place):
        if index:
            parts.append((0, int(index)))
        elif not parts and name in SECTIONS:
            parts.append((0, SECTIONS.index(name)))
        else:
            parts.append((1, name))
    return tuple(parts)


def _first_days(missions: Iterable[MissionIn]) -> dict[tuple[str, str], dt.date]:
    """The first mission day of each paper, (exam code, paper code): its pay group's date."""
    days: dict[tuple[str, str], dt.date] = {}
    for mission in missions:
        if mission.paper is not None:
            key = (mission.paper.exam, mission.paper.paper)
            days[key] = min(days.get(key, mission.start_date), mission.start_date)
    return days


# --- writing ----------------------------------------------------------------------------------


def _write(db: Session, checked: _Checked) -> ImportSummary:
    now = clock.now()
    spec = checked.session
    session_row = ExamSession(
        code=spec.code, name=spec.name, entry_deadline=spec.entry_deadline, office=spec.office
    )
    db.add(session_row)
    first_days = _first_days(checked.missions)
    papers: dict[tuple[str, str], Paper] = {}
    for exam_in in checked.exams:
        exam = Exam(
            session=session_row,
            code=exam_in.code,
            diploma=exam_in.diploma,
            name=exam_in.name,
            speciality=exam_in.speciality,
        )
        db.add(exam)
        for paper_in in exam_in.papers:
            day = first_days.get((exam_in.code, paper_in.code), spec.entry_deadline)
            paper = Paper(
                exam=exam,
                code=paper_in.code,
                name=paper_in.name,
                kind=paper_in.kind,
                evaluation_mode=paper_in.evaluation_mode,
                pay_group=paper_in.pay_group or pay_group_for(exam_in.diploma, paper_in.kind, day),
                minutes_per_candidate=paper_in.minutes_per_candidate,
                optional_oral=paper_in.optional_oral,
                duration_minutes=paper_in.duration_minutes,
            )
            db.add(paper)
            papers[(exam_in.code, paper_in.code)] = paper

    centres = dict(checked.existing_centres)
    reused_centres = {c.code for c in checked.centres} & centres.keys()
    for centre_in in checked.centres:
        if centre_in.code not in centres:
            centres[centre_in.code] = Centre(**centre_in.model_dump())
            db.add(centres[centre_in.code])

    accounts: dict[str, User] = {}
    passwords: dict[str, str] = {}
    reused_accounts = 0
    for person in checked.people:
        existing = checked.existing_people.get((person.login or "").lower())
        if existing is not None:
            accounts[person.ref] = existing
            reused_accounts += 1
            continue
        password = temporary_password()
        user = create_account(
            db,
            first_name=person.first_name,
            last_name=person.last_name,
            role=Role.INTERVENANT,
            # Generated here with 75 random bits and replaced at the first log-in: a fast
            # hash, where argon2id would cost a tenth of a second per new person.
            password_hash=hash_temporary_password(password),
            login=person.login,
            academic=person.academic,
            temporary=True,
            category=person.category,
            email=person.email,
            administrative_residence=person.administrative_residence,
            family_residence=person.family_residence,
            fiscal_power=person.fiscal_power,
            school=person.school,
            postal_address=person.postal_address,
            flush=False,  # the accounts are flushed with the missions
        )
        user.disability = person.disability
        if person.iban:
            user.iban = IBAN(person.iban).compact
            user.bic = str(BIC(person.bic)) if person.bic else None
            user.account_holder = f"{person.first_name} {person.last_name}"
            user.financial_file_updated = now
        accounts[person.ref] = user
        passwords[user.login] = password

    missions: dict[str, Mission] = {}
    for mission_in in checked.missions:
        paper_ref = mission_in.paper
        mission = Mission(
            session=session_row,
            type=mission_in.type,
            paper=papers[(paper_ref.exam, paper_ref.paper)] if paper_ref else None,
            centre=centres[mission_in.centre],
            start_date=mission_in.start_date,
            end_date=mission_in.end_date,
            start_time=mission_in.start_time,
            end_time=mission_in.end_time,
            lot_size=mission_in.lot_size,
            travel_reimbursable=mission_in.travel_reimbursable,
            label=mission_in.label,
        )
        db.add(mission)
        missions[mission_in.ref] = mission
    db.flush()  # the accounts' and missions' ids
    issued = issue_new(
        db,
        [(missions[c.mission].id, accounts[c.person].id) for c in checked.convocations],
        None,
        now,
    )
    log.info("session %s imported: %d convocations", spec.code, issued)
    return ImportSummary(
        sessions=1,
        exams=len(checked.exams),
        papers=len(papers),
        centres=len(checked.centres) - len(reused_centres),
        centres_reused=len(reused_centres),
        people=len(checked.people),
        accounts_created=len(passwords),
        accounts_reused=reused_accounts,
        missions=len(missions),
        convocations=issued,
        temporary_passwords=passwords,
    )
