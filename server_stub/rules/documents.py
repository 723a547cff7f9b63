"""The supporting documents a statement requires: exactly what its lines need (DOMAIN §6)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from server_stub.rules.model import Line, LineKind, Part, Person, TravelMode

# Keys of tariffs/documents.toml, which holds their French labels and their order.
LINE_DOCUMENTS: dict[LineKind, tuple[str, ...]] = {
    LineKind.FARE: ("ticket",),
    LineKind.NIGHT: ("hotel_invoice",),
    LineKind.PARKING: ("parking_receipts",),
    LineKind.TOLLS: ("toll_receipts",),
    # Décret n° 2006-781, art. 10: a personal vehicle is used with the prior authorisation of
    # the head of service, whatever its kind.
    LineKind.KILOMETRIC: ("vehicle_authorisation",),
}
# The car's rate depends on its fiscal power, proven by the registration certificate.
CAR_DOCUMENTS = ("vehicle_registration",)
# An externe's first payment, or none for 12 months.
FINANCIAL_FILE_DOCUMENTS = ("bank_details", "personal_details_notice", "carte_vitale")


def required_documents(
    lines: Iterable[Line],
    vehicle_modes: Collection[TravelMode],
    person: Person,
    labels: Mapping[str, str],
) -> tuple[str, ...]:
    """French labels, in the order of `labels`, each once."""
    needed: set[str] = set()
    lines = tuple(lines)
    for line in lines:
        needed.update(LINE_DOCUMENTS.get(line.kind, ()))
    if TravelMode.CAR in vehicle_modes:
        needed.update(CAR_DOCUMENTS)
    if person.needs_financial_file:
        needed.update(FINANCIAL_FILE_DOCUMENTS)
    if not person.has_iban and any(line.part is Part.TRAVEL and line.amount > 0 for line in lines):
        needed.add("bank_details")  # travel costs are transferred, for internes too (DOMAIN §1)
    missing = needed - labels.keys()
    if missing:
        raise KeyError(f"documents.toml has no label for {sorted(missing)}")
    return tuple(label for key, label in labels.items() if key in needed)
