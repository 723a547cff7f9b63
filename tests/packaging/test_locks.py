"""The hashed locks under requirements/ follow pyproject.toml (`make lock` rewrites them)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
LOCKS = ROOT / "requirements"
PIN = re.compile(
    r"^([A-Za-z0-9._-]+)==([^\s;]+)(?: ; ([^\\]+))? \\\n"
    r"((?:\s+--hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
    re.MULTILINE,
)


def project() -> dict[str, list[str]]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"": data["dependencies"], **data["optional-dependencies"]}


def pins(lock: str) -> dict[str, list[Version]]:
    text = (LOCKS / lock).read_text(encoding="utf-8")
    found: dict[str, list[Version]] = {}
    for name, version, _marker, _hashes in PIN.findall(text):
        found.setdefault(canonicalize_name(name), []).append(Version(version))
    # Every pinned line carries its hashes (the pattern only matches those).
    assert len(re.findall(r"^[A-Za-z0-9._-]+==", text, re.MULTILINE)) == sum(
        len(v) for v in found.values()
    ), f"{lock}: a pin without hashes"
    return found


@pytest.mark.parametrize(
    ("lock", "groups"),
    [
        ("client.txt", [""]),
        ("server.txt", ["", "server"]),
        ("dev.txt", ["", "server", "dev"]),
    ],
)
def test_each_lock_pins_every_dependency_within_pyproject(lock: str, groups: list[str]) -> None:
    locked = pins(lock)
    stale = []
    for group in groups:
        for text in project()[group]:
            requirement = Requirement(text)
            versions = locked.get(canonicalize_name(requirement.name))
            if not versions or not all(v in requirement.specifier for v in versions):
                stale.append(f"{text} (locked: {versions})")
    assert stale == [], f"requirements/{lock} is out of date: run make lock"


def test_the_locks_agree_with_each_other() -> None:
    dev = pins("dev.txt")
    for lock in ("client.txt", "server.txt"):
        for name, versions in pins(lock).items():
            assert set(versions) <= set(dev[name]), f"{lock}: {name} {versions}"


def test_the_client_lock_holds_only_the_client() -> None:
    assert "fastapi" not in pins("client.txt")
    assert "pytest" not in pins("server.txt")
