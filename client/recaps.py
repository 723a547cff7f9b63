"""Recaps on disk, the one writer: one file name per statement, written atomically; the
missions screen and the statement editor both save through it (on the worker pool). The annual
statement of the sums paid goes the same way, one file per person and year.

reportlab is imported here, at the first recap, never at start-up.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from client.api.client import ImaginClient
from client.api.models import AnnualPayments, Statement

if TYPE_CHECKING:
    from client.pdf.recap import Attachments


def today() -> dt.date:
    return dt.datetime.now().astimezone().date()


def write_atomically(path: Path, data: bytes) -> None:
    """A half-written PDF is never left behind (a crash leaves the old file or none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".recap-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def recap_path(folder: Path, statement: Statement) -> Path:
    return folder / f"recapitulatif-etat-de-frais-{statement.id}.pdf"


def dossier_path(folder: Path, statement: Statement) -> Path:
    return folder / f"dossier-etat-de-frais-{statement.id}.pdf"


def annual_statement_path(folder: Path, payments: AnnualPayments) -> Path:
    return folder / f"attestation-sommes-versees-{payments.year}-{payments.person.login}.pdf"


def write_annual_statement(payments: AnnualPayments, folder: Path) -> Path:
    """The annual statement of the sums paid to a person, saved in `folder`; its path."""
    from client.pdf.annual import render_annual_statement

    path = annual_statement_path(folder, payments)
    write_atomically(path, render_annual_statement(payments, printed_on=today()))
    return path


def write_recap(
    statement: Statement,
    folder: Path,
    *,
    attachments: Attachments | None = None,
    appended: Callable[[], Sequence[tuple[str, bytes]]] | None = None,
) -> Path:
    """The recap of one statement, saved in `folder`; its path. With `attachments`, each
    supporting document says whether it is attached; with `appended` (the attached files, as
    (media type, content)), the whole dossier in one PDF."""
    from client.pdf.recap import render_recap

    data = render_recap(statement, printed_on=today(), attachments=attachments)
    path = recap_path(folder, statement)
    if appended is not None:
        from client.pdf.dossier import dossier

        data = dossier(data, appended())
        path = dossier_path(folder, statement)
    write_atomically(path, data)
    return path


def export_recaps(
    api: ImaginClient,
    statement_ids: Sequence[int],
    target: Path,
    *,
    cancelled: Callable[[], bool],
    progress: Callable[[int, int], None],
) -> Path | None:
    """Fetches each statement, then writes all their recaps in one PDF at `target`.

    Returns None if cancelled on the way (nothing is written then).
    """
    from client.pdf.recap import render_recaps

    total = len(statement_ids) + 1  # one step per statement, one for the PDF itself
    statements = []
    for done, statement_id in enumerate(statement_ids, start=1):
        if cancelled():
            return None
        statements.append(api.statement(statement_id))
        progress(done, total)
    if cancelled():
        return None
    data = render_recaps(statements, printed_on=today())
    if cancelled():
        return None
    write_atomically(target, data)
    progress(total, total)
    return target
