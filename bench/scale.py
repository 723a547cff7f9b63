"""Loading an académie: `imagin-server demo-data` at growing scales and the import of a large
session, on SQLite and on PostgreSQL. The figures beside their baselines, measured in the same
run:

- demo data at scales 1, 3, 10 and 30 (100 with --huge), each on an empty database, as the
  command does it (generation, commit, statistics): the time per convocation at each scale,
  and the ratio of the largest scale's to the smallest's (target ≤ 1.5: the cost grows
  linearly with the work);
- scale 30 on PostgreSQL against scale 30 on SQLite (target ≤ 1.5);
- the import of a generated session of 50,000 convocations (`imagin-server import`: checks,
  people, missions, each convocation issued with its statement) for 10,000 people who already
  have their accounts, as in every session after an académie's first (target ≤ 2 min on each;
  --new-people: none has an account yet, as in an académie's first session). A person new to
  IMAG'IN costs the hash of a temporary password on top: a salted HMAC (docs/security.md),
  where argon2id would take 0.1 to 1 s of one core; both measured on a few passwords and
  multiplied out for the session's people had they all been new.

    .venv/bin/python bench/scale.py [--scales 1,3,10,30] [--huge] [--convocations 50000]
                                    [--postgres URL | --no-postgres] [--no-demo | --no-import]
                                    [--new-people]

PostgreSQL at postgresql+psycopg://@127.0.0.1:5432/test by default: a schema is created for each
load and dropped after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server_stub.auth.models import User
from server_stub.core.database import make_engine, make_session_factory, refresh_statistics
from server_stub.core.migrate import upgrade
from server_stub.core.security import hash_password, hash_temporary_password, temporary_password
from server_stub.demo import names
from server_stub.demo.generate import generate
from server_stub.importing.loader import import_session
from server_stub.reference.communes import communes

TODAY = dt.date(2026, 7, 1)
POSTGRES = "postgresql+psycopg://@127.0.0.1:5432/test"
LINEAR_TARGET = 1.5
POSTGRES_TARGET = 1.5
IMPORT_TARGET_S = 120.0
SEATS_PER_MISSION = 20
MISSIONS_PER_PERSON = 5


@contextmanager
def database(backend: str, postgres: str, folder: Path) -> Iterator[Engine]:
    """An empty, migrated database: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        path = folder / f"{uuid.uuid4().hex}.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
            path.unlink(missing_ok=True)
        return
    schema = f"imagin_scale_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(postgres, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def load_demo(engine: Engine, scale: int) -> tuple[float, int]:
    """Seconds and convocations of `demo-data --scale N` on an empty database."""
    started = time.perf_counter()
    with make_session_factory(engine).begin() as session:
        summary = generate(session, scale=scale, today=TODAY)
    refresh_statistics(engine)
    return time.perf_counter() - started, summary["convocations"]


def session_document(convocations: int, seed: int = 2026) -> dict[str, Any]:
    """A session of `convocations` convocations: 20 people per mission, 5 missions per person,
    in the communes of the Somme, each with the login of their account."""
    rng = random.Random(seed)
    somme = [c for c in communes().in_departments({"80"}) if c.population > 800]
    missions = max(1, convocations // SEATS_PER_MISSION)
    people = max(SEATS_PER_MISSION, convocations // MISSIONS_PER_PERSON)
    centres = [
        {
            "code": f"0800{n:03d}X",
            "name": f"Lycée professionnel {rng.choice(names.LYCEE_NAMESAKES)}",
            "address": f"{rng.randint(1, 99)} rue de la République, {commune.name}",
            "commune_insee": commune.insee,
        }
        for n, commune in enumerate(somme[:100])
    ]
    papers = [
        {"code": f"E{n}", "name": f"Épreuve écrite {n}", "kind": "WRITTEN", "duration_minutes": 180}
        for n in range(1, 11)
    ]
    person_list = []
    for n in range(people):
        home = rng.choice(somme)
        academic = rng.random() < 0.6
        person_list.append(
            {
                "ref": f"P{n}",
                "first_name": rng.choice(names.FIRST_NAMES),
                "last_name": rng.choice(names.LAST_NAMES),
                "login": f"intervenant.{n}",
                "academic": academic,
                "category": "LP_TEACHER" if academic else "PROFESSIONAL",
                "administrative_residence": home.insee,
                "fiscal_power": rng.randint(3, 9),
            }
        )
    mission_list = []
    first = dt.date(2027, 6, 1)
    for n in range(missions):
        start = first + dt.timedelta(days=n % 25)
        corrects = n % 4 != 3
        mission_list.append(
            {
                "ref": f"M{n}",
                "type": "CORRECTION" if corrects else "REUNION",
                **({"paper": {"exam": "BP", "paper": papers[n % 10]["code"]}} if corrects else {}),
                "centre": centres[n % len(centres)]["code"],
                "start_date": start.isoformat(),
                "end_date": (start + dt.timedelta(days=5 if corrects else 0)).isoformat(),
                "start_time": "09:00" if corrects else "14:00",
                "end_time": "17:00",
                **({"lot_size": 60} if corrects else {"label": "Réunion de préparation"}),
            }
        )
    return {
        "format": "imagin-session",
        "version": 1,
        "session": {
            "code": "BENCH-2027",
            "name": "Baccalauréat professionnel, session juin 2027",
            "entry_deadline": "2027-08-31",
        },
        "exams": [
            {
                "code": "BP",
                "diploma": "BAC_PRO",
                "name": "Baccalauréat professionnel",
                "speciality": "Commerce",
                "papers": papers,
            }
        ],
        "centres": centres,
        "people": person_list,
        "missions": mission_list,
        "convocations": [
            {"mission": f"M{j // SEATS_PER_MISSION}", "person": f"P{j % people}"}
            for j in range(missions * SEATS_PER_MISSION)
        ],
    }


def known_people(engine: Engine, document: dict[str, Any]) -> None:
    """The document's people as an earlier session left them: accounts, one hash for all."""
    password_hash = hash_password("Bench-Scale-2026!")
    rows = [
        {
            "login": p["login"],
            "first_name": p["first_name"],
            "last_name": p["last_name"],
            "role": "INTERVENANT",
            "category": p["category"],
            "academic": p["academic"],
            "password_hash": password_hash,
            "must_change_password": False,
            "administrative_residence": p["administrative_residence"],
            "family_residence": p["administrative_residence"],
            "fiscal_power": p["fiscal_power"],
            "disability": False,
        }
        for p in document["people"]
    ]
    with engine.begin() as connection:
        connection.execute(insert(User), rows)
    refresh_statistics(engine)


def hash_seconds(hash_function: Callable[[str], str], samples: int = 5) -> float:
    """One hash of a temporary password, as an import makes for each new account."""
    started = time.perf_counter()
    for _ in range(samples):
        hash_function(temporary_password())
    return (time.perf_counter() - started) / samples


def load_import(engine: Engine, path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    with make_session_factory(engine).begin() as session:
        summary = import_session(session, path)
    refresh_statistics(engine)
    return time.perf_counter() - started, summary["convocations"]


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,3,10,30")
    parser.add_argument("--huge", action="store_true", help="also scale 100")
    parser.add_argument("--convocations", type=int, default=50_000)
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-import", action="store_true")
    parser.add_argument("--no-demo", action="store_true", help="the import alone")
    parser.add_argument(
        "--new-people", action="store_true", help="the import's people have no account yet"
    )
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")] + ([100] if args.huge else [])
    backends = ["sqlite"] + ([] if args.no_postgres else ["postgresql"])

    ok = True
    largest: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for backend in [] if args.no_demo else backends:
            print(f"\n{backend}: demo-data")
            per: dict[int, float] = {}
            for scale in scales:
                with database(backend, args.postgres, Path(folder)) as engine:
                    seconds, count = load_demo(engine, scale)
                per[scale] = seconds / count * 1000
                print(
                    f"  scale {scale:>3}: {count:>7,} convocations in {seconds:7.1f} s, "
                    f"{per[scale]:.2f} ms per convocation",
                    flush=True,
                )
            ratio = per[max(scales)] / per[min(scales)]
            linear = ratio <= LINEAR_TARGET
            ok &= linear
            largest[backend] = per[max(scales)]
            print(
                f"  per convocation, scale {max(scales)} / scale {min(scales)}: {ratio:.2f} "
                f"(target ≤ {LINEAR_TARGET}: {verdict(linear)})"
            )
        if "postgresql" in largest:
            ratio = largest["postgresql"] / largest["sqlite"]
            close = ratio <= POSTGRES_TARGET
            ok &= close
            print(
                f"\nscale {max(scales)}, PostgreSQL / SQLite: {ratio:.2f} "
                f"(target ≤ {POSTGRES_TARGET}: {verdict(close)})"
            )
        if not args.no_import:
            document = session_document(args.convocations)
            path = Path(folder) / "session.json"
            path.write_text(json.dumps(document), encoding="utf-8")
            people = len(document["people"])
            print(
                f"\nimport of a session of {args.convocations:,} convocations, "
                f"{people:,} people " + ("new to IMAG'IN" if args.new_people else "with accounts")
            )
            for backend in backends:
                with database(backend, args.postgres, Path(folder)) as engine:
                    if not args.new_people:
                        known_people(engine, document)
                    seconds, count = load_import(engine, path)
                fast = seconds <= IMPORT_TARGET_S
                ok &= fast
                print(
                    f"  {backend}: {count:,} convocations in {seconds:.1f} s, "
                    f"{seconds / count * 1000:.2f} ms per convocation "
                    f"(target ≤ {IMPORT_TARGET_S:.0f} s: {verdict(fast)})",
                    flush=True,
                )
            hmac_s = hash_seconds(hash_temporary_password, 1000)
            argon2_s = hash_seconds(hash_password)
            print(
                f"  one new account's temporary password: {hmac_s * 1e6:.0f} µs, "
                f"{people:,} new people would add {hmac_s * people:.1f} s "
                f"(with argon2id: {argon2_s * 1000:.0f} ms, {argon2_s * people:.0f} s)"
            )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
