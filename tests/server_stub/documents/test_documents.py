"""Supporting documents through HTTP, on SQLite and PostgreSQL: attaching (type read from the
content, images without their metadata, PDFs checked), retrying, one stored copy per content,
the size limit, who reads what, removing, and the collector of what nobody refers to."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from server_stub.auth.models import Role
from server_stub.core.settings import Settings
from server_stub.documents import service
from server_stub.documents.models import DocumentEvent, DocumentFile
from server_stub.documents.store import DirectoryStore, content_key
from server_stub.main import create_app
from tests.server_stub.conftest import TODAY
from tests.server_stub.documents import samples
from tests.server_stub.factories import World, log_in

API = "/api/v1"
HOTEL = "Facture d'hôtel acquittée"
RIB = "RIB au nom et à l'adresse personnelle de l'intervenant"
LIMIT = 2_097_152


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="unused://",
        today=TODAY,
        documents_dir=tmp_path / "store",
        documents_grace_seconds=0,
        documents_max_bytes=LIMIT,
    )


@pytest.fixture
def client(engine: Engine, db: Session, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, engine), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def store(settings: Settings) -> DirectoryStore:
    assert settings.documents_dir is not None
    return DirectoryStore(settings.documents_dir)


def send(
    client: TestClient,
    url: str,
    headers: dict[str, str],
    data: bytes,
    *,
    label: str = HOTEL,
    name: str = "facture.jpg",
    upload_id: str | None = None,
):  # type: ignore[no-untyped-def]
    return client.put(
        f"{API}{url}/{upload_id or uuid.uuid4().hex}",
        params={"label": label, "name": name},
        content=data,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )


def test_a_phone_photo_is_stored_upright_without_its_exif(
    client: TestClient, world: World, store: DirectoryStore
) -> None:
    user = world.person()
    statement = world.statement(user)
    headers = log_in(client, user)
    photo = samples.phone_photo()
    assert Image.open(io.BytesIO(photo)).getexif()[samples.GPS]

    response = send(
        client, f"/statements/{statement.id}/documents", headers, photo, name="IMG_2041.JPEG"
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["label"], body["name"], body["media_type"]) == (
        HOTEL,
        "IMG_2041.jpg",
        "image/jpeg",
    )
    stored = client.get(f"{API}/documents/{body['id']}/content", headers=headers)
    assert stored.status_code == 200
    assert stored.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(stored.content))
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert b"Exif" not in stored.content and "TéléphoneDeMarque".encode() not in stored.content
    assert image.size == (48, 64)  # turned upright as its orientation said, before stripping
    assert list(store.contents()) == [content_key(stored.content)]
    listed = client.get(f"{API}/statements/{statement.id}/documents", headers=headers).json()
    assert [d["id"] for d in listed] == [body["id"]]


def test_a_retry_under_the_same_upload_id_finds_the_file_already_attached(
    client: TestClient, world: World, db: Session
) -> None:
    user = world.person()
    statement = world.statement(user)
    headers = log_in(client, user)
    url = f"/statements/{statement.id}/documents"

    first = send(client, url, headers, samples.png(), upload_id="envoi-0001")
    again = send(client, url, headers, samples.png(), upload_id="envoi-0001")
    other = send(client, url, headers, samples.png(), label=RIB, upload_id="envoi-0001")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert other.status_code == 409 and "identifiant d'envoi" in other.json()["detail"]
    assert len(db.scalars(select(DocumentFile)).all()) == 1


def test_the_same_content_is_stored_once_and_kept_while_a_file_refers_to_it(
    client: TestClient, world: World, store: DirectoryStore
) -> None:
    user = world.person(academic=False)
    statement = world.statement(user)
    headers = log_in(client, user)
    content = samples.pdf()

    on_statement = send(
        client, f"/statements/{statement.id}/documents", headers, content, name="rib.pdf"
    )
    on_profile = send(client, "/me/documents", headers, content, label=RIB, name="rib.pdf")

    assert (on_statement.status_code, on_profile.status_code) == (201, 201)
    assert on_profile.json()["pages"] == 2 and on_profile.json()["statement_id"] is None
    assert list(store.contents()) == [content_key(content)]  # a PDF is kept as sent
    listed = client.get(f"{API}/statements/{statement.id}/documents", headers=headers).json()
    assert {d["id"] for d in listed} == {on_statement.json()["id"], on_profile.json()["id"]}

    gone = client.delete(f"{API}/documents/{on_statement.json()['id']}", headers=headers)
    assert gone.status_code == 204
    assert list(store.contents()) == [content_key(content)]  # the profile's file still uses it
    assert (
        client.delete(f"{API}/documents/{on_profile.json()['id']}", headers=headers).status_code
        == 204
    )
    assert list(store.contents()) == []


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (samples.windows_program(), "rib.pdf", "ni un PDF ni une image"),
        (samples.linux_program(), "carte-vitale.jpg", "ni un PDF ni une image"),
        (b"GIF89a" + b"\x00" * 40, "photo.png", "ni un PDF ni une image"),
        (samples.encrypted_pdf(), "facture.pdf", "protégé par un mot de passe"),
        (samples.damaged_pdf(), "facture.pdf", "illisible ou endommagé"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "photo.jpg", "illisible ou endommagée"),
        (b"", "vide.pdf", "vide"),
    ],
    ids=[
        "exe-named-pdf",
        "elf-named-jpg",
        "gif",
        "encrypted",
        "damaged-pdf",
        "damaged-jpeg",
        "empty",
    ],
)
def test_what_is_not_a_sound_pdf_jpeg_or_png_is_refused_whatever_its_name(
    client: TestClient, world: World, store: DirectoryStore, content: bytes, name: str, words: str
) -> None:
    user = world.person()
    statement = world.statement(user)
    response = send(
        client, f"/statements/{statement.id}/documents", log_in(client, user), content, name=name
    )
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]
    assert list(store.contents()) == []


def test_a_file_over_the_limit_is_refused_before_being_read(
    client: TestClient, world: World, store: DirectoryStore
) -> None:
    user = world.person()
    statement = world.statement(user)
    headers = log_in(client, user)
    url = f"/statements/{statement.id}/documents"
    big = samples.pdf(1) + b"%" * LIMIT

    refused = send(client, url, headers, big)
    chunked = client.put(
        f"{API}{url}/{uuid.uuid4().hex}",
        params={"label": HOTEL, "name": "gros.pdf"},
        content=iter([big[: LIMIT // 2], big[LIMIT // 2 :]]),
        headers={**headers, "Content-Type": "application/octet-stream"},
    )

    assert refused.status_code == 413 and "2 Mo" in refused.json()["detail"]
    assert chunked.status_code == 413 and "Le fichier dépasse" in chunked.json()["detail"]
    assert list(store.contents()) == []
    # Other requests keep their own, smaller, limit.
    assert (
        client.patch(
            f"{API}/me", content=b"{" + b" " * 1_100_000 + b"}", headers=headers
        ).status_code
        == 413
    )


def test_a_program_named_like_a_photo_is_not_stored_even_under_the_limit(
    client: TestClient, world: World, store: DirectoryStore
) -> None:
    user = world.person(academic=False)
    world.commit()
    response = send(
        client,
        "/me/documents",
        log_in(client, user),
        samples.windows_program(),
        label=RIB,
        name="rib.jpg",
    )
    assert response.status_code == 422
    assert list(store.contents()) == []


def test_the_profile_takes_only_the_financial_file_and_a_statement_only_known_documents(
    client: TestClient, world: World
) -> None:
    user = world.person()
    statement = world.statement(user)
    headers = log_in(client, user)

    hotel_on_profile = send(client, "/me/documents", headers, samples.png(), label=HOTEL)
    unknown = send(
        client,
        f"/statements/{statement.id}/documents",
        headers,
        samples.png(),
        label="Lettre au père Noël",
    )

    assert (
        hotel_on_profile.status_code == 422
        and "dossier financier" in hotel_on_profile.json()["detail"]
    )
    assert unknown.status_code == 422 and unknown.json()["fields"] == {"label": "pièce inconnue"}


def test_who_reads_a_file_and_every_read_and_change_is_recorded(
    client: TestClient, world: World, db: Session
) -> None:
    owner = world.person()
    statement = world.statement(owner)
    other = world.person("Paul", "Girard")
    here = world.gestionnaire()
    elsewhere = world.person("Inès", "Roux", role=Role.GESTIONNAIRE, offices=["DEC-AUTRE"])
    admin = world.person("Anne", "Admin", role=Role.ADMIN)
    world.commit()
    owner_headers = log_in(client, owner)
    document = send(
        client, f"/statements/{statement.id}/documents", owner_headers, samples.pdf()
    ).json()
    url = f"{API}/documents/{document['id']}/content"

    answers = {
        "anonymous": client.get(url).status_code,
        "owner": client.get(url, headers=owner_headers).status_code,
        "other": client.get(url, headers=log_in(client, other)).status_code,
        "gestionnaire here": client.get(url, headers=log_in(client, here)).status_code,
        "gestionnaire elsewhere": client.get(url, headers=log_in(client, elsewhere)).status_code,
        "admin": client.get(url, headers=log_in(client, admin)).status_code,
    }
    removed_by_dec = client.delete(
        f"{API}/documents/{document['id']}", headers=log_in(client, here)
    )

    assert answers == {
        "anonymous": 401,
        "owner": 200,
        "other": 404,
        "gestionnaire here": 200,
        "gestionnaire elsewhere": 404,
        "admin": 200,
    }
    assert removed_by_dec.status_code == 404  # only its owner removes a file
    assert (
        client.delete(f"{API}/documents/{document['id']}", headers=owner_headers).status_code == 204
    )
    db.expire_all()
    events = db.scalars(select(DocumentEvent).order_by(DocumentEvent.id)).all()
    assert [(e.action, e.actor_id) for e in events] == [
        ("UPLOAD", owner.id),
        ("READ", owner.id),
        ("READ", here.id),
        ("READ", admin.id),
        ("DELETE", owner.id),
    ]


def test_a_financial_file_is_read_by_the_dec_of_the_offices_that_convened_the_person(
    client: TestClient, world: World
) -> None:
    owner = world.person(academic=False)
    world.statement(owner)
    here = world.gestionnaire()
    elsewhere = world.person("Inès", "Roux", role=Role.GESTIONNAIRE, offices=["DEC-AUTRE"])
    world.commit()
    document = send(client, "/me/documents", log_in(client, owner), samples.png(), label=RIB).json()
    url = f"{API}/documents/{document['id']}/content"
    assert client.get(url, headers=log_in(client, here)).status_code == 200
    assert client.get(url, headers=log_in(client, elsewhere)).status_code == 404


def test_files_change_only_while_the_statement_may_change(client: TestClient, world: World) -> None:
    user = world.person()
    statement = world.statement(user)
    headers = log_in(client, user)
    url = f"/statements/{statement.id}/documents"
    document = send(client, url, headers, samples.png()).json()
    saved = client.put(
        f"{API}/statements/{statement.id}",
        json={"days": [{"date": "2026-06-15", "copies": 30}]},
        headers={**headers, "If-Match": f'"{statement.version}"'},
    )
    assert saved.status_code == 200, saved.text
    validated = client.post(
        f"{API}/statements/{statement.id}/validate",
        json={"accurate": True, "no_overtime": True},
        headers={**headers, "If-Match": saved.headers["ETag"]},
    )
    assert validated.status_code == 200, validated.text

    added = send(client, url, headers, samples.pdf())
    removed = client.delete(f"{API}/documents/{document['id']}", headers=headers)

    assert added.status_code == 409 and "transmis" in added.json()["detail"]
    assert removed.status_code == 409


def test_the_collector_deletes_only_old_contents_nobody_refers_to(
    client: TestClient, world: World, db: Session, store: DirectoryStore
) -> None:
    user = world.person()
    statement = world.statement(user)
    kept = send(
        client, f"/statements/{statement.id}/documents", log_in(client, user), samples.png()
    )
    assert kept.status_code == 201
    orphan = store.put(b"%PDF-1.4 reste d'un envoi interrompu")

    assert service.collect(db, store, grace_seconds=3600) == 0  # too recent: may be in use
    assert service.collect(db, store, grace_seconds=0) == 1

    assert orphan not in set(store.contents())
    assert len(list(store.contents())) == 1
