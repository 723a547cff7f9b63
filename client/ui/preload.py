"""The code of a role's screens, imported on a worker thread before the person opens them.

Importing a screen the first time runs its modules and those it pulls (pyqtgraph for the DEC's
dashboard, pypdfium2 for the document viewer, reportlab for the recap): up to a second and a
half, which on the GUI thread froze the window at log-in and at the first opening of the
statement editor (`bench/dec_gui_probe.py`). The log-in's worker imports the first screen of
the role once the server has answered, while the log-in page still shows its progress; the
screens the person may open next are imported on a worker once the first one is shown.

Only modules are imported here: no widget or other `QObject` is made off the GUI thread.
"""

from __future__ import annotations

import importlib
import logging
import time

from client.api.models import Role

log = logging.getLogger(__name__)

# What the role's first workspace builds when it is shown.
FIRST: dict[Role, tuple[str, ...]] = {
    Role.INTERVENANT: ("client.ui.missions.workspace",),
    Role.GESTIONNAIRE: (
        "client.ui.dec.workstation",
        "client.ui.dec.dashboard",
        "client.ui.dec.payment",
    ),
    Role.CHEF_CENTRE: ("client.ui.centre.workspace",),
    Role.ADMIN: (
        "client.ui.dec.workstation",
        "client.ui.dec.dashboard",
        "client.ui.dec.payment",
    ),
}

# What the person may open next: the other tabs, the editor, the profile, the viewer.
LATER: dict[Role, tuple[str, ...]] = {
    Role.INTERVENANT: (
        "client.ui.statement.editor",
        "client.ui.profile.dialog",
        "client.ui.assignment.declarations",
        "client.ui.documents.viewer",
    ),
    Role.GESTIONNAIRE: ("client.ui.assignment.workspace", "client.ui.profile.dialog"),
    Role.CHEF_CENTRE: ("client.ui.profile.dialog",),
    Role.ADMIN: (
        "client.ui.assignment.workspace",
        "client.ui.admin.workspace",
        "client.ui.profile.dialog",
    ),
}


def first_screen(role: Role) -> None:
    """Imports the modules of the role's first workspace (on the log-in's worker)."""
    _import(FIRST.get(role, ()))


def later(role: Role) -> None:
    """Imports the modules of the screens the role may open next (on a worker)."""
    _import(LATER.get(role, ()))


def _import(names: tuple[str, ...]) -> None:
    started = time.perf_counter()
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:  # the screen says so itself when it is opened
            log.warning("screen module %s could not be imported ahead", name, exc_info=True)
    log.debug("imported %d screen modules in %.3f s", len(names), time.perf_counter() - started)
