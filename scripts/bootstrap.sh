#!/usr/bin/env bash
# Sets up what `make run` and `make test` need: the system libraries Qt and the PDF tools load,
# then the virtual environment. Installs system packages when root, otherwise prints the command.
# The Python packages come from the hashed lock requirements/dev.txt (client, server and
# development tools; `make lock` rewrites it), then IMAG'IN itself, editable.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}
cd "$(dirname "$0")/.."

system_packages=(
  # Python and its virtual environments (a bare Debian has neither)
  python3 python3-venv
  # Qt offscreen and on a display (docs/platform.md)
  libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3
  fonts-dejavu-core fontconfig-config
  xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  # PDF to PNG for looking at the recaps; xdg-open for the system viewer
  poppler-utils xdg-utils
  # make package and its smoke test: PyInstaller reads binaries with objdump; a keyboard under Xvfb
  binutils xdotool
  # the directory log-in's tests run a real OpenLDAP server (tests/server_stub/auth/directory.py)
  slapd ldap-utils
)

# Installs the missing ones among "$@" when root; otherwise prints the command and stops.
ensure_packages() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing=() package status
  for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -eq 0 ]]; then
    echo "Installation des bibliothèques système : ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Il manque des bibliothèques système. Installez-les avec :" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
}

ensure_packages "${system_packages[@]}"
# PyInstaller (make package) links the bundle against this Python's shared library: Debian's
# Python has it in a package of its own.
if command -v dpkg-query >/dev/null 2>&1 && command -v "$python" >/dev/null 2>&1 &&
  [[ $("$python" -c 'import sys; print(sys.base_prefix)') == /usr ]]; then
  ensure_packages "libpython$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
fi

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Python 3.11 ou plus récent est requis ($python)." >&2
    exit 1
  }
  "$python" -m venv "$venv"
fi
pip=("$venv/bin/python" -m pip install --quiet --disable-pip-version-check)
"${pip[@]}" --require-hashes -r requirements/pip.txt
"${pip[@]}" --require-hashes -r requirements/dev.txt
# The build backend (setuptools) is in the lock: no unpinned download for the project itself.
# An older setuptools left its metadata in the tree, where it would shadow the installed one.
rm -rf imagin.egg-info
"${pip[@]}" --no-deps --no-build-isolation -e .
"$venv/bin/python" -m pip check --disable-pip-version-check >/dev/null || {
  "$venv/bin/python" -m pip check --disable-pip-version-check >&2
  echo "Les dépendances installées ne correspondent pas à pyproject.toml : lancez make lock." >&2
  exit 1
}
