#!/usr/bin/env bash
# Builds a .deb of the PyInstaller bundle: packaging/linux/build-deb.sh VERSION
set -euo pipefail
version=${1:?version}
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
.venv/bin/pip install --quiet pyinstaller
.venv/bin/pyinstaller --noconfirm --distpath build/dist --workpath build/work packaging/imagin.spec
stage=build/deb/imagin_${version}
rm -rf "$stage"
install -d "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications"
cp -r build/dist/imagin "$stage/opt/imagin"
ln -s /opt/imagin/imagin "$stage/usr/bin/imagin"
install -m 644 packaging/linux/imagin.desktop "$stage/usr/share/applications/"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: imagin
Version: ${version}
Architecture: amd64
Maintainer: Académie d'Amiens, DSI <dsi@ac-amiens.fr>
Depends: libgl1, libegl1, libxkbcommon-x11-0, libxcb-cursor0, fonts-dejavu-core
Description: IMAG'IN - états de frais des jurys d'examens
CONTROL
dpkg-deb --build --root-owner-group "$stage"
