#!/usr/bin/env python3
"""Regenerate checked-in tables into a temporary tree and fail on any difference.

usage: check-generated.py syscalls|constants|prototypes
  syscalls    tools/gen-syscalls.py   (reads data/third_party/kernel)
  constants   tools/gen-constants.py  (needs the C compiler and linux-libc-dev)
  prototypes  tools/gen-prototypes.py and tools/gen-arg-widths.py (need the Linux 6.12
              source: tools/kernel-source.sh; exits 77, meson's "skipped", when it cannot be had)
"""
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# What each generator writes, relative to the tree root.
OUTPUTS = {
    "syscalls": ["data/gen/arches.c", "data/gen/syscalls.c", "data/syscalls.json", "data/syscalls"],
    "constants": ["data/gen/constants.c"],
    "prototypes": ["data/syscall-prototypes.txt", "data/syscall-arg-widths.txt"],
}


def compare(a, b, diffs):
    if os.path.isdir(a):
        names = sorted(set(os.listdir(a)) | set(os.listdir(b) if os.path.isdir(b) else []))
        for n in names:
            compare(os.path.join(a, n), os.path.join(b, n), diffs)
    elif not os.path.exists(b) or not filecmp.cmp(a, b, shallow=False):
        diffs.append(os.path.relpath(a, ROOT))


def main():
    what = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        if what == "syscalls":
            cmd = [sys.executable, os.path.join(HERE, "gen-syscalls.py"), "--output", tmp]
        elif what == "constants":
            cmd = [sys.executable, os.path.join(HERE, "gen-constants.py"), "--output", os.path.join(tmp, "data", "gen")]
        elif what == "prototypes":
            try:
                src = subprocess.check_output([os.path.join(HERE, "kernel-source.sh")], text=True).strip()
            except subprocess.CalledProcessError:
                print("SKIP: the Linux 6.12 source is not available")
                return 77
            cmd = [sys.executable, os.path.join(HERE, "gen-prototypes.py"), "--source", src,
                   "--output", os.path.join(tmp, "data", "syscall-prototypes.txt")]
            os.makedirs(os.path.join(tmp, "data"))
        else:
            print(__doc__, file=sys.stderr)
            return 2
        subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL if what == "prototypes" else None)
        if what == "prototypes":
            subprocess.run([sys.executable, os.path.join(HERE, "gen-arg-widths.py"), "--source", src,
                            "--output", os.path.join(tmp, "data", "syscall-arg-widths.txt")], check=True)
        diffs = []
        for rel in OUTPUTS[what]:
            compare(os.path.join(ROOT, rel), os.path.join(tmp, rel), diffs)
        if diffs:
            for d in diffs:
                print(f"STALE {d}: differs from what the generator writes now")
            print(f"hint: run 'make regen' and commit the result")
            return 1
        print(f"{what}: generated files are up to date")
        return 0


if __name__ == "__main__":
    sys.exit(main())
