#!/usr/bin/env bash
# Writes the dependency locks under requirements/ from pyproject.toml: every version pinned, with
# the hashes of every file PyPI serves for it, for every platform (Linux, Windows, macOS) on
# Python 3.11 and later. `make lock` runs it; run it after any change of dependencies, commit the
# result, then `make bootstrap` installs what it pinned.
#
#   dev.txt     client + server + development tools: what `make run`, `make test` and CI use
#   client.txt  the desktop application alone (pip install imagin)
#   server.txt  the reference server (pip install 'imagin[server]')
#   pip.txt     the pip that installs them
#
# The client and server locks are resolved within dev.txt, so the three never disagree.
# `UPGRADE=1 make lock` moves every dependency to its newest allowed version; otherwise the
# versions already locked are kept where pyproject.toml still allows them.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=${UV:-.venv/bin/uv}
common=(--universal --python-version 3.11 --generate-hashes --quiet
  --custom-compile-command "make lock")
[[ "${UPGRADE:-0}" == 1 ]] && common+=(--upgrade)

"$uv" pip compile "${common[@]}" pyproject.toml --extra server --extra dev \
  -o requirements/dev.txt
"$uv" pip compile "${common[@]}" pyproject.toml -c requirements/dev.txt \
  -o requirements/client.txt
"$uv" pip compile "${common[@]}" pyproject.toml --extra server -c requirements/dev.txt \
  -o requirements/server.txt
echo "pip" | "$uv" pip compile "${common[@]}" - -o requirements/pip.txt
echo "Verrous réécrits dans requirements/. Ensuite : make licences, puis committez les verrous et docs/licences.md."
