"""`imagin-server`: the command line, or what to install when the server's libraries are missing.

The desktop client installs without them (`pip install imagin`); the server needs the `server`
extra (`pip install 'imagin[server]'`). Only the standard library is imported here.
"""

from __future__ import annotations

import sys

INSTALL_SERVER = (
    "Les bibliothèques du serveur IMAG'IN ne sont pas installées ({module} manque). "
    "Installez-les avec la commande : pip install 'imagin[server]'"
)


def main(argv: list[str] | None = None) -> int:
    try:
        from server_stub.cli import main as run
    except ModuleNotFoundError as error:
        if error.name is None or error.name.split(".")[0] in {"server_stub", "client"}:
            raise
        sys.stderr.write(INSTALL_SERVER.format(module=error.name) + "\n")
        return 2
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
