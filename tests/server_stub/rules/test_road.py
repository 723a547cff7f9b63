"""The road estimate of a journey: great-circle × the factor of road_distance.toml."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from server_stub.rules.road import factor_on, parse_factors, road_estimate
from server_stub.rules.tariffs import InvalidTariffFileError, NoTariffInForceError

TEXT = """
[[versions]]
version = "a"
valid_from = 2020-01-01
valid_to = 2025-12-31
source = "s"
factor = 1.2

[[versions]]
version = "b"
valid_from = 2026-01-01
source = "s"
factor = 1.4
"""


def test_the_packaged_factor_has_its_source() -> None:
    factor = factor_on(dt.date(2026, 6, 15))
    assert factor.factor == Decimal("1.3") and "Ballou" in factor.source
    assert road_estimate(Decimal(112), dt.date(2026, 6, 15)) == Decimal(146)


def test_the_factor_in_force_on_the_day() -> None:
    factors = tuple(parse_factors(TEXT))
    assert factor_on(dt.date(2025, 6, 1), factors).version == "a"
    assert factor_on(dt.date(2026, 6, 1), factors).version == "b"
    with pytest.raises(NoTariffInForceError):
        factor_on(dt.date(2019, 6, 1), factors)


def test_a_factor_below_one_is_refused() -> None:
    with pytest.raises(InvalidTariffFileError):
        parse_factors(TEXT.replace("1.4", "0.9"))
    with pytest.raises(InvalidTariffFileError):
        parse_factors("[[versions]]\nversion = 'x'\n")
