"""A believable Académie d'Amiens, deterministic for a seed: `imagin-server demo-data`.

Sessions, exams and papers come from `catalogue`; centres are lycées of the largest communes
of the Aisne, the Oise and the Somme; intervenants live in real communes of the three
departments. Convocations are issued as the DEC issues them (each creates its statement), and
`lives` fills and moves the statements through the statement service, so that every amount is
computed by the rules and every transition is audited. The demo accounts (`accounts`,
docs/demo-accounts.md) get hand-picked missions.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import logging
import math
import random
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schwifty import IBAN
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.auth.accounts import create_account
from server_stub.auth.identifiers import unique_identifier
from server_stub.auth.models import Category, Role, User
from server_stub.core import clock
from server_stub.core.database import measure_loaded
from server_stub.core.security import hash_password
from server_stub.core.settings import get_settings
from server_stub.demo import accounts, names
from server_stub.demo import assignment as assignment_demo
from server_stub.demo.catalogue import ExamSpec, PaperSpec, SessionSpec, sessions
from server_stub.demo.days import add_minutes, every_day, utc, working_day, working_days
from server_stub.demo.lives import Issued, Lives, Outcome
from server_stub.demo.payments import Payments
from server_stub.demo.plans import CentreInfo, Person, Plan, Planned
from server_stub.models import Base
from server_stub.reference.communes import communes
from server_stub.reference.models import Centre, Exam, ExamSession, Mission, Paper
from server_stub.rules.model import Commune, EvaluationMode, MissionType, PaperKind, TravelMode
from server_stub.rules.tariffs import pay_group_for
from server_stub.statements.anomalies import refresh_all
from server_stub.statements.issuing import issue_many
from server_stub.statements.models import AuditEntry, Statement, Status

log = logging.getLogger(__name__)

PEOPLE_PER_SCALE = 300
CONVOCATIONS_PER_SCALE = 1500
CENTRES_PER_SCALE = 40  # times the square root of the scale: 126 at scale 10, as in 2017
DEPARTMENTS = ("80", "60", "02")
ACADEMIC_DOMAIN = "ac-amiens.fr"
EXTERNAL_DOMAIN = "exemple.fr"
BANKS = ("30004", "30003", "30002", "20041", "10278", "18706")
FLUSH_EVERY = 500
ISSUE_EVERY = 200  # missions convened in one go

CATEGORY_MIX = {
    Category.LP_TEACHER: 55,
    Category.PRIVATE_TRAINER: 12,
    Category.OTHER_ACADEMY: 13,
    Category.PROFESSIONAL: 20,
}
# Who is convened to what, in per cent.
WHO_DOES: dict[MissionType, dict[Category, int]] = {
    MissionType.CORRECTION: {
        Category.LP_TEACHER: 70,
        Category.OTHER_ACADEMY: 15,
        Category.PRIVATE_TRAINER: 12,
        Category.PROFESSIONAL: 3,
    },
    MissionType.INTERROGATION: {
        Category.LP_TEACHER: 50,
        Category.PROFESSIONAL: 25,
        Category.PRIVATE_TRAINER: 15,
        Category.OTHER_ACADEMY: 10,
    },
    MissionType.SURVEILLANCE: {Category.LP_TEACHER: 100},
    MissionType.DELIBERATION: {Category.LP_TEACHER: 60, Category.PROFESSIONAL: 40},
    MissionType.REUNION: {
        Category.LP_TEACHER: 60,
        Category.PROFESSIONAL: 15,
        Category.PRIVATE_TRAINER: 15,
        Category.OTHER_ACADEMY: 10,
    },
    MissionType.HARMONISATION: {Category.LP_TEACHER: 85, Category.PRIVATE_TRAINER: 15},
    MissionType.SUBJECT_WRITING: {Category.LP_TEACHER: 80, Category.OTHER_ACADEMY: 20},
}
# How many people a mission of each type convenes, before scaling to the wanted total.
SEATS = {
    MissionType.CORRECTION: 4.0,
    MissionType.INTERROGATION: 3.0,
    MissionType.SURVEILLANCE: 3.0,
    MissionType.DELIBERATION: 5.0,
    MissionType.REUNION: 10.0,
    MissionType.HARMONISATION: 5.0,
    MissionType.SUBJECT_WRITING: 3.0,
}
FISCAL_POWERS = {3: 4, 4: 14, 5: 22, 6: 20, 7: 14, 8: 9, 9: 6, 10: 5, 11: 6}
WITHOUT_CAR = 0.15
DISABILITY_EVERY = 50  # about one person in fifty: the 150 € night cap
# Internes who claim travel and gave their IBAN (the others are asked for it: "RIB manquant").
INTERNES_FILED = 0.9


@dataclass(frozen=True)
class _BuiltExam:
    spec: ExamSpec
    row: Exam
    papers: list[tuple[PaperSpec, Paper]]


@dataclass(frozen=True)
class _BuiltSession:
    spec: SessionSpec
    row: ExamSession
    exams: list[_BuiltExam]


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c if c.isalnum() or c == "-" else "-" for c in kept).strip("-")


def _uai(department: str, number: int) -> str:
    """An establishment code (UAI): the department on three digits, four digits, a letter."""
    digits = f"0{department}{number:04d}"
    return digits + "ABCDEFGHJKLMNPRSTUVWXYZ"[int(digits) % 23]


class _Generator:
    def __init__(
        self,
        db: Session,
        *,
        seed: int,
        today: dt.date,
        people: int,
        convocations: int,
        centres: int,
        spread: float,
    ) -> None:
        self.db = db
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today
        self.wanted_people = people
        self.wanted_convocations = convocations
        self.wanted_centres = centres
        self.spread = spread  # more missions per paper at larger scales
        self.directory = communes()
        self.password_hash = hash_password(accounts.DEMO_PASSWORD)
        self.logins: set[str] = set()
        self.suffix = ""
        self.region = sorted(
            self.directory.in_departments(set(DEPARTMENTS)),
            key=lambda c: (-c.population, c.insee),
        )
        # People live everywhere, more of them in towns.
        self.region_weights = list(itertools.accumulate(c.population**0.85 for c in self.region))
        self.centres: list[CentreInfo] = []
        self.centres_by_department: dict[str, list[CentreInfo]] = {}
        self.people: list[Person] = []
        self.missions: list[Planned] = []
        self.gestionnaires: list[User] = []
        self.sessions: dict[str, _BuiltSession] = {}
        self.accounts = 0
        self.counts: dict[str, int] = {}

    def run(self, reset: bool) -> dict[str, int]:
        started = time.perf_counter()
        if reset:
            for table in reversed(Base.metadata.sorted_tables):
                self.db.execute(table.delete())
            self.db.expunge_all()  # the rows they stood for are gone; their ids will be reused
        else:
            self.avoid_existing_codes()
        self.logins = set(self.db.scalars(select(User.login)))
        self.build_centres()
        built = self.build_sessions()
        self.build_staff()  # first: the documented logins must be free
        self.build_people()
        self.plan_missions(built)
        demo_convocations = self.convene_demo_people()
        self.allocate_seats(self.wanted_convocations - demo_convocations)
        self.convene_people()
        issued = self.issue_convocations()
        measure_loaded(self.db)  # the statements are filled one by one from here
        log.debug("%d convocations issued after %.1f s", len(issued), time.perf_counter() - started)
        outcome = Lives(self.db, self.rng, self.today, self.gestionnaires).live(issued, FLUSH_EVERY)
        log.debug("statements filled after %.1f s", time.perf_counter() - started)
        paid = self.pay(issued, outcome)
        log.debug("payments made after %.1f s", time.perf_counter() - started)
        planned = self.plan_assignment()
        convened = planned["assignment.convened"]
        self.counts |= {
            "accounts": self.accounts,
            "intervenants": len(self.people),
            "convocations": len(issued) + convened,
            "statements": len(issued) + convened,
            # One ISSUE each, the lives' moves, the payments'.
            "audit_entries": len(issued) + convened + outcome.audit_entries + paid.pop("audit"),
            "amount_cents": int(outcome.amount * 100),
        }
        self.counts |= {f"statements.{s.value}": n for s, n in outcome.statuses.items()}
        self.counts |= paid
        self.counts["statements.OPEN"] = self.counts.get("statements.OPEN", 0) + convened
        self.counts |= planned
        return dict(sorted(self.counts.items()))

    def pay(self, issued: Sequence[Issued], outcome: Outcome) -> dict[str, int]:
        """Financial files for most internes who claim travel, then the validated statements
        meant for payment paid in real batches (demo/payments.py); `outcome.statuses` follows."""
        # A generator of its own: the payments do not move the draws of everything else.
        rng = random.Random(f"{self.seed}/payments")
        travelling = {
            i.person.user.id: i.person
            for i in issued
            if i.person.user.academic and i.statement.travel_total > 0
        }
        filed = 0
        for _, person in sorted(travelling.items()):
            if not person.bank_details and (person.demo or rng.random() < INTERNES_FILED):
                self.add_bank_details(person.user, rng)
                person.bank_details = True
                filed += 1
        self.db.flush()
        first_audit = self.db.scalar(select(func.max(AuditEntry.id))) or 0
        settings = get_settings().model_copy(update={"today": self.today})
        payments = Payments(self.db, settings, rng, self.today, self.gestionnaires[0])
        counts = payments.pay(outcome.payable)
        ids = [p.statement.id for p in outcome.payable]
        for start in range(0, len(ids), 5000):
            query = select(Statement.status).where(Statement.id.in_(ids[start : start + 5000]))
            for status in self.db.scalars(query):
                outcome.statuses[Status(status)] += 1
        for item in outcome.payable:
            outcome.statuses[item.status] -= 1
        audit = self.db.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.id > first_audit)
        )
        return counts | {"internes_filed": filed, "audit": audit or 0}

    def plan_assignment(self) -> dict[str, int]:
        """Competences, unavailabilities, needs, a solved run, a convened need and a
        withdrawal, for the session still to come (demo/assignment.py)."""
        future = next(b for b in self.sessions.values() if b.spec.future)
        other = next(b for b in self.sessions.values() if b.spec.name.startswith("Baccalauréat"))
        papers = [
            paper
            for exam in future.exams
            for _, paper in exam.papers
            if paper.pay_group != "NR" and paper.evaluation_mode != EvaluationMode.IN_YEAR
        ]
        demo = [p.user for p in self.people if p.demo]
        others = [p.user for p in self.people if not p.demo]
        people = demo + self.rng.sample(others, k=min(len(others), 60))
        settings = get_settings().model_copy(update={"today": self.today})
        planning = assignment_demo.Planning(
            session=future.row,
            papers=papers,
            other_session=other.row,
            other_paper=other.exams[0].papers[0][1],
            centres=[c.row for c in self.centres[:4]],
            people=people,
            gestionnaire=self.gestionnaires[0],
            first_day=future.spec.briefing + dt.timedelta(days=3),
        )
        return assignment_demo.build(self.db, self.rng, settings, planning)

    # --- small helpers ----------------------------------------------------------------------

    def residence(self, department: str | None = None) -> Commune:
        while True:
            point = self.rng.random() * self.region_weights[-1]
            commune = self.region[bisect.bisect(self.region_weights, point)]
            if department is None or commune.department == department:
                return commune

    def address(self, commune: Commune) -> str:
        postal_code = self.directory.postal_codes(commune.insee)[0]
        street = self.rng.choice(names.STREETS)
        return f"{self.rng.randint(1, 140)} {street}, {postal_code} {commune.name}"

    def flush_every(self, count: int) -> None:
        if count % FLUSH_EVERY == 0:
            self.db.flush()

    def avoid_existing_codes(self) -> None:
        """Without reset, a second run's sessions and centres get a suffix rather than collide."""
        taken = set(self.db.scalars(select(ExamSession.code)))
        n = 1
        while any(spec.code + self.suffix in taken for spec in sessions(self.today)):
            n += 1
            self.suffix = f"-{n}"

    # --- reference data ---------------------------------------------------------------------

    def build_centres(self) -> None:
        """Lycées in the largest communes, shared out by population (highest averages)."""
        candidates = self.region[: max(3 * self.wanted_centres, 30)]
        weights = [c.population**0.6 for c in candidates]
        allotted = [0] * len(candidates)
        for _ in range(self.wanted_centres):
            best = max(range(len(candidates)), key=lambda i: weights[i] / (allotted[i] + 1))
            allotted[best] += 1
        codes: set[str] = set()
        for commune, count in zip(candidates, allotted, strict=True):
            for namesake in self.rng.sample(names.LYCEE_NAMESAKES, count):
                code = _uai(commune.department, self.rng.randrange(10_000))
                while code in codes:
                    code = _uai(commune.department, self.rng.randrange(10_000))
                codes.add(code)
                row = Centre(
                    code=code + self.suffix,
                    name=f"{self.rng.choice(names.LYCEE_KINDS)} {namesake}",
                    address=self.address(commune),
                    commune_insee=commune.insee,
                )
                centre = CentreInfo(row, commune)
                self.centres.append(centre)
                self.centres_by_department.setdefault(commune.department, []).append(centre)
        self.db.add_all(c.row for c in self.centres)
        self.db.flush()
        self.counts["centres"] = len(self.centres)

    def build_sessions(self) -> list[_BuiltSession]:
        built = []
        for spec in sessions(self.today):
            row = ExamSession(
                code=spec.code + self.suffix,
                name=spec.name,
                entry_deadline=spec.entry_deadline,
                office="DEC",
            )
            exams = []
            for exam_spec in spec.exams:
                exam = Exam(
                    session=row,
                    code=exam_spec.code,
                    diploma=exam_spec.diploma,
                    name=exam_spec.name,
                    speciality=exam_spec.speciality,
                )
                papers = [
                    (paper_spec, self.paper(exam, exam_spec.diploma, paper_spec))
                    for paper_spec in exam_spec.papers
                ]
                exams.append(_BuiltExam(exam_spec, exam, papers))
            self.db.add(row)
            built.append(_BuiltSession(spec, row, exams))
            self.sessions[spec.code] = built[-1]
        self.db.flush()
        self.counts |= {
            "sessions": len(built),
            "exams": sum(len(s.exams) for s in built),
            "papers": sum(len(e.papers) for s in built for e in s.exams),
        }
        return built

    @staticmethod
    def paper(exam: Exam, diploma: str, spec: PaperSpec) -> Paper:
        group = "NR" if spec.unpaid else pay_group_for(diploma, spec.kind, spec.day)
        return Paper(
            exam=exam,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            evaluation_mode=spec.mode,
            pay_group=group,
            minutes_per_candidate=spec.minutes_per_candidate,
            optional_oral=spec.optional_oral,
            duration_minutes=spec.duration_minutes,
        )

    # --- people -----------------------------------------------------------------------------

    def login_for(self, first: str, last: str, academic: bool, wanted: str | None) -> str:
        """Académie staff log in as their mail (prénom.nom), externes with the identifier; a
        login already taken (data kept from an earlier run) gets the first free number."""
        if academic or wanted:
            base = login = wanted or f"{_ascii(first)}.{_ascii(last)}"
            n = 2
            while login in self.logins:
                login, n = f"{base}{n}", n + 1
            return login
        return unique_identifier(first, last, self.logins.__contains__)

    def account(
        self,
        first: str,
        last: str,
        *,
        role: Role,
        academic: bool,
        login: str | None = None,
        temporary: bool = False,
        **profile: Any,
    ) -> User:
        login = self.login_for(first, last, academic, login)
        self.logins.add(login)
        self.accounts += 1
        return create_account(
            self.db,
            flush=False,  # flushed every FLUSH_EVERY people
            first_name=first,
            last_name=last,
            role=role,
            password_hash=self.password_hash,
            login=login,
            academic=academic,
            temporary=temporary,
            email=f"{login}@{ACADEMIC_DOMAIN if academic else EXTERNAL_DOMAIN}",
            **profile,
        )

    def intervenant(
        self,
        first: str,
        last: str,
        category: Category,
        work: Commune,
        home: Commune,
        fiscal_power: int | None,
        school: str,
        *,
        bank_details: bool,
        login: str | None = None,
        temporary: bool = False,
        demo: bool = False,
    ) -> Person:
        user = self.account(
            first,
            last,
            role=Role.INTERVENANT,
            academic=category is Category.LP_TEACHER,
            login=login,
            temporary=temporary,
            category=category,
            administrative_residence=work.insee,
            family_residence=home.insee,
            fiscal_power=fiscal_power,
            school=school,
            postal_address=self.address(home),
        )
        if bank_details:
            self.add_bank_details(user)
        if fiscal_power is None:
            vehicle = TravelMode.PUBLIC_TRANSPORT
        else:
            vehicle = TravelMode.MOTORCYCLE if self.rng.random() < 0.03 else TravelMode.CAR
        person = Person(user, category, home, work, vehicle, bank_details, demo)
        self.people.append(person)
        return person

    def add_bank_details(self, user: User, rng: random.Random | None = None) -> None:
        """A financial file as the profile stores it (people/service.py): the compact IBAN,
        its BIC, the holder, the day it was given."""
        rng = rng or self.rng
        iban = IBAN.generate(
            "FR",
            bank_code=rng.choice(BANKS),
            branch_code=f"{rng.randrange(100_000):05d}",
            account_code=f"{rng.randrange(10**11):011d}",
        )
        user.iban = iban.compact
        user.bic = str(iban.bic) if iban.bic is not None else None
        user.account_holder = f"{user.first_name} {user.last_name.upper()}"
        user.financial_file_updated = utc(dt.date(2025, 9, 1), 9) + dt.timedelta(
            days=rng.randrange(240)
        )

    def build_people(self) -> None:
        flagship = self.centres[0]
        for demo in accounts.INTERVENANTS:
            self.intervenant(
                demo.first_name,
                demo.last_name,
                demo.category,
                self.directory.require(demo.administrative_residence),
                self.directory.require(demo.family_residence),
                demo.fiscal_power,
                demo.school or f"{flagship.row.name}, {flagship.commune.name}",
                bank_details=demo.bank_details,
                login=demo.login,
                temporary=demo.temporary_password,
                demo=True,
            )
        for n in range(1, self.wanted_people + 1):
            person = self.random_person()
            person.user.disability = n % DISABILITY_EVERY == 7
            self.flush_every(n)
        self.db.flush()

    def random_person(self) -> Person:
        rng = self.rng
        category = rng.choices(list(CATEGORY_MIX), weights=list(CATEGORY_MIX.values()))[0]
        first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
        if category is Category.LP_TEACHER:
            centre = rng.choice(self.centres)
            work = centre.commune
            home = work if rng.random() < 0.35 else self.residence(work.department)
            school = f"{centre.row.name}, {work.name}"
        elif category is Category.PRIVATE_TRAINER:
            work = rng.choice(self.region[:10])
            home = work if rng.random() < 0.3 else self.residence(work.department)
            school = f"{rng.choice(names.TRAINING_ORGANISATIONS)}, {work.name}"
        elif category is Category.OTHER_ACADEMY:
            insee, name, academie = rng.choice(names.OTHER_ACADEMY_SCHOOLS)
            work = self.directory.require(insee)
            home = self.residence()
            school = f"{name} (académie de {academie})"
        else:
            work = self.residence()
            home = work if rng.random() < 0.5 else self.residence(work.department)
            school = f"{rng.choice(names.EMPLOYERS)}, {work.name}"
        power: int | None = rng.choices(list(FISCAL_POWERS), weights=list(FISCAL_POWERS.values()))[
            0
        ]
        if rng.random() < WITHOUT_CAR:
            power = None
        externe = category is not Category.LP_TEACHER
        return self.intervenant(
            first,
            last,
            category,
            work,
            home,
            power,
            school,
            bank_details=externe and rng.random() < 0.7,
        )

    def build_staff(self) -> None:
        flagship = self.centres[0]
        for staff in accounts.STAFF:
            user = self.account(
                staff.first_name,
                staff.last_name,
                role=staff.role,
                academic=True,
                login=staff.login,
                offices=[staff.office] if staff.office else [],
                centres=[flagship.row.id] if staff.flagship_centre else [],
            )
            if staff.role is Role.GESTIONNAIRE:
                self.gestionnaires.append(user)
        for first, last in accounts.OTHER_GESTIONNAIRES:
            user = self.account(first, last, role=Role.GESTIONNAIRE, academic=True, offices=["DEC"])
            self.gestionnaires.append(user)

    # --- missions ---------------------------------------------------------------------------

    def centre_in(self, department: str) -> CentreInfo:
        return self.rng.choice(self.centres_by_department.get(department) or self.centres)

    def mission(
        self,
        session: _BuiltSession,
        kind: MissionType,
        centre: CentreInfo,
        days: Sequence[dt.date],
        hours: tuple[dt.time, dt.time],
        *,
        paper: tuple[PaperSpec, Paper] | None = None,
        diploma: str | None = None,
        lot_size: int | None = None,
        travel: bool = True,
        label: str | None = None,
        weight: float | None = None,
    ) -> Planned:
        first, last = days[0], days[-1]
        row = Mission(
            session=session.row,
            type=kind,
            paper=paper[1] if paper else None,
            centre=centre.row,
            start_date=first,
            end_date=last,
            start_time=hours[0],
            end_time=hours[1],
            lot_size=lot_size,
            travel_reimbursable=travel,
            label=label,
        )
        self.db.add(row)
        planned = Planned(
            row,
            session.spec,
            centre,
            every_day(first, last),
            paper=paper[0] if paper else None,
            diploma=diploma,
            over=last < self.today,
            upcoming=first > self.today,
            weight=SEATS[kind] * self.rng.uniform(0.7, 1.3) if weight is None else weight,
        )
        self.missions.append(planned)
        return planned

    def pair(self, main: Planned, kind: MissionType, end: dt.time, label: str) -> None:
        """A meeting the same morning as `main`, for the same people: two missions that day."""
        paper = main.row.paper
        briefing = self.mission(
            self.sessions[main.session.code],
            kind,
            main.centre,
            [main.row.start_date],
            (dt.time(9), end),
            paper=(main.paper, paper) if main.paper and paper else None,
            diploma=main.diploma,
            label=label,
            weight=0.0,
        )
        briefing.main, main.briefing = main, briefing

    def plan_missions(self, built: list[_BuiltSession]) -> None:
        several = max(1, round(2 * self.spread))
        for session in built:
            spec = session.spec
            first_in_year_test = True
            for exam in session.exams:
                for paper in exam.papers:
                    paper_spec = paper[0]
                    if paper_spec.mode is EvaluationMode.IN_YEAR:
                        self.plan_in_year(session, exam, paper, test=first_in_year_test)
                        first_in_year_test &= paper_spec.kind is PaperKind.WRITTEN
                    elif paper_spec.kind is PaperKind.WRITTEN:
                        self.plan_written(session, exam, paper)
                    else:
                        self.plan_oral(session, exam, paper)
                day = working_day(spec.deliberation)
                self.mission(
                    session,
                    MissionType.DELIBERATION,
                    self.rng.choice(self.centres[: max(3, len(self.centres) // 3)]),
                    [day],
                    (dt.time(9), dt.time(12, 30)),
                    diploma=exam.spec.diploma,
                    label=f"Jury de délibération : {exam.spec.name}, {exam.spec.speciality}",
                )
            for department in DEPARTMENTS:
                for _ in range(max(1, round(self.spread))):
                    self.mission(
                        session,
                        MissionType.REUNION,
                        self.centre_in(department),
                        [working_day(spec.briefing)],
                        (dt.time(14), dt.time(16, 30)),
                        label=f"Réunion de préparation : {spec.name}",
                    )
            written = [
                paper
                for exam in session.exams
                for paper in exam.papers
                if paper[0].kind is PaperKind.WRITTEN and paper[0].mode is EvaluationMode.PONCTUEL
            ]
            for paper in written[:several]:
                self.mission(
                    session,
                    MissionType.SUBJECT_WRITING,
                    self.centres[0],
                    working_days(spec.subjects, 2),
                    (dt.time(9), dt.time(17)),
                    paper=paper,
                    diploma=session.exams[0].spec.diploma,
                    label="Commission d'élaboration des sujets",
                )
        self.db.flush()
        self.counts["missions"] = len(self.missions)

    def plan_in_year(
        self,
        session: _BuiltSession,
        exam: _BuiltExam,
        paper: tuple[PaperSpec, Paper],
        *,
        test: bool,
    ) -> None:
        """Marks given during the year: harmonised at the end, and no pay line (DOMAIN §4)."""
        day = [working_day(paper[0].day)]
        count = min(len(DEPARTMENTS), max(1, round(self.spread)))
        for department in self.rng.sample(DEPARTMENTS, count):
            self.mission(
                session,
                MissionType.HARMONISATION,
                self.centre_in(department),
                day,
                (dt.time(9), dt.time(12)),
                paper=paper,
                diploma=exam.spec.diploma,
                label="Commission d'harmonisation des notes de contrôle en cours de formation",
            )
        if test and paper[0].kind is not PaperKind.WRITTEN:
            self.mission(
                session,
                MissionType.INTERROGATION,
                self.rng.choice(self.centres),
                day,
                (dt.time(8, 30), dt.time(16, 30)),
                paper=paper,
                diploma=exam.spec.diploma,
                label="Contrôle de conformité des situations d'évaluation",
            )

    def plan_written(
        self, session: _BuiltSession, exam: _BuiltExam, paper: tuple[PaperSpec, Paper]
    ) -> None:
        rng = self.rng
        spec = paper[0]
        day = working_day(spec.day)
        sitting = (
            add_minutes(spec.start, -30),
            add_minutes(spec.start, (spec.duration_minutes or 120) + 15),
        )
        count = min(len(self.centres), max(1, round(2 * self.spread)))
        for centre in rng.sample(self.centres, count):
            # Surveillants are mostly the centre's own staff: travel is seldom reimbursed.
            self.mission(
                session,
                MissionType.SURVEILLANCE,
                centre,
                [day],
                sitting,
                paper=paper,
                diploma=exam.spec.diploma,
                travel=rng.random() < 0.3,
                label="Surveillance de l'épreuve",
            )
        first = working_day(day + dt.timedelta(days=1))
        last = working_day(first + dt.timedelta(days=5))
        for n in range(max(1, round(3 * self.spread))):
            # The first correction of the main papers starts after a harmonisation meeting.
            paired = (n == 0 and spec.code in ("E51", "EG1", "E1")) or rng.random() < 0.1
            main = self.mission(
                session,
                MissionType.CORRECTION,
                self.centre_in(DEPARTMENTS[n % 3]),
                [first, last],
                (dt.time(13, 30) if paired else dt.time(10), dt.time(17)),
                paper=paper,
                diploma=exam.spec.diploma,
                lot_size=rng.randrange(40, 125, 5),
                label="Correction des copies",
            )
            if paired:
                self.pair(
                    main,
                    MissionType.HARMONISATION,
                    dt.time(12),
                    "Réunion d'harmonisation de la correction",
                )

    def plan_oral(
        self, session: _BuiltSession, exam: _BuiltExam, paper: tuple[PaperSpec, Paper]
    ) -> None:
        rng = self.rng
        spec = paper[0]
        period = working_days(spec.day, spec.period_days)
        for n in range(max(1, round((1 if spec.unpaid else 2) * self.spread))):
            length = 1 if spec.unpaid else rng.choice((1, 1, 2, 2, 3))
            start = rng.randrange(len(period))
            days = [period[start]]
            while len(days) < length and start + len(days) < len(period):
                following = period[start + len(days)]
                if (following - days[-1]).days != 1:
                    break  # a week-end: the orals stop on Friday
                days.append(following)
            # The first oral of each paper starts after a meeting of the examiners.
            paired = len(days) == 1 and ((n == 0 and not spec.unpaid) or rng.random() < 0.15)
            practical = spec.kind is PaperKind.PRACTICAL
            main = self.mission(
                session,
                MissionType.INTERROGATION,
                rng.choice(self.centres),
                days,
                (dt.time(13, 30) if paired else dt.time(8), dt.time(17, 30)),
                paper=paper,
                diploma=exam.spec.diploma,
                label="Épreuve pratique" if practical else "Interrogation des candidats",
            )
            if paired:
                self.pair(
                    main, MissionType.REUNION, dt.time(11, 30), "Réunion d'entente des examinateurs"
                )

    # --- who goes where ---------------------------------------------------------------------

    def convene_demo_people(self) -> int:
        order = sorted(self.missions, key=lambda m: (m.row.start_date, m.row.start_time))
        count = 0
        for demo, person in zip(accounts.INTERVENANTS, self.people, strict=False):
            for mission, plan in self.demo_missions(demo, person, order):
                mission.convene(person, plan)
                count += 1
                if mission.briefing is not None:
                    # A statement sent back is the afternoon's; the morning's went through.
                    morning = Plan.APPROVED if plan is Plan.RETURNED else plan
                    mission.briefing.convene(person, morning)
                    count += 1
        return count

    def demo_missions(
        self, demo: accounts.DemoIntervenant, person: Person, order: Sequence[Planned]
    ) -> list[tuple[Planned, Plan]]:
        """A mission for each wish, on days that do not overlap (a few random tries)."""
        options = [[m for m in order if wish.matches(m, person)] for wish in demo.wishes]
        best: list[tuple[Planned, Plan]] = []
        for attempt in range(40):
            busy = set(person.busy)
            chosen = []
            for wish, found in zip(demo.wishes, options, strict=True):
                free = [m for m in found if busy.isdisjoint(m.days)]
                if free:
                    mission = free[0] if attempt == 0 else self.rng.choice(free[:8])
                    chosen.append((mission, wish.plan))
                    busy.update(mission.days)
            if len(chosen) > len(best):
                best = chosen
            if len(best) == len(demo.wishes):
                break
        if len(best) < len(demo.wishes):
            missing = len(demo.wishes) - len(best)
            log.warning("demo account %s: %d of its missions not found", demo.login, missing)
        return best

    def allocate_seats(self, total: int) -> None:
        """Share `total` convocations among the missions by weight (largest remainders)."""
        staffed = [m for m in self.missions if m.main is None]
        # A mission with a morning meeting convenes each person twice.
        units = [m.weight * (2 if m.briefing else 1) for m in staffed]
        shares = [u * max(0, total) / sum(units) for u in units]
        seats = [math.floor(s) for s in shares]
        by_remainder = sorted(range(len(staffed)), key=lambda i: seats[i] - shares[i])
        for i in by_remainder[: max(0, total) - sum(seats)]:
            seats[i] += 1
        for mission, n in zip(staffed, seats, strict=True):
            mission.seats = n // 2 if mission.briefing else n

    def convene_people(self) -> None:
        """Fill each mission with free people, most of them from its department."""
        rng = self.rng
        pools: dict[tuple[Category, str | None], list[Person]] = {}
        for person in self.people:
            if not person.demo:
                pools.setdefault((person.category, person.department), []).append(person)
                pools.setdefault((person.category, None), []).append(person)
        staffed = sorted(
            (m for m in self.missions if m.main is None),
            key=lambda m: (m.row.start_date, m.row.start_time),
        )
        for mission in staffed:
            mix = WHO_DOES[mission.type]
            categories, weights = list(mix), list(mix.values())
            department = mission.centre.commune.department
            wanted = mission.seats
            for _ in range(30 * mission.seats):
                if wanted == 0:
                    break
                category = rng.choices(categories, weights=weights)[0]
                near = rng.random() < 0.85
                pool = pools.get((category, department if near else None)) or pools.get(
                    (category, None)
                )
                if not pool:
                    continue
                person = rng.choice(pool)
                if person.busy.isdisjoint(mission.days):
                    mission.convene(person)
                    if mission.briefing is not None:
                        mission.briefing.convene(person)
                    wanted -= 1

    def issue_convocations(self) -> list[Issued]:
        """Through the DEC's own path: each convocation creates its statement."""
        people = {p.user.id: p for p in self.people}
        actor = self.gestionnaires[0]
        convened = [m for m in self.missions if m.people]
        issued = []
        for start in range(0, len(convened), ISSUE_EVERY):
            chunk = convened[start : start + ISSUE_EVERY]
            batches = [
                (
                    m.row,
                    [p.user for p in m.people],
                    utc(m.row.start_date - dt.timedelta(days=30), 8),
                )
                for m in chunk
            ]
            for mission, created in zip(chunk, issue_many(self.db, batches, actor), strict=True):
                for _, statement, _ in created:
                    issued.append(Issued(mission, people[statement.user_id], statement))
        return issued


def existing_data(session: Session) -> list[str]:
    """What the database already holds that demo data would replace, in French ("3 comptes");
    empty when there is nothing."""
    held = []
    for model, one, many in (
        (User, "compte", "comptes"),
        (ExamSession, "session d'examen", "sessions d'examen"),
        (Centre, "centre", "centres"),
    ):
        count = session.scalar(select(func.count()).select_from(model)) or 0
        if count:
            held.append(f"{count} {one if count == 1 else many}")
    return held


def generate(
    session: Session,
    scale: int = 1,
    seed: int = 2026,
    reset: bool = True,
    *,
    today: dt.date | None = None,
    people: int | None = None,
    convocations: int | None = None,
    centres: int | None = None,
) -> dict[str, int]:
    """Fills the database with the demonstration académie and returns what it created.

    `scale` multiplies the intervenants and the convocations (the centres and the missions per
    paper by its square root); `people`, `convocations` and `centres` override the figures
    (small sets for tests). The result depends only on the seed and on `today` (which places
    the session still to come; the server's today by default). `reset` empties every table
    first. Runs inside the caller's transaction: nothing is committed here.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    today = today or clock.today(get_settings())
    summary = _Generator(
        session,
        seed=seed,
        today=today,
        people=PEOPLE_PER_SCALE * scale if people is None else people,
        convocations=CONVOCATIONS_PER_SCALE * scale if convocations is None else convocations,
        centres=round(CENTRES_PER_SCALE * math.sqrt(scale)) if centres is None else centres,
        spread=math.sqrt(scale),
    ).run(reset)
    # The DEC's queue flags what needs a look, as it does for statements typed through the API.
    session.flush()
    summary["anomalies_flagged"] = refresh_all(session, today)
    return summary
