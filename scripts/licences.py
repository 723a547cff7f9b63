"""Writes docs/licences.md: every locked dependency, its licence, and whether it fits EUPL-1.2.

    python scripts/licences.py docs/licences.md      (make licences)
    python scripts/licences.py --check docs/licences.md

The parts come from the hashed locks (requirements/): what the desktop client installs, what
the server adds, what only development uses. Each licence is read from the installed package's
metadata (its SPDX `License-Expression`, else its `License` field or its classifiers), or from
KNOWN below for a package this platform does not install (Windows and macOS only).

A licence fits when IMAG'IN can be distributed under EUPL-1.2 with the package inside or beside
it: permissive licences, and the weak copyleft ones the EUPL's appendix lists as compatible
(LGPL, MPL-2.0) used as separate libraries. A GPL-only or Artistic-1.0 package does not fit: the
combined work would have to be distributed under the GPL. Development tools are not distributed
(PyInstaller's bootloader is, under its exception) and are listed for information.
Exits 1 when a client or server dependency does not fit or a licence cannot be determined.
"""

from __future__ import annotations

import argparse
import importlib.metadata as metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)", re.MULTILINE)

FITS = {
    "0BSD", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "CC0-1.0", "HPND", "ISC",
    "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0-only", "LGPL-3.0-or-later", "MIT",
    "MIT-0", "MIT-CMU", "MPL-2.0", "PSF-2.0", "Unlicense", "Zlib",
}  # fmt: skip
# Tools that are not distributed, or distributed under an exception for that purpose.
TOOL_ONLY = {"GPL-2.0-or-later WITH Bootloader-exception"}

# Free-text `License` fields and classifiers, as SPDX.
ALIASES = {
    "mit": "MIT",
    "mit license": "MIT",
    "bsd": "BSD-3-Clause",
    "bsd license": "BSD-3-Clause",
    "3-clause bsd license": "BSD-3-Clause",
    "apache 2.0": "Apache-2.0",
    "apache-2.0": "Apache-2.0",
    "apache software license": "Apache-2.0",
    "mozilla public license 2.0 (mpl 2.0)": "MPL-2.0",
    "mpl-2.0": "MPL-2.0",
    "python software foundation license": "PSF-2.0",
    "gnu lesser general public license v2 (lgplv2)": "LGPL-2.1-only",
    "gnu lesser general public license v3 (lgplv3)": "LGPL-3.0-only",
    "artistic license": "Artistic-1.0",
    "gnu general public license (gpl)": "GPL-2.0-or-later",
    "gnu general public license v2 or later (gplv2+)": "GPL-2.0-or-later",
    "isc license (iscl)": "ISC",
}
# Licences read from the package's own licence file where its metadata says too little, and
# those of packages installed on Windows or macOS only.
KNOWN = {
    "reportlab": "BSD-3-Clause",  # "BSD license (see license.txt)": BSD-3-Clause text
    "rl-accel": "BSD-3-Clause",
    "rstr": "BSD-3-Clause",
    # "BSD-3-Clause, Apache-2.0, dependency licenses": the bindings are Apache-2.0 OR
    # BSD-3-Clause; the PDFium binary it ships is BSD-3-Clause, built with permissive libraries
    # (FreeType's FTL, libjpeg-turbo, libpng, zlib, Little CMS, OpenJPEG, ICU: the wheel's
    # BUILD_LICENSES).
    "pypdfium2": "Apache-2.0 OR BSD-3-Clause",
    "pyinstaller": "GPL-2.0-or-later WITH Bootloader-exception",
    "pyinstaller-hooks-contrib": "Apache-2.0 OR GPL-2.0-or-later",
    "text-unidecode": "Artistic-1.0 OR GPL-2.0-or-later",
    "pywin32-ctypes": "BSD-3-Clause",
    "pefile": "MIT",
    "macholib": "MIT",
    "altgraph": "MIT",
    "colorama": "BSD-3-Clause",
    "pywin32": "PSF-2.0",
    "tzdata": "Apache-2.0",  # the time zones, installed where the system has none (Windows)
}
PARTS = (
    ("client", "Application de bureau (client.txt)"),
    ("server", "Serveur de référence, en plus du client (server.txt)"),
    ("dev", "Développement, tests et construction des paquets (dev.txt), non distribués"),
)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: str) -> dict[str, str]:
    text = (LOCKS / lock).read_text(encoding="utf-8")
    return {canonical(name): version for name, version in PIN.findall(text)}


def spdx(text: str) -> str | None:
    text = " ".join(text.split())
    return ALIASES.get(text.lower())


def licence_of(name: str) -> tuple[str, str]:
    """(SPDX expression or "?", where it was read)."""
    if name in KNOWN:
        return KNOWN[name], "connue"
    try:
        meta = metadata.metadata(name)
    except metadata.PackageNotFoundError:
        return "?", "non installé ici"
    if meta.get_all("License-Expression"):
        return str(meta["License-Expression"]), "métadonnées"
    field = str(meta["License"] or "") if meta.get_all("License") else ""
    if field and len(field) < 60 and (found := spdx(field) or _spdx_like(field)):
        return found, "métadonnées"
    classifiers = [
        c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")
    ]
    mapped = [spdx(c) for c in classifiers if spdx(c)]
    if mapped:
        return " OR ".join(dict.fromkeys(m for m in mapped if m)), "classificateurs"
    return "?", "indéterminée"


def _spdx_like(text: str) -> str | None:
    return (
        text.strip()
        if re.fullmatch(r"[A-Za-z0-9.+-]+(?: (?:OR|AND) [A-Za-z0-9.+-]+)*", text.strip())
        else None
    )


def fits(expression: str) -> bool:
    """True when the expression leaves a way to use the package in an EUPL-1.2 work."""
    expression = expression.strip().strip("()")
    if " OR " in expression:
        return any(fits(part) for part in expression.split(" OR "))
    if " AND " in expression:
        return all(fits(part) for part in expression.split(" AND "))
    return expression in FITS


def verdict(expression: str, part: str) -> str:
    if fits(expression):
        return "compatible"
    if part == "dev" and (expression in TOOL_ONLY or expression != "?"):
        return "outil non distribué"
    return "À REMPLACER"


def rows() -> list[tuple[str, str, str, str, str, str]]:
    client = locked("client.txt")
    server = locked("server.txt")
    dev = locked("dev.txt")
    result = []
    for part, names in (
        ("client", client),
        ("server", {n: v for n, v in server.items() if n not in client}),
        ("dev", {n: v for n, v in dev.items() if n not in server}),
    ):
        for name in sorted(names):
            expression, source = licence_of(name)
            result.append((part, name, names[name], expression, source, verdict(expression, part)))
    return result


def render() -> tuple[str, list[str]]:
    table = rows()
    problems = [
        f"{name} {version}: {lic}" for part, name, version, lic, _, v in table if v == "À REMPLACER"
    ]
    lines = [
        "# Licences des dépendances",
        "",
        "Généré par `make licences` (`scripts/licences.py`) à partir des verrous `requirements/` :",
        "ne pas modifier à la main. IMAG'IN est distribué sous licence EUPL-1.2 ; une dépendance",
        "est *compatible* quand sa licence permet de distribuer IMAG'IN sous EUPL-1.2 avec elle",
        "(licences permissives, et LGPL ou MPL-2.0 utilisées comme bibliothèques distinctes, que",
        "l'annexe de l'EUPL cite comme compatibles). Les outils de développement ne sont pas",
        "distribués ; le chargeur de PyInstaller l'est, sous l'exception prévue à cet effet.",
        "",
        "Qt (PySide6, LGPL-3.0) est livré en bibliothèques partagées distinctes dans le paquet,",
        "que l'utilisateur peut remplacer, comme la LGPL le demande.",
        "",
    ]
    for part, title in PARTS:
        lines += [
            f"## {title}",
            "",
            "| Paquet | Version | Licence | Source | Verdict |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {name} | {version} | {lic} | {source} | {v} |"
            for p, name, version, lic, source, v in table
            if p == part
        ]
        lines.append("")
    return "\n".join(lines), problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    text, problems = render()
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            sys.stderr.write(f"{args.output} is out of date: run make licences\n")
            return 1
    else:
        args.output.write_text(text, encoding="utf-8")
    for problem in problems:
        sys.stderr.write(f"licence not compatible with EUPL-1.2 or unknown: {problem}\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
