#!/usr/bin/env bash
# make package: the desktop client as a PyInstaller one-folder bundle, a Debian package and a
# tarball, in OUT (dist/ by default):
#
#   OUT/imagin/                              the bundle (run OUT/imagin/imagin)
#   OUT/imagin-VERSION-linux-ARCH.tar.gz     the bundle, its menu entry and icon
#   OUT/imagin_VERSION_ARCH.deb              installs /opt/imagin, /usr/bin/imagin, the menu
#                                            entry, the icon, and the system libraries Qt loads
#
# The server is not bundled. Build from the virtual environment of make bootstrap (PyInstaller
# and everything the client imports come from the hashed lock).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)
python=${PYTHON:-$root/.venv/bin/python}
work=$(mktemp -d "${TMPDIR:-/tmp}/imagin-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$root"

version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
started=$SECONDS

# --- the bundle -------------------------------------------------------------------------------
"$python" scripts/licences.py --check docs/licences.md
"$python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$out" --workpath "$work/pyinstaller" packaging/imagin.spec
bundle="$out/imagin"
# The icon beside the executable, as PNG for the menus that do not read SVG.
QT_QPA_PLATFORM=offscreen "$python" packaging/render_icon.py \
  client/resources/icons/imagin.svg "$work/imagin.png" 256
echo "bundle: $(du -sh "$bundle" | cut -f1) in $((SECONDS - started)) s"

# --- the tarball ------------------------------------------------------------------------------
stage="$work/imagin-$version"
mkdir -p "$stage/share/applications" "$stage/share/icons/hicolor/scalable/apps" \
  "$stage/share/icons/hicolor/256x256/apps"
cp -a "$bundle" "$stage/imagin"
install -m 644 packaging/linux/imagin.desktop "$stage/share/applications/"
install -m 644 client/resources/icons/imagin.svg "$stage/share/icons/hicolor/scalable/apps/"
install -m 644 "$work/imagin.png" "$stage/share/icons/hicolor/256x256/apps/"
install -m 644 packaging/linux/README-tarball.txt "$stage/LISEZMOI.txt"
tarball="$out/imagin-$version-linux-$(uname -m).tar.gz"
tar -C "$work" --owner=0 --group=0 --numeric-owner -cf - "imagin-$version" | gzip -5 >"$tarball"
echo "tarball: $(du -h "$tarball" | cut -f1) at $((SECONDS - started)) s"

# --- the Debian package -----------------------------------------------------------------------
deb="$work/deb"
install -d "$deb/DEBIAN" "$deb/opt" "$deb/usr/bin" "$deb/usr/share/applications" \
  "$deb/usr/share/icons/hicolor/scalable/apps" "$deb/usr/share/icons/hicolor/256x256/apps" \
  "$deb/usr/share/doc/imagin"
cp -a "$bundle" "$deb/opt/imagin"
ln -s /opt/imagin/imagin "$deb/usr/bin/imagin"
install -m 644 packaging/linux/imagin.desktop "$deb/usr/share/applications/"
install -m 644 client/resources/icons/imagin.svg "$deb/usr/share/icons/hicolor/scalable/apps/"
install -m 644 "$work/imagin.png" "$deb/usr/share/icons/hicolor/256x256/apps/"
install -m 644 packaging/linux/copyright "$deb/usr/share/doc/imagin/copyright"
install -m 644 docs/licences.md "$deb/usr/share/doc/imagin/licences.md"
size=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  packaging/linux/control.in >"$deb/DEBIAN/control"
install -m 755 packaging/linux/postinst packaging/linux/postrm "$deb/DEBIAN/"
# Files 644, folders and executables 755, whatever the umask of the build.
find "$deb" -path "$deb/DEBIAN" -prune -o -type d -exec chmod 755 {} +
find "$deb/opt" -type f ! -perm -u+x -exec chmod 644 {} +
find "$deb/opt" -type f -perm -u+x -exec chmod 755 {} +
package="$out/imagin_${version}_${arch}.deb"
# zstd: a tenth of xz's build time for a few more megabytes (dpkg 1.21.18+: Debian 12, Ubuntu 22.04).
dpkg-deb --root-owner-group -Zzstd --build "$deb" "$package" >/dev/null
echo "deb: $(du -h "$package" | cut -f1) at $((SECONDS - started)) s"
echo "make package: $((SECONDS - started)) s"
