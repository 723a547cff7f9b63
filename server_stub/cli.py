"""The `imagin-server` commands: serve, init-db, demo-data, import, create-user, nir-key,
collect-documents, payment create-due (`imagin-server --help`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from sqlalchemy import Engine

from server_stub.core.database import make_engine, make_session_factory, refresh_statistics
from server_stub.core.migrate import upgrade
from server_stub.core.settings import get_settings

log = logging.getLogger("imagin.server")

# An idle connection stays open through a person's reading pause, so that their next action
# pays no new TCP and TLS handshake: longer than the client's 4 minutes (client/api/client.py),
# so that the client is the one to close it, never the server under a request in flight.
KEEP_ALIVE_SECONDS = 300


def _engine() -> Engine:
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url())
    upgrade(engine)
    return engine


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from server_stub.main import create_app

    engine = _engine()  # migrates once, before any worker starts
    if args.workers > 1:
        engine.dispose()
        uvicorn.run(
            "server_stub.main:create_app",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            timeout_keep_alive=args.keep_alive,
        )
    else:
        uvicorn.run(
            create_app(engine=engine),
            host=args.host,
            port=args.port,
            log_level=args.log_level,
            timeout_keep_alive=args.keep_alive,
        )
    return 0


def init_db(_: argparse.Namespace) -> int:
    engine = _engine()
    log.info("Base de données à jour : %s", engine.url.render_as_string(hide_password=True))
    return 0


def demo_data(args: argparse.Namespace) -> int:
    from server_stub.demo.accounts import listing
    from server_stub.demo.generate import existing_data, generate

    engine = _engine()
    with make_session_factory(engine).begin() as session:
        found = existing_data(session)
        if found and not args.force:
            held = ", ".join(found)
            sys.stderr.write(
                f"La base de données n'est pas vide ({held}) : rien n'a été modifié.\n"
                "Les données de démonstration "
                + ("s'ajouteraient à" if args.keep else "remplaceraient")
                + " ces données, avec des comptes dont le mot de passe est publié. Pour le "
                "faire quand même, relancez avec --force.\n"
            )
            return 1
        summary = generate(session, scale=args.scale, seed=args.seed, reset=not args.keep)
    refresh_statistics(engine)
    log.info(
        "Données de démonstration créées : %s convocations, %s intervenants.",
        summary.get("convocations"),
        summary.get("intervenants", summary.get("people")),
    )
    if args.accounts_file:
        Path(args.accounts_file).write_text(
            json.dumps(listing(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0


def import_file(args: argparse.Namespace) -> int:
    from server_stub.importing.loader import ImportRejected, import_session

    engine = _engine()
    try:
        with make_session_factory(engine).begin() as session:
            summary = import_session(session, Path(args.file))
    except ImportRejected as rejected:
        count = len(rejected.errors)
        lines = [f"Fichier refusé, rien n'a été importé ({count} erreurs) :"]
        lines += [f"  {path} : {message}" for path, message in rejected.errors]
        sys.stderr.write("\n".join(lines) + "\n")
        return 1
    refresh_statistics(engine)
    passwords = summary.pop("temporary_passwords", {})  # type: ignore[misc]
    log.info("Import terminé : %s", summary)
    if passwords:
        # Printed for the convocations, never logged.
        rows = [f"{login}\t{password}" for login, password in sorted(passwords.items())]
        sys.stdout.write("identifiant\tmot de passe temporaire\n" + "\n".join(rows) + "\n")
    return 0


def create_user(args: argparse.Namespace) -> int:
    """Creates an account with a generated temporary password, printed once (never logged,
    never stored in clear): the person replaces it at their first log-in. A gestionnaire
    works for the offices given, a chef de centre answers for the centres given (by code)."""
    from server_stub.auth.accounts import create_account
    from server_stub.core.security import temporary_password
    from server_stub.reference.repository import centre_ids_by_code

    offices = [o.strip() for o in args.office or [] if o.strip()]
    codes = [c.strip() for c in args.centre or [] if c.strip()]
    problem = None
    if args.role == "GESTIONNAIRE" and not offices:
        problem = "Un gestionnaire travaille pour au moins un service : précisez --office."
    elif args.role == "CHEF_CENTRE" and not codes:
        problem = "Un chef de centre répond d'au moins un centre : précisez --centre."
    elif offices and args.role != "GESTIONNAIRE":
        problem = "Seul un gestionnaire est rattaché à un service (--office)."
    elif codes and args.role != "CHEF_CENTRE":
        problem = "Seul un chef de centre est rattaché à un centre (--centre)."
    if problem:
        sys.stderr.write(problem + "\n")
        return 2
    password = temporary_password()
    factory = make_session_factory(_engine())
    with factory.begin() as session:
        found = centre_ids_by_code(session, codes)
        unknown = [c for c in codes if c not in found]
        if unknown:
            sys.stderr.write(f"Centre inconnu : {', '.join(unknown)}.\n")
            return 2
        user = create_account(
            session,
            first_name=args.first_name,
            last_name=args.last_name,
            role=args.role,
            password=password,
            login=args.login,
            academic=args.academic,
            temporary=True,
            offices=offices,
            centres=[found[c] for c in codes],
        )
        login, role = user.login, user.role
    log.info("Compte créé : %s (%s)", login, role)
    sys.stdout.write(
        f"identifiant\t{login}\nmot de passe temporaire\t{password}\n"
        "Transmettez-le à la personne : il ne sera plus affiché, et devra être remplacé à la "
        "première connexion.\n"
    )
    return 0


def nir_key(_: argparse.Namespace) -> int:
    from server_stub.people.nir_store import new_key

    sys.stdout.write(
        f"{new_key()}\nÀ placer dans IMAGIN_NIR_KEY (hors de la base et de ses sauvegardes) : "
        "les numéros de sécurité sociale sont chiffrés avec cette clé.\n"
    )
    return 0


def collect_documents(args: argparse.Namespace) -> int:
    """Deletes the stored supporting documents no row refers to any more (and that nobody wrote
    during the grace period): after a restore, or daily."""
    from server_stub.documents.service import collect
    from server_stub.documents.store import store_for

    settings = get_settings()
    grace = settings.documents_grace_seconds if args.grace is None else args.grace
    factory = make_session_factory(_engine())
    with factory.begin() as session:
        gone = collect(session, store_for(settings), grace)
    log.info("Documents sans référence supprimés : %s", gone)
    return 0


def payment_create_due(_: argparse.Namespace) -> int:
    """Creates today's payment batch of each office of IMAGIN_PAYMENT_AUTO_OFFICES that has
    none yet (payment/scheduled.py): for a systemd timer, safe to run from several servers."""
    from server_stub.payment.scheduled import create_due

    settings = get_settings()
    try:
        run = create_due(make_session_factory(_engine()), settings)
    except ValueError as error:
        sys.stderr.write(f"{error}\n")
        return 2
    if run.waiting:
        log.info("%s", run.waiting)
    for outcome in run.outcomes:
        log.info("%s : %s", outcome.office, outcome.message)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="imagin-server", description="Serveur de référence IMAG'IN")
    commands = root.add_subparsers(dest="command", required=True)

    p = commands.add_parser("serve", help="démarrer le serveur HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--log-level", default="info")
    p.add_argument(
        "--workers", type=int, default=1, help="processus serveurs (un par cœur au plus)"
    )
    p.add_argument(
        "--keep-alive",
        type=int,
        default=KEEP_ALIVE_SECONDS,
        metavar="SECONDES",
        help="durée pendant laquelle une connexion inactive reste ouverte "
        f"(défaut : {KEEP_ALIVE_SECONDS} s)",
    )
    p.set_defaults(run=serve)

    p = commands.add_parser("init-db", help="créer ou mettre à jour le schéma")
    p.set_defaults(run=init_db)

    p = commands.add_parser(
        "demo-data", help="remplacer les données par la session de démonstration"
    )
    p.add_argument("--scale", type=int, default=1, help="multiplier le volume (bancs d'essai)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="ajouter sans effacer l'existant")
    p.add_argument(
        "--force",
        action="store_true",
        help="accepter une base qui contient déjà des données (effacées, sauf avec --keep)",
    )
    p.add_argument("--accounts-file", help="écrire les comptes de démonstration (JSON) ici")
    p.set_defaults(run=demo_data)

    p = commands.add_parser("import", help="importer une session depuis un fichier JSON")
    p.add_argument("file")
    p.set_defaults(run=import_file)

    p = commands.add_parser(
        "create-user", help="créer un compte (mot de passe temporaire affiché une fois)"
    )
    p.add_argument("first_name")
    p.add_argument("last_name")
    p.add_argument(
        "--role",
        default="INTERVENANT",
        choices=["INTERVENANT", "GESTIONNAIRE", "CHEF_CENTRE", "ADMIN"],
    )
    p.add_argument(
        "--office",
        action="append",
        help="service d'un gestionnaire, p. ex. DEC (à répéter pour plusieurs services)",
    )
    p.add_argument(
        "--centre",
        action="append",
        help="code du centre d'un chef de centre (à répéter pour plusieurs centres)",
    )
    p.add_argument("--login", help="identifiant (sinon calculé à partir du nom)")
    p.add_argument("--academic", action="store_true", help="compte académique (interne)")
    p.set_defaults(run=create_user)

    p = commands.add_parser(
        "nir-key", help="tirer une clé de chiffrement des numéros de sécurité sociale"
    )
    p.set_defaults(run=nir_key)

    p = commands.add_parser(
        "collect-documents", help="supprimer les pièces justificatives que plus rien ne cite"
    )
    p.add_argument(
        "--grace", type=int, help="garder celles écrites depuis moins de N secondes (600)"
    )
    p.set_defaults(run=collect_documents)

    p = commands.add_parser("payment", help="paiement : lots créés automatiquement")
    payment = p.add_subparsers(dest="payment_command", required=True)
    due = payment.add_parser(
        "create-due",
        help="créer le lot du jour de chaque service de IMAGIN_PAYMENT_AUTO_OFFICES "
        "(jour ouvré TARGET2, à partir de IMAGIN_PAYMENT_AUTO_TIME)",
    )
    due.set_defaults(run=payment_create_due)
    return root


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
