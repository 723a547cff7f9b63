"""What a person must give to be paid by transfer, said to them (the DEC reads the same facts
as anomalies, `rules/anomalies.py`).

DOMAIN §1-2: whoever is owed a transfer needs a financial file (an IBAN in their name): an
externe for everything, an interne for their travel costs only, their indemnities going
through payroll whatever the state of their file.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from server_stub.auth.models import User
from server_stub.rules.anomalies import financial_file_problem
from server_stub.rules.french import format_date

PARIS = ZoneInfo("Europe/Paris")
_WHERE = "dans « Mon profil », rubrique Dossier financier"
_DOCUMENTS = (
    "et joignez à vos pièces justificatives un RIB à votre nom et à votre adresse personnelle, "
    "la notice de renseignements personnels signée et une copie de votre carte Vitale."
)


REJECTED = (
    "Paiement rejeté par la banque : vérifiez et corrigez votre IBAN dans « Mon profil », "
    "rubrique Dossier financier (le motif figure dans l'historique de l'état de frais). Le "
    "virement repartira dans le prochain lot une fois votre dossier mis à jour."
)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(PARIS).date()


def transfer_request(user: User, today: dt.date) -> str | None:
    """What `user`, owed a transfer, must give before it can be made; None when nothing."""
    if user.academic:
        if user.iban:
            return None
        return (
            "RIB manquant : vos frais de déplacement vous sont versés par virement et aucun IBAN "
            f"n'est renseigné. Saisissez votre IBAN {_WHERE}, et joignez un RIB à votre nom à "
            "vos pièces justificatives. Vos indemnités, elles, passent en paie sans attendre."
        )
    updated, last_paid = _day(user.financial_file_updated), _day(user.last_paid)
    if financial_file_problem(user.iban, updated, last_paid, today) is None:
        return None
    if not user.iban:
        return (
            "RIB manquant : vos indemnités et vos frais vous sont versés par virement et aucun "
            f"IBAN n'est renseigné. Saisissez votre IBAN {_WHERE}, {_DOCUMENTS}"
        )
    if updated is None:
        return f"Dossier financier non transmis : confirmez votre IBAN {_WHERE}, {_DOCUMENTS}"
    latest = max(updated, last_paid or dt.date.min)
    return (
        f"Dossier financier à renouveler (ni paiement ni mise à jour depuis le "
        f"{format_date(latest)}) : confirmez votre IBAN {_WHERE}, {_DOCUMENTS}"
    )
