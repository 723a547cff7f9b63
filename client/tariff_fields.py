"""The values of a tariff version as a form's fields, and back (Qt-free).

A version's values come nested as in its TOML file (`copy_rates` → `"5"` → `"5.00"`). Each leaf
becomes one field named by its path (`copy_rates.5`), the path the server names when it refuses
a value; a list of plain values (INSEE codes, kilometre limits) is one field, its items separated
by semicolons (decimals are written with a comma); a list of tables (car classes) gives each
table's leaves, numbered. What the user types is sent as typed (a decimal comma included): the
server reads it in the type of the version in force and says, beside the field, what it cannot
read.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

Path = tuple[str | int, ...]
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


class Kind(Enum):
    TEXT = "text"
    LIST = "list"  # plain values separated by commas
    FLAG = "flag"  # yes or no


@dataclass(frozen=True)
class Field:
    path: Path
    label: str
    kind: Kind
    value: str | bool

    @property
    def name(self) -> str:
        """The dotted path, as the server names a field (list positions left out)."""
        return ".".join(str(p) for p in self.path if isinstance(p, str))


def label_of(path: Path, labels: Mapping[str, str]) -> str:
    return " › ".join(
        f"n° {part + 1}" if isinstance(part, int) else labels.get(part, part) for part in path
    )


def shown(value: Any) -> str:
    """A value as the form shows it: decimals with a comma, as people write them."""
    text = "" if value is None else str(value)
    return text.replace(".", ",") if _DECIMAL.match(text) else text


def fields_of(values: Mapping[str, Any], labels: Mapping[str, str]) -> list[Field]:
    found: list[Field] = []

    def walk(value: Any, path: Path) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(inner, (*path, str(key)))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for index, inner in enumerate(value):
                walk(inner, (*path, index))
        elif isinstance(value, list):
            text = " ; ".join(shown(v) for v in value)
            found.append(Field(path, label_of(path, labels), Kind.LIST, text))
        elif isinstance(value, bool):
            found.append(Field(path, label_of(path, labels), Kind.FLAG, value))
        else:
            found.append(Field(path, label_of(path, labels), Kind.TEXT, shown(value)))

    walk(values, ())
    return found


def values_of(entries: list[tuple[Field, str | bool]]) -> dict[str, Any]:
    """The nested values of the fields as typed (`entries`: each field with what it holds)."""
    root: dict[str, Any] = {}
    for field, typed in entries:
        if field.kind is Kind.FLAG:
            value: Any = bool(typed)
        elif field.kind is Kind.LIST:
            value = [item.strip() for item in str(typed).split(";") if item.strip()]
        else:
            value = str(typed).strip()
        _put(root, field.path, value)
    return root


def _put(root: Any, path: Path, value: Any) -> None:
    here = root
    for part, following in itertools.pairwise(path):
        empty: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(here) <= part:
                here.append(empty)
            here = here[part]
        else:
            here = here.setdefault(part, empty)
    last = path[-1]
    if isinstance(last, int):
        while len(here) <= last:
            here.append(None)
        here[last] = value
    else:
        here[last] = value


def field_for(name: str, fields: list[Field]) -> Field | None:
    """The field a server's error names: the same path, or the first field under it."""
    exact = next((f for f in fields if f.name == name), None)
    return exact or next((f for f in fields if f.name.startswith(f"{name}.")), None)
