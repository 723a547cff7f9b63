"""Writes the OpenAPI document the client codes against: `python -m server_stub.openapi FILE`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine

from server_stub.core.settings import Settings
from server_stub.main import create_app


def document() -> dict[str, Any]:
    # No database is touched: the document only describes the routes.
    app = create_app(Settings(database_url="sqlite://"), create_engine("sqlite://"))
    return app.openapi()


def render() -> str:
    return json.dumps(document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0] if args else "docs/openapi.json")
    target.write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
