"""How the client reaches its server: HTTPS with a verified certificate, plain HTTP only to this
computer.

Certificates are checked against the operating system's trust store (`truststore`: the same
authorities the system's browser trusts, including those an académie deploys on its computers),
or, when one is configured, against a CA bundle file alone: the `ca_bundle` setting or the
`IMAGIN_CA_BUNDLE` environment variable (a PEM file of the authorities to trust).

Plain `http://` is refused before anything is sent, except to a loopback address (127.0.0.0/8,
::1, localhost), where nothing crosses a network: the demonstration server and the tests.

Connections are kept for minutes, and HTTP/2 is offered over TLS: behind the reverse proxy of
docs/deployment.md, the requests a screen makes at once share one connection. Plain HTTP (the
loopback) stays HTTP/1.1.
"""

from __future__ import annotations

import ipaddress
import os
import ssl
import threading
from urllib.parse import urlsplit

import httpx

CA_BUNDLE_ENV = "IMAGIN_CA_BUNDLE"

# Connections kept through a person's reading pause: the next action after a few minutes of
# reading pays no new TCP and TLS handshake (two round trips over a wide-area link). Dropped
# after 4 minutes idle, before the server's keep-alive of 5 (`imagin-server serve`), so that a
# request is never sent on a connection the server is closing.
KEEPALIVE_EXPIRY = 240.0
LIMITS = httpx.Limits(
    max_connections=20, max_keepalive_connections=10, keepalive_expiry=KEEPALIVE_EXPIRY
)

INVALID_ADDRESS = (
    "Adresse du serveur invalide : elle commence par https://, par exemple "
    "https://imagin.ac-amiens.fr."
)
PLAIN_HTTP_REFUSED = (
    "Connexion refusée : l'adresse {address} n'est pas chiffrée. Utilisez l'adresse en https:// "
    "du serveur IMAG'IN (http:// n'est accepté que pour un serveur sur ce poste)."
)
CA_BUNDLE_UNREADABLE = (
    "Le fichier des autorités de certification configuré ({path}) est illisible : vérifiez le "
    "réglage « ca_bundle » ou la variable IMAGIN_CA_BUNDLE, ou contactez l'assistance "
    "informatique de votre académie."
)


def is_loopback(host: str) -> bool:
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def address_problem(url: str) -> str | None:
    """Why the client refuses to talk to `url` (French), or None when it may."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return INVALID_ADDRESS
    if parts.scheme not in ("http", "https") or not host:
        return INVALID_ADDRESS
    if parts.scheme == "http" and not is_loopback(host):
        return PLAIN_HTTP_REFUSED.format(address=f"http://{parts.netloc}")
    return None


class AddressRefused(httpx.UnsupportedProtocol):
    """Plain HTTP to a server beyond this computer, or an address that is not one."""


class CaBundleUnreadable(httpx.TransportError):
    """The configured CA bundle cannot be loaded."""


def configured_ca_bundle(setting: str | None = None) -> str | None:
    """The CA bundle to use: the setting, else the environment variable, else none."""
    value = (setting or os.environ.get(CA_BUNDLE_ENV) or "").strip()
    return value or None


def ssl_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """Certificates verified with the CA bundle alone when given, else the system's store.

    Raises `OSError` or `ssl.SSLError` for a bundle that cannot be read.
    """
    if ca_bundle:
        return ssl.create_default_context(cafile=ca_bundle)
    import truststore

    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class GuardedTransport(httpx.BaseTransport):
    """httpx's transport behind the address check, whatever `base_url` becomes later.

    The TLS context is made on the first request, so that a bad CA bundle is reported there,
    in French, like any failure to reach the server.
    """

    def __init__(
        self,
        ca_bundle: str | None = None,
        *,
        limits: httpx.Limits = LIMITS,
        http2: bool = True,
    ) -> None:
        self.ca_bundle = ca_bundle
        self.limits = limits
        self.http2 = http2
        self._inner: httpx.HTTPTransport | None = None
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        problem = address_problem(str(request.url))
        if problem is not None:
            raise AddressRefused(problem, request=request)
        return self._transport(request).handle_request(request)

    def _transport(self, request: httpx.Request) -> httpx.HTTPTransport:
        with self._lock:
            if self._inner is None:
                try:
                    context = ssl_context(self.ca_bundle)
                except (OSError, ssl.SSLError) as error:
                    raise CaBundleUnreadable(
                        CA_BUNDLE_UNREADABLE.format(path=self.ca_bundle), request=request
                    ) from error
                self._inner = httpx.HTTPTransport(
                    verify=context, limits=self.limits, http2=self.http2
                )
            return self._inner

    def close(self) -> None:
        if self._inner is not None:
            self._inner.close()
