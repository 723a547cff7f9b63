"""The main actions over a wide-area link: round trips, new connections and bytes per action.

Each action is replayed as the screens make their requests (the order is read from
`client/ui`, cited beside each step), through the project's own `client/api` and the
`httpx.Client` the application builds (`make_http`), against a real reference server
(`imagin-server serve`) on 127.0.0.1 holding the demo académie (`imagin-server demo-data`).
A step is what a screen asks at once: its calls run on a pool of two worker threads, as the
interface's `TaskRunner` does on a two-core computer; the next step waits for the answers.

What is counted, from httpx's event hooks and its connection trace (so the figures do not move
with the machine's load):

- requests, and the new TCP connections they opened;
- bytes on the wire: request line, headers and body sent; status line, headers and body
  received as they came (compressed when they were);
- sequential round trips: per request one round trip, plus the round trips its answer needs
  beyond TCP's first window (slow start: 10 segments of 1,448 bytes, doubling each round trip;
  Linux starts a connection idle for longer than its retransmission timeout from that first
  window again), plus two for a new connection (TCP's handshake and TLS 1.3's; the deployment
  is HTTPS, the bench's loopback is not). Within a step the calls are laid on the two workers
  in order, each to the first free; the step costs its busiest worker; steps add up.

The added cost of a 50 ms round trip is then `round trips × 50 ms + bytes received ÷ 10 Mbit/s`
(a modest share of an académie's link). The loopback time is measured and printed beside it, and
the total of both; it moves with the machine's load (a few milliseconds per action on a quiet
computer, log-in's password check aside), so the targets are judged on what is counted: at most
3 sequential round trips per action after log-in, 2 for log-in and its first screen, and at
most 300 ms added by the 50 ms round trip.

Every action is replayed twice on the same server, and the totals compared: first the baseline,
the requests as the screens made them before they were cut down (the reference lists one by
one before the queue, the statement read again by the editor, a save then a validation),
through a client that asks for answers uncompressed and drops idle connections after 5 s
(httpx's default); then as the screens make them now, through the application's own client.

Before each action the replay waits `--pause` seconds (a person reading; 6 s by default, longer
than httpx's and uvicorn's default keep-alive of 5 s), so that connections dropped while
reading are counted; `--pause 0` replays without waiting.

    .venv/bin/python bench/wide_area.py [--pause 6]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import keyring
from keyring.backends import null

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import emit
from bench.serving import BIN, free_port, serve
from client.api.client import TIMEOUT, ImaginClient, make_http
from client.api.dec import DecApi
from client.api.dec_models import Ordering, QueueFilters, StatementRef
from client.api.models import Convocation, Statement, Status
from client.api.tokens import TokenStore
from client.api.transport import GuardedTransport
from client.ui import first_screen

PASSWORD = "Imagin-Demo-2026!"
INTERVENANT = "elodie.dupont-martin"  # several missions to fill
GESTIONNAIRE = "nathalie.caron"
TODAY = "2026-07-01"
PLEDGES = {"accurate": True, "no_overtime": True}  # the boxes ticked on « Valider »

RTT_MS = 50.0
BANDWIDTH_BITS = 10_000_000
SEGMENT = 1448
FIRST_WINDOW = 10 * SEGMENT
NEW_CONNECTION_RTTS = 2  # TCP, then TLS 1.3
WORKERS = 2
QUEUE_PAGE = 200  # client.ui.models.dec_queue.PAGE_SIZE

ROUND_TRIP_TARGET = 3
LOGIN_ROUND_TRIP_TARGET = 2
TIME_TARGET_MS = 300.0


# --- counting ------------------------------------------------------------------------------


@dataclass
class Exchange:
    """One request and its answer, as they crossed the wire."""

    method: str
    path: str
    new_connection: bool = False
    sent: int = 0
    received: int = 0
    response: httpx.Response | None = None

    def settle(self) -> None:
        response = self.response
        if response is None:
            return
        head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
        head += sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2
        self.received = head + response.num_bytes_downloaded

    @property
    def round_trips(self) -> int:
        windows, window, carried = 1, FIRST_WINDOW, FIRST_WINDOW
        while carried < self.received:
            window *= 2
            carried += window
            windows += 1
        return windows + (NEW_CONNECTION_RTTS if self.new_connection else 0)


@dataclass
class Call:
    name: str
    exchanges: list[Exchange] = field(default_factory=list)

    @property
    def round_trips(self) -> int:
        return sum(e.round_trips for e in self.exchanges)

    @property
    def received(self) -> int:
        return sum(e.received for e in self.exchanges)

    def added_ms(self) -> float:
        return self.round_trips * RTT_MS + self.received * 8 / BANDWIDTH_BITS * 1000


class Recorder:
    """Event hooks on the application's `httpx.Client`: each request is filed under the call
    running on its thread; httpcore's trace tells whether it opened a connection."""

    def __init__(self, http: httpx.Client) -> None:
        self._local = threading.local()
        http.event_hooks = {"request": [self._on_request], "response": [self._on_response]}

    def run(self, call: Call, fn: Callable[[], Any]) -> Any:
        self._local.call = call
        try:
            return fn()
        finally:
            self._local.call = None

    def _on_request(self, request: httpx.Request) -> None:
        call: Call | None = getattr(self._local, "call", None)
        exchange = Exchange(request.method, request.url.path)
        if call is not None:
            call.exchanges.append(exchange)
        line = len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n")
        headers = sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 2
        exchange.sent = line + headers + len(request.content)

        def trace(event: str, _info: dict[str, Any]) -> None:
            if event == "connection.connect_tcp.complete":
                exchange.new_connection = True

        request.extensions["trace"] = trace
        request.extensions["bench_exchange"] = exchange

    def _on_response(self, response: httpx.Response) -> None:
        exchange = response.request.extensions.get("bench_exchange")
        if isinstance(exchange, Exchange):
            exchange.response = response


# --- the replay ----------------------------------------------------------------------------

Step = Sequence[tuple[str, Callable[[], Any]]]


@dataclass
class Outcome:
    action: str
    requests: int
    round_trips: int
    new_connections: int
    sent: int
    received: int
    added_ms: float
    loopback_ms: float
    login: bool

    @property
    def at_50_ms(self) -> float:
        return self.loopback_ms + self.added_ms


class Replay:
    """One replay of every action, as the screens make their requests (`before`: as they made
    them formerly, on a client that asks for answers uncompressed and drops idle connections
    after httpx's default 5 s)."""

    def __init__(self, url: str, pause: float, *, before: bool) -> None:
        self.url = url
        self.pause = pause
        self.before = before
        self.pool = ThreadPoolExecutor(WORKERS)
        self.outcomes: list[Outcome] = []
        self.results: dict[str, Any] = {}

    def client(self) -> tuple[ImaginClient, Recorder]:
        if self.before:
            http = httpx.Client(
                base_url=self.url,
                timeout=TIMEOUT,
                headers={"Accept": "application/json", "Accept-Encoding": "identity"},
                transport=GuardedTransport(limits=httpx.Limits(keepalive_expiry=5.0), http2=False),
            )
        else:
            http = make_http(self.url)
        api = ImaginClient(http, TokenStore())
        return api, Recorder(api.http)

    def action(
        self,
        name: str,
        recorder: Recorder,
        steps: Sequence[Step],
        *,
        login: bool = False,
        pause: bool = True,
    ) -> None:
        """Runs the steps one after the other, the calls of each on the two workers."""
        if self.pause and pause:
            time.sleep(self.pause)
        round_trips, added, calls_made = 0, 0.0, []
        start = time.perf_counter()
        for step in steps:
            calls = [Call(label) for label, _ in step]
            futures = [
                self.pool.submit(recorder.run, call, fn)
                for call, (_, fn) in zip(calls, step, strict=True)
            ]
            for call, future in zip(calls, futures, strict=True):
                self.results[call.name] = future.result()
            for call in calls:
                for exchange in call.exchanges:
                    exchange.settle()
            workers_rtts, workers_ms = [0] * WORKERS, [0.0] * WORKERS
            for call in calls:  # each call to the worker that is free first
                worker = min(range(WORKERS), key=lambda w: workers_ms[w])
                workers_rtts[worker] += call.round_trips
                workers_ms[worker] += call.added_ms()
            busiest = max(range(WORKERS), key=lambda w: workers_ms[w])
            round_trips += workers_rtts[busiest]
            added += workers_ms[busiest]
            calls_made.extend(calls)
        loopback = (time.perf_counter() - start) * 1000
        exchanges = [e for call in calls_made for e in call.exchanges]
        self.outcomes.append(
            Outcome(
                action=name,
                requests=len(exchanges),
                round_trips=round_trips,
                new_connections=sum(e.new_connection for e in exchanges),
                sent=sum(e.sent for e in exchanges),
                received=sum(e.received for e in exchanges),
                added_ms=added,
                loopback_ms=loopback,
                login=login,
            )
        )


def editable(convocations: Sequence[Convocation], api: ImaginClient) -> Statement:
    """A statement its intervenant may still fill and validate as it stands (each replay
    validates one)."""
    for row in convocations:
        if row.status in (Status.OPEN, Status.RETURNED):
            statement = api.statement(row.statement_id)
            if statement.permissions.edit and statement.permissions.validate_:
                preview = api.preview(statement.id, statement.entry)
                if not preview.computation.problems:
                    return statement
    raise RuntimeError("no statement to fill in the demo data")


def logged_in(api: ImaginClient, login: str) -> Callable[[], Any]:
    """client.ui.login.page.LoginPage.log_in: the log-in, then on the same worker the first
    screen's data (client.ui.first_screen)."""

    def work() -> Any:
        tokens = api.log_in(login, PASSWORD, remember=False)
        return first_screen.fetch(api, tokens)

    return work


def intervenant(replay: Replay) -> None:
    api, recorder = replay.client()
    if replay.before:
        # LoginPage.log_in, then MainWindow.on_logged_in opens the missions workspace, whose
        # list asks for the convocations (missions.list_page.ListPage.reload).
        steps: list[Step] = [
            [("log_in", lambda: api.log_in(INTERVENANT, PASSWORD, remember=False))],
            [("convocations", api.convocations)],
        ]
    else:
        # The connection is opened while the person types (client.ui.application: warm_up).
        api.warm_up()
        steps = [[("first", logged_in(api, INTERVENANT))]]
    replay.action("Connexion + liste des missions", recorder, steps, login=True)
    convocations: list[Convocation] = (
        replay.results["convocations"]
        if replay.before
        else replay.results["first"][first_screen.CONVOCATIONS]
    )
    target = editable(convocations, api)
    # missions.detail.DetailPage.show_convocation reads the statement; the editor
    # (statement.editor.StatementEditor._load) read it again before, takes it now.
    replay.action(
        "Ouvrir une mission",
        recorder,
        [[("statement", lambda: api.statement(target.id))]],
    )
    replay.action(
        "Ouvrir l'éditeur",
        recorder,
        [[("statement", lambda: api.statement(target.id))]] if replay.before else [],
    )
    statement: Statement = replay.results["statement"]
    entry = statement.entry  # the edit itself changes nothing in the count of requests
    # statement.editor: each edit, after a pause in typing, asks for the preview.
    replay.action(
        "Une saisie → aperçu",
        recorder,
        [[("preview", lambda: api.preview(statement.id, entry))]],
    )
    # statement.editor._on_validate with unsaved edits: save() then _submit() before; one
    # request now.
    if replay.before:
        steps = [
            [("save", lambda: api.save_statement(statement.id, statement.version, entry))],
            [
                (
                    "validate",
                    lambda: api.validate_statement(
                        statement.id,
                        replay.results["save"].version,
                        accurate=True,
                        no_overtime=True,
                    ),
                )
            ],
        ]
    else:
        steps = [
            [
                (
                    "validate",
                    lambda: api.save_and_validate(
                        statement.id, statement.version, entry, **PLEDGES
                    ),
                )
            ]
        ]
    replay.action("Valider avec des modifications", recorder, steps)
    api.http.close()


def gestionnaire(replay: Replay) -> None:
    api, recorder = replay.client()
    dec = DecApi(api)
    first_page = lambda: dec.statements(QueueFilters(), Ordering(), limit=QUEUE_PAGE)  # noqa: E731
    if replay.before:
        # MainWindow.on_logged_in opens the DEC workstation: QueuePane.start asked
        # FilterBar.load (sessions, centres, anomaly kinds), the return reasons, then the
        # queue's first page.
        replay.action(
            "Connexion + poste de la DEC",
            recorder,
            [
                [("log_in", lambda: api.log_in(GESTIONNAIRE, PASSWORD, remember=False))],
                [
                    ("sessions", dec.sessions),
                    ("centres", dec.centres),
                    ("anomaly_kinds", dec.anomaly_kinds),
                    ("return_reasons", dec.return_reasons),
                    ("queue", first_page),
                ],
            ],
            login=True,
        )
    else:
        api.warm_up()
        # The queue's first page with the log-in; QueuePane.start then asks for the lists.
        replay.action(
            "Connexion + poste de la DEC",
            recorder,
            [[("first", logged_in(api, GESTIONNAIRE))]],
            login=True,
        )
        replay.action(
            "  puis listes des filtres",
            recorder,
            [[("lists", dec.reference_lists)]],
            pause=False,
        )
    filtered = QueueFilters(status=Status.SUBMITTED)
    replay.action(
        "DEC : filtrer la liste",
        recorder,
        [[("queue", lambda: dec.statements(filtered, Ordering(), limit=QUEUE_PAGE))]],
    )
    first = replay.results["queue"].items[0]
    replay.action(
        "DEC : ouvrir un état de frais",
        recorder,
        [[("detail", lambda: dec.statement(first.id))]],
    )
    # V on the statement shown (QueuePane.on_approve): the approval, then the next statement's
    # detail; formerly the one approved was read again beside it.
    following = replay.results["queue"].items[1]
    approve = [("approve", lambda: dec.approve([StatementRef(id=first.id, version=first.version)]))]
    detail_next = ("next", lambda: dec.statement(following.id))
    again = ("again", lambda: dec.statement(first.id))
    replay.action(
        "DEC : valider (V), au suivant",
        recorder,
        [approve, [again, detail_next] if replay.before else [detail_next]],
    )
    if replay.before:
        # DashboardPane.start: the sessions, then the dashboard of the first.
        steps: list[Step] = [
            [("sessions", dec.sessions)],
            [("dashboard", lambda: dec.dashboard(replay.results["sessions"][0].id))],
        ]
    else:
        # The sessions from the lists kept for the session, the dashboard on the same worker.
        steps = [
            [
                (
                    "dashboard",
                    lambda: dec.dashboard(dec.reference_lists().sessions[0].id),
                )
            ]
        ]
    replay.action("DEC : tableau de bord", recorder, steps)
    # PaymentPane.start: the sessions (kept now) and the batches at once.
    sessions = dec.sessions if replay.before else lambda: dec.reference_lists().sessions
    replay.action(
        "DEC : onglet paiement",
        recorder,
        [[("sessions", sessions), ("batches", dec.batches)]],
    )
    api.http.close()


# --- the report ----------------------------------------------------------------------------


def kilobytes(count: int) -> str:
    return f"{count / 1000:.1f} ko"


def report(title: str, outcomes: Sequence[Outcome]) -> bool:
    print(f"{title}\n")
    print(
        f"{'Action':34} {'req':>3} {'RTT':>3} {'conn':>4} {'envoyé':>9} {'reçu':>9} "
        f"{'boucle':>8} {'+50 ms':>8} {'total':>8}  cible"
    )
    ok = True
    for o in outcomes:
        target = LOGIN_ROUND_TRIP_TARGET if o.login else ROUND_TRIP_TARGET
        met = o.round_trips <= target and o.added_ms <= TIME_TARGET_MS
        ok = ok and met
        print(
            f"{o.action:34} {o.requests:3} {o.round_trips:3} {o.new_connections:4} "
            f"{kilobytes(o.sent):>9} {kilobytes(o.received):>9} {o.loopback_ms:6.0f} ms "
            f"{o.added_ms:5.0f} ms {o.at_50_ms:5.0f} ms  {'oui' if met else 'NON'} (≤ {target})"
        )
    print()
    return ok


def totals(outcomes: Sequence[Outcome]) -> tuple[int, int, int, float]:
    return (
        sum(o.round_trips for o in outcomes),
        sum(o.new_connections for o in outcomes),
        sum(o.received for o in outcomes),
        sum(o.added_ms for o in outcomes),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pause", type=float, default=6.0, help="seconds before each action")
    args = parser.parse_args(argv)
    keyring.set_keyring(null.Keyring())  # type: ignore[no-untyped-call]
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "IMAGIN_DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.sqlite3'}",
            "IMAGIN_TODAY": TODAY,
        }
        server = str(BIN / "imagin-server")
        subprocess.run(
            [server, "demo-data"],
            env={**os.environ, **env},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [server, "serve", "--port", str(port), "--log-level", "warning"]
        with serve(command, f"{url}/api/v1/health", env):
            replays = [Replay(url, args.pause, before=flag) for flag in (True, False)]
            for replay in replays:
                intervenant(replay)
                gestionnaire(replay)
                replay.pool.shutdown()
    before, after = replays
    print(
        f"Model: {RTT_MS:.0f} ms round trip, {BANDWIDTH_BITS / 1e6:.0f} Mbit/s, TCP first window "
        f"{FIRST_WINDOW} bytes, {NEW_CONNECTION_RTTS} round trips per new connection "
        f"(TCP + TLS 1.3); {WORKERS} workers; pause before each action {args.pause:.0f} s.\n"
    )
    report(
        "Baseline: the former requests, uncompressed, idle connections dropped after 5 s",
        before.outcomes,
    )
    ok = report("Now", after.outcomes)
    (rtt_b, conn_b, bytes_b, ms_b), (rtt_a, conn_a, bytes_a, ms_a) = (
        totals(before.outcomes),
        totals(after.outcomes),
    )
    print(
        f"In all: round trips {rtt_a} against {rtt_b} ({rtt_a / rtt_b:.2f}), new connections "
        f"{conn_a} against {conn_b}, received {kilobytes(bytes_a)} against {kilobytes(bytes_b)} "
        f"({bytes_a / bytes_b:.2f}), added at 50 ms {ms_a:.0f} ms against {ms_b:.0f} ms "
        f"({ms_a / ms_b:.2f})."
    )
    former = {o.action: o for o in before.outcomes}
    for o in after.outcomes:
        target = LOGIN_ROUND_TRIP_TARGET if o.login else ROUND_TRIP_TARGET
        baseline = former.get(o.action)
        emit(
            f"{o.action.strip()} : allers-retours",
            o.round_trips,
            "RTT",
            target=f"≤ {target}, +50 ms ≤ {TIME_TARGET_MS:.0f} ms",
            met=o.round_trips <= target and o.added_ms <= TIME_TARGET_MS,
            baseline=baseline.round_trips if baseline is not None else None,
        )
    emit(
        "toutes les actions : coût de 50 ms d'aller-retour",
        ms_a,
        "ms",
        target="moins que l'ancien ordre",
        met=ms_a < ms_b,
        baseline=ms_b,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
