"""The académie's paying account (the SEPA debtor), read from a data file."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from server_stub.payment.sepa_versions import SCHEMAS, V09


class PaymentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IMAGIN_PAYMENT_")

    # A TOML file like server_stub/payment/debtor.toml; the shipped one when empty.
    debtor_file: str = ""


@dataclass(frozen=True)
class Debtor:
    name: str
    iban: str
    bic: str | None
    initiating_party: str
    source: str
    # The version of the SEPA credit-transfer file the bank takes (payment/sepa.py).
    sepa_schema: str = V09
    # The account of the shipped example file: no file may pay from it.
    example: bool = False


def parse_debtor(text: str) -> Debtor:
    data = tomllib.loads(text)
    try:
        iban = IBAN(str(data["iban"])).compact
        bic = str(BIC(str(data["bic"]))) if data.get("bic") else None
    except SchwiftyException as error:
        raise ValueError(f"debtor file: invalid account ({error})") from error
    name = str(data["name"]).strip()
    if not name:
        raise ValueError("debtor file: empty name")
    schema = str(data.get("sepa_schema", V09))
    if schema not in SCHEMAS:
        raise ValueError(f"debtor file: sepa_schema must be one of {', '.join(SCHEMAS)}")
    return Debtor(
        name=name,
        iban=iban,
        bic=bic,
        initiating_party=str(data.get("initiating_party") or name),
        source=str(data.get("source", "")),
        sepa_schema=schema,
    )


@functools.cache
def example_debtor() -> Debtor:
    text = resources.files("server_stub.payment").joinpath("debtor.toml").read_text("utf-8")
    return replace(parse_debtor(text), example=True)


@functools.cache
def debtor() -> Debtor:
    """The configured account (IMAGIN_PAYMENT_DEBTOR_FILE), else the shipped example, marked
    as such: payment files refuse it (payment/service.py)."""
    override = PaymentSettings().debtor_file
    if not override:
        return example_debtor()
    configured = parse_debtor(Path(override).read_text(encoding="utf-8"))
    return replace(configured, example=configured.iban == example_debtor().iban)
