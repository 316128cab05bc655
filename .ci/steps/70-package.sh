#!/usr/bin/env bash
# Runs compare's end-to-end tests on files made by ImageKit's Python SDK; then builds the .deb
# (scripts/package-deb.sh), installs it with apt as a user would, and checks the installed tool:
# --version, the man page, one image, and bash completion of a file name.
set -euo pipefail
cd "$(dirname "$0")/../.."

echo "-- compare on files written by ImageKit's Python SDK (imagekitio 5.x, no network)"
[ -x .venv-sdk/bin/python ] || python3 -m venv .venv-sdk
.venv-sdk/bin/pip install -q "imagekitio>=5,<6"
.venv-sdk/bin/python TestImages/make-sdk-responses.py TestImages/sdk-responses
swift build --build-tests
swift test --skip-build --filter SDKResponseTests

echo "-- the .deb"
package="$(bash scripts/package-deb.sh)"
dpkg-deb --info "$package" | sed -n 's/^ *\(Depends:.*\)/\1/p'
# Waits for the dpkg lock rather than failing when another apt-get is running.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --reinstall "./$package" >/dev/null
trap 'DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq -o DPkg::Lock::Timeout=600 ikmeta >/dev/null' EXIT

installed=/usr/bin/ikmeta
"$installed" --version
# Written to files first: `man | head` could end man with SIGPIPE, which pipefail would report.
man -P cat ikmeta > /tmp/ikmeta-man.txt 2> /tmp/ikmeta-man.err
head -n 12 /tmp/ikmeta-man.txt
grep -q "NAME" /tmp/ikmeta-man.txt || { echo "man ikmeta printed no NAME section" >&2; exit 1; }
# troff's "can't break line" (a long word such as a path in a help text) is layout, not an error.
if grep -v "can't break line" /tmp/ikmeta-man.err | grep -q .; then
    echo "man ikmeta printed warnings:" >&2; cat /tmp/ikmeta-man.err >&2; exit 1
fi

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
