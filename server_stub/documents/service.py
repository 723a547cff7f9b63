"""Supporting documents: attaching a file (checked, stored once by content, the statement's
anomalies brought up to date), listing, reading, removing; every read and change recorded; the
collector of contents nobody refers to any more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence

from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core import clock
from server_stub.core.errors import Conflict, InvalidInput
from server_stub.core.settings import Settings
from server_stub.documents import checks, repository
from server_stub.documents.models import DocumentFile
from server_stub.documents.schemas import DocumentFileOut
from server_stub.documents.store import BlobStore
from server_stub.people.service import financial_documents
from server_stub.rules.tariffs import packaged_tariffs
from server_stub.statements import anomalies, lifecycle
from server_stub.statements import repository as statements_repository
from server_stub.statements.lifecycle import Action
from server_stub.statements.models import Statement, Status

LOCKED = (
    "Cet état de frais a été transmis : ses pièces ne peuvent plus être changées (la DEC peut "
    "vous le retourner)."
)


def all_labels() -> list[str]:
    return list(packaged_tariffs().document_labels.values())


def financial_labels() -> list[str]:
    return financial_documents()


def out(document: DocumentFile) -> DocumentFileOut:
    return DocumentFileOut.model_validate(document)


def _event(
    document: DocumentFile, actor: User, action: str, at: dt.datetime, detail: str = ""
) -> dict[str, object]:
    return {
        "document_id": document.id,
        "owner_id": document.owner_id,
        "statement_id": document.statement_id,
        "actor_id": actor.id,
        "at": at,
        "action": action,
        "detail": detail[:400],
    }


def editable(statement: Statement) -> bool:
    return lifecycle.allowed(Action.SAVE, Status(statement.status))


def upload(
    session: Session,
    settings: Settings,
    store: BlobStore,
    user: User,
    statement: Statement | None,
    label: str,
    name: str,
    upload_id: str,
    data: bytes,
) -> tuple[DocumentFileOut, bool]:
    """Attaches `data` to the document `label` of `statement` (None: the caller's financial
    file). Returns the file and whether it is new: sending again under the same `upload_id`
    (a retry after a dropped connection) finds the file already attached."""
    statement_id = None if statement is None else statement.id
    now = clock.now()
    earlier = repository.by_upload(session, user.id, upload_id)
    if earlier is not None:
        if earlier.statement_id != statement_id or earlier.label != label:
            raise Conflict(
                "Cet identifiant d'envoi a déjà servi pour un autre document : choisissez-en un "
                "nouveau.",
                fields={"upload_id": "déjà utilisé"},
            )
        repository.record(session, [_event(earlier, user, "RETRY", now, earlier.name)])
        return out(earlier), False
    if statement is not None and not editable(statement):
        raise Conflict(LOCKED)
    allowed = all_labels() if statement is not None else financial_labels()
    if label not in allowed:
        raise InvalidInput(
            "Ce document n'est pas une pièce justificative connue."
            if statement is not None
            else "Seules les pièces du dossier financier se joignent depuis votre profil.",
            fields={"label": "pièce inconnue"},
        )
    checked = checks.check(data, name, settings.documents_max_bytes)
    key = store.put(checked.data)
    document = repository.add(
        session,
        owner_id=user.id,
        statement_id=statement_id,
        label=label,
        name=checked.name,
        media_type=checked.media_type,
        size=len(checked.data),
        pages=checked.pages,
        sha256=key,
        upload_id=upload_id,
        created_at=now,
    )
    repository.record(
        session, [_event(document, user, "UPLOAD", now, f"{label} : {document.name}")]
    )
    anomalies.refresh_people(session, [user.id], clock.today(settings))
    return out(document), True


def of_statement(session: Session, statement: Statement) -> list[DocumentFileOut]:
    return [out(d) for d in repository.of_statement(session, statement.id, statement.user_id)]


def of_profile(session: Session, user: User) -> list[DocumentFileOut]:
    return [out(d) for d in repository.of_profile(session, user.id)]


def attached(session: Session, statements: Sequence[Statement]) -> dict[int, set[str]]:
    """Each statement's labels with at least one file (its own, or its person's financial
    file)."""
    found = statements_repository.attached_labels(session, {s.user_id for s in statements})
    return {
        s.id: found.get((s.user_id, s.id), set()) | found.get((s.user_id, None), set())
        for s in statements
    }


def files_by_label(session: Session, statement: Statement) -> Mapping[str, list[DocumentFileOut]]:
    files: dict[str, list[DocumentFileOut]] = {}
    for document in repository.of_statement(session, statement.id, statement.user_id):
        files.setdefault(document.label, []).append(out(document))
    return files


def content(
    session: Session, store: BlobStore, user: User, document: DocumentFile
) -> tuple[bytes, str, str]:
    """The file's bytes, type and name; the read is recorded."""
    data = store.get(document.sha256)
    repository.record(session, [_event(document, user, "READ", clock.now())])
    return data, document.media_type, document.name


def remove(
    session: Session,
    settings: Settings,
    store: BlobStore,
    user: User,
    document: DocumentFile,
    statement: Statement | None,
) -> None:
    """Removes a file from its document, while its statement may still be changed (always, for
    a financial-file document); its content goes when nothing refers to it any more."""
    if statement is not None and not editable(statement):
        raise Conflict(LOCKED)
    repository.record(
        session,
        [_event(document, user, "DELETE", clock.now(), f"{document.label} : {document.name}")],
    )
    key = document.sha256
    repository.remove(session, document)
    anomalies.refresh_people(session, [document.owner_id], clock.today(settings))
    collect(session, store, settings.documents_grace_seconds, keys=[key])


def collect(
    session: Session, store: BlobStore, grace_seconds: float, keys: Collection[str] | None = None
) -> int:
    """Deletes the stored contents no file refers to and nobody wrote for `grace_seconds`
    (all of them, or those of `keys`); returns how many went."""
    if keys is None:
        kept = repository.referenced_keys(session)
        candidates = [k for k in store.contents() if k not in kept]
    else:
        candidates = [k for k in keys if not repository.referenced(session, k)]
    gone = 0
    for key in candidates:
        try:
            if store.age(key) < grace_seconds:
                continue
        except FileNotFoundError:
            continue
        store.delete(key)
        gone += 1
    return gone
