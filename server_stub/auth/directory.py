"""Log-in of académie staff against the académie's directory (LDAP, through ldap3).

The person is looked up under the base DN by the settings' filter, then their password is
checked by binding as them: the directory has the last word, IMAG'IN keeps no password of
theirs. The attributes named in the settings give the identity of the account, created or
updated at each log-in (auth/service.py). Externes keep their local accounts.
"""

from __future__ import annotations

import contextlib
import ssl
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from server_stub.core.errors import DomainError
from server_stub.core.settings import Settings

if TYPE_CHECKING:
    from ldap3 import Connection, Server

UNAVAILABLE = (
    "L'annuaire de l'académie ne répond pas : la connexion des personnels de l'académie est "
    "impossible pour le moment. Réessayez dans quelques minutes."
)


class DirectoryUnavailable(DomainError):
    status_code = 503
    type = "directory_unavailable"


@dataclass(frozen=True)
class DirectoryPerson:
    login: str
    first_name: str
    last_name: str
    email: str | None


def enabled(settings: Settings) -> bool:
    return bool(settings.ldap_url)


def _ldap() -> object:
    """ldap3, imported when the directory is first asked (it still imports pyasn1's old names,
    which warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import ldap3
        import ldap3.core.exceptions
        import ldap3.utils.conv
    return ldap3


def _server(settings: Settings) -> Server:
    from ldap3 import NONE, Server, Tls

    tls = Tls(
        validate=ssl.CERT_REQUIRED,
        ca_certs_file=settings.ldap_ca_file or None,
        version=ssl.PROTOCOL_TLS_CLIENT,
    )
    return Server(
        settings.ldap_url,
        use_ssl=settings.ldap_url.lower().startswith("ldaps://"),
        tls=tls,
        get_info=NONE,
        connect_timeout=max(1, int(settings.ldap_timeout_seconds)),
    )


def _open(server: Server, settings: Settings, user: str | None, password: str | None) -> Connection:
    from ldap3 import Connection

    connection = Connection(
        server,
        user=user,
        password=password,
        receive_timeout=max(1, int(settings.ldap_timeout_seconds)),
        raise_exceptions=False,
    )
    try:
        connection.open()
        if settings.ldap_start_tls and not connection.start_tls():
            raise DirectoryUnavailable(UNAVAILABLE)
    except BaseException:
        _close(connection)
        raise
    return connection


def _close(connection: Connection) -> None:
    """Closes the connection's socket whatever state it is in (ldap3 leaves a socket open
    when a connection fails half-way)."""
    with contextlib.suppress(Exception):
        connection.unbind()
    sock = getattr(connection, "socket", None)
    if sock is not None:
        sock.close()


def _first(entry_attributes: dict[str, object], name: str) -> str | None:
    value = entry_attributes.get(name)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value else None


def authenticate(settings: Settings, login: str, password: str) -> DirectoryPerson | None:
    """The person of the directory with this identifier and password, or None (unknown, or
    a wrong password). `DirectoryUnavailable` when the directory cannot be reached."""
    if not login.strip() or not password:
        return None  # an empty password would be an anonymous bind: never a log-in
    _ldap()
    from ldap3 import SUBTREE
    from ldap3.core.exceptions import LDAPException
    from ldap3.utils.conv import escape_filter_chars

    server = _server(settings)
    attributes = [
        settings.ldap_attr_login,
        settings.ldap_attr_first_name,
        settings.ldap_attr_last_name,
        settings.ldap_attr_email,
    ]
    try:
        finder = _open(
            server, settings, settings.ldap_bind_dn or None, settings.ldap_bind_password or None
        )
        try:
            if settings.ldap_bind_dn and not finder.bind():
                raise DirectoryUnavailable(UNAVAILABLE)
            query = settings.ldap_user_filter.replace("{login}", escape_filter_chars(login.strip()))
            finder.search(settings.ldap_base_dn, query, SUBTREE, attributes=attributes)
            entries = [e for e in finder.response or [] if e.get("type") == "searchResEntry"]
        finally:
            _close(finder)
        if len(entries) != 1:
            return None
        entry = entries[0]
        checker = _open(server, settings, entry["dn"], password)
        try:
            if not checker.bind():
                return None
        finally:
            _close(checker)
    except LDAPException as error:
        raise DirectoryUnavailable(UNAVAILABLE) from error
    found = entry["attributes"]
    identifier = _first(found, settings.ldap_attr_login) or login.strip()
    return DirectoryPerson(
        login=identifier.lower(),
        first_name=_first(found, settings.ldap_attr_first_name) or identifier,
        last_name=_first(found, settings.ldap_attr_last_name) or identifier,
        email=_first(found, settings.ldap_attr_email),
    )
