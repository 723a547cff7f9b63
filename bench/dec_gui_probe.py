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

`--only screens` runs every main screen's journey on the demo data, in an application made as
`imagin` makes it (its style sheet, French), and ends with the actions over the target, their
count and the worst. `--stacks` prints where the GUI thread was during each stall over the
target (sampled from another thread); `--roles` runs some journeys only; `--demo-folder` keeps
the demo data between runs for a quicker start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dec_bulk import APPROVE, PASSWORD, TODAY, generate
from bench.serving import free_port, serve

TARGET_MS = 100.0
JOURNEY_TARGET_MS = 50.0
TICK_MS = 10
# An action is over once no background task ran for this long (its answer is drawn).
QUIET_S = 0.3


class Probe:
    """Measures how late each 10 ms tick of a QTimer comes: the GUI thread's stalls.

    Beside each wall-clock gap, the CPU time the GUI thread itself spent in it (`busy`): on a
    machine shared with other work a gap also holds the time the thread waited for a core,
    which the busy time leaves out (it keeps the time spent holding the interpreter).
    """

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.busy: list[float] = []
        self._last = 0.0
        self._last_cpu = 0.0
        self.stalls: list[tuple[float, list[tuple[str, ...]]]] = []
        self.sampler: StackSampler | None = None

    def start(self) -> None:
        self.gaps = []
        self.busy = []
        self.stalls = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.gaps.append((now - self._last) * 1000 - TICK_MS)
        if self.sampler is not None:
            samples = self.sampler.take(self._last)
            if self.gaps[-1] > JOURNEY_TARGET_MS:
                self.stalls.append((self.gaps[-1], samples))
        self.busy.append((cpu - self._last_cpu) * 1000)
        self._last, self._last_cpu = now, cpu

    @property
    def worst(self) -> float:
        return max(self.gaps, default=0.0)

    @property
    def worst_busy(self) -> float:
        return max(self.busy, default=0.0)

    def p99(self) -> float:
        ordered = sorted(self.gaps)
        return ordered[int(0.99 * (len(ordered) - 1))] if ordered else 0.0


class StackSampler:
    """Where the GUI thread is while a tick is late: its Python stack, sampled from another
    thread every few milliseconds once a tick is overdue (`--stacks`).

    Time spent inside Qt shows as the Python frame that called into it (`processEvents` for
    layout and painting, with any Python override of `data()`, `sizeHint()`... above it).
    """

    def __init__(self, probe: Probe, every: float = 0.003) -> None:
        self.probe = probe
        self.every = every
        self.main = threading.main_thread().ident or 0
        self._samples: dict[float, list[tuple[str, ...]]] = {}
        self._lock = threading.Lock()
        probe.sampler = self
        threading.Thread(target=self._run, daemon=True).start()

    def take(self, since: float) -> list[tuple[str, ...]]:
        with self._lock:
            samples = self._samples.pop(since, [])
            self._samples.clear()
        return samples

    def _run(self) -> None:
        root = str(Path(__file__).resolve().parents[1]) + "/"
        overdue = (TICK_MS + 10) / 1000
        while True:
            time.sleep(self.every)
            since = self.probe._last
            try:
                active = self.probe.timer.isActive()
            except RuntimeError:  # the application is gone
                return
            if not active or time.perf_counter() - since < overdue:
                continue
            frame = sys._current_frames().get(self.main)
            stack: list[str] = []
            while frame is not None:
                name = frame.f_code.co_filename.replace(root, "").split("site-packages/")[-1]
                stack.append(f"{name}:{frame.f_lineno} {frame.f_code.co_name}")
                frame = frame.f_back
            with self._lock:
                self._samples.setdefault(since, []).append(tuple(reversed(stack)))

    @staticmethod
    def report(stalls: list[tuple[float, list[tuple[str, ...]]]]) -> None:
        for gap, samples in stalls:
            print(f"    stall {gap:.0f} ms, {len(samples)} samples of the GUI thread:")
            for stack, count in Counter(s[-14:] for s in samples).most_common(3):
                print(f"      {count} ×")
                for line in stack:
                    if "dec_gui_probe" not in line:
                        print(f"          {line}")


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
    parser.add_argument(
        "--only",
        choices=("bulk", "screens"),
        help="only the bulk approve on generated data, or only the screens on the demo data",
    )
    parser.add_argument(
        "--stacks",
        action="store_true",
        help="print the GUI thread's sampled stacks during each stall over the target",
    )
    parser.add_argument(
        "--demo-folder",
        type=Path,
        help="keep the demo data in this folder and reuse it on the next run (quicker start)",
    )
    parser.add_argument(
        "--roles",
        default="intervenant,gestionnaire,chef,admin",
        help="the journeys to run, of intervenant, gestionnaire, chef, admin (default: all)",
    )
    parser.add_argument("--shots", type=Path, help="save a screenshot of each screen here")
    parser.add_argument("--size", default="1180x760", help="window size (default 1180x760)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print what the GUI thread did during each action over the target (slower)",
    )
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    outcome = 0
    if args.only != "screens":
        outcome |= bulk(args.statements)
    if args.only != "bulk":
        outcome |= screens(
            args.shots,
            (width, height),
            args.profile,
            args.stacks,
            args.demo_folder,
            args.roles.split(","),
        )
    return outcome


def bulk(statements: int) -> int:

    from server_stub.core.database import make_engine
    from server_stub.core.migrate import upgrade

    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "bench.sqlite3"
        engine = make_engine(f"sqlite:///{database}")
        upgrade(engine)
        started = time.perf_counter()
        generate(engine, statements)
        engine.dispose()
        took = time.perf_counter() - started
        print(f"generated {statements:_} statements in {took:.1f} s".replace("_", " "))
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


# --- every main screen, on the demo data ---------------------------------------------------


class Journeys:
    """Scripted actions on the real main window, each measured on its own: from the action
    until its answer is shown and the interface settled (no background task for a while)."""

    def __init__(
        self, app: Any, window: Any, runner: Any, probe: Probe, profile: bool = False
    ) -> None:
        self.app = app
        self.profile = profile
        self.window = window
        self.runner = runner
        self.probe = probe
        self.results: list[tuple[str, str, float, int, float, float]] = []
        self.failures: list[str] = []

    def quiet(self, since: float) -> bool:
        """No background task for QUIET_S, at least QUIET_S after `since`."""
        now = time.perf_counter()
        if self.runner.busy:
            self._busy_at = now
            return False
        return now - max(since, self._busy_at) >= QUIET_S

    def step(
        self,
        screen: str,
        name: str,
        act: Callable[[], object],
        done: Callable[[], bool] | None = None,
        timeout: float = 60,
    ) -> None:
        import cProfile
        import pstats

        profiler = cProfile.Profile() if self.profile else None
        self.probe.start()
        started = time.perf_counter()
        self._busy_at = started
        if profiler is not None:
            profiler.enable()
        try:
            act()
            if done is not None:
                run_until(self.app, done, timeout)
            run_until(self.app, lambda: self.quiet(started), timeout)
        except Exception as error:  # reported, and the journey goes on
            self.failures.append(f"{screen} · {name}: {error!r}")
        answer = time.perf_counter() - started - QUIET_S
        self.probe.stop()
        if profiler is not None:
            profiler.disable()
        slow = sum(1 for gap in self.probe.gaps if gap > JOURNEY_TARGET_MS)
        busy = self.probe.worst_busy
        self.results.append((screen, name, self.probe.worst, slow, answer, busy))
        ok = self.probe.worst <= JOURNEY_TARGET_MS
        print(
            f"  {screen:<14} {name:<34} worst stall {self.probe.worst:6.1f} ms  "
            f"{slow:3d} over {JOURNEY_TARGET_MS:g} ms  (GUI thread busy {busy:5.1f} ms; "
            f"answer in {answer:5.2f} s)  {'OK' if ok else 'MISSED'}",
            flush=True,
        )
        if self.probe.sampler is not None:
            StackSampler.report(self.probe.stalls)
        if profiler is not None and not ok:
            # What the GUI thread did meanwhile: where to look for the stall.
            stats = pstats.Stats(profiler, stream=sys.stdout)
            stats.sort_stats("cumulative").print_stats(25)

    def shot(self, folder: Path | None, name: str) -> None:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.window.grab().save(str(folder / f"{name}.png"))

    # --- the journeys ---------------------------------------------------------------------

    def log_in(self, screen: str, login: str, password: str) -> None:
        window = self.window
        page = window.login_page
        shown: list[object] = []
        window.workspace_shown.connect(lambda: shown.append(True))

        def submit() -> None:
            page.login.setText(login)
            page.password.setText(password)
            page.submit.click()

        self.step(screen, "connexion", submit, lambda: bool(shown))

    def log_out(self, screen: str) -> None:
        self.step(screen, "déconnexion", self.window.log_out, lambda: self.window.workspace is None)

    def intervenant(self, login: str, password: str, shots: Path | None) -> None:
        from PySide6.QtWidgets import QAbstractSpinBox

        from client.ui.missions.workspace import MissionsWorkspace
        from client.ui.statement.steps import Step

        screen = "intervenant"
        self.log_in(screen, login, password)
        workspace = self.window.workspace
        assert isinstance(workspace, MissionsWorkspace)
        page = workspace.list_page
        run_until(self.app, lambda: page.model.rowCount() > 0, 30)
        self.step(screen, "liste : « Tous »", lambda: page.all.setChecked(True))
        self.shot(shots, "intervenant-missions")
        self.step(screen, "liste : rechercher", lambda: page.search.setText("math"))
        self.step(screen, "liste : effacer la recherche", lambda: page.search.setText(""))
        rows = [row for row in page.model.rows() if row.statement_id is not None]
        editable = [
            row
            for row in rows
            if str(getattr(row, "status", "")).endswith(("DRAFT", "RETURNED", "NOT_VALIDATED"))
        ] or rows
        detail = workspace.detail_page
        chosen = editable[0]
        self.step(
            screen,
            "ouvrir une mission",
            lambda: workspace.open_convocation(chosen),
            lambda: detail.statement is not None,
        )
        self.shot(shots, "intervenant-mission")
        self.step(
            screen,
            "ouvrir l'état de frais",
            lambda: workspace.open_editor(detail.statement) if detail.statement else None,
            lambda: workspace.editor is not None and workspace.editor.statement is not None,
        )
        editor = workspace.editor
        if editor is None:
            return
        self.shot(shots, "intervenant-editor")
        previews: list[object] = []
        editor.session.previewed.connect(previews.append)
        spins = [
            w
            for w in editor.page(Step.SERVICE).findChildren(QAbstractSpinBox)
            if w.isEnabled() and not w.isReadOnly()
        ]
        if spins:
            spin = spins[0]

            def type_value() -> None:
                spin.setFocus()
                spin.selectAll()
                spin.lineEdit().insert(str(min(spin.maximum(), 12)))

            self.step(screen, "saisir → aperçu", type_value, lambda: bool(previews))
        saved: list[object] = []
        editor.statement_changed.connect(saved.append)
        if not editor.read_only:
            self.step(screen, "enregistrer", editor.save, lambda: bool(saved))
        for step in (Step.TRAVEL, Step.MEALS_NIGHTS):
            self.step(screen, f"étape « {step.name.lower()} »", partial(editor.go_to, step))
        self.step(screen, "récapitulatif et pièces", lambda: editor.go_to(Step.RECAP))
        self.shot(shots, "intervenant-recap")
        self.step(screen, "fermer l'éditeur", workspace._on_editor_closed)
        self.step(screen, "retour à la liste", workspace.show_list)
        loaded: list[object] = []

        def profile() -> None:
            self.window.show_profile()
            self.window.profile_dialog.loaded.connect(lambda: loaded.append(True))

        self.step(screen, "mon profil", profile, lambda: bool(loaded))
        self.shot(shots, "intervenant-profile")
        if self.window.profile_dialog is not None:
            dialog = self.window.profile_dialog
            self.step(screen, "fermer le profil", dialog.reject)
        tabs = self.window.workspace_tabs
        self.step(screen, "onglet déclarations", lambda: tabs.setCurrentIndex(1))
        self.step(screen, "onglet missions", lambda: tabs.setCurrentIndex(0))
        self.log_out(screen)

    def dec(self, screen: str, shots: Path | None) -> None:
        from PySide6.QtCore import Qt

        from client.api.dec_models import status_key
        from client.api.models import Status
        from client.ui.dec.workstation import DecWorkstation
        from client.ui.models.dec_queue import DecColumn

        desk = self.window.workspace_tabs.workspace(0)
        assert isinstance(desk, DecWorkstation)
        pane, model = desk.queue, desk.queue.model
        run_until(self.app, lambda: model.rowCount() > 0 and not model.loading, 60)
        self.shot(shots, f"{screen}-queue")
        shown: list[object] = []
        pane.detail_loaded.connect(shown.append)
        desk.dashboard.loaded.connect(shown.append)
        desk.payment.batches_loaded.connect(shown.append)

        def answered() -> bool:
            return bool(shown)

        def queue_answered() -> bool:
            return not model.loading

        self.step(
            screen,
            "filtre « Tous »",
            lambda: pane.filters.select(pane.filters.status, None),
            queue_answered,
        )
        self.step(
            screen,
            "filtre « À valider »",
            lambda: pane.filters.select(pane.filters.status, status_key(Status.SUBMITTED)),
            queue_answered,
        )
        for column in (DecColumn.INTERVENANT, DecColumn.AMOUNT, DecColumn.ID):
            self.step(
                screen,
                f"trier : {column.name.lower()}",
                partial(pane.table.sortByColumn, column.value, Qt.SortOrder.DescendingOrder),
                queue_answered,
            )
        self.step(screen, "rechercher un nom", lambda: pane.filters.search.setText("Martin"))
        self.step(screen, "effacer la recherche", lambda: pane.filters.search.setText(""))
        self.step(screen, "tout sélectionner", pane.table.selectAll)
        self.step(screen, "un seul sélectionné", lambda: pane.select_rows([0]))
        shown.clear()
        self.step(screen, "ouvrir un état de frais", lambda: pane.go_to(1), answered)
        self.step(screen, "état suivant", pane.next_statement)
        shown.clear()
        self.step(
            screen,
            "tableau de bord",
            lambda: desk.tabs.setCurrentWidget(desk.dashboard),
            answered,
        )
        self.shot(shots, f"{screen}-dashboard")
        shown.clear()
        self.step(screen, "paiement", lambda: desk.tabs.setCurrentWidget(desk.payment), answered)
        payment = desk.payment
        self.step(
            screen,
            "préparer un lot",
            payment.prepare,
            lambda: payment.preview is not None,
        )
        self.shot(shots, f"{screen}-payment")
        self.step(screen, "retour à la file", lambda: desk.tabs.setCurrentIndex(0))

    def assignment(self, screen: str, shots: Path | None) -> None:
        from client.ui.assignment.workspace import AssignmentWorkspace

        tabs = self.window.workspace_tabs
        self.step(screen, "affectation", lambda: tabs.setCurrentIndex(1))
        work = tabs.workspace(1)
        assert isinstance(work, AssignmentWorkspace)
        run_until(self.app, lambda: work.session.count() > 0, 30)
        for number in range(work.tabs.count()):
            title = work.tabs.tabText(number).replace("&", "")
            self.step(screen, f"onglet {title}", partial(work.tabs.setCurrentIndex, number))
            self.shot(shots, f"{screen}-assignment-{number}")
        if work.session.count() > 1:
            self.step(screen, "autre session", lambda: work.session.setCurrentIndex(1))

    def gestionnaire(self, login: str, password: str, shots: Path | None) -> None:
        screen = "DEC"
        self.log_in(screen, login, password)
        self.dec(screen, shots)
        self.assignment("affectation", shots)
        self.log_out(screen)

    def chef(self, login: str, password: str, shots: Path | None) -> None:
        from client.ui.centre.workspace import CentreWorkspace

        screen = "chef de centre"
        self.log_in(screen, login, password)
        work = self.window.workspace
        assert isinstance(work, CentreWorkspace)
        run_until(self.app, lambda: work.tree.topLevelItemCount() > 0, 30)
        self.shot(shots, "centre")
        self.step(screen, "actualiser", work.refresh)
        tree = work.tree
        if tree.topLevelItemCount():
            self.step(screen, "tout sélectionner", tree.selectAll)
            self.step(
                screen,
                "sélectionner une mission",
                lambda: tree.setCurrentItem(tree.topLevelItem(0)),  # type: ignore[arg-type]
            )
        self.log_out(screen)

    def admin(self, login: str, password: str, shots: Path | None) -> None:
        from client.ui.admin.workspace import AdministrationWorkspace

        screen = "administration"
        self.log_in(screen, login, password)
        tabs = self.window.workspace_tabs
        self.step(screen, "onglet administration", lambda: tabs.setCurrentIndex(2))
        work = tabs.workspace(2)
        assert isinstance(work, AdministrationWorkspace)
        for number in range(work.tabs.count()):
            title = work.tabs.tabText(number).replace("&", "")
            self.step(screen, f"onglet {title}", partial(work.tabs.setCurrentIndex, number))
            self.shot(shots, f"admin-{number}")
        self.step(screen, "actualiser", work.refresh)
        self.step(screen, "onglet états de frais", lambda: tabs.setCurrentIndex(0))
        self.dec("DEC (admin)", None)
        self.log_out(screen)


def screens(
    shots: Path | None,
    size: tuple[int, int],
    profile: bool = False,
    stacks: bool = False,
    demo_folder: Path | None = None,
    roles: list[str] | None = None,
) -> int:
    """Every main screen's journey on the demo data (`imagin --demo`'s server)."""
    import keyring
    from keyring.backends.null import Keyring as NullKeyring

    from client.api.client import ImaginClient, make_http
    from client.api.tokens import TokenStore
    from client.demo import DemoServer
    from client.settings import Settings as ClientSettings
    from client.ui import app_style
    from client.ui.application import install_french, make_application
    from client.ui.context import AppContext
    from client.ui.main_window import MainWindow
    from client.ui.tasks import TaskRunner

    keyring.set_keyring(NullKeyring())  # type: ignore[no-untyped-call]
    # Made as `imagin` makes it: its style sheet is what every list is drawn and measured with.
    app = make_application(sys.argv)
    install_french(app)
    app_style.apply(app)
    started = time.perf_counter()
    with DemoServer(folder=demo_folder) as server:
        print(
            f"demo server with its data up in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        logins: dict[str, str] = {}
        for account in server.accounts:
            logins.setdefault(account.role, account.login)
        password = server.accounts[0].password
        runner = TaskRunner()
        folder = Path(tempfile.mkdtemp(prefix="imagin-probe-"))
        ctx = AppContext(
            api=ImaginClient(make_http(server.url), TokenStore()),
            runner=runner,
            settings=ClientSettings(server_url=server.url),
            settings_path=folder / "settings.json",
            data_folder=folder / "data",
            open_url=lambda _url: True,
            demo=True,
        )
        window = MainWindow(ctx)
        window.resize(*size)
        window.show()
        probe = Probe()
        if stacks:
            StackSampler(probe)
        # The machine's own noise: an idle event loop, measured first.
        probe.start()
        run_until(app, lambda: len(probe.gaps) >= 200, 10)
        probe.stop()
        idle_worst, idle_p99 = probe.worst, probe.p99()
        journeys = Journeys(app, window, runner, probe, profile)
        print(f"screens at {size[0]}×{size[1]} (target: worst stall ≤ {JOURNEY_TARGET_MS:g} ms)")
        roles = roles or ["intervenant", "gestionnaire", "chef", "admin"]
        if "intervenant" in roles:
            journeys.intervenant(logins["Intervenant"], password, shots)
        if "gestionnaire" in roles:
            journeys.gestionnaire(logins["Gestionnaire"], password, shots)
        if "chef" in roles:
            journeys.chef(logins["Chef de centre"], password, shots)
        if "admin" in roles:
            journeys.admin(logins["Administrateur"], password, shots)
        window.close()
        runner.wait_for_done()
    for failure in journeys.failures:
        print(f"  could not run: {failure}")
    worst = max(journeys.results, key=lambda r: r[2])
    busiest = max(journeys.results, key=lambda r: r[5])
    missed = [r for r in journeys.results if r[2] > JOURNEY_TARGET_MS]
    for screen, name, stall, _slow, _answer, busy in missed:
        print(f"  over: {screen:<14} {name:<34} {stall:6.1f} ms (GUI thread busy {busy:5.1f} ms)")
    print(
        f"worst stall over {len(journeys.results)} actions: {worst[2]:.1f} ms "
        f"({worst[0]} · {worst[1]})  target ≤ {JOURNEY_TARGET_MS:g} ms  "
        f"{len(missed)} actions over it  {'OK' if not missed else 'MISSED'}\n"
        f"  GUI thread busy at most {busiest[5]:.1f} ms ({busiest[0]} · {busiest[1]}); "
        f"idle loop on this machine now: worst {idle_worst:.1f} ms, p99 {idle_p99:.1f} ms"
    )
    return 0 if not missed and not journeys.failures else 1


if __name__ == "__main__":
    sys.exit(main())
