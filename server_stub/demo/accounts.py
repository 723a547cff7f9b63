"""The demo accounts of docs/demo-accounts.md, and the missions each is given to show.

Everyone shares one password. Intervenants get hand-picked missions (`Wish`) so that logging
in as one of them shows the statuses and rules worth demonstrating; the other people of the
académie are drawn at random.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server_stub.auth.models import Category, Role
from server_stub.demo.plans import Person, Plan, Planned
from server_stub.reference.communes import adjacent_pairs, communes
from server_stub.rules.model import EvaluationMode, MissionType

DEMO_PASSWORD = "Imagin-Demo-2026!"

# A mission "far" from home, where staying overnight makes sense.
FAR_KM = 45


class PaperFilter(StrEnum):
    ANY = "ANY"
    PAID = "PAID"  # one-off, paid, compulsory
    OPTIONAL = "OPTIONAL"  # optional oral: 75 % of the hourly rate
    UNPAID = "UNPAID"  # pay group NR
    IN_YEAR = "IN_YEAR"  # evaluated during the year: no pay line
    NONE = "NONE"  # a meeting tied to no paper


@dataclass(frozen=True)
class Wish:
    """A mission a demo account should have, and where its statement should end up."""

    type: MissionType
    plan: Plan
    future: bool = False  # starts after today; otherwise over before today
    paper: PaperFilter = PaperFilter.ANY
    diploma: str | None = None
    paired: bool = False  # with a meeting the same morning (two missions that day)
    away: bool = False  # travel costs are due
    far: bool = False  # several days, far from home

    def matches(self, mission: Planned, person: Person) -> bool:
        if mission.type is not self.type or mission.main is not None:
            return False
        if not (mission.upcoming if self.future else mission.over):
            return False
        if self.diploma is not None and mission.diploma != self.diploma:
            return False
        if self.paired and mission.briefing is None:
            return False
        if not _paper_matches(self.paper, mission):
            return False
        if self.away and not _travel_due(mission, person):
            return False
        return not self.far or (
            len(mission.days) >= 2
            and communes().distance_km(person.home, mission.centre.commune) > FAR_KM
        )


def _paper_matches(wanted: PaperFilter, mission: Planned) -> bool:
    paper = mission.paper
    if wanted is PaperFilter.ANY:
        return True
    if wanted is PaperFilter.NONE or paper is None:
        return wanted is PaperFilter.NONE and paper is None
    if wanted is PaperFilter.UNPAID:
        return paper.unpaid
    if wanted is PaperFilter.IN_YEAR:
        return paper.mode is EvaluationMode.IN_YEAR
    one_off = not paper.unpaid and paper.mode is EvaluationMode.PONCTUEL
    if wanted is PaperFilter.OPTIONAL:
        return one_off and paper.optional_oral
    return one_off and not paper.optional_oral


def _travel_due(mission: Planned, person: Person) -> bool:
    """The mission is neither in nor next to a residence commune, and travel is reimbursed."""
    where = mission.centre.commune.insee
    return mission.row.travel_reimbursable and all(
        home.insee != where and frozenset((home.insee, where)) not in adjacent_pairs()
        for home in (person.home, person.work)
    )


@dataclass(frozen=True)
class DemoIntervenant:
    description: str  # French, for the log-in screen of the demo
    first_name: str
    last_name: str
    login: str
    category: Category
    administrative_residence: str  # INSEE
    family_residence: str
    fiscal_power: int | None
    school: str | None  # None: a teacher of the flagship lycée
    bank_details: bool
    temporary_password: bool
    wishes: tuple[Wish, ...]


@dataclass(frozen=True)
class DemoStaff:
    description: str
    first_name: str
    last_name: str
    login: str
    role: Role
    office: str | None = None
    flagship_centre: bool = False  # the chef de centre's centre


_CORRECTION, _ORAL = MissionType.CORRECTION, MissionType.INTERROGATION
_PAID, _OPTIONAL = PaperFilter.PAID, PaperFilter.OPTIONAL

INTERVENANTS = (
    DemoIntervenant(
        description=(
            "Enseignante de lycée professionnel (interne) : un état de frais à chaque étape, "
            "deux missions le même jour, une mission à venir"
        ),
        first_name="Élodie",
        last_name="Dupont-Martin",
        login="elodie.dupont-martin",
        category=Category.LP_TEACHER,
        administrative_residence="80021",  # Amiens
        family_residence="80799",  # Villers-Bretonneux
        fiscal_power=6,
        school=None,
        bank_details=False,
        temporary_password=False,
        wishes=(
            Wish(_CORRECTION, Plan.PAID, paper=_PAID, paired=True, away=True),
            Wish(_ORAL, Plan.RETURNED, paper=_PAID, paired=True, away=True),
            Wish(_ORAL, Plan.APPROVED, paper=_OPTIONAL),
            Wish(MissionType.SURVEILLANCE, Plan.DEC_ENTERED),
            Wish(MissionType.DELIBERATION, Plan.IN_PAYMENT),
            Wish(_ORAL, Plan.SUBMITTED, paper=PaperFilter.UNPAID),
            Wish(MissionType.HARMONISATION, Plan.DRAFT, paper=PaperFilter.IN_YEAR),
            Wish(_CORRECTION, Plan.EMPTY, paper=_PAID),
            Wish(_ORAL, Plan.EMPTY, paper=_PAID, far=True),
            Wish(MissionType.REUNION, Plan.NOT_PERFORMED, paper=PaperFilter.NONE),
            Wish(MissionType.SUBJECT_WRITING, Plan.PAID),
            Wish(_CORRECTION, Plan.EMPTY, future=True),
            Wish(_ORAL, Plan.CANCELLED, paper=_PAID, diploma="BTS"),
            Wish(_ORAL, Plan.APPROVED, paper=PaperFilter.IN_YEAR),
        ),
    ),
    DemoIntervenant(
        description="Formateur d'un centre privé (externe, RIB fourni)",
        first_name="Karim",
        last_name="Benali",
        login="kbenali",
        category=Category.PRIVATE_TRAINER,
        administrative_residence="60057",  # Beauvais
        family_residence="60103",  # Bresles
        fiscal_power=4,
        school="Institut de formation Picardie Compétences, Beauvais",
        bank_details=True,
        temporary_password=False,
        wishes=(
            Wish(_CORRECTION, Plan.PAID, paper=_PAID),
            Wish(_ORAL, Plan.SUBMITTED, paper=_PAID),
            Wish(_CORRECTION, Plan.EMPTY, paper=_PAID),
            Wish(_ORAL, Plan.EMPTY, future=True),
        ),
    ),
    DemoIntervenant(
        description="Enseignante d'une autre académie (externe), part de Soissons",
        first_name="Sophie",
        last_name="Lefèvre",
        login="slefevre",
        category=Category.OTHER_ACADEMY,
        administrative_residence="51454",  # Reims
        family_residence="02722",  # Soissons
        fiscal_power=5,
        school="Lycée professionnel Gustave Eiffel, Reims (académie de Reims)",
        bank_details=True,
        temporary_password=False,
        wishes=(
            Wish(_CORRECTION, Plan.APPROVED, paper=_PAID),
            Wish(_ORAL, Plan.RETURNED, paper=_PAID),
            Wish(MissionType.SUBJECT_WRITING, Plan.DEC_ENTERED),
            Wish(_CORRECTION, Plan.EMPTY, paper=_PAID),
            Wish(_ORAL, Plan.EMPTY, future=True),
        ),
    ),
    DemoIntervenant(
        description="Professionnel (externe) : jurys de CAP et délibération",
        first_name="Thomas",
        last_name="Girard",
        login="tgirard",
        category=Category.PROFESSIONAL,
        administrative_residence="02691",  # Saint-Quentin
        family_residence="02340",  # Gauchy
        fiscal_power=8,
        school="Enedis, agence d'exploitation de Saint-Quentin",
        bank_details=True,
        temporary_password=False,
        wishes=(
            Wish(_ORAL, Plan.PAID, paper=_PAID, diploma="CAP"),
            Wish(MissionType.DELIBERATION, Plan.IN_PAYMENT),
            Wish(_ORAL, Plan.EMPTY, paper=_PAID, far=True),
            Wish(_ORAL, Plan.EMPTY, future=True),
        ),
    ),
    DemoIntervenant(
        description="Professionnel, première connexion : mot de passe à changer",
        first_name="Julien",
        last_name="Moreau",
        login="jmoreau",
        category=Category.PROFESSIONAL,
        administrative_residence="80001",  # Abbeville
        family_residence="80001",
        fiscal_power=7,
        school="Garage des Trois Vallées, Abbeville",
        bank_details=False,
        temporary_password=True,
        wishes=(
            Wish(_ORAL, Plan.EMPTY, paper=_PAID),
            Wish(_ORAL, Plan.EMPTY, future=True),
        ),
    ),
)

STAFF = (
    DemoStaff(
        "Gestionnaire de la DEC : états à valider, retours, saisie directe, mise en paiement",
        "Nathalie",
        "Caron",
        "nathalie.caron",
        Role.GESTIONNAIRE,
        office="DEC",
    ),
    DemoStaff(
        "Chef de centre d'un lycée d'Amiens",
        "Philippe",
        "Lambert",
        "philippe.lambert",
        Role.CHEF_CENTRE,
        flagship_centre=True,
    ),
    DemoStaff(
        "Administratrice : comptes, barèmes, données de référence",
        "Martine",
        "Leroux",
        "martine.leroux",
        Role.ADMIN,
    ),
)
# Colleagues of the demo gestionnaire, who share the DEC's work in the audit trail.
OTHER_GESTIONNAIRES = (("Bruno", "Lecointe"), ("Laure", "Delattre"))

_ROLE_NAMES = {
    Role.INTERVENANT: "Intervenant",
    Role.GESTIONNAIRE: "Gestionnaire",
    Role.CHEF_CENTRE: "Chef de centre",
    Role.ADMIN: "Administrateur",
}


def listing() -> list[dict[str, str]]:
    """The demo accounts as the client's log-in screen shows them (login, password, role,
    description), e.g. for `imagin-server demo-data --accounts-file`. These are the logins of a
    reset database; data kept from an earlier run pushes them to a numbered login."""
    people = [(a.login, Role.INTERVENANT, a.description) for a in INTERVENANTS]
    staff = [(s.login, s.role, s.description) for s in STAFF]
    return [
        {
            "login": login,
            "password": DEMO_PASSWORD,
            "role": _ROLE_NAMES[role],
            "description": description,
        }
        for login, role, description in people + staff
    ]
