"""Realistic statements as the server sends them, for the recap tests."""

from __future__ import annotations

from typing import Any

from client.api.models import AnnualPayments, Statement

ARRETE_2012 = "Arrêté du 13 avril 2012 (JORF 2 mai 2012), art. 2"
DECRET_2006 = "Décret n° 2006-781 du 3 juillet 2006 ; arrêté du 20 décembre 2013"


def _line(
    part: str, kind: str, label: str, amount: str, explanation: str, **extra: Any
) -> dict[str, Any]:
    return {
        "part": part,
        "kind": kind,
        "label": label,
        "quantity": "1",
        "unit_rate": amount,
        "amount": amount,
        "explanation": explanation,
        "rule": extra.get("rule", label),
        "legal_text": extra.get("legal_text", DECRET_2006),
        "tariff_version": extra.get("tariff_version", "2023-09-22"),
        "date": extra.get("date"),
    }


def correction_statement(**changes: Any) -> Statement:
    """Élodie Dupont-Martin corrects 3 days of French copies at Amiens, comes by car from
    Saint-Quentin, eats there and sleeps one night."""
    data: dict[str, Any] = {
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
                _line(
                    "PAY",
                    "COPIES",
                    "Copies corrigées le 15/06/2026",
                    "210.00",
                    "42 copies × 5,00\u00a0€",
                    legal_text=ARRETE_2012,
                    tariff_version="vacations-2012-05-03",
                ),
                _line(
                    "PAY",
                    "COPIES",
                    "Copies corrigées le 16/06/2026",
                    "225.00",
                    "45 copies × 5,00\u00a0€",
                    legal_text=ARRETE_2012,
                    tariff_version="vacations-2012-05-03",
                ),
                _line(
                    "PAY",
                    "COPIES",
                    "Copies corrigées le 17/06/2026",
                    "165.00",
                    "33 copies × 5,00\u00a0€",
                    legal_text=ARRETE_2012,
                    tariff_version="vacations-2012-05-03",
                ),
                _line(
                    "TRAVEL",
                    "KILOMETRIC",
                    "Indemnités kilométriques du 15/06/2026",
                    "63.96",
                    "156 km × 0,41\u00a0€ (6 et 7 CV, tranche jusqu'à 2\u00a0000 km ; "
                    "kilomètres 1\u00a0240 à 1\u00a0396 de l'année)",
                    legal_text="Arrêté du 14 mars 2022",
                    tariff_version="km-2022-01-01",
                ),
                _line(
                    "TRAVEL",
                    "PARKING",
                    "Stationnement du 15/06/2026",
                    "7.50",
                    "Stationnement : 7,50\u00a0€ (coût réel, sur justificatif)",
                ),
                _line(
                    "TRAVEL",
                    "TOLLS",
                    "Péage du 15/06/2026",
                    "12.40",
                    "Péage : 12,40\u00a0€ (coût réel, sur justificatif)",
                ),
                _line(
                    "TRAVEL",
                    "MEAL",
                    "Déjeuner du 15/06/2026",
                    "10.00",
                    "20,00\u00a0€ × 50\u00a0% (restaurant administratif) = 10,00\u00a0€",
                ),
                _line(
                    "TRAVEL",
                    "MEAL",
                    "Dîner du 15/06/2026",
                    "20.00",
                    "Repas forfaitaire : 20,00\u00a0€",
                ),
                _line(
                    "TRAVEL",
                    "MEAL",
                    "Déjeuner du 16/06/2026",
                    "20.00",
                    "Repas forfaitaire : 20,00\u00a0€",
                ),
                _line(
                    "TRAVEL",
                    "NIGHT",
                    "Nuitée du 15/06/2026 au 16/06/2026",
                    "90.00",
                    "Coût réel 96,00\u00a0€, plafond 90,00\u00a0€ (taux de base) : 90,00\u00a0€",
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
                "La nuitée est remboursée dans la limite du plafond : "
                "6,00\u00a0€ restent à votre charge."
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
    data.update(changes)
    return Statement.model_validate(data)


def annual_payments(**changes: Any) -> AnnualPayments:
    """What the académie paid Élodie Dupont-Martin, an interne, in 2026: a correction paid in
    full (payroll and transfer) and an oral whose travel the bank booked on 31 December."""

    def part(part: str, amount: str, paid_on: str, batch: int, reference: str | None) -> Any:
        payroll = part == "PAY"
        return {
            "part": part,
            "part_label": "Indemnités" if payroll else "Frais de déplacement",
            "channel": "PAYROLL" if payroll else "TRANSFER",
            "channel_label": "Paie" if payroll else "Virement",
            "amount": amount,
            "paid_on": paid_on,
            "batch_reference": f"LOT-2026-{batch:06d}",
            "reference": reference,
        }

    data: dict[str, Any] = {
        "year": 2026,
        "academie": "Académie d'Amiens",
        "person": {
            "id": 12,
            "name": "Élodie Dupont-Martin",
            "login": "edupontm",
            "interne": True,
            "postal_address": "3 rue des Écoles, 80000 Amiens",
        },
        "offices": None,
        "missions": [
            {
                "statement_id": 4021,
                "mission_type_label": "Correction",
                "session": "Baccalauréat professionnel, session juin 2026",
                "exam": "Baccalauréat professionnel",
                "paper_code": "E21",
                "paper": "Français, œuvre et société",
                "centre": "Lycée professionnel Édouard Gand",
                "start_date": "2026-06-15",
                "end_date": "2026-06-17",
                "parts": [
                    part("PAY", "1200.00", "2026-07-28", 42, None),
                    part("TRAVEL", "134.56", "2026-07-30", 42, "BQ-0000012"),
                ],
                "total": "1334.56",
            },
            {
                "statement_id": 4388,
                "mission_type_label": "Interrogation",
                "session": "Baccalauréat professionnel, session juin 2026",
                "exam": "Baccalauréat professionnel",
                "paper_code": "E31",
                "paper": "Épreuve orale de prévention santé environnement",
                "centre": "Lycée professionnel Jean Moulin",
                "start_date": "2026-06-22",
                "end_date": "2026-06-22",
                "parts": [part("TRAVEL", "48.10", "2026-12-31", 57, "BQ-0000098")],
                "total": "48.10",
            },
        ],
        "pay_total": "1200.00",
        "travel_total": "182.66",
        "payroll_total": "1200.00",
        "transfer_total": "182.66",
        "total": "1382.66",
        "rule": "Une somme compte dans l'année de sa date de paiement : la date de "
        "comptabilisation de la banque pour un virement, celle de la paie pour les indemnités "
        "versées avec le traitement, ou la date de paiement enregistrée par le service "
        "gestionnaire. La date de la mission n'entre pas en compte.",
    }
    data.update(changes)
    return AnnualPayments.model_validate(data)
