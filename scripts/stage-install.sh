#!/usr/bin/env bash
# Lays out what an installation of ikmeta holds under ROOT/PREFIX: the release binary, the man
# page and the bash, zsh and fish completions. Used by scripts/install.sh (ROOT empty) and
# scripts/package-deb.sh (ROOT a staging folder, PREFIX /usr).
#   bash scripts/stage-install.sh ROOT PREFIX
set -euo pipefail
cd "$(dirname "$0")/.."
root="$1"
prefix="$2"
bash scripts/install-deps.sh

# The Swift runtime is linked in, so the binary needs only the system's C libraries.
swift build -c release --product ikmeta --static-swift-stdlib >&2
binary=.build/release/ikmeta

# The man page comes from swift-argument-parser's generate-manual plugin. The plugin builds the
# package in the configuration it is given before it reads the tool's help; it is given the debug
# configuration (what `swift build` and the tests use), so that it never rebuilds the release
# binary above with other settings. The page is the same whichever build it reads.
swift package generate-manual --configuration debug >&2
manual=.build/plugins/GenerateManual/outputs/ikmeta/ikmeta.1
[ -s "$manual" ] || { echo "generate-manual wrote no $manual" >&2; exit 1; }

install -d "$root$prefix/bin" "$root$prefix/share/man/man1" \
    "$root$prefix/share/bash-completion/completions" "$root$prefix/share/fish/vendor_completions.d"
install -s -m 0755 "$binary" "$root$prefix/bin/ikmeta"
# The generator leaves blank lines between paragraphs, which mdoc warns about; .Pp is its paragraph break.
sed 's/^$/.Pp/' "$manual" | gzip -9n > "$root$prefix/share/man/man1/ikmeta.1.gz"
chmod 0644 "$root$prefix/share/man/man1/ikmeta.1.gz"

# zsh reads Debian's packaged functions from vendor-completions, local ones from site-functions.
zsh_dir="$prefix/share/zsh/site-functions"
[ "$prefix" = /usr ] && zsh_dir=/usr/share/zsh/vendor-completions
install -d "$root$zsh_dir"
"$binary" --generate-completion-script bash > "$root$prefix/share/bash-completion/completions/ikmeta"
"$binary" --generate-completion-script zsh > "$root$zsh_dir/_ikmeta"
"$binary" --generate-completion-script fish > "$root$prefix/share/fish/vendor_completions.d/ikmeta.fish"
