#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages ikmeta builds against, when any is missing.
# Needs root or sudo only when something has to be installed.
set -euo pipefail
# libjpeg-turbo-progs and webp: cjpeg and cwebp, with which scripts/check-memory.py makes its large
# JPEGs and WebP.
# openjdk-17-jre-headless: Java for the Spark job's local-mode check (.ci/steps/60-spark.sh).
# libheif-dev: Debian 12's libheif1 (1.15) links its HEVC (libde265) and AV1 (dav1d, aom) decoders
# directly; later releases ship them as libheif-plugin-* packages, which decoding then needs too.
packages=(pkg-config libexif-dev libjpeg-dev libpng-dev liblcms2-dev libgif-dev libwebp-dev libtiff-dev libheif-dev
          zlib1g-dev libjpeg-turbo-progs webp openjdk-17-jre-headless)
# libcurl4: loaded by `ikmeta verify` when it runs (dlopen), so no build needs it.
# dpkg-dev: dpkg-shlibdeps for scripts/package-deb.sh; man-db: `man ikmeta` in CI's package check.
packages+=(libcurl4 dpkg-dev man-db)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
