#!/usr/bin/env bash
# Builds ikmeta_<version>_<arch>.deb in the project folder: the installation of scripts/install.sh
# under /usr, with Depends computed by dpkg-shlibdeps from the libraries the binary links, so the
# package stays right whichever C libraries the reader uses.
#   bash scripts/package-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
stage="$work/stage"
bash scripts/stage-install.sh "$stage" /usr

version="$("$stage/usr/bin/ikmeta" --version | head -n 1 | cut -d ' ' -f 2)"
arch="$(dpkg --print-architecture)"
install -d "$stage/usr/share/doc/ikmeta"
install -m 0644 README.md "$stage/usr/share/doc/ikmeta/README.md"

# dpkg-shlibdeps wants a debian/control beside it; this one exists only for that question.
mkdir -p "$work/debian"
printf 'Source: ikmeta\n\nPackage: ikmeta\nArchitecture: any\n' > "$work/debian/control"
# Its warnings about the staging layout and the toolchain's $ORIGIN run path do not change the answer.
depends="$(cd "$work" && dpkg-shlibdeps -O "stage/usr/bin/ikmeta" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies" >&2; exit 1; }
# libheif is opened with dlopen on first use (README "Performance"), so dpkg-shlibdeps cannot see it.
depends="$depends, libheif1"

install -d "$stage/DEBIAN"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: ikmeta
Version: $version
Architecture: $arch
Maintainer: ikmeta maintainers <ikmeta@localhost>
Depends: $depends
Section: graphics
Priority: optional
Installed-Size: $(du -sk "$stage/usr" | cut -f 1)
Description: ImageKit.io's image metadata, computed offline
 ikmeta prints the JSON object ImageKit.io's metadata API returns for a JPEG
 or PNG image (size, format, colour profile, density, transparency, EXIF and
 the 64-bit pHash), and compares it with a saved response.
CONTROL
package="ikmeta_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$stage" "$package" >&2
echo "$package"
