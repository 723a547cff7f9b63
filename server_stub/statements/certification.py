"""What the intervenant certifies on honour when validating a statement.

The accuracy of what they declared, always; and for paid work, that they receive no overtime for
the same hours: the vacation indemnities of the arrêté du 13 avril 2012 cannot be combined with
overtime for the same period (art. 5; décret n° 2010-235 du 5 mars 2010). The texts go to the
client to be ticked, are stored with the statement as they were certified, and printed on the
recap.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from server_stub.core.errors import InvalidInput
from server_stub.statements.schemas import CertificationIn, CertificationOut, Pledge

ACCURATE = "Je certifie sur l'honneur l'exactitude des renseignements portés sur cet état de frais."
NO_OVERTIME = (
    "Je certifie sur l'honneur ne pas percevoir d'heures supplémentaires pour les mêmes heures "
    "que ces vacations (arrêté du 13 avril 2012, art. 5)."
)


PLEDGES = (
    Pledge(key="accurate", text=ACCURATE, paid_work_only=False),
    Pledge(key="no_overtime", text=NO_OVERTIME, paid_work_only=True),
)


def pledges(pay_total: Decimal) -> list[Pledge]:
    """What validating asks to certify: the overtime pledge only for paid work (a pay total
    above zero, as the client reads it on the computation it shows)."""
    return [p for p in PLEDGES if pay_total > 0 or not p.paid_work_only]


def certified(body: CertificationIn | None, pay_total: Decimal, at: dt.datetime) -> dict[str, Any]:
    """The certification to store, or a French refusal on each box left unticked."""
    fields: dict[str, str] = {}
    if body is None or not body.accurate:
        fields["certification.accurate"] = (
            "Cochez l'attestation sur l'honneur de l'exactitude de l'état de frais pour le valider."
        )
    if pay_total > 0 and (body is None or not body.no_overtime):
        fields["certification.no_overtime"] = (
            "Cochez l'attestation de non-cumul avec des heures supplémentaires pour les mêmes "
            "heures (obligatoire pour des vacations rémunérées)."
        )
    if fields:
        detail = (
            next(iter(fields.values()))
            if len(fields) == 1
            else ("Cochez les attestations sur l'honneur pour valider l'état de frais.")
        )
        raise InvalidInput(detail, fields=fields)
    return {"at": at.isoformat(), "texts": [p.text for p in pledges(pay_total)]}


def all_pledges() -> list[Pledge]:
    return list(PLEDGES)


def stored(data: dict[str, Any] | None) -> CertificationOut | None:
    if not data:
        return None
    return CertificationOut.model_validate(data)
