"""Supporting documents over HTTP: a person attaches files to the documents of their statement
(while they may still change it) and to their financial file; the file is read by its owner,
the DEC of its office and the administrator;. No
`from __future__ import annotations`: FastAPI reads the access declarations as objects.

A file is sent as the raw body of `PUT …/documents/{upload_id}`, the name chosen by the client
for this upload: sending again after a dropped connection answers the file already attached
(200) instead of attaching it twice (201).
"""

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Body, Depends, Path, Query, Response, status

from server_stub.auth.access import ANYONE, OWNER_OR_STAFF, Anyone, Scope
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import CONFLICT, NotFound
from server_stub.core.routing import api_router
from server_stub.core.wire import QueryText
from server_stub.documents import service
from server_stub.documents.models import DocumentFile
from server_stub.documents.repository import DOCUMENT
from server_stub.documents.schemas import DocumentFileOut
from server_stub.documents.store import store_for
from server_stub.statements import repository as statements_repository
from server_stub.statements.models import Statement
from server_stub.statements.repository import STATEMENT

router = api_router(tags=["documents"])
OwnerOrStaff = Annotated[Scope, Depends(OWNER_OR_STAFF)]
OfficeName = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]
Own = Annotated[Statement, ANYONE.reach(STATEMENT)]
UploadId = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9_-]{8,64}$",
        description="Chosen by the client for this upload (a UUID): a retry sends the same.",
    ),
]
Label = Annotated[QueryText, Query(max_length=200, description="The document's French label.")]
FileName = Annotated[QueryText, Query(max_length=255, description="The file's name.")]
Content = Annotated[
    bytes,
    Body(media_type="application/octet-stream", description="The file: PDF, JPEG or PNG."),
]
_UPLOADED: dict[int | str, dict[str, Any]] = {
    200: {"description": "Already attached under this upload id (a retry)."},
    201: {"description": "Attached."},
}


def _answered(response: Response, result: tuple[DocumentFileOut, bool]) -> DocumentFileOut:
    document, created = result
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return document


@router.get("/statements/{statement_id}/documents")
def statement_documents(statement: Own, session: DbSession) -> list[DocumentFileOut]:
    """The files attached to the statement's documents, and to the person's financial file."""
    return service.of_statement(session, statement)


@router.put(
    "/statements/{statement_id}/documents/{upload_id}",
    status_code=status.HTTP_201_CREATED,
    responses={**_UPLOADED, **CONFLICT},
)
def attach_to_statement(
    statement: Own,
    me: Anyone,
    upload_id: UploadId,
    label: Label,
    name: FileName,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    data: Content = b"",
) -> DocumentFileOut:
    """Attaches a file to one of the statement's documents, while the statement may change."""
    result = service.upload(
        session, settings, store_for(settings), me.user, statement, label, name, upload_id, data
    )
    return _answered(response, result)


@router.get("/me/documents")
def my_documents(me: Anyone, session: DbSession) -> list[DocumentFileOut]:
    """The files of the caller's financial file."""
    return service.of_profile(session, me.user)


@router.put(
    "/me/documents/{upload_id}",
    status_code=status.HTTP_201_CREATED,
    responses={**_UPLOADED, **CONFLICT},
)
def attach_to_profile(
    me: Anyone,
    upload_id: UploadId,
    label: Label,
    name: FileName,
    response: Response,
    session: DbSession,
    settings: AppSettings,
    data: Content = b"",
) -> DocumentFileOut:
    """Attaches a file to one of the documents of the caller's financial file."""
    result = service.upload(
        session, settings, store_for(settings), me.user, None, label, name, upload_id, data
    )
    return _answered(response, result)


@router.get(
    "/documents/{document_id}/content",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}, "image/jpeg": {}, "image/png": {}}}},
)
def document_content(
    document: Annotated[DocumentFile, OWNER_OR_STAFF.reach(DOCUMENT)],
    caller: OwnerOrStaff,
    session: DbSession,
    settings: AppSettings,
) -> Response:
    """The file itself, for its owner, the DEC of its office and the administrator (each read
    is recorded)."""
    data, media_type, name = service.content(session, store_for(settings), caller.user, document)
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f"inline; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "private, no-store",
        },
    )


@router.delete(
    "/documents/{document_id}", status_code=status.HTTP_204_NO_CONTENT, responses=CONFLICT
)
def remove_document(
    document: Annotated[DocumentFile, ANYONE.reach(DOCUMENT)],
    me: Anyone,
    session: DbSession,
    settings: AppSettings,
) -> None:
    """Removes one of the caller's files, while its statement may change."""
    statement = (
        None
        if document.statement_id is None
        else statements_repository.get(session, document.statement_id)
    )
    if document.statement_id is not None and statement is None:
        raise NotFound(DOCUMENT.absent)
    service.remove(session, settings, store_for(settings), me.user, document, statement)
