#!/usr/bin/env bash
# Builds and installs ikmeta under PREFIX (default /usr/local): PREFIX/bin/ikmeta, its man page
# and its bash, zsh and fish completions. Writing to /usr/local needs root (sudo).
#   bash scripts/install.sh [PREFIX]
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
case "$prefix" in /*) ;; *) prefix="$PWD/$prefix" ;; esac
bash scripts/stage-install.sh "" "${prefix%/}"
echo "installed $prefix/bin/ikmeta, man ikmeta, and completions for bash, zsh and fish" >&2
