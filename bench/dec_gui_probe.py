"""The DEC workstation stays responsive while it approves 10,000 statements.

A real server (uvicorn, in a child process, on a generated SQLite database of 20,000
statements — `bench/dec_bulk.py`'s bulk generator) and the real workstation (offscreen): the
queue loads the first 10,000 statements page by page, they are all selected, and "Valider"
sends them in chunks of 200 on the worker pool, with the progress dialog. Meanwhile a QTimer
fires every 10 ms on the GUI thread; the worst lateness of a tick is the longest the
interface froze.

    .venv/bin/python bench/dec_gui_probe.py [--statements 20000]

Target: worst stall ≤ 100 ms during the bulk approve. The baseline is the same probe on an
idle event loop, measured first in the same run.

Then scripted journeys through the workstation, each action measured on its own until its
answer is shown (sort by intervenant, by amount, filter « À valider », search a name, open a
statement, the dashboard, the payment tab): the worst stall of each is printed against a target
of 50 ms (JOURNEY_TARGET_MS).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dec_bulk import APPROVE, PASSWORD, TODAY, generate
from bench.serving import free_port, serve

TARGET_MS = 100.0
JOURNEY_TARGET_MS = 50.0
TICK_MS = 10


class Probe:
    """Measures how late each 10 ms tick of a QTimer comes: the GUI thread's stalls."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append((now - self._last) * 1000 - TICK_MS)
        self._last = now

    @property
    def worst(self) -> float:
        return max(self.gaps, default=0.0)

    def p99(self) -> float:
        ordered = sorted(self.gaps)
        return ordered[int(0.99 * (len(ordered) - 1))] if ordered else 0.0


def run_until(app: object, done: object, timeout: float) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:  # type: ignore[operator]
        QApplication.processEvents()
        time.sleep(0.001)
    if not done():  # type: ignore[operator]
        raise RuntimeError("timed out")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=20_000)
    args = parser.parse_args()

    from server_stub.core.database import make_engine
    from server_stub.core.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        engine = make_engine(f"sqlite:///{database}")
        upgrade(engine)
        started = time.perf_counter()
        generate(engine, args.statements)
        engine.dispose()
        took = time.perf_counter() - started
        print(f"generated {args.statements:_} statements in {took:.1f} s".replace("_", " "))
        port = free_port()
        code = (
            "import uvicorn, datetime as dt;"
            "from server_stub.core.settings import Settings;"
            "from server_stub.main import create_app;"
            f"app = create_app(Settings(database_url='sqlite:///{database}', "
            f"today=dt.date.fromisoformat('{TODAY.isoformat()}')));"
            f"uvicorn.run(app, host='127.0.0.1', port={port}, log_level='warning')"
        )
        url = f"http://127.0.0.1:{port}"
        with serve([sys.executable, "-c", code], f"{url}/api/v1/health"):
            return measure(url)


def measure(url: str) -> int:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtWidgets import QApplication

    from client.api.client import ImaginClient, make_http
    from client.api.tokens import TokenStore
    from client.settings import Settings as ClientSettings
    from client.ui.context import AppContext
    from client.ui.dec.workstation import DecWorkstation
    from client.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    runner = TaskRunner()
    api = ImaginClient(make_http(url), TokenStore())
    folder = Path(tempfile.mkdtemp())
    ctx = AppContext(
        api=api,
        runner=runner,
        settings=ClientSettings(server_url=url),
        settings_path=folder / "settings.json",
        data_folder=folder,
    )
    ctx.identity = api.log_in("gestionnaire", PASSWORD, remember=False).user
    desk = DecWorkstation(ctx, page_size=500)
    desk.resize(1280, 800)
    desk.show()
    pane = desk.queue
    probe = Probe()

    probe.start()
    run_until(app, lambda: len(probe.gaps) >= 200, 10)
    probe.stop()
    idle_worst, idle_p99 = probe.worst, probe.p99()

    probe.start()
    started = time.perf_counter()
    desk.start()
    model = pane.model
    from client.api.dec_models import QueueFilters

    model.set_filters(QueueFilters())  # every statement, not only « À valider »
    failures: list[BaseException] = []
    model.failed.connect(failures.append)
    while model.rowCount() < APPROVE:
        if failures:
            raise RuntimeError(f"the queue could not be read: {failures[0]!r}")
        run_until(app, lambda: not model.loading, 60)
        if model.rowCount() < APPROVE:
            model.fetchMore(QModelIndex())
    loading_time = time.perf_counter() - started
    probe.stop()
    load_worst = probe.worst

    pane.select_rows(list(range(APPROVE)))
    assert len(pane.selected_rows()) == APPROVE
    reports: list[object] = []
    pane.action_finished.connect(reports.append)
    pane.confirm_approval = lambda rows: list(rows)  # type: ignore[method-assign]
    probe.start()
    started = time.perf_counter()
    pane.on_approve()
    run_until(app, lambda: bool(reports), 300)
    elapsed = time.perf_counter() - started
    probe.stop()
    report = reports[0]
    done = len(report.done)  # type: ignore[attr-defined]
    failed = len(report.failed)  # type: ignore[attr-defined]
    if pane.report_dialog is not None:
        pane.report_dialog.close()

    print(
        f"loading {model.rowCount():,} rows in pages of 500: {loading_time:.1f} s, "
        f"worst stall {load_worst:.1f} ms".replace(",", " ")
    )
    print(
        f"bulk approve of {APPROVE:,} from the GUI (chunks of 200): {elapsed:.1f} s, "
        f"{done:,} approved, {failed} refused".replace(",", " ")
    )
    ok = probe.worst <= TARGET_MS
    print(
        f"  worst event-loop stall {probe.worst:6.1f} ms  target ≤ {TARGET_MS:g} ms  "
        f"(p99 {probe.p99():.1f} ms, median {statistics.median(probe.gaps):.1f} ms, "
        f"{len(probe.gaps)} ticks)  baseline idle loop: worst {idle_worst:.1f} ms, "
        f"p99 {idle_p99:.1f} ms  {'OK' if ok else 'MISSED'}"
    )
    journeys_ok = journeys(app, desk, probe)
    desk.close()
    runner.wait_for_done()
    return 0 if ok and done == APPROVE and journeys_ok else 1


def journeys(app: object, desk: object, probe: Probe) -> bool:
    """Each screen action of the workstation, measured until its answer shows."""
    from client.api.dec_models import Ordering, QueueSort, status_key
    from client.api.models import Status
    from client.ui.dec.workstation import DecWorkstation

    assert isinstance(desk, DecWorkstation)
    pane, model = desk.queue, desk.queue.model
    shown: list[object] = []
    pane.detail_loaded.connect(shown.append)
    desk.dashboard.loaded.connect(shown.append)
    desk.payment.batches_loaded.connect(shown.append)

    def queue_answered() -> bool:
        return not model.loading

    def answered() -> bool:
        return bool(shown)

    steps: list[tuple[str, Callable[[], object], Callable[[], bool]]] = [
        (
            "trier par intervenant",
            lambda: model.set_ordering(Ordering(sort=QueueSort.INTERVENANT)),
            queue_answered,
        ),
        (
            "trier par montant",
            lambda: model.set_ordering(Ordering(sort=QueueSort.TOTAL, descending=True)),
            queue_answered,
        ),
        (
            "filtrer « À valider »",
            lambda: pane.filters.select(pane.filters.status, status_key(Status.SUBMITTED)),
            queue_answered,
        ),
        ("rechercher un nom", lambda: pane.filters.search.setText("Martin"), queue_answered),
        ("ouvrir un état de frais", lambda: pane.go_to(0), answered),
        ("tableau de bord", lambda: desk.tabs.setCurrentWidget(desk.dashboard), answered),
        ("paiement", lambda: desk.tabs.setCurrentWidget(desk.payment), answered),
    ]
    all_ok = True
    print(f"journeys (target: worst stall ≤ {JOURNEY_TARGET_MS:g} ms per action)")
    for name, act, done in steps:
        shown.clear()
        probe.start()
        started = time.perf_counter()
        act()
        # The event loop runs meanwhile: the search box waits for a pause in typing first.
        run_until(app, lambda t=started: time.perf_counter() - t > 0.35, 5)
        run_until(app, done, 60)
        answer = time.perf_counter() - started
        settle = started + answer + 0.3  # what the answer draws, after it comes
        run_until(app, lambda s=settle: time.perf_counter() > s, 5)
        probe.stop()
        ok = probe.worst <= JOURNEY_TARGET_MS
        all_ok = all_ok and ok
        print(
            f"  {name:<26} worst stall {probe.worst:6.1f} ms  "
            f"(answer in {answer:.2f} s)  {'OK' if ok else 'MISSED'}"
        )
    return all_ok


if __name__ == "__main__":
    sys.exit(main())
