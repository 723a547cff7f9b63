"""One version of a tariff file written as the `[[versions]]` table of its TOML file, and its
values read back as JSON: what the database stores and what the administrator's screen shows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def version_text(raw: Mapping[str, Any]) -> str:
    """`[[versions]]` then one `key = value` line per entry (tables written inline)."""
    lines = ["[[versions]]"]
    lines += [f"{_key(key)} = {_value(value)}" for key, value in raw.items()]
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if key.replace("_", "").isalnum() and key.isascii() else json.dumps(key)


def _value(value: Any) -> str:
    # bool before int: a bool is an int to Python.
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Written with its own digits ("0.80" stays "0.80"), never in exponent form.
        return format(value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        # A JSON string is a TOML basic string (same escapes).
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dt.datetime):
        raise TypeError("a tariff holds no date and time together")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_key(str(k))} = {_value(v)}" for k, v in value.items())
        return f"{{ {inner} }}" if inner else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} in a tariff file")


def plain(value: Any) -> Any:
    """A TOML value as JSON: amounts as strings with their digits, times as HH:MM."""
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M") if not value.second else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    raise TypeError(f"cannot show {type(value).__name__}")
