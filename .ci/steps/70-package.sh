#!/usr/bin/env bash
# Builds the .deb (scripts/package-deb.sh), installs it with apt as a user would, and checks the
# installed tool: --version, the man page, one image, and bash completion of a file name.
set -euo pipefail
cd "$(dirname "$0")/../.."
package="$(bash scripts/package-deb.sh)"
dpkg-deb --info "$package" | sed -n 's/^ *\(Depends:.*\)/\1/p'
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "./$package" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq ikmeta >/dev/null' EXIT

installed=/usr/bin/ikmeta
"$installed" --version
man -P cat ikmeta | head -n 12 | tee /tmp/ikmeta-man.txt
grep -q "NAME" /tmp/ikmeta-man.txt || { echo "man ikmeta printed no NAME section" >&2; exit 1; }

expected="$(cat TestImages/expected/jfif-300dpi.jpg.json)"
actual="$("$installed" TestImages/jfif-300dpi.jpg)"
[ "$actual" = "$expected" ] || { echo "installed ikmeta: $actual, expected $expected" >&2; exit 1; }
echo "installed ikmeta reads TestImages/jfif-300dpi.jpg as expected"

# The installed bash completion offers image files for `ikmeta phash pho<TAB>`.
folder="$(mktemp -d)"
touch "$folder/photo-1.jpg" "$folder/photo-2.png" "$folder/notes.txt"
completions="$(cd "$folder" && bash -c 'source /usr/share/bash-completion/completions/ikmeta
    COMP_WORDS=(ikmeta phash pho); COMP_CWORD=2; COMP_LINE="ikmeta phash pho"; COMP_POINT=${#COMP_LINE}
    _ikmeta ikmeta pho phash; printf "%s\n" "${COMPREPLY[@]}"' | sort | tr '\n' ' ')"
rm -rf "$folder"
[ "$completions" = "photo-1.jpg photo-2.png " ] || { echo "bash completion of 'ikmeta phash pho': '$completions'" >&2; exit 1; }
echo "bash completion of 'ikmeta phash pho': $completions"
