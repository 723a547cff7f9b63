"""The first screen's data, asked for on the log-in's worker as soon as the log-in answers.

Asked from the workspace once the interface has shown it, the first screen's request would wait
for the log-in's answer to reach the GUI thread and the workspace to be built; asked on the
worker that received the log-in's answer, it leaves at once, on the connection the log-in used:
log-in and first screen are two round trips. The workspace takes what was fetched when it starts
(`Prefetched.take`); what it does not find (a failure here, a role without one) it asks itself,
and reports the failure as usual.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from client.api.client import ImaginClient
    from client.api.dec_models import DecQueuePage, Ordering, QueueFilters
    from client.api.models import Tokens

log = logging.getLogger(__name__)

CONVOCATIONS = "convocations"
DEC_QUEUE = "dec-queue"


@dataclass(frozen=True)
class QueueStart:
    """The DEC queue's first page, with what it was asked with."""

    filters: QueueFilters
    ordering: Ordering
    limit: int
    page: DecQueuePage


def fetch(api: ImaginClient, tokens: Tokens) -> dict[str, Any]:
    """What the role's first screen shows; runs on a worker right after the log-in. Nothing
    for a temporary password (every call is refused until it is changed). The screen's code
    is imported here too (`client.ui.preload`), so that building it does not freeze the
    window."""
    from client.ui import preload

    data = _data(api, tokens)
    preload.first_screen(tokens.user.role)
    return data


def _data(api: ImaginClient, tokens: Tokens) -> dict[str, Any]:
    import httpx

    from client.api.dec import DecApi
    from client.api.dec_models import Ordering, opening_filters
    from client.api.errors import ApiError
    from client.api.models import Role
    from client.ui.models.dec_queue import PAGE_SIZE

    if tokens.user.must_change_password:
        return {}
    try:
        if tokens.user.role is Role.INTERVENANT:
            return {CONVOCATIONS: api.convocations()}
        if tokens.user.role in (Role.GESTIONNAIRE, Role.ADMIN):
            filters, ordering = opening_filters(), Ordering()
            page = DecApi(api).statements(filters, ordering, limit=PAGE_SIZE)
            return {DEC_QUEUE: QueueStart(filters, ordering, PAGE_SIZE, page)}
    except (ApiError, httpx.HTTPError) as error:
        log.info("first screen not fetched with the log-in: %r", error)
    return {}


class Prefetched:
    """What `fetch` brought, until the screen takes it; emptied at each log-in and log-out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data: dict[str, Any] = {}

    def keep(self, data: dict[str, Any]) -> None:
        with self._lock:
            self._data = dict(data)

    def take(self, key: str) -> Any | None:
        with self._lock:
            return self._data.pop(key, None)

    def clear(self) -> None:
        self.keep({})
