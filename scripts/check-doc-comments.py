#!/usr/bin/env python3
"""Lists public declarations of the libraries (ImageMetadata, PerceptualHash) that have no `///`
doc comment, and exits 1 when there is any. Enum cases of a public enum count as public.

    python3 scripts/check-doc-comments.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LIBRARIES = ["ImageMetadata", "PerceptualHash"]
DECLARATION = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:public|open)\s+(?!import)")
PUBLIC_ENUM = re.compile(r"^\s*public\s+(?:indirect\s+)?enum\s+\w+")
CASE = re.compile(r"^\s*case\s+\w")


def documented(lines, index):
    """Whether the declaration at `index` has a `///` comment above it (attributes may sit between)."""
    i = index - 1
    while i >= 0 and lines[i].strip().startswith("@"):
        i -= 1
    return i >= 0 and lines[i].strip().startswith("///")


def missing_in(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    enum_depth = None  # brace depth at which the current public enum's cases sit
    depth = 0
    for index, line in enumerate(lines):
        code = line.split("//")[0]
        if DECLARATION.match(code) and not documented(lines, index):
            out.append((index + 1, line.strip()))
        elif enum_depth is not None and depth == enum_depth and CASE.match(code) and not documented(lines, index):
            out.append((index + 1, line.strip()))
        if PUBLIC_ENUM.match(code):
            enum_depth = depth + 1
        depth += code.count("{") - code.count("}")
        if enum_depth is not None and depth < enum_depth:
            enum_depth = None
    return out


def main():
    count = 0
    for library in LIBRARIES:
        for path in sorted((ROOT / "Sources" / library).rglob("*.swift")):
            for number, text in missing_in(path):
                print(f"{path.relative_to(ROOT)}:{number}: no doc comment: {text}")
                count += 1
    print(f"{count} public declarations without a doc comment")
    sys.exit(1 if count else 0)


if __name__ == "__main__":
    main()
