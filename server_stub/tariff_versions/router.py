"""/admin/tariffs: every version of every tariff file, and new versions effective from a day
(previewed first), for administrators only."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, status

from server_stub.admin.router import Administrator
from server_stub.core.deps import AppSettings, DbSession
from server_stub.core.errors import answers
from server_stub.core.routing import api_router
from server_stub.tariff_versions import service
from server_stub.tariff_versions.schemas import (
    TariffAddedOut,
    TariffFileOut,
    TariffPreviewOut,
    TariffVersionIn,
)

router = api_router(prefix="/admin/tariffs", tags=["admin"])

TariffFile = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


@router.get("")
def tariff_files(scope: Administrator, session: DbSession) -> list[TariffFileOut]:
    """Every tariff file with every version: its days, its source, its values."""
    return service.catalogue(session)


@router.post("/{file}/preview", responses=answers(404))
def preview_version(
    file: TariffFile,
    body: TariffVersionIn,
    scope: Administrator,
    session: DbSession,
    settings: AppSettings,
) -> TariffPreviewOut:
    """What a new version would change, nothing stored: the statements not yet validated whose
    total it changes (old and new totals), and how many validated ones it leaves as they are."""
    return service.preview(session, settings, file, body)


@router.post("/{file}/versions", status_code=status.HTTP_201_CREATED, responses=answers(404))
def add_version(
    file: TariffFile,
    body: TariffVersionIn,
    scope: Administrator,
    session: DbSession,
    settings: AppSettings,
) -> TariffAddedOut:
    """A new version effective from a day (audited): the version in force until then ends the
    day before; statements not yet validated of the period are computed again."""
    return service.add(session, settings, scope.user, file, body)
