"""The académie's paying account (the SEPA debtor), read from a data file."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException


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
    return Debtor(
        name=name,
        iban=iban,
        bic=bic,
        initiating_party=str(data.get("initiating_party") or name),
        source=str(data.get("source", "")),
    )


@functools.cache
def debtor() -> Debtor:
    override = PaymentSettings().debtor_file
    if override:
        return parse_debtor(Path(override).read_text(encoding="utf-8"))
    text = resources.files("server_stub.payment").joinpath("debtor.toml").read_text("utf-8")
    return parse_debtor(text)
