"""Transport security: plain http only to this computer, certificates verified, against the real
reference server served over TLS on 127.0.0.1 with an authority made for the test."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import trustme

from client.api import errors
from client.api.client import ImaginClient, make_http
from client.api.tokens import TokenStore
from client.api.transport import CA_BUNDLE_ENV, address_problem, is_loopback
from client.settings import Settings

SERVER_BIN = Path(sys.executable).parent / "imagin-server"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://127.8.9.10",
        "http://localhost:8000/",
        "http://LOCALHOST",
        "http://[::1]:8000",
        "https://imagin.ac-amiens.fr",
        "https://10.1.2.3:8443",
    ],
)
def test_addresses_the_client_accepts(url: str) -> None:
    assert address_problem(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://imagin.ac-amiens.fr",
        "http://10.1.2.3:8000",
        "http://localhost.ac-amiens.fr",
        "http://[::ffff:10.0.0.1]",
        "http://127.0.0.1.example.org",
    ],
)
def test_plain_http_beyond_this_computer_is_refused(url: str) -> None:
    problem = address_problem(url)
    assert problem is not None
    assert "n'est pas chiffrée" in problem and "https://" in problem


@pytest.mark.parametrize("url", ["imagin.ac-amiens.fr", "ftp://x", "https://", "http://x:port"])
def test_something_that_is_not_an_address(url: str) -> None:
    assert address_problem(url) == (
        "Adresse du serveur invalide : elle commence par https://, par exemple "
        "https://imagin.ac-amiens.fr."
    )


def test_loopback_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("[::1]")
    assert is_loopback("localhost.") and is_loopback("imagin.localhost")
    assert not is_loopback("128.0.0.1") and not is_loopback("localhost.example")


def test_plain_http_is_refused_before_anything_is_sent() -> None:
    sent: list[httpx.Request] = []
    with make_http("http://imagin.example") as http:
        http.event_hooks["request"].append(sent.append)
        api = ImaginClient(http, TokenStore())
        with pytest.raises(errors.AddressRefused) as refused:
            api.log_in("edupontm", "secret", remember=False)
    assert "l'adresse http://imagin.example n'est pas chiffrée" in refused.value.detail
    # The hook ran (the request was built) but the transport refused to send it.
    assert [str(r.url.host) for r in sent] == ["imagin.example"]


def test_a_new_base_url_is_checked_too() -> None:
    with make_http("http://127.0.0.1:1") as http:
        api = ImaginClient(http, TokenStore())
        http.base_url = httpx.URL("http://imagin.example")
        with pytest.raises(errors.AddressRefused):
            api.health()


def test_the_settings_keep_a_ca_bundle() -> None:
    assert Settings().ca_bundle is None
    assert Settings(ca_bundle="/etc/imagin/ac.pem").ca_bundle == "/etc/imagin/ac.pem"


# --- against the reference server over TLS ----------------------------------------------------


@dataclass(frozen=True)
class TlsServer:
    port: int
    ca: Path  # the authority that signed the server's certificate

    def url(self, host: str = "localhost") -> str:
        return f"https://{host}:{self.port}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsServer]:
    folder = tmp_path_factory.mktemp("tls")
    authority = trustme.CA(organization_name="Académie de test")
    leaf = authority.issue_cert("localhost", "127.0.0.1")
    authority.cert_pem.write_to_path(str(folder / "ca.pem"))
    leaf.private_key_pem.write_to_path(str(folder / "key.pem"))
    leaf.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    env = {**os.environ, "IMAGIN_DATABASE_URL": f"sqlite:///{folder / 'imagin.sqlite3'}"}
    subprocess.run([str(SERVER_BIN), "init-db"], env=env, check=True, capture_output=True)
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "server_stub.main:create_app", "--factory"),
            *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
            *("--ssl-keyfile", str(folder / "key.pem"), "--ssl-certfile", str(folder / "cert.pem")),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = TlsServer(port, folder / "ca.pem")
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                trusted = ssl.create_default_context(cafile=server.ca)
                httpx.get(f"{server.url()}/api/v1/health", verify=trusted, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the TLS server did not start") from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_the_configured_authority_is_trusted(tls_server: TlsServer, host: str) -> None:
    with make_http(tls_server.url(host), ca_bundle=str(tls_server.ca)) as http:
        api = ImaginClient(http, TokenStore())
        assert api.health()["status"] == "ok"
        # A whole exchange over TLS: the server's French refusal comes back intact.
        with pytest.raises(errors.WrongCredentials):
            api.log_in("personne", "pas le bon mot de passe", remember=False)


def test_the_environment_variable_names_the_authority_too(
    tls_server: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CA_BUNDLE_ENV, str(tls_server.ca))
    with make_http(tls_server.url()) as http:
        assert ImaginClient(http, TokenStore()).health()["status"] == "ok"


def test_a_certificate_the_system_does_not_trust_is_refused(
    tls_server: TlsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CA_BUNDLE_ENV, raising=False)
    with make_http(tls_server.url()) as http, pytest.raises(errors.CertificateRefused) as refused:
        ImaginClient(http, TokenStore()).health()
    assert refused.value.detail.startswith("Le certificat du serveur IMAG'IN n'a pas pu être")


def test_another_authority_is_not_enough(tls_server: TlsServer, tmp_path: Path) -> None:
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    http = make_http(tls_server.url(), ca_bundle=str(other))
    with http, pytest.raises(errors.CertificateRefused):
        ImaginClient(http, TokenStore()).health()


def test_an_unreadable_bundle_is_said_in_french(tls_server: TlsServer, tmp_path: Path) -> None:
    missing = tmp_path / "absent.pem"
    http = make_http(tls_server.url(), ca_bundle=str(missing))
    with http, pytest.raises(errors.CertificateRefused) as refused:
        ImaginClient(http, TokenStore()).health()
    assert f"({missing}) est illisible" in refused.value.detail
