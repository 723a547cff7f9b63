"""Regenerates the user guide's screenshots from the real widgets, against a real server.

    make screenshots
    # = xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py

A development tool, not a part of the application: it lives beside the other scripts, outside
the client's packages, so that nothing the application imports leads to it. The reference server
runs for real, the way `imagin --demo` runs it: `client.demo.DemoServer` starts `imagin-server`
as a child process on a temporary SQLite database filled with the demonstration académie
(`demo-data`), its "today" fixed to 1 July 2026 so that the pictures do not change from one
run to the next. Everything else goes through HTTP, like the application: the client never imports
`server_stub` (the wall that tests/client/test_layers.py checks), this tool included.

The screens of the other families (log-in, missions, profile) are taken when their modules are
there; a screen that fails is logged and skipped, so that the guide keeps its previous picture.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.util
import logging
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QEventLoop, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

log = logging.getLogger("imagin.screenshots")

SIZE = (1180, 760)


def default_folder() -> Path:
    return Path(str(files("client.resources") / "help" / "screenshots"))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Runs the event loop until `condition` holds (results of the worker threads arrive)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the screen did not reach the expected state in time")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def save(widget: QWidget, folder: Path, name: str) -> Path:
    settle()
    path = folder / f"{name}.png"
    if not widget.grab().save(str(path)):
        raise OSError(f"could not write {path}")
    log.info("wrote %s", path)
    return path


TODAY = "2026-07-01"
# The demonstration's teacher, with a statement at every stage, and the password every demo
# account shares (docs/demo-accounts.md): used when the server does not list its accounts.
INTERVENANT = "elodie.dupont-martin"
DEMO_PASSWORD = "Imagin-Demo-2026!"
PORT = 8000


@contextlib.contextmanager
def demo_server() -> Iterator[tuple[Any, Any]]:
    """The reference server with the demonstration data, and the account to log in with."""
    from client.api.client import make_http
    from client.demo import DemoAccount, DemoServer

    # The address shows on the log-in screen: the same one at every run when it is free.
    with socket.socket() as probe:
        port = PORT if probe.connect_ex(("127.0.0.1", PORT)) != 0 else None
    # A fixed hash seed too: the demonstration data then comes out the same at every run.
    fixed = {"IMAGIN_TODAY": TODAY, "PYTHONHASHSEED": "0"}
    with DemoServer(port=port, extra_env=fixed) as demo:
        account = next(
            (a for a in demo.accounts if a.login == INTERVENANT),
            DemoAccount(INTERVENANT, DEMO_PASSWORD, "Intervenant", ""),
        )
        with make_http(demo.url) as http:
            yield http, account


def _no_keyring() -> Any:
    """Screenshots never touch the keyring of the machine that takes them."""
    from keyring.backends import null

    return null.Keyring()  # type: ignore[no-untyped-call]


def logged_in_api(http: Any, login: str, password: str) -> Any:
    from client.api.client import ImaginClient
    from client.api.tokens import TokenStore

    api = ImaginClient(http, TokenStore(backend=_no_keyring()))
    api.log_in(login, password, remember=False)
    return api


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


# --- the statements shown -------------------------------------------------------------------


@dataclass
class Sample:
    """The demonstration statements the pictures show, found and filled through the API."""

    login: str
    password: str
    correction: int  # open, paid, done: copies typed and saved
    oral: int  # open, over several days far from home: candidates, a trip, a meal, a night
    validated: int  # already validated: read-only


def _choose(api: Any, today: dt.date) -> tuple[int, int, int]:
    from client.api.models import MissionType, Status

    rows = api.convocations()

    def first(test: Callable[[Any], bool], what: str) -> int:
        for row in sorted(rows, key=lambda r: (r.mission.start_date, r.id)):
            if test(row):
                return int(row.statement_id)
        raise LookupError(f"no demonstration statement for {what}")

    def open_and_done(row: Any) -> bool:
        return row.status is Status.OPEN and row.mission.start_date <= today

    correction = first(
        lambda r: (
            open_and_done(r)
            and r.mission.type is MissionType.CORRECTION
            and r.mission.pay_group not in (None, "NR")
        ),
        "a correction to fill",
    )
    oral = first(
        lambda r: (
            open_and_done(r)
            and r.mission.type is MissionType.INTERROGATION
            and r.mission.travel_reimbursable
            and r.mission.end_date > r.mission.start_date
        ),
        "an oral of several days",
    )
    validated = first(
        lambda r: r.status in (Status.SUBMITTED, Status.APPROVED) and r.total > 0,
        "a validated statement",
    )
    return correction, oral, validated


def _fill(api: Any, sample: Sample) -> None:
    """Types and saves, through the API, what the pictures of the open statements show."""
    from client.api.models import Entry, HalfDay, Night, PayDay, TravelMode, Trip

    statement = api.statement(sample.correction)
    mission = statement.mission
    entry = Entry(days=[PayDay(date=mission.start_date, copies=min(42, mission.lot_size or 42))])
    api.save_statement(statement.id, statement.version, entry)

    statement = api.statement(sample.oral)
    mission = statement.mission
    days = [
        mission.start_date + dt.timedelta(days=n)
        for n in range((mission.end_date - mission.start_date).days + 1)
    ]
    entry = Entry(
        days=[
            PayDay(date=day, candidates={HalfDay.MORNING: 8, HalfDay.AFTERNOON: 6}) for day in days
        ]
    )
    entry.travel.claimed = True
    entry.travel.trips = [
        Trip(
            depart_at=dt.datetime.combine(days[0], dt.time(7, 0)),
            return_at=dt.datetime.combine(days[-1], dt.time(19, 0)),
            mode=TravelMode.CAR,
            parking=Decimal("8.50"),
        )
    ]
    preview = api.preview(statement.id, entry)
    entry.travel.trips[0].km = preview.proposals.suggested_km or Decimal(100)
    entry.travel.meals = preview.proposals.meals[:1]
    entry.travel.nights = [
        Night(date=night, cost=Decimal("78.00")) for night in preview.proposals.nights
    ]
    problems = api.preview(statement.id, entry).computation.problems
    if problems:
        log.warning("the oral's entry has problems, kept without meals and nights: %s", problems)
        entry.travel.meals, entry.travel.nights = [], []
    api.save_statement(statement.id, statement.version, entry)


def prepare(http: Any, account: Any) -> tuple[Any, Sample]:
    api = logged_in_api(http, account.login, account.password)
    correction, oral, validated = _choose(api, dt.date.fromisoformat(TODAY))
    sample = Sample(account.login, account.password, correction, oral, validated)
    _fill(api, sample)
    return api, sample


# --- the statement editor and the help pane -------------------------------------------------


def _editor_window(api: Any, runner: Any, work: Path, statement_id: int) -> tuple[Any, Any]:
    from client.drafts import DraftStore
    from client.ui.statement.editor import StatementEditor

    window = QMainWindow()
    window.setWindowTitle("IMAG'IN")
    editor = StatementEditor(
        api, runner, DraftStore(work / "drafts"), statement_id, recaps_folder=work / "recaps"
    )
    window.setCentralWidget(editor)
    window.resize(*SIZE)
    window.show()
    wait_until(lambda: editor.statement is not None)
    return window, editor


def statement_screens(
    api: Any, sample: Sample, runner: Any, work: Path, folder: Path
) -> list[Path]:
    from client.ui.help.pane import HelpPane
    from client.ui.statement.steps import Step

    written: list[Path] = []

    # A correction: copies per day, and the help pane beside it on the focused field.
    window, editor = _editor_window(api, runner, work, sample.correction)
    editor.go_to(Step.SERVICE)
    written.append(save(window, folder, "statement-service"))
    pane = HelpPane(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, pane)
    pane.install_shortcut(window)
    window.resize(SIZE[0] + 120, SIZE[1])
    field = editor.page(Step.SERVICE).first_field()
    window.activateWindow()
    if field is not None:
        field.setFocus()
        # Without a window manager the window may never become active: no focus event then.
        pane.show_for(field)
    wait_until(lambda: pane.current_topic == "statement.service.copies")
    written.append(save(window, folder, "help-pane"))
    window.close()

    # An oral far from home: candidates, a trip over two days, a meal, a night, the recap.
    window, editor = _editor_window(api, runner, work, sample.oral)
    names = {
        Step.SERVICE: "statement-oral",
        Step.TRAVEL: "statement-travel",
        Step.MEALS_NIGHTS: "statement-meals-nights",
        Step.RECAP: "statement-recap",
    }
    for step, name in names.items():
        editor.go_to(step)
        written.append(save(window, folder, name))

    # A problem beside its field: more kilometres than the days of the trip allow.
    editor.go_to(Step.TRAVEL)
    travel = editor.page(Step.TRAVEL)
    row = travel.rows()[0]
    row.km.setValue(9500)
    wait_until(lambda: bool(editor.problem_text("trips.0.km")))
    travel.ensureWidgetVisible(row.km)
    written.append(save(window, folder, "statement-problem"))
    window.close()

    # A validated statement opens read-only, on its recap.
    window, editor = _editor_window(api, runner, work, sample.validated)
    written.append(save(window, folder, "statement-validated"))
    window.close()
    return written


# --- the other screen families, when they exist ---------------------------------------------


def other_screens(api: Any, sample: Sample, runner: Any, work: Path, folder: Path) -> list[Path]:
    """The log-in, missions, mission detail, profile and password screens, through the real
    main window. Each one is taken on its own: a screen that fails is logged and skipped."""
    needed = ("client.ui.main_window", "client.ui.login", "client.ui.missions", "client.ui.profile")
    missing = [name for name in needed if not _module_exists(name)]
    if missing:
        log.warning("%s not there yet: their screenshots are skipped", ", ".join(missing))
        return []
    from client.api.client import ImaginClient
    from client.api.tokens import TokenStore
    from client.settings import Settings as ClientSettings
    from client.ui.context import AppContext
    from client.ui.main_window import MainWindow

    fresh = ImaginClient(api.http, TokenStore(backend=_no_keyring()))
    ctx = AppContext(
        api=fresh,
        runner=runner,
        settings=ClientSettings(server_url=fresh.server, help_visible=False),
        settings_path=work / "settings.json",
        data_folder=work / "data",
        log_path=work / "imagin.log",
        open_url=lambda url: True,
    )
    written: list[Path] = []
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()

    def attempt(name: str, take: Callable[[], Path | None]) -> None:
        try:
            path = take()
        except Exception:
            log.exception("screenshot %s failed", name)
            return
        if path is not None:
            written.append(path)

    def login() -> Path:
        page = window.login_page
        page.fill(sample.login, sample.password)
        return save(window, folder, "login")

    def missions() -> Path:
        window.login_page.log_in()
        wait_until(lambda: window.workspace is not None)
        workspace = window.workspace
        wait_until(lambda: workspace.list_page.model.rowCount() > 0)
        workspace.list_page.all.setChecked(True)
        return save(window, folder, "missions")

    def detail() -> Path:
        workspace = window.workspace
        rows = workspace.list_page.model.rows()
        [convocation] = [row for row in rows if row.statement_id == sample.correction]
        workspace.open_convocation(convocation)
        wait_until(lambda: workspace.detail_page.statement is not None)
        return save(window, folder, "mission-detail")

    def not_performed() -> Path:
        page = window.workspace.detail_page
        page.declare_not_performed()
        wait_until(lambda: page.not_performed_dialog is not None)
        dialog = page.not_performed_dialog
        path = save(dialog, folder, "not-performed")
        dialog.reject()
        return path

    def profile() -> Path:
        window.show_profile()
        wait_until(lambda: window.profile_dialog is not None)
        dialog = window.profile_dialog
        wait_until(lambda: bool(dialog.iban.isEnabled()) or dialog.isVisible(), timeout=5)
        settle(600)
        path = save(dialog, folder, "profile")
        dialog.close()
        return path

    def password() -> Path:
        from client.ui.login.password import PasswordChangeDialog

        dialog = PasswordChangeDialog(
            fresh,
            runner,
            login=sample.login,
            current_password=sample.password,
            rules_text=(
                "Le mot de passe doit compter au moins 12 caractères, dont une minuscule, une "
                "majuscule, un chiffre et un caractère spécial, et ne pas contenir votre "
                "identifiant."
            ),
            parent=window,
        )
        dialog.show()
        path = save(dialog, folder, "password-change")
        dialog.close()
        return path

    def password_reset() -> Path:
        from client.ui.login.reset import ResetPasswordDialog

        dialog = ResetPasswordDialog(fresh, runner, login="edupontm", parent=window)
        dialog.bar.success(
            "Si un compte d'intervenant extérieur correspond à cet identifiant et comporte une "
            "adresse électronique, un code de réinitialisation vient d'y être envoyé. Il est "
            "valable 30 minutes."
        )
        dialog.code.setText("K7QM-3XTA")
        dialog.show()
        path = save(dialog, folder, "password-reset")
        dialog.close()
        return path

    for name, take in (
        ("login", login),
        ("password-change", password),
        ("password-reset", password_reset),
        ("missions", missions),
        ("mission-detail", detail),
        ("not-performed", not_performed),
        ("profile", profile),
    ):
        attempt(name, take)
    window.close()
    return written


# --- the administrator's workspace ----------------------------------------------------------

ADMINISTRATOR = "martine.leroux"


def admin_screens(http: Any, runner: Any, work: Path, folder: Path) -> list[Path]:
    """Administration's tabs (accounts, audit log, offices, tariffs, reference data), the
    new-account dialog and a new tariff version previewed, as the demonstration's administrator
    sees them."""
    if not _module_exists("client.ui.admin"):
        log.warning("client.ui.admin not there yet: its screenshots are skipped")
        return []
    from client.api.client import ImaginClient
    from client.api.tokens import TokenStore
    from client.settings import Settings as ClientSettings
    from client.ui.admin.workspace import AdministrationWorkspace
    from client.ui.context import AppContext

    api = ImaginClient(http, TokenStore(backend=_no_keyring()))
    tokens = api.log_in(ADMINISTRATOR, DEMO_PASSWORD, remember=False)
    ctx = AppContext(
        api=api,
        runner=runner,
        settings=ClientSettings(server_url=api.server, help_visible=False),
        settings_path=work / "admin-settings.json",
        data_folder=work / "admin-data",
        log_path=work / "imagin.log",
        open_url=lambda url: True,
    )
    ctx.identity = tokens.user
    window = QMainWindow()
    workspace = AdministrationWorkspace(ctx)
    window.setCentralWidget(workspace)
    window.resize(*SIZE)
    window.show()
    written: list[Path] = []
    try:
        workspace.start()
        wait_until(lambda: workspace.accounts.model.rowCount() > 0)
        wait_until(lambda: bool(workspace.accounts.centre_refs))
        workspace.accounts.view.selectRow(0)
        written.append(save(window, folder, "admin-accounts"))
        workspace.accounts.create_account()
        dialog = workspace.accounts.dialog
        assert dialog is not None
        dialog.first_name.setText("Hélène")
        dialog.last_name.setText("Roux")
        dialog.email.setText("helene.roux")
        dialog.on_submit()
        written.append(save(dialog, folder, "admin-account-dialog"))
        # The demonstration's log starts empty: an account created and an office's rule
        # changed give the journal its first lines.
        dialog.email.setText("helene.roux@ac-amiens.fr")
        dialog.offices.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.on_submit()
        wait_until(lambda: not dialog.isVisible())
        wait_until(lambda: workspace.accounts.model.rowCount() == 1)
        workspace.tabs.setCurrentIndex(2)
        offices = workspace.offices
        wait_until(lambda: offices.model.rowCount() > 0)
        offices.service_done.setChecked(not offices.service_done.isChecked())
        offices.save()
        wait_until(lambda: offices.bar.isVisible())
        wait_until(lambda: not runner.busy)
        written.append(save(window, folder, "admin-offices"))
        # The Référentiel on its thresholds, one of them changed by the académie.
        workspace.tabs.setCurrentWidget(workspace.reference)
        reference = workspace.reference
        reference.nav.setCurrentRow(2)
        thresholds = reference.thresholds
        wait_until(lambda: "km_ratio" in thresholds.edits)
        wait_until(lambda: thresholds.edits["km_ratio"].isVisible())
        thresholds.edits["km_ratio"].setText("1,5")
        thresholds.save()
        wait_until(lambda: reference.bar.isVisible())
        wait_until(lambda: not runner.busy)
        written.append(save(window, folder, "admin-reference"))
        workspace.tabs.setCurrentIndex(1)
        wait_until(lambda: workspace.audit.model.rowCount() > 1)
        workspace.audit.view.selectRow(0)
        written.append(save(window, folder, "admin-audit"))
        written += _tariff_screens(workspace, window, folder)
    except Exception:
        log.exception("the administration's screenshots failed")
    window.close()
    return written


def _tariff_screens(workspace: Any, window: Any, folder: Path) -> list[Path]:
    """The Tarifs tab on the meals' versions, and a new version of the vacations previewed
    (then cancelled: the demonstration's tariffs stay as shipped)."""
    from client.tariff_fields import Kind

    tariffs = workspace.tariffs
    workspace.tabs.setCurrentWidget(tariffs)
    wait_until(lambda: tariffs.files.rowCount() > 0)
    tariffs.select("meals")
    written = [save(window, folder, "admin-tariffs")]
    tariffs.select("vacations")
    tariffs.add_version()
    dialog = tariffs.dialog
    assert dialog is not None
    dialog.resize(900, 680)
    dialog.valid_from.setDate(QDate(2026, 6, 1))
    dialog.source.setText("Arrêté du 2 mai 2026 (exemple), art. 2")
    for field, widget in dialog.inputs.items():
        if field.name == "copy_rates.5" and field.kind is Kind.TEXT:
            widget.setText("5,50")
    dialog.on_preview()
    wait_until(lambda: dialog.previewed is not None)
    written.append(save(dialog, folder, "admin-tariff-version"))
    dialog.reject()
    return written


# The demonstration's gestionnaire of the DEC and chef de centre (docs/demo-accounts.md).
GESTIONNAIRE = "nathalie.caron"
CHEF_DE_CENTRE = "philippe.lambert"


def _main_window(api: Any, runner: Any, work: Path) -> Any:
    from client.api.client import ImaginClient
    from client.api.tokens import TokenStore
    from client.settings import Settings as ClientSettings
    from client.ui.context import AppContext
    from client.ui.main_window import MainWindow

    fresh = ImaginClient(api.http, TokenStore(backend=_no_keyring()))
    ctx = AppContext(
        api=fresh,
        runner=runner,
        settings=ClientSettings(server_url=fresh.server, help_visible=False),
        settings_path=work / "settings.json",
        data_folder=work / "data",
        log_path=work / "imagin.log",
        open_url=lambda url: True,
    )
    window = MainWindow(ctx)
    window.resize(*SIZE)
    window.show()
    return window


def _log_in(window: Any, login: str) -> None:
    window.login_page.fill(login, DEMO_PASSWORD)
    window.login_page.log_in()
    wait_until(lambda: window.workspace is not None)


def staff_screens(api: Any, runner: Any, work: Path, folder: Path) -> list[Path]:
    """The DEC's workstation (queue and detail, payment, dashboard) and the chef de centre's
    missions, at the default window size: the guide shows what fits there."""
    written: list[Path] = []
    window = _main_window(api, runner, work)
    try:
        _log_in(window, GESTIONNAIRE)
        desk = window.workspace
        pane = desk.queue
        wait_until(lambda: pane.model.rowCount() > 0 and not pane.model.loading)
        pane.go_to(0)
        wait_until(lambda: pane.detail.current is not None)
        written.append(save(window, folder, "dec-queue"))
        desk.tabs.setCurrentWidget(desk.dashboard)
        wait_until(lambda: desk.dashboard.session.count() > 0)
        settle(800)
        written.append(save(window, folder, "dec-dashboard"))
    except Exception:
        log.exception("the DEC's screenshots failed")
    window.close()

    window = _main_window(api, runner, work)
    try:
        _log_in(window, CHEF_DE_CENTRE)
        workspace = window.workspace
        wait_until(lambda: workspace.tree.topLevelItemCount() > 0)
        written.append(save(window, folder, "centre"))
    except Exception:
        log.exception("the chef de centre's screenshot failed")
    window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="dossier des captures")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    folder: Path = args.out or default_folder()
    folder.mkdir(parents=True, exist_ok=True)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    QCoreApplication.setApplicationName("IMAG'IN")
    app.setFont(QFont("DejaVu Sans", 10))
    with contextlib.suppress(ImportError):
        from client.ui import app_style

        app_style.apply(app)

    from client.ui.tasks import TaskRunner

    runner = TaskRunner()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="imagin-work-") as work_folder:
        work = Path(work_folder)
        with demo_server() as (http, account):
            api, sample = prepare(http, account)
            written += statement_screens(api, sample, runner, work, folder)
            written += other_screens(api, sample, runner, work, folder)
            written += admin_screens(http, runner, work, folder)
            written += staff_screens(api, runner, work, folder)
            runner.wait_for_done()
    for path in written:
        print(path)  # noqa: T201 - the list of files is the command's output
    return 0


if __name__ == "__main__":
    sys.exit(main())
