"""What every request goes through before any route: the body size limit, and the security
headers of every answer (docs/security.md).

Both are plain ASGI middleware: the limit acts before anything reads or parses the body, and
so before authentication, which a route does after FastAPI has read its body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

TOO_LARGE_TYPE = "payload_too_large"


def too_large_detail(limit: int) -> str:
    number, unit = (limit / 1_048_576, "Mo") if limit >= 1_048_576 else (limit / 1024, "Ko")
    size = f"{number:.3g}".replace(".", ",")
    return (
        f"La requête dépasse la taille permise ({size} {unit}). Envoyez moins d'éléments à la fois."
    )


def file_too_large_detail(limit: int) -> str:
    size = f"{limit / 1_048_576:.3g}".replace(".", ",")
    return (
        f"Le fichier dépasse la taille permise ({size} Mo) : réduisez-le ou scannez-le en moins "
        "haute définition."
    )


class BodyLimit:
    """Refuses a request body larger than `max_bytes` with 413, before it is read in full.

    A declared Content-Length over the limit is answered at once, unread. A body sent in
    chunks without a length is counted as it arrives and refused as soon as it goes over.
    An upload of a file (a PUT whose path matches `uploads`) has its own limit, `upload_bytes`.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        larger: Mapping[str, int] | None = None,
        upload_bytes: int = 0,
        uploads: re.Pattern[str] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        # Paths ending so that may carry more (a bank's statement), with their own limit.
        self.larger = dict(larger or {})
        self.upload_bytes = upload_bytes
        self.uploads = uploads

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        upload = (
            self.uploads is not None
            and scope.get("method") == "PUT"
            and self.uploads.search(path) is not None
        )
        limit = (
            max(self.upload_bytes, self.max_bytes)
            if upload
            else next(
                (size for end, size in self.larger.items() if path.endswith(end)), self.max_bytes
            )
        )
        declared = _header(scope, b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0 or length > limit:
                await self._refuse(send, 400 if length < 0 else 413, limit, upload)
                return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Rendered by the application's handler of HTTP errors, in French.
                    raise StarletteHTTPException(
                        413, detail=file_too_large_detail(limit) if upload else None
                    )
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send, status: int, limit: int, upload: bool) -> None:
        if status == 413:
            detail = file_too_large_detail(limit) if upload else too_large_detail(limit)
            body = {"type": TOO_LARGE_TYPE, "detail": detail}
        else:
            body = {"type": "bad_request", "detail": "L'en-tête Content-Length est invalide."}
        content = json.dumps({**body, "fields": {}}, ensure_ascii=False).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(content)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": content})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


# An API answering JSON and files: nothing may run, frame or embed it.
_SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
_STRICT_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The documentation pages, when enabled, load Swagger UI and ReDoc from their CDN.
_DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    b"style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    b"font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
    b"https://cdn.redoc.ly; connect-src 'self'; worker-src blob:; frame-ancestors 'none'"
)
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders:
    """Adds the security headers to every answer, errors and refusals included.

    Answers with personal data must not be kept by a shared cache: `Cache-Control: no-store`
    unless the route said otherwise. HSTS only over HTTPS (behind a reverse proxy that
    terminates TLS, the proxy sends it, see docs/deployment.md).
    """

    def __init__(self, app: ASGIApp, docs_paths: frozenset[str] = frozenset()) -> None:
        self.app = app
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = _DOCS_CSP if scope.get("path") in self.docs_paths else _STRICT_CSP
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {key.lower() for key, _ in headers}
                added = [*_SECURITY_HEADERS, (b"content-security-policy", csp)]
                if https:
                    added.append(_HSTS)
                if b"cache-control" not in present:
                    added.append((b"cache-control", b"no-store"))
                headers += [(k, v) for k, v in added if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
