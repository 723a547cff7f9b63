"""Server load: simulated intervenants list their convocations, open a statement and save it.

Two figures, each beside the same measurement of a trivial FastAPI endpoint served the same way
(uvicorn on 127.0.0.1, as many worker processes as the server) in the same run:

- latency: 50 users with 1 s think time; p50 and p99 per endpoint (target p99 ≤ 50 ms);
- capacity: closed loop without think time; requests/s (target ≥ 40 % of the trivial endpoint),
  in rounds alternating between the two servers.

    python bench/server_load.py [--scale 10] [--postgres URL] [--seconds 30] [--workers N]
                                [--rounds 3] [--loaded]

Both servers run one process per core by default, as the README advises for production.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import emit
from bench.serving import BIN, child_env, free_port, percentile, serve
from server_stub.auth.models import User
from server_stub.reference.models import Convocation, Mission
from server_stub.statements.models import Statement, Status

DEMO_PASSWORD = "Imagin-Demo-2026!"
Timings = dict[str, list[float]]
LOGIN_TIMEOUT_S = 300.0


def editable_statements(url: str, limit: int) -> list[tuple[str, int]]:
    """(login, statement id) of people who can save a statement today."""
    engine = create_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            select(User.login, Statement.id)
            .join(Statement, Statement.user_id == User.id)
            .join(Convocation, Convocation.id == Statement.convocation_id)
            .join(Mission, Mission.id == Convocation.mission_id)
            .where(
                Statement.status.in_([Status.OPEN, Status.RETURNED]),
                User.must_change_password.is_(False),
                Mission.start_date <= text("CURRENT_DATE"),
            )
            .order_by(Statement.id)
        ).all()
    engine.dispose()
    chosen: dict[str, int] = {}
    for login, statement_id in rows:
        chosen.setdefault(login, statement_id)
    return list(chosen.items())[:limit]


class Intervenant:
    """One person at a workstation: logs in once, then list → open → save."""

    def __init__(self, base: str, login: str, statement_id: int, timings: Timings) -> None:
        self.http = httpx.Client(base_url=base, timeout=30.0)
        self.statement_id = statement_id
        self.timings = timings
        # Everyone logs in at once before the measure: the argon2id hashes queue on the
        # server's hashing threads (one per process), seconds each on a loaded machine.
        token = self._timed(
            "POST /auth/login",
            "POST",
            "/api/v1/auth/login",
            json={"login": login, "password": DEMO_PASSWORD},
            timeout=LOGIN_TIMEOUT_S,
        ).json()
        self.http.headers["Authorization"] = f"Bearer {token['access_token']}"

    def _timed(self, name: str, method: str, path: str, **kwargs: object) -> httpx.Response:
        start = time.perf_counter()
        response = self.http.request(method, path, **kwargs)  # type: ignore[arg-type]
        self.timings[name].append((time.perf_counter() - start) * 1000)
        if response.status_code >= 400:
            self.timings[f"errors {response.status_code}"].append(0)
        return response

    def loop_once(self) -> int:
        self._timed("GET /convocations", "GET", "/api/v1/convocations")
        statement = self._timed(
            "GET /statements/{id}", "GET", f"/api/v1/statements/{self.statement_id}"
        ).json()
        self._timed(
            "PUT /statements/{id}",
            "PUT",
            f"/api/v1/statements/{self.statement_id}",
            json=statement["entry"],
            headers={"If-Match": f'"{statement["version"]}"'},
        )
        return 3


class Trivial:
    def __init__(self, base: str, timings: Timings) -> None:
        self.http = httpx.Client(base_url=base, timeout=30.0)
        self.timings = timings

    def loop_once(self) -> int:
        start = time.perf_counter()
        self.http.get("/api/v1/trivial")
        self.timings["GET /trivial"].append((time.perf_counter() - start) * 1000)
        return 1


def run_users(
    make: Callable[[int], object], users: int, seconds: float, think: float
) -> tuple[int, float]:
    """Runs `users` threads for `seconds`; returns (requests, elapsed)."""
    stop = time.monotonic() + seconds
    counts = [0] * users
    ready = threading.Barrier(users + 1)

    def worker(i: int) -> None:
        try:
            user = make(i)
        except httpx.HTTPError as error:
            print(f"  user {i} could not start: {error!r}", flush=True)
            ready.wait()  # the others are not held back
            return
        ready.wait()
        rng = random.Random(i)
        if think:
            time.sleep(rng.uniform(0, think))  # users do not all click at once
        while time.monotonic() < stop:
            counts[i] += user.loop_once()  # type: ignore[attr-defined]
            if think:
                time.sleep(think)

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    ready.wait()
    started = time.monotonic()
    stop = started + seconds
    for t in threads:
        t.join()
    return sum(counts), time.monotonic() - started


def report_latency(label: str, timings: Timings) -> float:
    worst = 0.0
    for name, values in sorted(timings.items()):
        if name.startswith("errors"):
            print(f"  {label} {name}: {len(values)}")
            continue
        if name.startswith("POST /auth/login"):
            continue
        p50, p99 = percentile(values, 50), percentile(values, 99)
        worst = max(worst, p99)
        print(f"  {label} {name:<24} n={len(values):>5}  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms")
    return worst


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--postgres", help="PostgreSQL URL instead of a fresh SQLite file")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--closed-users", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="alternations, capacity phase")
    parser.add_argument(
        "--loaded",
        action="store_true",
        help="the PostgreSQL database already holds `demo-data --scale N`: not loaded again",
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="server processes, for both"
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="imagin-bench-"))
    url = args.postgres or f"sqlite:///{folder / 'bench.sqlite3'}"
    # Every simulated person logs in from 127.0.0.1, where a real académie's come from many
    # addresses: the per-address limit of log-ins is widened for the bench.
    env = {"IMAGIN_DATABASE_URL": url, "IMAGIN_LOGIN_LIMIT_PER_ADDRESS": "100000/minute"}
    print(
        f"database: {'PostgreSQL' if args.postgres else 'SQLite'}, demo data --scale {args.scale}, "
        f"{args.workers} server process(es)"
    )
    if args.loaded and args.postgres:
        print("demo data loaded beforehand")
    else:
        started = time.perf_counter()
        subprocess.run(
            [str(BIN / "imagin-server"), "demo-data", "--force", "--scale", str(args.scale)],
            env=child_env(env),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"demo data generated in {time.perf_counter() - started:.1f} s")
    people = editable_statements(url, max(args.users, args.closed_users))
    if len(people) < args.users:
        print(f"only {len(people)} editable statements; using that many users")
    users = min(args.users, len(people))

    app_port, trivial_port = free_port(), free_port()
    app_base, trivial_base = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{trivial_port}"
    serve_app = [
        str(BIN / "imagin-server"),
        "serve",
        "--port",
        str(app_port),
        "--log-level",
        "warning",
        "--workers",
        str(args.workers),
    ]
    serve_trivial = [
        str(BIN / "uvicorn"),
        "bench.trivial_app:app",
        "--port",
        str(trivial_port),
        "--log-level",
        "warning",
        "--workers",
        str(args.workers),
    ]

    with (
        serve(serve_app, f"{app_base}/api/v1/health", env),
        serve(serve_trivial, f"{trivial_base}/api/v1/trivial"),
    ):
        print(f"\nlatency: {users} users, 1 s think time, {args.seconds:.0f} s")
        app_timings: Timings = defaultdict(list)
        run_users(
            lambda i: Intervenant(app_base, *people[i], app_timings), users, args.seconds, 1.0
        )
        worst = report_latency("imagin ", app_timings)
        trivial_timings: Timings = defaultdict(list)
        run_users(lambda i: Trivial(trivial_base, trivial_timings), users, args.seconds, 1.0)
        trivial_worst = report_latency("trivial", trivial_timings)
        print(f"latency: worst p99 {worst:.1f} ms (target ≤ 50 ms)")
        emit(
            "worst p99 latency",
            worst,
            "ms",
            target="≤ 50 ms",
            baseline=trivial_worst,
            met=worst <= 50,
        )

        closed = min(args.closed_users, len(people))
        rounds = max(1, args.rounds)
        each = args.seconds / rounds
        print(
            f"\ncapacity: closed loop, {closed} users, no think time, {rounds} alternating "
            f"rounds of {each:.0f} s (the machine's speed drifts: both see the same drift)"
        )
        totals = {"imagin": [0, 0.0], "trivial": [0, 0.0]}
        loops: dict[str, Callable[[int], object]] = {
            "imagin": lambda i: Intervenant(app_base, *people[i], defaultdict(list)),
            "trivial": lambda i: Trivial(trivial_base, defaultdict(list)),
        }
        for _ in range(rounds):
            for name, make in loops.items():
                requests, elapsed = run_users(make, closed, each, 0)
                totals[name][0] += requests
                totals[name][1] += elapsed
        app_rps, trivial_rps = (requests / elapsed for requests, elapsed in totals.values())
        print(f"  imagin  {app_rps:7.1f} requests/s")
        print(f"  trivial {trivial_rps:7.1f} requests/s")
        print(
            f"capacity: ratio {app_rps / trivial_rps:.2f} of the trivial endpoint (target ≥ 0.40)"
        )
        emit(
            "capacity",
            app_rps,
            "req/s",
            target="ratio ≥ 0.40",
            baseline=trivial_rps,
            met=app_rps / trivial_rps >= 0.40,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
