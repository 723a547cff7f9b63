"""The caller's own profile: residences, vehicle, disability, financial file."""

from __future__ import annotations

import datetime as dt
import unicodedata

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.people.schemas import CommuneRef, ProfileOut, ProfilePatch
from server_stub.reference.communes import communes

_FINANCIAL_FILE_VALIDITY = dt.timedelta(days=365)


def commune_ref(insee: str | None) -> CommuneRef | None:
    directory = communes()
    commune = directory.get(insee or "")
    if commune is None:
        return None
    return CommuneRef(
        insee=commune.insee,
        name=commune.name,
        department=commune.department,
        postal_codes=list(directory.postal_codes(commune.insee)),
    )


def needs_financial_file(user: User, now: dt.datetime) -> bool:
    """DOMAIN §2: an externe sends the file before a first payment and after 12 months without."""
    if user.academic:
        return False
    return user.last_paid is None or now - user.last_paid > _FINANCIAL_FILE_VALIDITY


def profile(user: User) -> ProfileOut:
    return ProfileOut(
        id=user.id,
        login=user.login,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        role=user.role,
        category=user.category,
        academic=user.academic,
        must_change_password=user.must_change_password,
        administrative_residence=commune_ref(user.administrative_residence),
        family_residence=commune_ref(user.family_residence),
        fiscal_power=user.fiscal_power,
        disability=user.disability,
        iban=user.iban,
        bic=user.bic,
        account_holder=user.account_holder,
        postal_address=user.postal_address,
        financial_file_updated=user.financial_file_updated,
        financial_file_needed=needs_financial_file(user, clock.now()),
    )


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalpha())


def check_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException:
        raise ValueError("IBAN invalide : vérifiez les caractères et la clé de contrôle.") from None


def update(user: User, patch: ProfilePatch) -> ProfileOut:
    changes = patch.model_dump(exclude_unset=True)
    fields: dict[str, str] = {}
    for name in ("administrative_residence", "family_residence"):
        if changes.get(name) and communes().get(changes[name]) is None:
            fields[name] = "Commune inconnue : choisissez-la dans la liste."
    if changes.get("iban"):
        try:
            changes["iban"] = check_iban(changes["iban"])
        except ValueError as error:
            fields["iban"] = str(error)
    if changes.get("bic"):
        try:
            changes["bic"] = str(BIC(changes["bic"]))
        except SchwiftyException:
            fields["bic"] = "BIC invalide : 8 ou 11 caractères, par exemple CCBPFRPPAMI."
    holder = changes.get("account_holder")
    if holder and _plain(user.last_name) not in _plain(holder):
        fields["account_holder"] = "Le titulaire du compte doit être vous-même."
    if fields:
        count = len(fields)
        detail = next(iter(fields.values())) if count == 1 else f"{count} champs sont à corriger."
        raise InvalidInput(detail, fields=fields)
    financial = {"iban", "bic", "account_holder", "postal_address"} & changes.keys()
    for name, value in changes.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    if financial:
        user.financial_file_updated = clock.now()
    return profile(user)
