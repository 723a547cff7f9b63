"""How long a recap takes to render, against a plain one-page reportlab document.

Renders 1,000 recaps of a realistic statement (a correction over 3 days, a car trip with meals
and a night) and, interleaved in the same run, 1,000 one-page documents of a few paragraphs on
the same embedded font. Targets: recap median ≤ 25 ms and ≤ 3× the baseline's median.

    .venv/bin/python bench/recap_pdf.py [--count 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from client.api.models import Statement
from client.pdf.fonts import BOLD, REGULAR, register_fonts
from client.pdf.recap import render_recap

RECAP_TARGET_MS = 25.0
RATIO_TARGET = 3.0
PRINTED_ON = dt.date(2026, 11, 27)
NBSP = "\u00a0"
ARRETE_2012 = "Arrêté du 13 avril 2012 (JORF 2 mai 2012), art. 2"
ARRETE_2013 = "Décret n° 2006-781 du 3 juillet 2006 ; arrêté du 20 décembre 2013"
ARRETE_2022 = "Arrêté du 14 mars 2022"


def _line(
    part: str, kind: str, label: str, amount: str, explanation: str, source: str, version: str
) -> dict[str, Any]:
    return {
        "part": part,
        "kind": kind,
        "label": label,
        "quantity": "1",
        "unit_rate": amount,
        "amount": amount,
        "explanation": explanation,
        "rule": label,
        "legal_text": source,
        "tariff_version": version,
        "date": None,
    }


def _copies(day: str, copies: int) -> dict[str, Any]:
    return _line(
        "PAY",
        "COPIES",
        f"Copies corrigées le {day}/06/2026",
        f"{copies * 5}.00",
        f"{copies} copies × 5,00{NBSP}€",
        ARRETE_2012,
        "vacations-2012-05-03",
    )


def _meal(label: str, amount: str, explanation: str) -> dict[str, Any]:
    return _line("TRAVEL", "MEAL", label, amount, explanation, ARRETE_2013, "repas-2023-09-22")


STATEMENT = Statement.model_validate(
    {
        "id": 4021,
        "version": 3,
        "status": "SUBMITTED",
        "labels": {
            "intervenant": "Validé",
            "dec": "À valider",
            "pay": "Validé",
            "travel": "Validé",
        },
        "permissions": {"edit": False, "validate": False, "declare_not_performed": False},
        "convocation_id": 911,
        "intervenant": "Élodie Dupont-Martin",
        "mission": {
            "id": 77,
            "type": "CORRECTION",
            "type_label": "Correction",
            "session": "Baccalauréat professionnel, session juin 2026",
            "exam": "Baccalauréat professionnel",
            "speciality": "Métiers de l'accueil",
            "paper_code": "E21",
            "paper": "Français, œuvre et société",
            "paper_kind": "WRITTEN",
            "optional_oral": False,
            "pay_group": "5",
            "minutes_per_candidate": None,
            "lot_size": 120,
            "centre": "Lycée professionnel Jean-Baptiste Delambre",
            "centre_address": "12 rue de l'Île-de-France",
            "commune_insee": "80021",
            "commune": "Amiens",
            "start_date": "2026-06-15",
            "end_date": "2026-06-17",
            "start_time": "08:00:00",
            "end_time": "17:30:00",
            "travel_reimbursable": True,
            "dec_handled": False,
        },
        "entry": {
            "days": [
                {"date": "2026-06-15", "copies": 42},
                {"date": "2026-06-16", "copies": 45},
                {"date": "2026-06-17", "copies": 33},
            ],
            "travel": {
                "claimed": True,
                "departure": "ADMINISTRATIVE",
                "trips": [
                    {
                        "depart_at": "2026-06-15T06:45:00",
                        "return_at": "2026-06-16T19:10:00",
                        "mode": "CAR",
                        "km": "156",
                        "parking": "7.50",
                        "tolls": "12.40",
                    }
                ],
                "meals": [
                    {"date": "2026-06-15", "kind": "LUNCH", "administrative_restaurant": True},
                    {"date": "2026-06-15", "kind": "DINNER"},
                    {"date": "2026-06-16", "kind": "LUNCH"},
                ],
                "nights": [{"date": "2026-06-15", "cost": "96.00"}],
            },
        },
        "computation": {
            "lines": [
                _copies("15", 42),
                _copies("16", 45),
                _copies("17", 33),
                _line(
                    "TRAVEL",
                    "KILOMETRIC",
                    "Indemnités kilométriques du 15/06/2026",
                    "63.96",
                    f"156 km × 0,41{NBSP}€ (6 et 7 CV, tranche jusqu'à 2{NBSP}000 km ; "
                    f"kilomètres 1{NBSP}240 à 1{NBSP}396 de l'année)",
                    ARRETE_2022,
                    "km-2022-01-01",
                ),
                _line(
                    "TRAVEL",
                    "PARKING",
                    "Stationnement du 15/06/2026",
                    "7.50",
                    f"Stationnement : 7,50{NBSP}€ (coût réel, sur justificatif)",
                    ARRETE_2013,
                    "km-2022-01-01",
                ),
                _line(
                    "TRAVEL",
                    "TOLLS",
                    "Péage du 15/06/2026",
                    "12.40",
                    f"Péage : 12,40{NBSP}€ (coût réel, sur justificatif)",
                    ARRETE_2013,
                    "km-2022-01-01",
                ),
                _meal(
                    "Déjeuner du 15/06/2026",
                    "10.00",
                    f"20,00{NBSP}€ × 50{NBSP}% (restaurant administratif) = 10,00{NBSP}€",
                ),
                _meal("Dîner du 15/06/2026", "20.00", f"Repas forfaitaire : 20,00{NBSP}€"),
                _meal("Déjeuner du 16/06/2026", "20.00", f"Repas forfaitaire : 20,00{NBSP}€"),
                _line(
                    "TRAVEL",
                    "NIGHT",
                    "Nuitée du 15/06/2026 au 16/06/2026",
                    "90.00",
                    f"Coût réel 96,00{NBSP}€, plafond 90,00{NBSP}€ (taux de base) : 90,00{NBSP}€",
                    ARRETE_2013,
                    "nuitees-2023-09-22",
                ),
            ],
            "pay_total": "600.00",
            "travel_total": "223.86",
            "total": "823.86",
            "documents": [
                "Autorisation préalable d'utiliser son véhicule personnel",
                "Copie de la carte grise du véhicule (puissance fiscale)",
                "Facture d'hôtel acquittée",
                "Justificatifs de stationnement",
                "Justificatifs de péage",
            ],
            "problems": [],
            "notes": [
                f"La nuitée est remboursée dans la limite du plafond : 6,00{NBSP}€ restent à "
                "votre charge."
            ],
            "travel_eligible": True,
        },
        "proposals": {
            "meals": [],
            "nights": [],
            "suggested_km": "156",
            "departure_commune": "Saint-Quentin",
        },
        "reason": None,
        "saved_at": "2026-06-18T09:02:00",
        "submitted_at": "2026-06-18T09:12:00",
        "history": [],
    }
)

BASELINE_TITLE = ParagraphStyle("bench-title", fontName=BOLD, fontSize=15, leading=19)
BASELINE_BODY = ParagraphStyle("bench-body", fontName=REGULAR, fontSize=10, leading=13)
BASELINE_TEXT = (
    "Les indemnités de vacation sont versées pour la correction des copies et les "
    "interrogations des candidats ; les frais de déplacement sont remboursés sur la base des "
    f"barèmes en vigueur, soit 1\u202f234,56{NBSP}€ pour l'ensemble des missions de l'œuvre."
)


def render_recap_once() -> bytes:
    return render_recap(STATEMENT, printed_on=PRINTED_ON)


def render_baseline_once() -> bytes:
    """A one-page document of a few paragraphs, on the same embedded font."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=22 * mm,
        invariant=True,
    )
    story = [Paragraph("Récapitulatif de référence", BASELINE_TITLE)]
    story += [Paragraph(BASELINE_TEXT, BASELINE_BODY) for _ in range(4)]
    document.build(story)
    return buffer.getvalue()


def _timed(render: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    render()
    return (time.perf_counter() - start) * 1000


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="documents of each kind")
    count = parser.parse_args(argv).count

    register_fonts()
    for _ in range(20):  # warm up caches (fonts, Babel, reportlab's metrics)
        render_recap_once()
        render_baseline_once()
    # Interleaved, so that both kinds see the same machine load.
    recap: list[float] = []
    baseline: list[float] = []
    for _ in range(count):
        recap.append(_timed(render_recap_once))
        baseline.append(_timed(render_baseline_once))

    recap_median = statistics.median(recap)
    baseline_median = statistics.median(baseline)
    ratio = recap_median / baseline_median
    pages = len(re.findall(rb"/Type /Page\b(?!s)", render_recap_once()))
    print(f"{count} recaps ({pages} pages each), {count} one-page baseline documents")
    print(f"recap median {recap_median:.1f} ms (target ≤ {RECAP_TARGET_MS:.0f} ms)")
    print(f"recap p95 {_p95(recap):.1f} ms")
    print(f"baseline median {baseline_median:.1f} ms")
    print(f"baseline p95 {_p95(baseline):.1f} ms")
    print(f"ratio {ratio:.1f} (target ≤ {RATIO_TARGET:.1f})")
    met = recap_median <= RECAP_TARGET_MS and ratio <= RATIO_TARGET
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
