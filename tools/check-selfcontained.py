#!/usr/bin/env python3
"""Check that the source tree stands on its own and that nothing points -o at /dev/null.

usage: check-selfcontained.py [ROOT]   (default: the tree this script is in)

  - No file outside *.md reaches for data beside the repository (the workplace's shared
    folder, by a relative path, the old environment variable or meson option naming it).
    Data from outside the project is copied into data/third_party/ (its README says what
    and from where); a clone has nothing else.
  - No test or benchmark (tests/, bench/, fuzz/, tools/, Makefile) gives `-o`/`--output`
    /dev/null: a command that writes its output atomically replaces the target by a
    regular file, and as root that destroys /dev/null for the whole machine.

Each finding is printed as FILE:LINE: message; the exit status is 1 if there is any.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Written split so that this file does not find itself.
OUTSIDE = re.compile(r"\.\./" "shared|SC_" "SHARED|shared" "_dir")
DEVNULL_OUT = re.compile(r"(?:-o|--output)(?:\s+|=|['\"],\s*['\"])['\"]?/dev/" r"null\b")
SKIP_DIRS = {".git", "__pycache__"}
COMMENT = ("#", "*", "//", "/*")  # a comment runs nothing: it may name what not to do


def text_files(root):
    for top, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("build")
                         and not (top == root and d == "subprojects"))
        for f in sorted(files):
            path = os.path.join(top, f)
            try:
                with open(path, encoding="utf-8") as fh:
                    yield os.path.relpath(path, root), fh.read().splitlines()
            except (UnicodeDecodeError, OSError):
                continue  # binary or byte-exact test data: nothing to check


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(HERE)
    found = 0
    for rel, lines in text_files(root):
        if rel.startswith(os.path.join("data", "third_party") + os.sep):
            continue  # copied verbatim; not ours to change
        runs_commands = rel.split(os.sep)[0] in ("tests", "bench", "fuzz", "tools") or rel == "Makefile"
        for n, line in enumerate(lines, 1):
            if not rel.endswith(".md") and OUTSIDE.search(line):
                print(f"{rel}:{n}: reads outside the repository: {line.strip()[:120]}")
                print("  hint: copy the data into data/third_party/ (with its licence and provenance) "
                      "and read it from there")
                found += 1
            if runs_commands and not line.lstrip().startswith(COMMENT) and DEVNULL_OUT.search(line):
                print(f"{rel}:{n}: output pointed at /dev/null: {line.strip()[:120]}")
                print("  hint: write into a temporary file (mktemp) instead")
                found += 1
    if found:
        return 1
    print("self-contained: nothing reads outside the tree, no output into /dev/null")
    return 0


if __name__ == "__main__":
    sys.exit(main())
