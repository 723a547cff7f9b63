"""A real OpenLDAP directory for the tests: `slapd` from the distribution's packages, started on
a free 127.0.0.1 port with a temporary configuration and data loaded by `slapadd`. Without
slapd the tests skip locally and fail in CI (scripts/bootstrap.sh installs it)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

BASE = "dc=ac-amiens,dc=fr"
ADMIN = f"cn=admin,{BASE}"
ADMIN_PASSWORD = "Secret-Annuaire-Admin"
PEOPLE = f"ou=people,{BASE}"
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")


def _tool(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if found is None:
        message = f"{name} is missing (Debian package slapd, installed by scripts/bootstrap.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def person(uid: str, first: str, last: str, password: str, mail: str | None = None) -> str:
    lines = [
        f"dn: uid={uid},{PEOPLE}",
        "objectClass: inetOrgPerson",
        f"uid: {uid}",
        f"cn: {first} {last}",
        f"givenName: {first}",
        f"sn: {last}",
        f"userPassword: {password}",
    ]
    if mail:
        lines.append(f"mail: {mail}")
    return "\n".join(lines) + "\n"


class Directory:
    def __init__(self, folder: Path, entries: str) -> None:
        slapd, slapadd = _tool("slapd"), _tool("slapadd")
        if not (SCHEMAS / "inetorgperson.schema").exists():
            _tool("slapd-schemas-missing")
        self.folder = folder
        data = folder / "data"
        data.mkdir()
        self.port = _free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        config = folder / "slapd.conf"
        config.write_text(
            "\n".join(
                [
                    *(
                        f"include {SCHEMAS / name}"
                        for name in ("core.schema", "cosine.schema", "inetorgperson.schema")
                    ),
                    f"pidfile {folder / 'slapd.pid'}",
                    f"modulepath {MODULES}",
                    "moduleload back_mdb",
                    "database mdb",
                    f'suffix "{BASE}"',
                    f'rootdn "{ADMIN}"',
                    f"rootpw {ADMIN_PASSWORD}",
                    f"directory {data}",
                    "maxsize 10485760",
                    # Anyone may search (to find a person's DN); a password is only compared.
                    "access to attrs=userPassword by anonymous auth by * none",
                    "access to * by * read",
                    "",
                ]
            )
        )
        ldif = folder / "data.ldif"
        ldif.write_text(
            f"dn: {BASE}\nobjectClass: dcObject\nobjectClass: organization\no: Académie\n"
            f"dc: ac-amiens\n\n"
            f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people\n\n" + entries
        )
        subprocess.run(
            [slapadd, "-f", str(config), "-l", str(ldif)], check=True, capture_output=True
        )
        self._command = [slapd, "-f", str(config), "-h", self.url, "-d", "0"]
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.folder / "slapd.log"
        with log.open("wb") as output:
            self.process = subprocess.Popen(self._command, stdout=output, stderr=output)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"slapd stopped: {log.read_text(errors='replace')}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("slapd did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def running_directory(folder: Path, entries: str) -> Iterator[Directory]:
    directory = Directory(folder, entries)
    directory.start()
    try:
        yield directory
    finally:
        directory.stop()
