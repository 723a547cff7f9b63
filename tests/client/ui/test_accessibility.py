"""Every main screen, as a screen reader and a keyboard meet it: each interactive control has an
accessible name (what Qt's accessibility layer answers: its own name, its text or its buddy
label), the tab order never jumps back up and to the left, and the control that has the
keyboard's focus looks different from the same control without it.

The screens are walked as shown in the main window at 1180×760, for an intervenant (the missions,
the declarations, the statement editor), for a gestionnaire (the DEC's queue, payment and
dashboard, the assignment's tabs) and for an administrator (the same, and Administration), plus
the log-in screen and the need form.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from client.ui.context import AppContext
from client.ui.main_window import MainWindow
from server_stub.auth.models import Role, User
from tests.client.ui.test_main_window import make_window
from tests.server_stub.factories import PASSWORD, World


def staff(world: World, role: str) -> User:
    if role == "administrateur":
        return world.person("Adèle", "Admin", role=Role.ADMIN, fiscal_power=None)
    return world.person() if role == "intervenant" else world.gestionnaire()


def log_in(qtbot: Any, window: MainWindow, user: User) -> None:
    """The log-in of test_main_window, patient on a busy machine."""
    page = window.login_page
    page.login.setText(user.login)
    page.password.setText(PASSWORD)
    with qtbot.waitSignal(window.workspace_shown, timeout=30_000):
        page.submit.click()


INTERACTIVE = (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
)


def interactive(top: QWidget) -> Iterator[QWidget]:
    """The controls of `top` a person can reach, shown and enabled; the line edit inside a spin
    box or a combo box is its box's."""
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(top):
            continue
        if widget.inherits("QLabel"):  # Qt's own class, whatever the Python wrapper says
            continue
        if not widget.isEnabled() or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractSpinBox | QComboBox):
            continue
        yield widget


def accessible_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return name.replace("&", "").strip()


def describe(widget: QWidget) -> str:
    top = widget.window()
    where = place(widget, top)
    return (
        f"{type(widget).__name__} « {accessible_name(widget) or widget.objectName()} » "
        f"({where.left()}, {where.top()})"
    )


def unnamed(top: QWidget) -> list[str]:
    return [describe(w) for w in interactive(top) if not accessible_name(w)]


def place(widget: QWidget, top: QWidget) -> QRect:
    return QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())


def backward_jumps(top: QWidget) -> list[str]:
    """Follows the tab order through the controls of `top`: a step that lands wholly above and
    wholly to the left of the control before is going back (leaving a column for the top of the
    next one goes up and to the right; a new row goes down and to the left). The chain is a
    ring: it goes back to its first control once."""
    reachable = [w for w in interactive(top) if not isinstance(w, QTabBar)]
    if not reachable:
        return []
    allowed = {id(w) for w in reachable}
    # The chain is a ring through the window: Tab from the window itself meets its first
    # control.
    order: list[QWidget] = []
    current: QWidget = top.window().nextInFocusChain()
    for _ in range(20_000):
        if current is top.window():
            break
        if id(current) in allowed and current not in order:
            order.append(current)
        current = current.nextInFocusChain()
    jumps = []
    for before, after in itertools.pairwise(order):
        a, b = place(before, top), place(after, top)
        if b.bottom() < a.top() and b.right() < a.left():
            jumps.append(f"{describe(before)} → {describe(after)}")
    # The ring goes back to its start once (from the last control to the first).
    return jumps if len(jumps) > 1 else []


def focus_unseen(top: QWidget) -> list[str]:
    """The controls that look the same with the keyboard's focus as without it. The focus is
    given as Tab gives it (Qt draws some focus marks only after a keyboard move)."""
    window = top.window()
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
    unseen = []
    for widget in interactive(top):
        if isinstance(widget, QTabBar):
            continue  # the selected tab is drawn as such, focus or not
        widget.clearFocus()
        QApplication.processEvents()
        without = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        QApplication.processEvents()
        if widget.grab().toImage() == without:
            unseen.append(describe(widget))
        widget.clearFocus()
    return unseen


def walk(window: MainWindow) -> Iterator[tuple[str, QWidget]]:
    """Each tab of the workspace (and each tab inside it), shown in turn."""
    tabs = window.workspace_tabs
    assert tabs is not None
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = tabs.currentWidget()
        inner = page.findChild(QTabWidget) if page is not None else None
        if inner is not None and inner.isVisibleTo(window):
            for number in range(inner.count()):
                inner.setCurrentIndex(number)
                QApplication.processEvents()
                yield f"{tabs.tabText(index)} / {inner.tabText(number)}", window
        else:
            yield tabs.tabText(index), window


@pytest.fixture
def shown(qtbot: Any, ctx: AppContext) -> MainWindow:
    window = make_window(qtbot, ctx)
    window.resize(1180, 760)
    return window


def test_the_log_in_screen(shown: MainWindow) -> None:
    assert not unnamed(shown)
    assert not backward_jumps(shown)
    assert not focus_unseen(shown)


@pytest.mark.parametrize("role", ["intervenant", "gestionnaire", "administrateur"])
def test_every_main_screen_names_its_controls_and_keeps_its_tab_order(
    qtbot: Any, shown: MainWindow, world: World, role: str
) -> None:
    user: User = staff(world, role)
    world.statement(world.person(), world.mission())
    world.commit()
    log_in(qtbot, shown, user)
    qtbot.wait(500)  # the first lists arrive
    problems: dict[str, list[str]] = {}
    for name, screen in walk(shown):
        qtbot.wait(200)
        missing = unnamed(screen)
        jumps = backward_jumps(screen)
        unseen = focus_unseen(screen)
        if missing or jumps or unseen:
            problems[name] = [
                *(f"sans nom : {m}" for m in missing),
                *jumps,
                *(f"focus invisible : {u}" for u in unseen),
            ]
    assert not problems


def test_the_need_form_names_all_its_inputs(qtbot: Any, ctx: AppContext) -> None:
    from client.ui.assignment.needs import NeedDialog

    dialog = NeedDialog(ctx, 1, [], [])
    qtbot.addWidget(dialog)
    dialog.show()
    for kind in range(dialog.kind.count()):
        dialog.kind.setCurrentIndex(kind)
        dialog.has_end_date.setChecked(True)
        assert not unnamed(dialog), dialog.kind.currentText()
        assert not backward_jumps(dialog)


# --- French everywhere --------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(Look|Files|Folder|Cancel|Open|Save|Yes|No|Close|Name|Size|Back|Forward|Error|"
    r"Warning|Loading|Search|Delete|Edit|Settings|Help|Status|Amount|Submit|Login|Logout|"
    r"Password|Refresh|Next|Previous|Total amount)\b"
)
# A capital É, È or Ê written as a plain E ("Etats de frais", "Etape", "Epreuve").
UNACCENTED = re.compile(r"\bE(tats?|tape|preuve|cole|l[eè]ve|chec|quipe|lément|dition)\b")


def visible_texts(top: QWidget) -> list[str]:
    texts: list[str] = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QTabBar):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            if isinstance(widget, QListView):  # a list has no header: its items are its words
                texts += [str(model.index(r, 0).data() or "") for r in range(model.rowCount())]
            else:
                texts += [
                    str(model.headerData(c, Qt.Orientation.Horizontal) or "")
                    for c in range(model.columnCount())
                ]
        if isinstance(widget, QWidget) and widget.toolTip():
            texts.append(widget.toolTip())
    return [t.replace("&", "") for t in texts if t]


def not_french(top: QWidget) -> list[str]:
    return [t for t in visible_texts(top) if ENGLISH.search(t) or UNACCENTED.search(t)]


def test_the_scan_finds_english_and_missing_accents() -> None:
    assert ENGLISH.search("Files of type:") and UNACCENTED.search("Etats de frais")
    assert not ENGLISH.search("Fichiers de type :") and not UNACCENTED.search("États de frais")


@pytest.mark.parametrize("role", ["intervenant", "gestionnaire", "administrateur"])
def test_every_main_screen_speaks_french_with_its_accents(
    qtbot: Any, shown: MainWindow, world: World, role: str
) -> None:
    user: User = staff(world, role)
    world.statement(world.person(), world.mission())
    world.commit()
    assert not not_french(shown), "log-in screen"
    log_in(qtbot, shown, user)
    qtbot.wait(500)
    found: dict[str, list[str]] = {}
    for name, screen in walk(shown):
        qtbot.wait(200)
        wrong = not_french(screen)
        if wrong:
            found[name] = wrong
    assert not found
