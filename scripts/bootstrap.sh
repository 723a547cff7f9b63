#!/usr/bin/env bash
# Sets up what `make run` and `make test` need: the system libraries Qt and the PDF tools load,
# then the virtual environment. Installs system packages when root, otherwise prints the command.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

system_packages=(
  # Qt offscreen and on a display (docs/platform.md)
  libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 libdbus-1-3
  fonts-dejavu-core fontconfig-config
  xvfb xauth libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
  libxcb-render-util0 libxcb-shape0 libxcb-xkb1
  # PDF to PNG for looking at the recaps; xdg-open for the system viewer
  poppler-utils xdg-utils
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${system_packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
  done
fi

if ((${#missing[@]})); then
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
fi

if [[ ! -x "$venv/bin/python" ]]; then
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "Python 3.11 ou plus récent est requis ($python)." >&2
    exit 1
  }
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet -e '.[dev]'
