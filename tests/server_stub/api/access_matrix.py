"""Who may do what: every operation of the API, tried as every kind of caller.

`MATRIX` is the one table of what each caller gets from each operation, tried on office Alpha's
things and on the owner's (tests/server_stub/two_offices.py). `CALLS` says how each operation is
called (a valid request, so that the answer is about access, not input). A route without a row
fails `test_access_matrix.py`; `docs/access-matrix.md` is this table, generated:

    python -m tests.server_stub.api.access_matrix docs/access-matrix.md
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.server_stub.factories import PASSWORD
from tests.server_stub.two_offices import CALLERS, JUNE_15, PNG, SEPT_8, TwoOffices

Statuses = tuple[int, int, int, int, int, int, int, int, int, int]


@dataclass(frozen=True)
class Call:
    path: str
    json: Any = None
    params: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None  # a file sent as the raw body


def _if_match(w: TwoOffices, key: str) -> dict[str, str]:
    return {"If-Match": f'"{w.versions[key]}"'}


def _entry() -> dict[str, Any]:
    return {"days": [{"date": JUNE_15.isoformat(), "copies": 35}]}


def _refs(w: TwoOffices) -> list[dict[str, int]]:
    return [{"id": w.ids["submitted_statement_id"]}]


# A bulk action carries an idempotency key (each cell is rolled back: the same key serves all).
_KEY = {"Idempotency-Key": "cle-de-la-matrice-0001"}
_SEPTEMBER = {"start_date": "2026-09-22", "end_date": "2026-09-22"}
_MEETINGS = {
    "valid_from": "2026-09-01",
    "source": "Délibération académique",
    "values": {"configurable": True, "hourly_rate": "12.00"},
}

# How each operation is called: on office Alpha's things, the owner's, with a valid request.
CALLS: dict[str, Callable[[TwoOffices], Call]] = {
    # --- open to all -----------------------------------------------------------------------
    "GET /health": lambda w: Call("/health"),
    "POST /auth/login": lambda w: Call(
        "/auth/login", {"login": w.owner_login, "password": PASSWORD}
    ),
    "POST /auth/refresh": lambda w: Call("/auth/refresh", {"refresh_token": w.refresh_token}),
    "POST /auth/reset/request": lambda w: Call("/auth/reset/request", {"login": w.owner_login}),
    # Anyone may try a code; none is valid here: every caller gets the same refusal.
    "POST /auth/reset/confirm": lambda w: Call(
        "/auth/reset/confirm",
        {"login": w.owner_login, "code": "ABCD-EFGH", "new_password": "Nouveau-Jury-2026!"},
    ),
    # --- one's own account ------------------------------------------------------------------
    "POST /auth/password": lambda w: Call(
        "/auth/password",
        {"current_password": PASSWORD, "new_password": "Nouveau-Jury-2026-secret!"},
    ),
    "POST /auth/logout": lambda w: Call("/auth/logout", {}),
    "GET /me": lambda w: Call("/me"),
    "PATCH /me": lambda w: Call("/me", {"fiscal_power": 6}),
    "GET /me/notifications": lambda w: Call("/me/notifications"),
    "GET /me/payments/{year}": lambda w: Call("/me/payments/2026"),
    # --- the administrator ---------------------------------------------------------------------
    "GET /admin/accounts": lambda w: Call("/admin/accounts", params={"q": "Martin"}),
    "POST /admin/accounts": lambda w: Call(
        "/admin/accounts",
        {"first_name": "Nina", "last_name": "Nouvelle", "role": "INTERVENANT", "academic": True},
    ),
    "PUT /admin/accounts/{user_id}/roles": lambda w: Call(
        f"/admin/accounts/{w.ids['user_id']}/roles", {"role": "INTERVENANT"}
    ),
    "PUT /admin/accounts/{user_id}/active": lambda w: Call(
        f"/admin/accounts/{w.ids['user_id']}/active", {"active": False}
    ),
    "POST /admin/accounts/{user_id}/unlock": lambda w: Call(
        f"/admin/accounts/{w.ids['user_id']}/unlock"
    ),
    "POST /admin/accounts/{user_id}/temporary-password": lambda w: Call(
        f"/admin/accounts/{w.ids['user_id']}/temporary-password"
    ),
    "GET /admin/audit": lambda w: Call("/admin/audit", params={"action": "ACCOUNT_CREATED"}),
    "GET /admin/tariffs": lambda w: Call("/admin/tariffs"),
    "POST /admin/tariffs/{file}/preview": lambda w: Call(
        "/admin/tariffs/meetings/preview", _MEETINGS
    ),
    "POST /admin/tariffs/{file}/versions": lambda w: Call(
        "/admin/tariffs/meetings/versions", _MEETINGS
    ),
    "GET /admin/reference/adjacent-communes": lambda w: Call("/admin/reference/adjacent-communes"),
    "GET /admin/reference/adjacent-communes/pair": lambda w: Call(
        "/admin/reference/adjacent-communes/pair", params={"insee_a": "80021", "insee_b": "80489"}
    ),
    "PUT /admin/reference/adjacent-communes": lambda w: Call(
        "/admin/reference/adjacent-communes",
        {"insee_a": "80021", "insee_b": "80489", "adjacent": True},
    ),
    "GET /admin/reference/return-reasons": lambda w: Call("/admin/reference/return-reasons"),
    "POST /admin/reference/return-reasons": lambda w: Call(
        "/admin/reference/return-reasons", {"code": "SIGNATURE", "label": "Signez l'état."}
    ),
    "PUT /admin/reference/return-reasons/{code}": lambda w: Call(
        "/admin/reference/return-reasons/OTHER", {"label": "Autre motif.", "active": True}
    ),
    # A packaged reason is deactivated, never deleted: the administrator is answered 409.
    "DELETE /admin/reference/return-reasons/{code}": lambda w: Call(
        "/admin/reference/return-reasons/OTHER"
    ),
    "GET /admin/reference/anomaly-thresholds": lambda w: Call(
        "/admin/reference/anomaly-thresholds"
    ),
    "PUT /admin/reference/anomaly-thresholds": lambda w: Call(
        "/admin/reference/anomaly-thresholds", {"km_ratio": "1.8"}
    ),
    "GET /admin/reference/debtor-account": lambda w: Call("/admin/reference/debtor-account"),
    "PUT /admin/reference/debtor-account": lambda w: Call(
        "/admin/reference/debtor-account",
        {
            "name": "Agent comptable",
            "iban": "FR7630004000031234567890143",
            "sepa_schema": "pain.001.001.09",
        },
    ),
    # None set yet: back to the settings' account is answered 404 to the administrator.
    "DELETE /admin/reference/debtor-account": lambda w: Call("/admin/reference/debtor-account"),
    "POST /dec/people/{user_id}/temporary-password": lambda w: Call(
        f"/dec/people/{w.ids['user_id']}/temporary-password"
    ),
    "GET /dec/people/{user_id}/payments/{year}": lambda w: Call(
        f"/dec/people/{w.ids['user_id']}/payments/2026"
    ),
    "PUT /me/notifications": lambda w: Call(
        "/me/notifications", {"declined": ["DEADLINE_REMINDER"]}
    ),
    # --- reference data -----------------------------------------------------------------------
    "GET /tariffs": lambda w: Call("/tariffs", params={"date": "2026-06-15"}),
    "GET /communes": lambda w: Call("/communes", params={"q": "Amiens"}),
    "GET /dec/sessions": lambda w: Call("/dec/sessions"),
    "POST /dec/sessions": lambda w: Call(
        "/dec/sessions",
        {
            "code": "CAP-2027",
            "name": "CAP 2027",
            "entry_deadline": "2027-08-31",
            "office": "DEC-ALPHA",
        },
    ),
    "GET /dec/sessions/{session_id}": lambda w: Call(f"/dec/sessions/{w.ids['session_id']}"),
    "PATCH /dec/sessions/{session_id}": lambda w: Call(
        f"/dec/sessions/{w.ids['session_id']}", {"name": "Session renommée"}
    ),
    "GET /dec/exams": lambda w: Call("/dec/exams"),
    "POST /dec/exams": lambda w: Call(
        "/dec/exams",
        {
            "session_id": w.ids["session_id"],
            "code": "CAP-CUIS",
            "diploma": "CAP",
            "name": "CAP",
            "speciality": "Cuisine",
        },
    ),
    "GET /dec/exams/{exam_id}": lambda w: Call(f"/dec/exams/{w.ids['exam_id']}"),
    "PATCH /dec/exams/{exam_id}": lambda w: Call(
        f"/dec/exams/{w.ids['exam_id']}", {"speciality": "Électrotechnique"}
    ),
    "GET /dec/papers": lambda w: Call("/dec/papers"),
    "POST /dec/papers": lambda w: Call(
        "/dec/papers",
        {"exam_id": w.ids["exam_id"], "code": "E5", "name": "Dossier", "kind": "WRITTEN"},
    ),
    "GET /dec/papers/{paper_id}": lambda w: Call(f"/dec/papers/{w.ids['paper_id']}"),
    "PATCH /dec/papers/{paper_id}": lambda w: Call(
        f"/dec/papers/{w.ids['paper_id']}", {"duration_minutes": 240}
    ),
    "GET /dec/centres": lambda w: Call("/dec/centres"),
    "POST /dec/centres": lambda w: Call(
        "/dec/centres",
        {"code": "0800099Z", "name": "Lycée Delambre", "address": "rue", "commune_insee": "80021"},
    ),
    "GET /dec/centres/{centre_id}": lambda w: Call(f"/dec/centres/{w.ids['centre_id']}"),
    "PATCH /dec/centres/{centre_id}": lambda w: Call(
        f"/dec/centres/{w.ids['centre_id']}", {"address": "2 rue du Lycée"}
    ),
    "GET /dec/missions": lambda w: Call("/dec/missions"),
    "POST /dec/missions": lambda w: Call(
        "/dec/missions",
        {
            "session_id": w.ids["session_id"],
            "type": "CORRECTION",
            "paper_id": w.ids["paper_id"],
            "centre_id": w.ids["centre_id"],
            "start_date": "2026-06-16",
            "end_date": "2026-06-16",
            "start_time": "08:00",
            "end_time": "12:00",
            "lot_size": 60,
        },
    ),
    "GET /dec/missions/{mission_id}": lambda w: Call(f"/dec/missions/{w.ids['mission_id']}"),
    "PATCH /dec/missions/{mission_id}": lambda w: Call(
        f"/dec/missions/{w.ids['mission_id']}", {"end_time": "18:00"}
    ),
    # --- the intervenant's statements -------------------------------------------------------
    "GET /convocations": lambda w: Call("/convocations"),
    "GET /statements/{statement_id}": lambda w: Call(f"/statements/{w.ids['statement_id']}"),
    "PUT /statements/{statement_id}": lambda w: Call(
        f"/statements/{w.ids['statement_id']}", _entry(), headers=_if_match(w, "statement_id")
    ),
    "POST /statements/{statement_id}/preview": lambda w: Call(
        f"/statements/{w.ids['statement_id']}/preview", _entry()
    ),
    "POST /statements/{statement_id}/validate": lambda w: Call(
        f"/statements/{w.ids['statement_id']}/validate",
        {"accurate": True, "no_overtime": True},
        headers=_if_match(w, "statement_id"),
    ),
    "POST /statements/{statement_id}/not-performed": lambda w: Call(
        f"/statements/{w.ids['statement_id']}/not-performed",
        {"reason": "Malade"},
        headers=_if_match(w, "statement_id"),
    ),
    # --- supporting documents --------------------------------------------------------------
    "GET /statements/{statement_id}/documents": lambda w: Call(
        f"/statements/{w.ids['statement_id']}/documents"
    ),
    "PUT /statements/{statement_id}/documents/{upload_id}": lambda w: Call(
        f"/statements/{w.ids['statement_id']}/documents/matrice-envoi-0001",
        params={"label": "Justificatifs de péage", "name": "peage.png"},
        content=PNG,
    ),
    "GET /me/documents": lambda w: Call("/me/documents"),
    "PUT /me/documents/{upload_id}": lambda w: Call(
        "/me/documents/matrice-envoi-0002",
        params={"label": "Copie de la carte Vitale", "name": "vitale.png"},
        content=PNG,
    ),
    "GET /documents/{document_id}/content": lambda w: Call(
        f"/documents/{w.ids['document_id']}/content"
    ),
    "DELETE /documents/{document_id}": lambda w: Call(f"/documents/{w.ids['document_id']}"),
    # --- the DEC's statements ---------------------------------------------------------------
    "GET /dec/statements": lambda w: Call("/dec/statements"),
    "GET /dec/anomaly-kinds": lambda w: Call("/dec/anomaly-kinds"),
    "GET /dec/status-kinds": lambda w: Call("/dec/status-kinds"),
    "GET /dec/return-reasons": lambda w: Call("/dec/return-reasons"),
    "GET /dec/reference-lists": lambda w: Call("/dec/reference-lists"),
    "POST /dec/anomalies/refresh": lambda w: Call("/dec/anomalies/refresh"),
    "POST /dec/statements/approve": lambda w: Call(
        "/dec/statements/approve", {"statements": _refs(w)}, headers=_KEY
    ),
    "POST /dec/statements/return": lambda w: Call(
        "/dec/statements/return",
        {"statements": _refs(w), "reason": "Pièce manquante"},
        headers=_KEY,
    ),
    "POST /dec/statements/cancel": lambda w: Call(
        "/dec/statements/cancel", {"statements": _refs(w), "reason": "Doublon"}, headers=_KEY
    ),
    "POST /dec/statements/uncancel": lambda w: Call(
        "/dec/statements/uncancel", {"statements": _refs(w)}, headers=_KEY
    ),
    "POST /dec/statements/indemnity": lambda w: Call(
        "/dec/statements/indemnity", {"statements": _refs(w), "amount": "45.00"}, headers=_KEY
    ),
    "GET /dec/statements/{statement_id}": lambda w: Call(
        f"/dec/statements/{w.ids['submitted_statement_id']}"
    ),
    "PUT /dec/statements/{statement_id}/entry": lambda w: Call(
        f"/dec/statements/{w.ids['submitted_statement_id']}/entry",
        {"entry": {}, "comment": "Vérifié sur la feuille d'émargement"},
        headers=_if_match(w, "submitted_statement_id"),
    ),
    "PUT /dec/statements/{statement_id}/indemnity": lambda w: Call(
        f"/dec/statements/{w.ids['submitted_statement_id']}/indemnity",
        {"amount": "45.00"},
        headers=_if_match(w, "submitted_statement_id"),
    ),
    "PUT /dec/statements/{statement_id}/documents": lambda w: Call(
        f"/dec/statements/{w.ids['submitted_statement_id']}/documents", {"received": []}
    ),
    "PUT /dec/missions/{mission_id}/service-done": lambda w: Call(
        f"/dec/missions/{w.ids['mission_id']}/service-done",
        {"date": JUNE_15.isoformat(), "remark": "Constat du chef de centre"},
    ),
    "GET /dec/centre-missions": lambda w: Call("/dec/centre-missions"),
    "GET /dec/offices/{office}/settings": lambda w: Call("/dec/offices/DEC-ALPHA/settings"),
    "PUT /dec/offices/{office}/settings": lambda w: Call(
        "/dec/offices/DEC-ALPHA/settings", {"service_done_required": True}
    ),
    "POST /dec/missions/service-done": lambda w: Call(
        "/dec/missions/service-done", {"mission_ids": [w.ids["mission_id"]]}
    ),
    "GET /dec/dashboard": lambda w: Call(
        "/dec/dashboard", params={"session_id": w.ids["session_id"]}
    ),
    "POST /dec/convocations/issue": lambda w: Call(
        "/dec/convocations/issue",
        {"mission_id": w.ids["mission_id"], "user_ids": [w.ids["other_user_id"]]},
    ),
    # --- payment ----------------------------------------------------------------------------
    "POST /dec/payment-batches": lambda w: Call(
        "/dec/payment-batches", {"session_id": w.ids["session_id"]}
    ),
    "POST /dec/payment-batches/preview": lambda w: Call(
        "/dec/payment-batches/preview", {"session_id": w.ids["session_id"]}
    ),
    "GET /dec/payment-batches": lambda w: Call("/dec/payment-batches"),
    "GET /dec/payment-batches/{batch_id}": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}"
    ),
    "POST /dec/payment-batches/{batch_id}/paid": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}/paid", {"paid_on": "2026-07-01"}
    ),
    "POST /dec/payment-batches/{batch_id}/bank-statement": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}/bank-statement",
        {"document": "<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.054.001.02'/>"},
    ),
    "POST /dec/payment-batches/{batch_id}/payroll-acknowledgement": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}/payroll-acknowledgement",
        {"document": "Référence;Statut;Date de paiement;Motif\r\n"},
    ),
    "GET /dec/payment-batches/{batch_id}/sepa.xml": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}/sepa.xml"
    ),
    "GET /dec/payment-batches/{batch_id}/payroll.csv": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}/payroll.csv"
    ),
    "GET /dec/payment-batches/{batch_id}/summary.pdf": lambda w: Call(
        f"/dec/payment-batches/{w.ids['batch_id']}/summary.pdf"
    ),
    # --- the assignment: one's own declarations ------------------------------------------------
    "GET /assignment/papers": lambda w: Call("/assignment/papers"),
    "GET /assignment/me/competences": lambda w: Call("/assignment/me/competences"),
    "POST /assignment/me/competences": lambda w: Call(
        "/assignment/me/competences", {"paper_id": w.ids["beta_paper_id"]}
    ),
    "DELETE /assignment/me/competences/{competence_id}": lambda w: Call(
        f"/assignment/me/competences/{w.ids['competence_id']}"
    ),
    "GET /assignment/me/unavailabilities": lambda w: Call("/assignment/me/unavailabilities"),
    "POST /assignment/me/unavailabilities": lambda w: Call(
        "/assignment/me/unavailabilities", _SEPTEMBER
    ),
    "DELETE /assignment/me/unavailabilities/{unavailability_id}": lambda w: Call(
        f"/assignment/me/unavailabilities/{w.ids['unavailability_id']}"
    ),
    "GET /assignment/me/assignments": lambda w: Call("/assignment/me/assignments"),
    "POST /assignment/me/assignments/{assignment_id}/withdraw": lambda w: Call(
        f"/assignment/me/assignments/{w.ids['issued_assignment_id']}/withdraw",
        {"reason": "Convoqué(e) ailleurs"},
    ),
    "GET /assignment/me/letters": lambda w: Call("/assignment/me/letters"),
    "GET /assignment/letters/{letter_id}/pdf": lambda w: Call(
        f"/assignment/letters/{w.ids['letter_id']}/pdf"
    ),
    # --- the assignment: validating competences -----------------------------------------------
    "GET /assignment/competences": lambda w: Call("/assignment/competences"),
    "POST /assignment/competences/{competence_id}/validate": lambda w: Call(
        f"/assignment/competences/{w.ids['competence_id']}/validate"
    ),
    "POST /assignment/competences/{competence_id}/refuse": lambda w: Call(
        f"/assignment/competences/{w.ids['competence_id']}/refuse",
        {"reason": "Hors de sa discipline"},
    ),
    "POST /assignment/competences/validate": lambda w: Call(
        "/assignment/competences/validate", {"ids": [w.ids["competence_id"]]}
    ),
    # --- the assignment: people, for the DEC --------------------------------------------------
    "POST /assignment/externes": lambda w: Call(
        "/assignment/externes",
        {"first_name": "Pierre", "last_name": "Extérieur", "administrative_residence": "80021"},
    ),
    "GET /assignment/people/{user_id}/declarations": lambda w: Call(
        f"/assignment/people/{w.ids['user_id']}/declarations"
    ),
    "POST /assignment/people/{user_id}/competences": lambda w: Call(
        f"/assignment/people/{w.ids['other_user_id']}/competences",
        {"paper_id": w.ids["paper_id"]},
    ),
    "DELETE /assignment/competences/{competence_id}": lambda w: Call(
        f"/assignment/competences/{w.ids['competence_id']}"
    ),
    "POST /assignment/people/{user_id}/unavailabilities": lambda w: Call(
        f"/assignment/people/{w.ids['user_id']}/unavailabilities", _SEPTEMBER
    ),
    "DELETE /assignment/unavailabilities/{unavailability_id}": lambda w: Call(
        f"/assignment/unavailabilities/{w.ids['unavailability_id']}"
    ),
    "GET /assignment/centres/{centre_id}/schools": lambda w: Call(
        f"/assignment/centres/{w.ids['centre_id']}/schools"
    ),
    "PUT /assignment/centres/{centre_id}/schools": lambda w: Call(
        f"/assignment/centres/{w.ids['centre_id']}/schools", {"schools": ["Lycée Jules Verne"]}
    ),
    # --- the assignment: needs, solving, issuing ----------------------------------------------
    "GET /assignment/sessions/{session_id}/needs": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/needs"
    ),
    "POST /assignment/sessions/{session_id}/needs": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/needs",
        {
            "kind": "CORRECTION",
            "paper_id": w.ids["paper_id"],
            "centre_id": w.ids["centre_id"],
            "day": SEPT_8.isoformat(),
            "half_day": "PM",
            "copies": 60,
        },
    ),
    "GET /assignment/needs/{need_id}": lambda w: Call(f"/assignment/needs/{w.ids['need_id']}"),
    "PATCH /assignment/needs/{need_id}": lambda w: Call(
        f"/assignment/needs/{w.ids['need_id']}", {"seats": 2}
    ),
    "DELETE /assignment/needs/{need_id}": lambda w: Call(f"/assignment/needs/{w.ids['need_id']}"),
    "GET /assignment/needs/{need_id}/candidates": lambda w: Call(
        f"/assignment/needs/{w.ids['need_id']}/candidates"
    ),
    "POST /assignment/needs/{need_id}/assignments": lambda w: Call(
        f"/assignment/needs/{w.ids['need_id']}/assignments",
        {"task_index": 1, "user_id": w.ids["other_user_id"], "force": True},
    ),
    "POST /assignment/sessions/{session_id}/solve": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/solve", {"dry_run": True}
    ),
    "GET /assignment/sessions/{session_id}/solve-defaults": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/solve-defaults"
    ),
    "GET /assignment/sessions/{session_id}/result": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/result"
    ),
    "GET /assignment/sessions/{session_id}/loads": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/loads"
    ),
    "PATCH /assignment/assignments/{assignment_id}": lambda w: Call(
        f"/assignment/assignments/{w.ids['assignment_id']}", {"locked": True}
    ),
    "POST /assignment/assignments/{assignment_id}/reassign": lambda w: Call(
        f"/assignment/assignments/{w.ids['assignment_id']}/reassign",
        {"user_id": w.ids["other_user_id"], "force": True},
    ),
    "DELETE /assignment/assignments/{assignment_id}": lambda w: Call(
        f"/assignment/assignments/{w.ids['assignment_id']}"
    ),
    "POST /assignment/sessions/{session_id}/issue": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/issue", {}
    ),
    "GET /assignment/sessions/{session_id}/letters": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/letters"
    ),
    "GET /assignment/sessions/{session_id}/withdrawals": lambda w: Call(
        f"/assignment/sessions/{w.ids['session_id']}/withdrawals"
    ),
    "GET /assignment/assignments/{assignment_id}/replacements": lambda w: Call(
        f"/assignment/assignments/{w.ids['issued_assignment_id']}/replacements"
    ),
    "POST /assignment/assignments/{assignment_id}/replace": lambda w: Call(
        f"/assignment/assignments/{w.ids['issued_assignment_id']}/replace",
        {"user_id": w.ids["substitute_id"]},
    ),
}

# fmt: off
# What each caller gets. Columns: no token, an invalid token, a revoked token (an
# administrator's), the intervenant who owns the things tried, another intervenant, the chef de
# centre of the centre where office Alpha's missions take place, a chef de centre elsewhere, a
# gestionnaire of office Alpha, a gestionnaire of office Beta only, an administrator.
#                                                              anon   bad   rev   own   oth  chef chef'  gest gest'  admin
MATRIX: dict[str, Statuses] = {
    "GET /health":                                            ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    "POST /auth/login":                                       ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    "POST /auth/refresh":                                     ( 200,  200,  200,  200,  200,  200,  200,  200,  200,  200),
    "POST /auth/reset/request":                               ( 202,  202,  202,  202,  202,  202,  202,  202,  202,  202),
    "POST /auth/reset/confirm":                               ( 422,  422,  422,  422,  422,  422,  422,  422,  422,  422),
    "POST /auth/password":                                    ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "POST /auth/logout":                                      ( 401,  401,  401,  204,  204,  204,  204,  204,  204,  204),
    "GET /me":                                                ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "PATCH /me":                                              ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /me/notifications":                                  ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /me/payments/{year}":                                ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "PUT /me/notifications":                                  ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /admin/accounts":                                    ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "POST /admin/accounts":                                   ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  201),
    "PUT /admin/accounts/{user_id}/roles":                    ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "PUT /admin/accounts/{user_id}/active":                   ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "POST /admin/accounts/{user_id}/unlock":                  ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "POST /admin/accounts/{user_id}/temporary-password":      ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "GET /admin/audit":                                       ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "GET /admin/tariffs":                                     ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "POST /admin/tariffs/{file}/preview":                     ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "POST /admin/tariffs/{file}/versions":                    ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  201),
    "GET /admin/reference/adjacent-communes":                 ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "GET /admin/reference/adjacent-communes/pair":            ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "PUT /admin/reference/adjacent-communes":                 ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "GET /admin/reference/return-reasons":                    ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "POST /admin/reference/return-reasons":                   ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  201),
    "PUT /admin/reference/return-reasons/{code}":             ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "DELETE /admin/reference/return-reasons/{code}":          ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  409),
    "GET /admin/reference/anomaly-thresholds":                ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "PUT /admin/reference/anomaly-thresholds":                ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "GET /admin/reference/debtor-account":                    ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "PUT /admin/reference/debtor-account":                    ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  200),
    "DELETE /admin/reference/debtor-account":                 ( 401,  401,  401,  403,  403,  403,  403,  403,  403,  404),
    "POST /dec/people/{user_id}/temporary-password":          ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /dec/people/{user_id}/payments/{year}":              ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /tariffs":                                           ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /communes":                                          ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /dec/sessions":                                      ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/sessions":                                     ( 401,  401,  401,  403,  403,  403,  403,  201,  403,  201),
    "GET /dec/sessions/{session_id}":                         ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PATCH /dec/sessions/{session_id}":                       ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /dec/exams":                                         ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/exams":                                        ( 401,  401,  401,  403,  403,  403,  403,  201,  422,  201),
    "GET /dec/exams/{exam_id}":                               ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PATCH /dec/exams/{exam_id}":                             ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /dec/papers":                                        ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/papers":                                       ( 401,  401,  401,  403,  403,  403,  403,  201,  422,  201),
    "GET /dec/papers/{paper_id}":                             ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PATCH /dec/papers/{paper_id}":                           ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /dec/centres":                                       ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/centres":                                      ( 401,  401,  401,  403,  403,  403,  403,  201,  201,  201),
    "GET /dec/centres/{centre_id}":                           ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "PATCH /dec/centres/{centre_id}":                         ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/missions":                                      ( 401,  401,  401,  403,  403,  200,  200,  200,  200,  200),
    "POST /dec/missions":                                     ( 401,  401,  401,  403,  403,  403,  403,  201,  422,  201),
    "GET /dec/missions/{mission_id}":                         ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PATCH /dec/missions/{mission_id}":                       ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /convocations":                                      ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /statements/{statement_id}":                         ( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "PUT /statements/{statement_id}":                         ( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "POST /statements/{statement_id}/preview":                ( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "POST /statements/{statement_id}/validate":               ( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "POST /statements/{statement_id}/not-performed":          ( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "GET /statements/{statement_id}/documents":               ( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "PUT /statements/{statement_id}/documents/{upload_id}":   ( 401,  401,  401,  201,  404,  404,  404,  404,  404,  404),
    "GET /me/documents":                                      ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "PUT /me/documents/{upload_id}":                          ( 401,  401,  401,  201,  201,  201,  201,  201,  201,  201),
    "GET /documents/{document_id}/content":                   ( 401,  401,  401,  200,  404,  404,  404,  200,  404,  200),
    "DELETE /documents/{document_id}":                        ( 401,  401,  401,  204,  404,  404,  404,  404,  404,  404),
    "GET /dec/statements":                                    ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/anomaly-kinds":                                 ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/status-kinds":                                  ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/return-reasons":                                ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/reference-lists":                               ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/anomalies/refresh":                            ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/statements/approve":                           ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/statements/return":                            ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/statements/cancel":                            ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/statements/uncancel":                          ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "POST /dec/statements/indemnity":                         ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/statements/{statement_id}":                     ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PUT /dec/statements/{statement_id}/entry":               ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PUT /dec/statements/{statement_id}/indemnity":           ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PUT /dec/statements/{statement_id}/documents":           ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /dec/missions/service-done":                        ( 401,  401,  401,  403,  403,  200,  200,  200,  200,  200),
    "PUT /dec/missions/{mission_id}/service-done":            ( 401,  401,  401,  403,  403,  204,  404,  204,  404,  204),
    "GET /dec/centre-missions":                               ( 401,  401,  401,  403,  403,  200,  200,  200,  200,  200),
    "GET /dec/offices/{office}/settings":                     ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PUT /dec/offices/{office}/settings":                     ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /dec/dashboard":                                     ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /dec/convocations/issue":                           ( 401,  401,  401,  403,  403,  403,  403,  201,  422,  201),
    "POST /dec/payment-batches":                              ( 401,  401,  401,  403,  403,  403,  403,  201,  422,  201),
    "POST /dec/payment-batches/preview":                      ( 401,  401,  401,  403,  403,  403,  403,  200,  422,  200),
    "GET /dec/payment-batches":                               ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /dec/payment-batches/{batch_id}":                    ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /dec/payment-batches/{batch_id}/paid":              ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /dec/payment-batches/{batch_id}/bank-statement":    ( 401,  401,  401,  403,  403,  403,  403,  422,  404,  422),
    "POST /dec/payment-batches/{batch_id}/payroll-acknowledgement":( 401,  401,  401,  403,  403,  403,  403,  422,  404,  422),
    "GET /dec/payment-batches/{batch_id}/sepa.xml":           ( 401,  401,  401,  403,  403,  403,  403,  409,  404,  409),
    "GET /dec/payment-batches/{batch_id}/payroll.csv":        ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /dec/payment-batches/{batch_id}/summary.pdf":        ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/papers":                                 ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /assignment/me/competences":                         ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "POST /assignment/me/competences":                        ( 401,  401,  401,  201,  201,  403,  403,  403,  403,  403),
    "DELETE /assignment/me/competences/{competence_id}":      ( 401,  401,  401,  204,  404,  404,  404,  404,  404,  404),
    "GET /assignment/me/unavailabilities":                    ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "POST /assignment/me/unavailabilities":                   ( 401,  401,  401,  201,  201,  201,  201,  201,  201,  201),
    "DELETE /assignment/me/unavailabilities/{unavailability_id}":( 401,  401,  401,  204,  404,  404,  404,  404,  404,  404),
    "GET /assignment/me/assignments":                         ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "POST /assignment/me/assignments/{assignment_id}/withdraw":( 401,  401,  401,  200,  404,  404,  404,  404,  404,  404),
    "GET /assignment/me/letters":                             ( 401,  401,  401,  200,  200,  200,  200,  200,  200,  200),
    "GET /assignment/letters/{letter_id}/pdf":                ( 401,  401,  401,  200,  404,  404,  404,  200,  404,  200),
    "GET /assignment/competences":                            ( 401,  401,  401,  403,  403,  200,  200,  200,  200,  200),
    "POST /assignment/competences/{competence_id}/validate":  ( 401,  401,  401,  403,  403,  200,  404,  200,  404,  200),
    "POST /assignment/competences/{competence_id}/refuse":    ( 401,  401,  401,  403,  403,  200,  404,  200,  404,  200),
    "POST /assignment/competences/validate":                  ( 401,  401,  401,  403,  403,  200,  200,  200,  200,  200),
    "POST /assignment/externes":                              ( 401,  401,  401,  403,  403,  403,  403,  201,  201,  201),
    "GET /assignment/people/{user_id}/declarations":          ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /assignment/people/{user_id}/competences":          ( 401,  401,  401,  403,  403,  403,  403,  201,  422,  201),
    "DELETE /assignment/competences/{competence_id}":         ( 401,  401,  401,  403,  403,  403,  403,  204,  404,  204),
    "POST /assignment/people/{user_id}/unavailabilities":     ( 401,  401,  401,  403,  403,  403,  403,  201,  404,  201),
    "DELETE /assignment/unavailabilities/{unavailability_id}":( 401,  401,  401,  403,  403,  403,  403,  204,  404,  204),
    "GET /assignment/centres/{centre_id}/schools":            ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "PUT /assignment/centres/{centre_id}/schools":            ( 401,  401,  401,  403,  403,  403,  403,  200,  200,  200),
    "GET /assignment/sessions/{session_id}/needs":            ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /assignment/sessions/{session_id}/needs":           ( 401,  401,  401,  403,  403,  403,  403,  201,  404,  201),
    "GET /assignment/needs/{need_id}":                        ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PATCH /assignment/needs/{need_id}":                      ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "DELETE /assignment/needs/{need_id}":                     ( 401,  401,  401,  403,  403,  403,  403,  204,  404,  204),
    "GET /assignment/needs/{need_id}/candidates":             ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /assignment/needs/{need_id}/assignments":           ( 401,  401,  401,  403,  403,  403,  403,  201,  404,  201),
    "POST /assignment/sessions/{session_id}/solve":           ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/sessions/{session_id}/solve-defaults":   ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/sessions/{session_id}/result":           ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/sessions/{session_id}/loads":            ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "PATCH /assignment/assignments/{assignment_id}":          ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /assignment/assignments/{assignment_id}/reassign":  ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "DELETE /assignment/assignments/{assignment_id}":         ( 401,  401,  401,  403,  403,  403,  403,  204,  404,  204),
    "POST /assignment/sessions/{session_id}/issue":           ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/sessions/{session_id}/letters":          ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/sessions/{session_id}/withdrawals":      ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "GET /assignment/assignments/{assignment_id}/replacements":( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
    "POST /assignment/assignments/{assignment_id}/replace":   ( 401,  401,  401,  403,  403,  403,  403,  200,  404,  200),
}
# fmt: on

SHARED = frozenset(
    {
        # The answer is about the credentials sent, whoever sends them.
        "POST /auth/login",
        "POST /auth/refresh",
        # The académie's common data: anyone may work for any office, every office uses its
        # exam centres.
        "GET /assignment/papers",
        "GET /dec/centres",
        "POST /dec/centres",
        "GET /dec/centres/{centre_id}",
        "PATCH /dec/centres/{centre_id}",
        "GET /assignment/centres/{centre_id}/schools",
        "PUT /assignment/centres/{centre_id}/schools",
        # A chef de centre sees every mission held at their centre, whichever office runs it:
        # office Alpha's orals take place at Condorcet, the other chef's centre.
        "GET /dec/missions",
        "GET /dec/centre-missions",
    }
)
"""Operations whose answer may name office Alpha's things to a caller outside it: the académie's
common data, an answer about the credentials in the request, or the missions held at a centre."""


_HEADINGS = {
    "anonymous": "No token",
    "bad_token": "Invalid token",
    "revoked_token": "Revoked token",
    "owner": "Owner (intervenant)",
    "other_intervenant": "Another intervenant",
    "chef_here": "Chef de centre, this centre",
    "chef_elsewhere": "Chef de centre, another centre",
    "gestionnaire_here": "Gestionnaire, this office",
    "gestionnaire_elsewhere": "Gestionnaire, another office",
    "administrator": "Administrator",
}


def render() -> str:
    """docs/access-matrix.md."""
    lines = [
        "# Access matrix",
        "",
        "Generated from `tests/server_stub/api/access_matrix.py` "
        "(`python -m tests.server_stub.api.access_matrix docs/access-matrix.md`); "
        "`tests/server_stub/api/test_access_matrix.py` tries every cell, on SQLite and "
        "PostgreSQL, and keeps this file current.",
        "",
        "Each operation is called on the things of office Alpha and of the intervenant who owns "
        "them (tests/server_stub/two_offices.py), as each kind of caller. A cell is the HTTP "
        "status the caller gets: 2xx the operation is done; 401 not logged in; 403 the caller's "
        "role may not call it; 404 the thing is outside the caller's reach (answered exactly as "
        "a missing one); 409 and 422 the caller may call it but the request meets the state of "
        "the data or a check of its content. A response to a caller outside office Alpha never "
        "names anything of office Alpha, except in the operations marked *shared* (the "
        "académie's common data).",
        "",
        "| Operation | " + " | ".join(_HEADINGS[c] for c in CALLERS) + " |",
        "|---|" + "---|" * len(CALLERS),
    ]
    for operation, statuses in MATRIX.items():
        name = f"`{operation}`" + (" *shared*" if operation in SHARED else "")
        lines.append(f"| {name} | " + " | ".join(str(s) for s in statuses) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    Path(args[0] if args else "docs/access-matrix.md").write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
