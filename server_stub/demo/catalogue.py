"""The sessions, exams and papers of the demonstration: what the DEC of Amiens organises.

Plain data. Dates follow the usual calendar of a June session: BTS in May, CAP early June,
baccalauréat professionnel mid-June, juries at the end of June. The future session is placed
after "today" so that its statements read "Mission non effectuée".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from server_stub.demo.names import MONTHS
from server_stub.rules.model import EvaluationMode, PaperKind

WRITTEN, ORAL, PRACTICAL = PaperKind.WRITTEN, PaperKind.ORAL, PaperKind.PRACTICAL
IN_YEAR = EvaluationMode.IN_YEAR


@dataclass(frozen=True)
class PaperSpec:
    code: str
    name: str
    kind: PaperKind
    # Written: the day of the paper. Oral or practical: the first day of the oral period.
    day: dt.date
    start: dt.time = dt.time(9, 0)
    duration_minutes: int | None = None
    mode: EvaluationMode = EvaluationMode.PONCTUEL
    minutes_per_candidate: int | None = None
    optional_oral: bool = False
    unpaid: bool = False  # pay group NR
    period_days: int = 1  # length of the oral period


@dataclass(frozen=True)
class ExamSpec:
    code: str
    diploma: str
    name: str
    speciality: str
    papers: tuple[PaperSpec, ...]


@dataclass(frozen=True)
class SessionSpec:
    code: str
    name: str
    entry_deadline: dt.date
    exams: tuple[ExamSpec, ...]
    subjects: dt.date  # commission d'élaboration des sujets (two days)
    briefing: dt.date  # réunion de préparation de la session
    deliberation: dt.date  # jurys de délibération
    future: bool = False


def _d(month: int, day: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


BAC_PRO = "Baccalauréat professionnel"
BTS = "Brevet de technicien supérieur"
CAP = "Certificat d'aptitude professionnelle"

_BAC_PRO_SPECIALITIES = (
    (
        "MELEC",
        "Métiers de l'électricité et de ses environnements connectés",
        "Préparation d'une opération",
        "Réalisation d'une installation",
    ),
    (
        "MSPC",
        "Maintenance des systèmes de production connectés",
        "Préparation d'une intervention de maintenance",
        "Intervention sur un système de production",
    ),
    (
        "MVA",
        "Maintenance des véhicules, option A voitures particulières",
        "Analyse préparatoire à une intervention",
        "Réalisation d'interventions sur véhicule",
    ),
    (
        "AGORA",
        "Assistance à la gestion des organisations et de leurs activités",
        "Étude de situations professionnelles",
        "Gestion des relations avec les clients et les usagers",
    ),
    (
        "MCVA",
        "Métiers du commerce et de la vente, option A animation et gestion de l'espace commercial",
        "Analyse et résolution de situations professionnelles",
        "Conseil et vente",
    ),
    (
        "ASSP",
        "Accompagnement, soins et services à la personne",
        "Analyse d'une situation professionnelle",
        "Projet d'animation",
    ),
    (
        "CUIS",
        "Cuisine",
        "Étude et organisation d'une production culinaire",
        "Réalisation d'une production de cuisine",
    ),
    (
        "TMA",
        "Technicien menuisier agenceur",
        "Analyse technique d'un ouvrage",
        "Fabrication d'un ouvrage",
    ),
)

_BTS_SPECIALITIES = (
    (
        "MCO",
        "Management commercial opérationnel",
        "Culture économique, juridique et managériale",
        "Développement de la relation client et vente conseil",
    ),
    (
        "NDRC",
        "Négociation et digitalisation de la relation client",
        "Culture économique, juridique et managériale",
        "Relation client et négociation-vente",
    ),
    (
        "CG",
        "Comptabilité et gestion",
        "Traitement et contrôle des opérations comptables",
        "Situations de contrôle de gestion et d'analyse financière",
    ),
    (
        "SIO",
        "Services informatiques aux organisations",
        "Mathématiques pour l'informatique",
        "Support et mise à disposition de services informatiques",
    ),
    (
        "CRSA",
        "Conception et réalisation de systèmes automatiques",
        "Analyse et spécification d'un système",
        "Conception détaillée d'un système",
    ),
    ("ET", "Électrotechnique", "Analyse d'un système électrotechnique", "Conduite de projet"),
)

_CAP_SPECIALITIES = (
    (
        "EPC",
        "Équipier polyvalent du commerce",
        "Réception et suivi des commandes",
        "Mise en valeur et approvisionnement",
    ),
    (
        "AEPE",
        "Accompagnant éducatif petite enfance",
        "Accompagner le développement du jeune enfant",
        "Exercer son activité en accueil collectif",
    ),
    (
        "CUIS",
        "Cuisine",
        "Organisation de la production de cuisine",
        "Réalisation de la production de cuisine",
    ),
    (
        "ELEC",
        "Électricien",
        "Réalisation d'une installation électrique",
        "Mise en service d'une installation",
    ),
    (
        "MVA",
        "Maintenance des véhicules, option A voitures particulières",
        "Maintenance préventive du véhicule",
        "Diagnostic et réparation",
    ),
    (
        "PAT",
        "Pâtissier",
        "Tour, petits fours secs et moelleux, gâteaux de voyage",
        "Entremets et petits gâteaux",
    ),
    (
        "COIF",
        "Métiers de la coiffure",
        "Réalisation de prestations de coiffure",
        "Relation clientèle et participation à l'activité de l'entreprise",
    ),
)


def _bac_pro() -> SessionSpec:
    general = ExamSpec(
        "BP-EG",
        "BAC_PRO",
        BAC_PRO,
        "Épreuves d'enseignement général, toutes spécialités",
        (
            PaperSpec("E51", "Français", WRITTEN, _d(6, 16), dt.time(9), 180),
            PaperSpec(
                "E52",
                "Histoire-géographie et enseignement moral et civique",
                WRITTEN,
                _d(6, 16),
                dt.time(14),
                150,
            ),
            PaperSpec("E34", "Prévention-santé-environnement", WRITTEN, _d(6, 17), dt.time(9), 120),
            PaperSpec("E33", "Économie-droit", WRITTEN, _d(6, 17), dt.time(14), 150),
            PaperSpec(
                "E6", "Arts appliqués et cultures artistiques", WRITTEN, _d(6, 10), mode=IN_YEAR
            ),
            PaperSpec(
                "E4",
                "Langue vivante A : anglais, épreuve orale ponctuelle",
                ORAL,
                _d(6, 1),
                dt.time(8),
                minutes_per_candidate=15,
                period_days=10,
            ),
            PaperSpec(
                "EF1",
                "Langue vivante, épreuve facultative",
                ORAL,
                _d(6, 8),
                dt.time(8),
                minutes_per_candidate=15,
                optional_oral=True,
                period_days=5,
            ),
            PaperSpec(
                "CO",
                "Présentation orale du chef-d'œuvre",
                ORAL,
                _d(6, 2),
                dt.time(8),
                minutes_per_candidate=10,
                unpaid=True,
                period_days=5,
            ),
        ),
    )
    specialities = tuple(
        ExamSpec(
            f"BP-{code}",
            "BAC_PRO",
            BAC_PRO,
            speciality,
            (
                PaperSpec("E2", written, WRITTEN, _d(6, 11 + n % 2), dt.time(9), 240),
                PaperSpec("E31", practical, PRACTICAL, _d(6, 12), mode=IN_YEAR),
                PaperSpec(
                    "E32",
                    f"{practical}, épreuve ponctuelle",
                    PRACTICAL,
                    _d(6, 2),
                    dt.time(8),
                    minutes_per_candidate=40,
                    period_days=8,
                ),
            ),
        )
        for n, (code, speciality, written, practical) in enumerate(_BAC_PRO_SPECIALITIES)
    )
    return SessionSpec(
        "BACPRO-2026-06",
        "Baccalauréat professionnel, session juin 2026",
        _d(8, 31),
        (general, *specialities),
        subjects=_d(1, 13),
        briefing=_d(5, 27),
        deliberation=_d(6, 30),
    )


def _bts() -> SessionSpec:
    general = ExamSpec(
        "BTS-EC",
        "BTS",
        BTS,
        "Épreuves communes",
        (
            PaperSpec("E1", "Culture générale et expression", WRITTEN, _d(5, 11), dt.time(9), 240),
            PaperSpec(
                "E2",
                "Langue vivante étrangère : anglais, épreuve orale",
                ORAL,
                _d(5, 18),
                dt.time(8),
                minutes_per_candidate=20,
                period_days=10,
            ),
            PaperSpec(
                "EF1",
                "Langue vivante, épreuve facultative",
                ORAL,
                _d(5, 26),
                dt.time(8),
                minutes_per_candidate=20,
                optional_oral=True,
                period_days=5,
            ),
        ),
    )
    specialities = tuple(
        ExamSpec(
            f"BTS-{code}",
            "BTS",
            BTS,
            speciality,
            (
                PaperSpec("E3", written, WRITTEN, _d(5, 12 + n % 2), dt.time(9), 240),
                PaperSpec(
                    "E4", oral, ORAL, _d(5, 26), dt.time(8), minutes_per_candidate=40, period_days=8
                ),
            ),
        )
        for n, (code, speciality, written, oral) in enumerate(_BTS_SPECIALITIES)
    )
    return SessionSpec(
        "BTS-2026-06",
        "BTS, session juin 2026",
        _d(8, 31),
        (general, *specialities),
        subjects=_d(2, 10),
        briefing=_d(5, 6),
        deliberation=_d(6, 26),
    )


def _cap_general(code: str, first_day: dt.date) -> ExamSpec:
    return ExamSpec(
        code,
        "CAP",
        CAP,
        "Enseignement général, toutes spécialités",
        (
            PaperSpec(
                "EG1",
                "Français, histoire-géographie et enseignement moral et civique",
                WRITTEN,
                first_day,
                dt.time(9),
                145,
            ),
            PaperSpec(
                "EG2",
                "Mathématiques et physique-chimie",
                WRITTEN,
                first_day + dt.timedelta(days=1),
                dt.time(9),
                120,
            ),
            PaperSpec(
                "EG3",
                "Prévention-santé-environnement",
                WRITTEN,
                first_day + dt.timedelta(days=1),
                dt.time(14),
                90,
            ),
            PaperSpec(
                "EF",
                "Langue vivante, épreuve facultative",
                ORAL,
                first_day + dt.timedelta(days=5),
                dt.time(8),
                minutes_per_candidate=15,
                optional_oral=True,
                period_days=4,
            ),
        ),
    )


def _cap_speciality(code: str, speciality: str, first: str, second: str, day: dt.date) -> ExamSpec:
    return ExamSpec(
        code,
        "CAP",
        CAP,
        speciality,
        (
            PaperSpec(
                "EP1", first, PRACTICAL, day, dt.time(8), minutes_per_candidate=30, period_days=8
            ),
            PaperSpec("EP2", second, PRACTICAL, day + dt.timedelta(days=6), mode=IN_YEAR),
        ),
    )


def _cap() -> SessionSpec:
    specialities = tuple(
        _cap_speciality(f"CAP-{code}", speciality, first, second, _d(5, 26))
        for code, speciality, first, second in _CAP_SPECIALITIES
    )
    return SessionSpec(
        "CAP-2026-06",
        "CAP, session juin 2026",
        _d(8, 31),
        (_cap_general("CAP-EG", _d(6, 3)), *specialities),
        subjects=_d(1, 20),
        briefing=_d(5, 20),
        deliberation=_d(6, 29),
    )


def _future(today: dt.date) -> SessionSpec:
    """A small CAP session for adults, starting on a Monday at least ten days after today."""
    start = max(_d(12, 7), today + dt.timedelta(days=10))
    start += dt.timedelta(days=-start.weekday() % 7)
    year, month = start.year, MONTHS[start.month - 1]
    specialities = tuple(
        _cap_speciality(f"CAPD-{code}", speciality, first, second, start + dt.timedelta(days=2))
        for code, speciality, first, second in _CAP_SPECIALITIES[:2]
    )
    return SessionSpec(
        f"CAP-{start:%Y-%m}",
        f"CAP, session de {month} {year}",
        dt.date(year + 1, 1, 31),
        (_cap_general("CAPD-EG", start), *specialities),
        subjects=start - dt.timedelta(days=35),
        briefing=start - dt.timedelta(days=3),
        deliberation=start + dt.timedelta(days=11),
        future=True,
    )


def sessions(today: dt.date) -> tuple[SessionSpec, ...]:
    return (_bts(), _cap(), _bac_pro(), _future(today))
