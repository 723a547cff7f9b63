"""The caller's own profile: residences, vehicle, disability, financial file."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import InvalidInput
from server_stub.core.settings import Settings
from server_stub.people import financial_file, nir_store, repository
from server_stub.people.schemas import ProfileOut, ProfilePatch
from server_stub.reference.communes import communes
from server_stub.reference.service import commune_ref
from server_stub.rules import nir
from server_stub.rules.anomalies import packaged_thresholds
from server_stub.rules.documents import FINANCIAL_FILE_DOCUMENTS
from server_stub.rules.tariffs import packaged_tariffs

# One address, as people type it: something@domain.tld, no spaces, no second @.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def needs_financial_file(user: User, now: dt.datetime) -> bool:
    """DOMAIN §2: an externe sends the file before a first payment and after 12 months without
    (the period is the académie's data: `financial_file_validity_days` of anomalies.toml)."""
    if user.academic:
        return False
    validity = dt.timedelta(days=packaged_thresholds().financial_file_validity_days)
    return user.last_paid is None or now - user.last_paid > validity


def profile(user: User, settings: Settings, session: Session, today: dt.date) -> ProfileOut:
    """The caller's own profile: the only answer that shows their social security number."""
    owed = repository.owed_by_transfer(session, user.id, academic=user.academic)
    missing = financial_file.transfer_request(user, today) if owed else None
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
        nir=nir_store.decrypt(settings, user.nir_encrypted),
        nir_on_file=user.nir_encrypted is not None,
        financial_file_updated=user.financial_file_updated,
        financial_file_needed=needs_financial_file(user, clock.now()) or missing is not None,
        financial_file_missing=missing,
        financial_documents=financial_documents(),
    )


def financial_documents() -> list[str]:
    """The French labels of the documents of a financial file (DOMAIN §6)."""
    labels = packaged_tariffs().document_labels
    return [labels[key] for key in FINANCIAL_FILE_DOCUMENTS]


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if c.isalpha())


def check_iban(value: str) -> str:
    try:
        return IBAN(value).compact
    except SchwiftyException:
        raise ValueError("IBAN invalide : vérifiez les caractères et la clé de contrôle.") from None


def update(
    user: User, patch: ProfilePatch, settings: Settings, session: Session, today: dt.date
) -> ProfileOut:
    changes = patch.model_dump(exclude_unset=True)
    fields: dict[str, str] = {}
    for name in ("administrative_residence", "family_residence"):
        if changes.get(name) and communes().get(changes[name]) is None:
            fields[name] = "Commune inconnue : choisissez-la dans la liste."
    if "email" in changes and not (changes["email"] or "").strip():
        changes["email"] = None
    if changes.get("email") and not _EMAIL.fullmatch(changes["email"].strip()):
        fields["email"] = "Adresse électronique invalide : par exemple prenom.nom@ac-amiens.fr."
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
    if changes.get("nir"):
        message = nir.problem(changes["nir"])
        if message is None:
            changes["nir_encrypted"] = nir_store.encrypt(settings, nir.compact(changes["nir"]))
        else:
            fields["nir"] = message
    if "nir" in changes:
        changes.setdefault("nir_encrypted", None)
        del changes["nir"]
    if fields:
        count = len(fields)
        detail = next(iter(fields.values())) if count == 1 else f"{count} champs sont à corriger."
        raise InvalidInput(detail, fields=fields)
    financial = {
        "iban",
        "bic",
        "account_holder",
        "postal_address",
        "nir_encrypted",
    } & changes.keys()
    for name, value in changes.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    if financial:
        user.financial_file_updated = clock.now()
    return profile(user, settings, session, today)
