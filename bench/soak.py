"""Soak: 200 simulated intervenants (think time 1–3 s) and 5 gestionnaires against one server
process on 127.0.0.1, for a bounded time, on SQLite and on PostgreSQL.

Each intervenant logs in once, then lists their convocations, opens their statement, thinks,
saves it; each gestionnaire pages through the queue, opens a statement and now and then
validates a few in bulk (with an idempotency key). At the end:

- errors: every answer other than a success or an expected conflict (409: a statement changed
  meanwhile, a bulk action's per-statement refusals are in its report) — target 0;
- acknowledged saves: every save answered 200 is in the database (its version is the one the
  last acknowledged save answered) — target: all;
- memory: the server's resident memory at the start (after everyone logged in), the middle and
  the end, and its slope over the run — target: flat (the second half grows by ≤ 3 %).

    .venv/bin/python bench/soak.py [--minutes 3] [--ramp 90] [--databases sqlite,postgresql]
                                   [--postgres URL] [--intervenants 200] [--gestionnaires 5]

Every simulated person logs in from 127.0.0.1, where a real académie's come from many
addresses: the per-address limit of log-ins is widened for the run (the per-account one is
kept).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server_load import DEMO_PASSWORD, editable_statements
from bench.serving import BIN, free_port, wait_until_up
from server_stub.auth.models import Role, User
from server_stub.statements.models import Statement

API = "/api/v1"
FLAT = 0.03  # the second half may grow by 3 % at most


@dataclass
class Tally:
    requests: int = 0
    conflicts: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    # statement id -> version answered by its last acknowledged save
    acknowledged: dict[int, int] = field(default_factory=dict)
    saves: int = 0
    bulk_done: int = 0


class Person:
    def __init__(self, http: httpx.AsyncClient, tally: Tally, login: str) -> None:
        self.http, self.tally, self.login = http, tally, login
        self.headers: dict[str, str] = {}
        self.refresh_token = ""

    async def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        self.tally.requests += 1
        headers = {**self.headers, **kwargs.pop("headers", {})}
        try:
            response = await self.http.request(method, API + path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            self.tally.errors[f"{method} {path.split('/')[1]}: {type(error).__name__}"] += 1
            return None
        if response.status_code == 401 and self.refresh_token:
            renewed = await self.http.post(
                f"{API}/auth/refresh", json={"refresh_token": self.refresh_token}
            )
            if renewed.status_code == 200:
                self._keep(renewed.json())
                return await self.call(method, path, **kwargs)
        if response.status_code == 409:
            self.tally.conflicts += 1
        elif response.status_code >= 400:
            kind = response.json().get("type", "?") if response.content else "?"
            self.tally.errors[f"{method} {path.split('/')[1]}: {response.status_code} {kind}"] += 1
        return response

    def _keep(self, tokens: dict[str, Any]) -> None:
        self.headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        self.refresh_token = tokens["refresh_token"]

    async def log_in(self) -> bool:
        response = await self.call(
            "POST", "/auth/login", json={"login": self.login, "password": DEMO_PASSWORD}
        )
        if response is None or response.status_code != 200:
            return False
        self._keep(response.json())
        return True


async def intervenant(person: Person, statement_id: int, until: float, seed: int) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        await person.call("GET", "/convocations")
        opened = await person.call("GET", f"/statements/{statement_id}")
        await asyncio.sleep(rng.uniform(1.0, 3.0))
        if opened is None or opened.status_code != 200 or time.monotonic() >= until:
            continue
        statement = opened.json()
        saved = await person.call(
            "PUT",
            f"/statements/{statement_id}",
            json=statement["entry"],
            headers={"If-Match": f'"{statement["version"]}"'},
        )
        if saved is not None and saved.status_code == 200:
            person.tally.saves += 1
            person.tally.acknowledged[statement_id] = saved.json()["version"]
        await asyncio.sleep(rng.uniform(1.0, 3.0))


async def gestionnaire(person: Person, until: float, seed: int) -> None:
    rng = random.Random(seed)
    loops = 0
    while time.monotonic() < until:
        loops += 1
        page = await person.call(
            "GET", "/dec/statements", params={"status": "SUBMITTED", "limit": 50}
        )
        if page is None or page.status_code != 200:
            await asyncio.sleep(2)
            continue
        items = page.json()["items"]
        if items:
            await person.call("GET", f"/dec/statements/{rng.choice(items)['id']}")
        if items and loops % 4 == 0:
            chosen = rng.sample(items, min(5, len(items)))
            answer = await person.call(
                "POST",
                "/dec/statements/approve",
                json={"statements": [{"id": r["id"], "version": r["version"]} for r in chosen]},
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
            if answer is not None and answer.status_code == 200:
                person.tally.bulk_done += answer.json()["done"]
        await asyncio.sleep(rng.uniform(1.0, 3.0))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def slope(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB), in MB per minute."""
    n = len(samples)
    mean_t = sum(t for t, _ in samples) / n
    mean_m = sum(m for _, m in samples) / n
    var = sum((t - mean_t) ** 2 for t, _ in samples)
    cov = sum((t - mean_t) * (m - mean_m) for t, m in samples)
    return cov / var * 60 if var else 0.0


async def run(
    base: str,
    pid: int,
    people: list[tuple[str, int]],
    staff: list[str],
    seconds: float,
    ramp: float,
) -> tuple[Tally, list[tuple[float, float]]]:
    tally = Tally()
    # Idle connections are dropped before the server's keep-alive timeout (uvicorn: 5 s) could
    # close one under a request about to be sent on it.
    limits = httpx.Limits(max_connections=len(people) + len(staff) + 10, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=180.0, limits=limits) as http:
        persons = [Person(http, tally, login) for login, _ in people]
        managers = [Person(http, tally, staff[i % len(staff)]) for i in range(len(staff))]
        # People arrive over `ramp` seconds. Each log-in costs an argon2 hash, which uses the
        # machine's cores for tens of milliseconds (hundreds on a busy machine): a few hundred
        # people all at once would queue for a minute.
        rng = random.Random(2026)
        waits: list[float] = []

        async def arrive(person: Person) -> bool:
            await asyncio.sleep(rng.uniform(0, ramp))
            started = time.perf_counter()
            logged = await person.log_in()
            waits.append(time.perf_counter() - started)
            return logged

        logged = await asyncio.gather(*(arrive(p) for p in persons + managers))
        waits.sort()
        print(
            f"  {sum(logged)} of {len(logged)} people logged in over {ramp:.0f} s "
            f"(log-in p50 {waits[len(waits) // 2]:.2f} s, max {waits[-1]:.2f} s)",
            flush=True,
        )
        started = time.monotonic()
        until = started + seconds
        samples: list[tuple[float, float]] = []

        async def sample() -> None:
            while time.monotonic() < until:
                samples.append((time.monotonic() - started, rss_mb(pid)))
                await asyncio.sleep(2)
            samples.append((time.monotonic() - started, rss_mb(pid)))

        tasks = [
            intervenant(p, statement_id, until, n)
            for n, (p, (_, statement_id)) in enumerate(zip(persons, people, strict=True))
            if p.headers
        ]
        tasks += [gestionnaire(m, until, 1000 + n) for n, m in enumerate(managers) if m.headers]
        await asyncio.gather(sample(), *tasks)
    return tally, samples


@contextmanager
def database(kind: str, postgres: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / 'soak.sqlite3'}"
        return
    schema = f"imagin_soak_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        separator = "&" if "?" in postgres else "?"
        yield f"{postgres}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def soak(kind: str, url: str, args: argparse.Namespace) -> bool:
    env = {
        **os.environ,
        "IMAGIN_DATABASE_URL": url,
        "IMAGIN_LOGIN_LIMIT_PER_ADDRESS": "100000/minute",
    }
    started = time.perf_counter()
    subprocess.run(
        [str(BIN / "imagin-server"), "demo-data", "--force", "--scale", str(args.scale)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    print(f"  demo data --scale {args.scale} in {time.perf_counter() - started:.0f} s", flush=True)
    people = editable_statements(url, args.intervenants)
    engine = create_engine(url)
    with engine.connect() as connection:
        staff = list(
            connection.scalars(
                select(User.login).where(
                    User.role == Role.GESTIONNAIRE, User.must_change_password.is_(False)
                )
            )
        )
    engine.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "imagin-server"), "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"{base}{API}/health")
        print(
            f"  {len(people)} intervenants, {args.gestionnaires} gestionnaires "
            f"({len(staff)} accounts), {args.minutes:g} min",
            flush=True,
        )
        staff_logins = [staff[i % len(staff)] for i in range(args.gestionnaires)]
        tally, samples = asyncio.run(
            run(base, server.pid, people, staff_logins, args.minutes * 60, args.ramp)
        )
    finally:
        server.terminate()
        server.wait(timeout=30)

    engine = create_engine(url)
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(Statement.id, Statement.version).where(
                    Statement.id.in_(list(tally.acknowledged))
                )
            ).all()
        )
    engine.dispose()
    lost = {i: v for i, v in tally.acknowledged.items() if stored.get(i) != v}
    start, middle, end = samples[0][1], samples[len(samples) // 2][1], samples[-1][1]
    growth = (end - middle) / middle
    rate = tally.requests / (args.minutes * 60)
    print(f"  requests {tally.requests} ({rate:.0f}/s), saves acknowledged {tally.saves}, ")
    print(f"  statements validated in bulk {tally.bulk_done}, expected conflicts {tally.conflicts}")
    print(
        f"  errors {sum(tally.errors.values())}"
        + "".join(f"\n    {k}: {n}" for k, n in tally.errors.items())
    )
    print(
        f"  acknowledged saves in the database: {len(tally.acknowledged) - len(lost)} of "
        f"{len(tally.acknowledged)} statements at their last acknowledged version"
    )
    print(
        f"  server RSS: start {start:.1f} MB, middle {middle:.1f} MB, end {end:.1f} MB; "
        f"slope {slope(samples):+.2f} MB/min; second half {growth * 100:+.1f} % "
        f"(target ≤ {FLAT * 100:.0f} %)"
    )
    ok = not tally.errors and not lost and growth <= FLAT and tally.saves > 0
    print(f"  {'OK' if ok else 'MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--ramp", type=float, default=90.0, help="seconds over which people log in")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgresql+psycopg://@127.0.0.1:5432/test")
    parser.add_argument("--intervenants", type=int, default=200)
    parser.add_argument("--gestionnaires", type=int, default=5)
    parser.add_argument("--scale", type=int, default=2, help="demo data (enough people)")
    args = parser.parse_args()
    ok = True
    for kind in args.databases.split(","):
        print(f"\n{kind}:", flush=True)
        with (
            tempfile.TemporaryDirectory(prefix="imagin-soak-") as folder,
            database(kind, args.postgres, Path(folder)) as url,
        ):
            ok &= soak(kind, url, args)
    print("\nAll targets met." if ok else "\nSome targets were missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
