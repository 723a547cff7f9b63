"""The administrator's use cases on the reference data the académie owns (Référentiel):
adjacent communes, return reasons, anomaly thresholds and the debtor account of payment files.

Each is stored over its packaged (or settings) default and read per request by the rules that
use it (referential/values.py); each change is validated, worded in French when refused, and
audited in the transaction of the change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from sqlalchemy.orm import Session

from server_stub.admin.schemas import (
    AdjacentCommunesOut,
    AdjacentPairIn,
    AdjacentPairOut,
    DebtorIn,
    DebtorOut,
    ReturnReasonChangeIn,
    ReturnReasonIn,
    ReturnReasonOut,
    ThresholdOut,
    ThresholdsIn,
    ThresholdsOut,
)
from server_stub.audit import service as audit
from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import Conflict, InvalidInput, NotFound
from server_stub.core.settings import Settings
from server_stub.dec import repository as dec_repository
from server_stub.payment.config import example_debtor
from server_stub.payment.sepa_versions import SCHEMAS
from server_stub.payment.service import configured_debtor
from server_stub.reference.communes import adjacent_pairs as packaged_pairs
from server_stub.reference.communes import communes
from server_stub.referential import repository, values
from server_stub.referential.models import (
    AdjacentCommuneChange,
    AnomalyThresholdValue,
    DebtorAccount,
    ReturnReasonEntry,
)
from server_stub.rules.anomalies import packaged_thresholds
from server_stub.rules.french import format_number
from server_stub.statements import anomalies

_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,39}")
LABEL_MAX = 1000


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: message})


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    found = {}
    for user_id in {i for i in ids if i is not None}:
        user = session.get(User, user_id)
        if user is not None:
            found[user_id] = user.full_name
    return found


def _changed(session: Session) -> None:
    """What this transaction changed is read again by the rules it feeds."""
    values.forget(session)


# --- adjacent communes ----------------------------------------------------------------------


def _commune_name(insee: str) -> str:
    commune = communes().get(insee)
    return commune.name if commune is not None else insee


def _pair_out(
    insee_a: str, insee_b: str, change: AdjacentCommuneChange | None, names: dict[int, str]
) -> AdjacentPairOut:
    packaged = frozenset((insee_a, insee_b)) in packaged_pairs()
    return AdjacentPairOut(
        insee_a=insee_a,
        name_a=_commune_name(insee_a),
        insee_b=insee_b,
        name_b=_commune_name(insee_b),
        adjacent=change.adjacent if change is not None else packaged,
        packaged=packaged,
        changed=change is not None,
        changed_at=change.changed_at if change is not None else None,
        changed_by=names.get(change.changed_by or 0) if change is not None else None,
    )


def adjacent_communes(session: Session) -> AdjacentCommunesOut:
    changes = repository.adjacent_changes(session)
    names = _names(session, (c.changed_by for c in changes))
    return AdjacentCommunesOut(
        packaged_count=len(packaged_pairs()),
        count=len(values.adjacent_pairs(session)),
        changes=[_pair_out(c.insee_a, c.insee_b, c, names) for c in changes],
    )


def _pair(insee_a: str, insee_b: str) -> tuple[str, str]:
    """The two codes, checked, in order (`insee_a < insee_b`)."""
    fields = {}
    for field, code in (("insee_a", insee_a), ("insee_b", insee_b)):
        code = code.strip().upper()
        if not code:
            fields[field] = "Saisissez le code INSEE de la commune (5 caractères, par ex. 80021)."
        elif communes().get(code) is None:
            fields[field] = f"Aucune commune n'a le code INSEE « {code} »."
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    a, b = insee_a.strip().upper(), insee_b.strip().upper()
    if a == b:
        raise _refuse("insee_b", "Choisissez deux communes différentes.")
    return (a, b) if a < b else (b, a)


def adjacent_pair(session: Session, insee_a: str, insee_b: str) -> AdjacentPairOut:
    a, b = _pair(insee_a, insee_b)
    change = repository.adjacent_change(session, a, b)
    return _pair_out(a, b, change, _names(session, [change.changed_by if change else None]))


def set_adjacent(session: Session, actor: User, body: AdjacentPairIn) -> AdjacentPairOut:
    a, b = _pair(body.insee_a, body.insee_b)
    change = repository.adjacent_change(session, a, b)
    packaged = frozenset((a, b)) in packaged_pairs()
    before = change.adjacent if change is not None else packaged
    wanted = packaged if body.adjacent is None else body.adjacent
    if body.adjacent is None or body.adjacent == packaged:
        if change is not None:
            repository.remove(session, change)
            change = None
    elif change is None:
        change = AdjacentCommuneChange(
            insee_a=a, insee_b=b, adjacent=wanted, changed_at=clock.now(), changed_by=actor.id
        )
        repository.add(session, change)
    else:
        change.adjacent, change.changed_at, change.changed_by = wanted, clock.now(), actor.id
    session.flush()
    _changed(session)
    pair = f"{_commune_name(a)} ({a}) et {_commune_name(b)} ({b})"
    state = "limitrophes" if wanted else "non limitrophes"
    summary = f"Communes {pair} : désormais {state}"
    if body.adjacent is None:
        summary += " (comme la liste fournie avec IMAG'IN)"
    audit.record(
        session,
        actor,
        "ADJACENT_COMMUNES",
        "adjacent_communes",
        f"{a}-{b}",
        summary + ("." if before != wanted else ", comme avant."),
        {"insee_a": a, "insee_b": b, "before": before, "after": wanted, "packaged": packaged},
    )
    return _pair_out(a, b, change, {actor.id: actor.full_name})


# --- return reasons -------------------------------------------------------------------------


def return_reasons(session: Session) -> list[ReturnReasonOut]:
    uses = dec_repository.return_reason_uses(session)
    return [
        ReturnReasonOut(
            code=r.code,
            label=r.label,
            active=r.active,
            packaged_label=r.packaged_label,
            uses=uses.get(r.code, 0),
        )
        for r in values.return_reasons(session, active_only=False)
    ]


def _one_reason(session: Session, code: str) -> ReturnReasonOut:
    for reason in return_reasons(session):
        if reason.code == code:
            return reason
    raise NotFound("Ce motif de retour n'existe pas.")


def _label(text: str) -> str:
    label = " ".join(text.split())
    if not label:
        raise _refuse("label", "Saisissez le texte du motif, tel que l'intervenant le lira.")
    if len(label) > LABEL_MAX:
        raise _refuse("label", f"Le texte du motif dépasse {LABEL_MAX} caractères : abrégez-le.")
    return label


def add_return_reason(session: Session, actor: User, body: ReturnReasonIn) -> ReturnReasonOut:
    code = body.code.strip()
    fields = {}
    if not _CODE.fullmatch(code):
        fields["code"] = (
            "Le code s'écrit en majuscules sans accent, chiffres et « _ », de 2 à 40 "
            "caractères, en commençant par une lettre (par ex. SIGNATURE_MANQUANTE)."
        )
    try:
        label = _label(body.label)
    except InvalidInput as error:
        fields.update(error.fields)
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    known = {r.code for r in values.return_reasons(session, active_only=False)}
    if code in known:
        message = f"Le code {code} est déjà celui d'un motif : choisissez-en un autre."
        raise Conflict(message, fields={"code": message})
    now = clock.now()
    repository.add(
        session,
        ReturnReasonEntry(
            code=code, label=label, active=True, created_at=now, changed_at=now, changed_by=actor.id
        ),
    )
    session.flush()
    audit.record(
        session,
        actor,
        "RETURN_REASON_ADDED",
        "return_reason",
        code,
        f"Motif de retour {code} ajouté : « {label} ».",
        {"code": code, "label": label},
    )
    return _one_reason(session, code)


def change_return_reason(
    session: Session, actor: User, code: str, body: ReturnReasonChangeIn
) -> ReturnReasonOut:
    before = _one_reason(session, code)
    label = _label(body.label)
    row = repository.return_reason(session, code)
    now = clock.now()
    if row is None:  # a packaged reason, changed for the first time
        row = ReturnReasonEntry(
            code=code, label=label, active=body.active, created_at=now, changed_at=now
        )
        repository.add(session, row)
    row.label, row.active, row.changed_at, row.changed_by = label, body.active, now, actor.id
    session.flush()
    parts = []
    if label != before.label:
        parts.append(f"texte « {before.label} » → « {label} »")
    if body.active != before.active:
        parts.append("réactivé" if body.active else "désactivé (il n'est plus proposé à la DEC)")
    audit.record(
        session,
        actor,
        "RETURN_REASON_CHANGED",
        "return_reason",
        code,
        f"Motif de retour {code} : {', '.join(parts) if parts else 'inchangé'}.",
        {
            "code": code,
            "before": {"label": before.label, "active": before.active},
            "after": {"label": label, "active": body.active},
        },
    )
    return _one_reason(session, code)


def remove_return_reason(session: Session, actor: User, code: str) -> None:
    reason = _one_reason(session, code)
    if reason.packaged_label is not None:
        raise Conflict(
            f"Le motif {code} est fourni avec IMAG'IN : il ne peut pas être supprimé. "
            "Désactivez-le pour qu'il ne soit plus proposé à la DEC."
        )
    if reason.uses:
        raise Conflict(
            f"Le motif {code} a servi au retour de {reason.uses} état(s) de frais : il ne peut "
            "pas être supprimé. Désactivez-le pour qu'il ne soit plus proposé à la DEC."
        )
    row = repository.return_reason(session, code)
    assert row is not None  # an académie reason is stored
    repository.remove(session, row)
    session.flush()
    audit.record(
        session,
        actor,
        "RETURN_REASON_REMOVED",
        "return_reason",
        code,
        f"Motif de retour {code} supprimé : « {reason.label} ».",
        {"code": code, "label": reason.label},
    )


# --- anomaly thresholds ---------------------------------------------------------------------

# name → (label, unit, lowest, highest, whole number)
_THRESHOLDS: dict[str, tuple[str, str, Decimal, Decimal, bool]] = {
    "half_day_minutes": (
        "Durée d'une demi-journée d'oral",
        "minutes",
        Decimal(30),
        Decimal(720),
        True,
    ),
    "km_ratio": (
        "Kilométrage : rapport à l'aller-retour à vol d'oiseau",
        "fois",
        Decimal(1),
        Decimal(10),
        False,
    ),
    "km_excess": (
        "Kilométrage : écart signalé au-delà de",
        "km",
        Decimal("0.01"),
        Decimal(1000),
        False,
    ),
    "night_near_home_km": (
        "Nuitée signalée si la résidence est à moins de",
        "km",
        Decimal("0.01"),
        Decimal(1000),
        False,
    ),
}
assert tuple(_THRESHOLDS) == values.THRESHOLD_NAMES


def thresholds(session: Session, refreshed: int | None = None) -> ThresholdsOut:
    stored = {row.name: row for row in repository.threshold_values(session)}
    names = _names(session, (row.changed_by for row in stored.values()))
    packaged, now = packaged_thresholds(), values.anomaly_thresholds(session)
    return ThresholdsOut(
        thresholds=[
            ThresholdOut(
                name=name,
                label=label,
                unit=unit,
                value=getattr(now, name),
                packaged=getattr(packaged, name),
                changed=name in stored,
                changed_at=stored[name].changed_at if name in stored else None,
                changed_by=names.get(stored[name].changed_by or 0) if name in stored else None,
            )
            for name, (label, unit, *_) in _THRESHOLDS.items()
        ],
        refreshed=refreshed,
    )


def _checked_threshold(name: str, value: Decimal) -> Decimal:
    _label, unit, lowest, highest, whole = _THRESHOLDS[name]
    if value <= 0:
        raise _refuse(name, "Un seuil est un nombre strictement positif.")
    if whole and value != value.to_integral_value():
        raise _refuse(name, f"Saisissez un nombre entier de {unit}.")
    if value != value.quantize(Decimal("0.01")):
        raise _refuse(name, "Saisissez au plus deux décimales.")
    if not lowest <= value <= highest:
        raise _refuse(
            name,
            f"Saisissez une valeur entre {format_number(lowest)} et {format_number(highest)} "
            f"({unit}).",
        )
    return value


def change_thresholds(
    session: Session, settings: Settings, actor: User, body: ThresholdsIn
) -> ThresholdsOut:
    """Sets the thresholds named in `body` (null: back to the packaged value), then computes the
    anomalies of every statement again: the DEC's queue flags by the new thresholds at once."""
    asked = {
        name: getattr(body, name)
        for name in values.THRESHOLD_NAMES
        if name in body.model_fields_set
    }
    fields = {}
    for name, value in asked.items():
        if value is not None:
            try:
                _checked_threshold(name, value)
            except InvalidInput as error:
                fields.update(error.fields)
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    before = values.anomaly_thresholds(session)
    packaged = packaged_thresholds()
    now = clock.now()
    parts, details = [], {}
    for name, value in asked.items():
        row = repository.threshold_value(session, name)
        default = Decimal(getattr(packaged, name))
        if value is None or value == default:
            if row is not None:
                repository.remove(session, row)
        elif row is None:
            repository.add(
                session,
                AnomalyThresholdValue(name=name, value=value, changed_at=now, changed_by=actor.id),
            )
        else:
            row.value, row.changed_at, row.changed_by = value, now, actor.id
        old = Decimal(getattr(before, name))
        new = default if value is None else value
        if old != new:
            label, unit, *_ = _THRESHOLDS[name]
            parts.append(f"{label} : {format_number(old)} → {format_number(new)} {unit}")
            details[name] = {"before": str(old), "after": str(new)}
    session.flush()
    _changed(session)
    refreshed = None
    if parts:
        audit.record(
            session,
            actor,
            "ANOMALY_THRESHOLDS",
            "anomaly_thresholds",
            None,
            "Seuils des anomalies modifiés : " + " ; ".join(parts) + ".",
            details,
        )
        refreshed = anomalies.refresh_all(session, clock.today(settings))
    return thresholds(session, refreshed)


# --- the debtor account ---------------------------------------------------------------------


def debtor(session: Session) -> DebtorOut:
    account = configured_debtor(session)
    stored = repository.debtor_account(session)
    names = _names(session, [stored.changed_by if stored else None])
    return DebtorOut(
        name=account.name,
        iban=account.iban,
        bic=account.bic,
        initiating_party=account.initiating_party,
        sepa_schema=account.sepa_schema,
        schemas=list(SCHEMAS),
        academie=stored is not None,
        example=account.example,
        changed_at=stored.changed_at if stored else None,
        changed_by=names.get(stored.changed_by or 0) if stored else None,
    )


def _masked(iban: str) -> str:
    return f"{iban[:4]} … {iban[-4:]}"


def _checked_debtor(body: DebtorIn) -> DebtorAccount:
    fields: dict[str, str] = {}
    name = " ".join(body.name.split())
    if not name:
        fields["name"] = "Saisissez le nom du titulaire du compte (le comptable de l'académie)."
    elif len(name) > 70:
        fields["name"] = "Le nom du titulaire tient en 70 caractères au plus (norme SEPA)."
    iban = bic = ""
    try:
        iban = IBAN(body.iban).compact
    except SchwiftyException:
        fields["iban"] = (
            "Cet IBAN n'est pas valide : vérifiez-le (27 caractères pour un compte français, "
            "commençant par FR76, clé de contrôle comprise)."
        )
    if iban and iban == example_debtor().iban:
        fields["iban"] = (
            "C'est le compte d'exemple fourni avec IMAG'IN : saisissez celui du comptable de "
            "l'académie."
        )
    if body.bic is not None and body.bic.strip():
        try:
            bic = str(BIC(body.bic.strip().upper()))
        except SchwiftyException:
            fields["bic"] = "Ce BIC n'est pas valide : 8 ou 11 caractères (par ex. BDFEFRPPCCT)."
    party = " ".join((body.initiating_party or "").split()) or name
    if len(party) > 70:
        fields["initiating_party"] = "L'émetteur tient en 70 caractères au plus (norme SEPA)."
    if body.sepa_schema not in SCHEMAS:
        fields["sepa_schema"] = f"Choisissez une version de fichier SEPA : {', '.join(SCHEMAS)}."
    if fields:
        raise InvalidInput(next(iter(fields.values())), fields=fields)
    return DebtorAccount(
        id=repository.DEBTOR_ID,
        name=name,
        iban=iban,
        bic=bic or None,
        initiating_party=party,
        sepa_schema=body.sepa_schema,
    )


def change_debtor(session: Session, actor: User, body: DebtorIn) -> DebtorOut:
    wanted = _checked_debtor(body)
    before = configured_debtor(session)
    row = repository.debtor_account(session)
    if row is None:
        row = wanted
        repository.add(session, row)
    else:
        for field in ("name", "iban", "bic", "initiating_party", "sepa_schema"):
            setattr(row, field, getattr(wanted, field))
    row.changed_at, row.changed_by = clock.now(), actor.id
    session.flush()
    audit.record(
        session,
        actor,
        "DEBTOR_ACCOUNT",
        "debtor_account",
        None,
        f"Compte payeur des fichiers de paiement : {before.name} ({_masked(before.iban)}) → "
        f"{row.name} ({_masked(row.iban)}), BIC {row.bic or 'non renseigné'}, "
        f"fichier {row.sepa_schema}.",
        {
            "before": {"name": before.name, "iban": _masked(before.iban)},
            "after": {"name": row.name, "iban": _masked(row.iban), "bic": row.bic},
        },
    )
    return debtor(session)


def reset_debtor(session: Session, actor: User) -> DebtorOut:
    """Back to the account of the server settings."""
    row = repository.debtor_account(session)
    if row is None:
        raise NotFound("L'académie n'a pas renseigné de compte : c'est déjà celui des réglages.")
    before = configured_debtor(session)
    repository.remove(session, row)
    session.flush()
    after = configured_debtor(session)
    audit.record(
        session,
        actor,
        "DEBTOR_ACCOUNT",
        "debtor_account",
        None,
        f"Compte payeur des fichiers de paiement : {before.name} ({_masked(before.iban)}) → "
        f"celui des réglages du serveur, {after.name} ({_masked(after.iban)}).",
        {"before": {"name": before.name, "iban": _masked(before.iban)}, "after": "settings"},
    )
    return debtor(session)
