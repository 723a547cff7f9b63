"""Importing a whole session from a JSON file: all of it, or nothing and every reason why."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server_stub.auth.models import User
from server_stub.core.security import verify_password
from server_stub.importing.format import SessionFile
from server_stub.importing.loader import ImportRejected, import_session
from server_stub.models import Base
from server_stub.reference.models import Centre, Convocation, ExamSession, Mission, Paper
from server_stub.statements.models import Statement, Status
from tests.server_stub.factories import World

HERE = Path(__file__).parent
VALID = HERE / "session_cap_2027.json"
WITH_ERRORS = HERE / "session_with_errors.json"


def _rows(db: Session) -> dict[str, int]:
    return {
        table.name: db.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }


def _write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "session.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def _valid() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(VALID.read_text(encoding="utf-8"))
    return document


def test_a_valid_file_creates_the_session_and_issues_its_convocations(db: Session) -> None:
    summary = import_session(db, VALID)

    assert {k: v for k, v in summary.items() if k != "temporary_passwords"} == {
        "sessions": 1,
        "exams": 1,
        "papers": 3,
        "centres": 2,
        "centres_reused": 0,
        "people": 3,
        "accounts_created": 3,
        "accounts_reused": 0,
        "missions": 3,
        "convocations": 6,
    }
    session = db.scalar(select(ExamSession).where(ExamSession.code == "CAP-2027-06"))
    assert session is not None and session.name == "CAP, session juin 2027"
    statements = db.scalars(select(Statement)).all()
    assert len(statements) == 6 and {s.status for s in statements} == {Status.OPEN}


def test_papers_without_a_pay_group_take_their_diplomas(db: Session) -> None:
    import_session(db, VALID)

    groups = {code: group for code, group in db.execute(select(Paper.code, Paper.pay_group))}
    assert groups == {"EG1": "1", "EP2": "1", "EP1": "1"}


def test_new_accounts_get_a_temporary_password_to_print(db: Session) -> None:
    summary = import_session(db, VALID)

    passwords = summary["temporary_passwords"]
    assert set(passwords) == {"claire.vasseur", "rdelattr", "ihaddad"}
    for login, password in passwords.items():
        user = db.scalar(select(User).where(User.login == login))
        assert user is not None and user.must_change_password
        assert verify_password(user.password_hash, password)
    externe = db.scalar(select(User).where(User.login == "rdelattr"))
    assert externe is not None and externe.iban == "FR7630004001230001234567843"
    assert not externe.academic and externe.family_residence is None


def test_existing_centres_and_accounts_are_reused(db: Session, world: World) -> None:
    world.person("Claire", "Vasseur", login="claire.vasseur")
    db.add(Centre(code="0800010L", name="LP Branly", address="Amiens", commune_insee="80021"))
    db.flush()

    summary = import_session(db, VALID)

    assert (summary["centres"], summary["centres_reused"]) == (1, 1)
    assert (summary["accounts_created"], summary["accounts_reused"]) == (2, 1)
    assert "claire.vasseur" not in summary["temporary_passwords"]
    assert db.scalar(select(func.count()).select_from(Centre)) == 2


def test_a_file_with_errors_is_refused_with_every_error_and_nothing_written(
    db: Session,
) -> None:
    before = _rows(db)

    with pytest.raises(ImportRejected) as rejected:
        import_session(db, WITH_ERRORS)

    assert [place for place, _ in rejected.value.errors] == [
        "session.entry_deadline",
        "exams[0].papers[0].minutes_per_candidate",
        "exams[0].papers[1].kind",
        "exams[1].code",
        "centres[0].commune_insee",
        "people[0].iban",
        "missions[0].end_date",
        "missions[0].paper.paper",
        "missions[1].centre",
        "convocations[1].mission",
        "convocations[1].person",
    ]
    messages = dict(rejected.value.errors)
    assert (
        messages["centres[0].commune_insee"] == "Aucune commune ne porte le code INSEE « 80999 »."
    )
    assert messages["missions[0].end_date"] == "La date de fin précède la date de début."
    assert not db.new and _rows(db) == before


def test_a_session_code_already_used_is_refused(db: Session) -> None:
    import_session(db, VALID)
    missions = db.scalar(select(func.count()).select_from(Mission))

    with pytest.raises(ImportRejected) as rejected:
        import_session(db, VALID)

    assert rejected.value.errors == [
        ("session.code", "Une session porte déjà le code « CAP-2027-06 ».")
    ]
    assert db.scalar(select(func.count()).select_from(Mission)) == missions


def test_duplicate_references_and_unknown_sections_are_reported(
    db: Session, tmp_path: Path
) -> None:
    document = _valid()
    document["people"].append(dict(document["people"][0], login="claire.vasseur2"))
    document["convocations"].append({"mission": "M1", "person": "P1"})
    document["rooms"] = []

    with pytest.raises(ImportRejected) as rejected:
        import_session(db, _write(tmp_path, document))

    assert rejected.value.errors == [
        ("people[3].ref", "Doublon : « P1 » figure déjà en people[0]."),
        ("convocations[6].person", "Doublon : « P1 à M1 » figure déjà en convocations[0]."),
        ("rooms", "Cette rubrique n'est pas reconnue."),
    ]


def test_a_correction_needs_a_paper_and_an_oral_its_minutes(db: Session, tmp_path: Path) -> None:
    document = _valid()
    del document["missions"][0]["paper"]
    del document["exams"][0]["papers"][1]["minutes_per_candidate"]

    with pytest.raises(ImportRejected) as rejected:
        import_session(db, _write(tmp_path, document))

    assert [place for place, _ in rejected.value.errors] == [
        "exams[0].papers[1].minutes_per_candidate",
        "missions[0].paper",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"session": ', "Le fichier n'est pas un JSON valide (ligne 1, colonne 13)."),
        (b"[]", "Le fichier doit contenir un objet JSON (entre accolades)."),
        ("{}".encode("utf-16"), "Le fichier doit être encodé en UTF-8."),
    ],
)
def test_an_unreadable_file_is_refused(
    db: Session, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "session.json"
    path.write_bytes(content)

    with pytest.raises(ImportRejected) as rejected:
        import_session(db, path)

    assert rejected.value.errors == [("$", message)]


def test_issued_convocations_are_the_files(db: Session) -> None:
    import_session(db, VALID)

    pairs = db.execute(
        select(Mission.label, User.login).select_from(Convocation).join(Mission).join(User)
    ).all()
    assert ("Jury de délibération, CAP Cuisine", "rdelattr") in pairs
    assert len(pairs) == 6


def test_the_documented_example_is_the_valid_file() -> None:
    doc = (HERE.parents[2] / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = doc.split("## Example", 1)[1].split("```json", 1)[1].split("```", 1)[0]

    assert json.loads(example) == _valid()
    SessionFile.model_validate(_valid())
