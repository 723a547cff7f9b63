"""`imagin-server serve | init-db | demo-data | import FILE | create-user`."""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import sys
from pathlib import Path

from sqlalchemy import Engine

from server_stub.core.database import make_engine, make_session_factory, refresh_statistics
from server_stub.core.migrate import upgrade
from server_stub.core.settings import get_settings

log = logging.getLogger("imagin.server")


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
        )
    else:
        uvicorn.run(
            create_app(engine=engine), host=args.host, port=args.port, log_level=args.log_level
        )
    return 0


def init_db(_: argparse.Namespace) -> int:
    engine = _engine()
    log.info("Base de données à jour : %s", engine.url.render_as_string(hide_password=True))
    return 0


def demo_data(args: argparse.Namespace) -> int:
    from server_stub.demo.accounts import listing
    from server_stub.demo.generate import generate

    engine = _engine()
    with make_session_factory(engine).begin() as session:
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
    from server_stub.auth.accounts import create_account

    password = args.password or getpass.getpass("Mot de passe : ")
    factory = make_session_factory(_engine())
    with factory.begin() as session:
        user = create_account(
            session,
            first_name=args.first_name,
            last_name=args.last_name,
            role=args.role,
            password=password,
            login=args.login,
            academic=args.academic,
            temporary=args.temporary,
        )
        log.info("Compte créé : %s (%s)", user.login, user.role)
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
    p.set_defaults(run=serve)

    p = commands.add_parser("init-db", help="créer ou mettre à jour le schéma")
    p.set_defaults(run=init_db)

    p = commands.add_parser(
        "demo-data", help="remplacer les données par la session de démonstration"
    )
    p.add_argument("--scale", type=int, default=1, help="multiplier le volume (bancs d'essai)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="ajouter sans effacer l'existant")
    p.add_argument("--accounts-file", help="écrire les comptes de démonstration (JSON) ici")
    p.set_defaults(run=demo_data)

    p = commands.add_parser("import", help="importer une session depuis un fichier JSON")
    p.add_argument("file")
    p.set_defaults(run=import_file)

    p = commands.add_parser("create-user", help="créer un compte")
    p.add_argument("first_name")
    p.add_argument("last_name")
    p.add_argument(
        "--role",
        default="INTERVENANT",
        choices=["INTERVENANT", "GESTIONNAIRE", "CHEF_CENTRE", "ADMIN"],
    )
    p.add_argument("--login", help="identifiant (sinon calculé à partir du nom)")
    p.add_argument("--password", help="mot de passe (sinon demandé)")
    p.add_argument("--academic", action="store_true", help="compte académique (interne)")
    p.add_argument(
        "--temporary", action="store_true", help="mot de passe à changer à la première connexion"
    )
    p.set_defaults(run=create_user)
    return root


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())
