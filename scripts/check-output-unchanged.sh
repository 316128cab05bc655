#!/usr/bin/env bash
# Checks that two builds of ikmeta print the same bytes for the whole shared corpus, stdout and
# stderr, in each mode: default, --fast, --no-phash and --image-memory 0.
#
#   scripts/check-output-unchanged.sh BASE_REF            base: BASE_REF built in a temporary
#                                                         worktree; new: this tree's release build
#   scripts/check-output-unchanged.sh OLD_BIN NEW_BIN     two ikmeta binaries
#
# Environment: CORPUS (default ../shared/corpus), FILES (default ../shared/corpus-reference/files.txt,
# paths relative to CORPUS), KEEP=1 keeps the outputs (their folder is printed).
# Exit status 0 when every mode matches, 1 when one differs, 2 on a usage or build error.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=$(realpath "${CORPUS:-../shared/corpus}")
files=$(realpath "${FILES:-../shared/corpus-reference/files.txt}")
[ -d "$corpus" ] && [ -f "$files" ] || { echo "no corpus at $corpus or no file list at $files" >&2; exit 2; }

work=$(mktemp -d)
worktree=""
cleanup() {
    if [ -n "$worktree" ]; then git -C "$root" worktree remove --force "$worktree" >/dev/null 2>&1 || true; fi
    if [ "${KEEP:-0}" = 1 ]; then echo "outputs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

build() {  # build DIR: release build of the package in DIR, prints the binary's path
    (cd "$1" && swift build -c release --product ikmeta >&2 && echo "$1/.build/release/ikmeta")
}

case $# in
1)
    git rev-parse --verify --quiet "$1^{commit}" >/dev/null || { echo "unknown ref $1" >&2; exit 2; }
    worktree="$work/base"
    git worktree add --detach "$worktree" "$1" >/dev/null
    old=$(build "$worktree") || exit 2
    new=$(build "$root") || exit 2
    ;;
2)
    old=$(realpath "$1")
    new=$(realpath "$2")
    ;;
*)
    sed -n 2,12p "$0" >&2
    exit 2
    ;;
esac
for bin in "$old" "$new"; do [ -x "$bin" ] || { echo "not an executable: $bin" >&2; exit 2; }; done

status=0
for mode in default fast no-phash image-memory-0; do
    case $mode in
    default) args=() ;;
    fast) args=(--fast) ;;
    no-phash) args=(--no-phash) ;;
    image-memory-0) args=(--image-memory 0) ;;
    esac
    for side in old new; do
        bin=$old
        [ $side = new ] && bin=$new
        # ikmeta exits 1 when some file has an error; the exit code is compared too.
        code=0
        (cd "$corpus" && "$bin" --files-from - -q --jsonl "${args[@]}" <"$files" \
            >"$work/$mode.$side.out" 2>"$work/$mode.$side.err") || code=$?
        echo "$code" >"$work/$mode.$side.code"
    done
    same=1
    for part in out err code; do
        cmp -s "$work/$mode.old.$part" "$work/$mode.new.$part" || {
            same=0
            echo "$mode: $part differs" >&2
        }
    done
    lines=$(wc -l <"$work/$mode.new.out")
    if [ $same = 1 ]; then echo "$mode: identical ($lines objects, stdout, stderr and exit code)"; else status=1; fi
done
exit $status
