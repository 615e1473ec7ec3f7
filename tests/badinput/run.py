#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The bad-input corpus against every command.

Each malformed input (tests/badinput/{policy,groups,falco}/, words.txt, and the big ones that
gen.py writes at test time) is given to every command that reads that kind of input. Each run
must: exit non-zero (not by a signal, not by the time bound), print a diagnostic (`error:`),
print nothing to standard output, create no -o file, keep every stderr line to a line's
worth, and leave no sanitizer report. Ends with `N passed, N failed`.

  SC_BADINPUT_TIMEOUT  CPU seconds per run (default 10; tripled in a sanitizer build). The
                       bound is on CPU time, which a machine shared with others does not
                       stretch; a run is killed after twelve times as long in wall-clock time.
meson's MALLOC_PERTURB_ is taken out of the runs' environment: it fills every allocation,
which multiplies the CPU time of the big inputs without telling anything about them.
  SC_BADINPUT_ONLY     a substring: only inputs whose path contains it
"""
import glob
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
EXE = os.environ.get("SECCOMPOSE", "seccompose")
BUILD = os.environ.get("SC_BUILD_ROOT", "")
MAX_LINE = 1024      # bytes in one stderr line: a line's worth, with file name and prefix
MAX_STDERR = 256 << 10


def sanitized():
    try:
        with open(os.path.join(BUILD, "meson-info", "intro-buildoptions.json")) as f:
            opts = json.load(f)
        return any(o["name"] == "b_sanitize" and o["value"] not in ("none", "")
                   for o in opts)
    except (OSError, ValueError, KeyError):
        return False


TIMEOUT = float(os.environ.get("SC_BADINPUT_TIMEOUT", "10")) * (3 if sanitized() else 1)
results = {"pass": 0, "fail": 0}


def commands(kind, path, out):
    """(label, argv) for every command that reads this kind of input."""
    ok = os.path.join(HERE, "ok.toml")
    if kind == "policy":
        yield "compile", ["compile", path, "-o", out]
        yield "compile-oci", ["compile", "--format", "oci", path, "-o", out]
        yield "check", ["check", path, "read", "0"]
        yield "explain", ["explain", path]
        yield "run", ["run", "-p", path, "--", "true"]
        yield "merge", ["merge", path, ok, "-o", out]
    elif kind == "groups":
        yield "groups", ["groups", "--groups", path, "top"]
        yield "compile", ["compile", "--groups", path, os.path.join(HERE, "uses-top.toml"),
                          "-o", out]
        yield "explain", ["explain", "--groups", path, os.path.join(HERE, "uses-top.toml")]
    elif kind == "falco":
        # *.oci.jsonl: a valid recording that only its OCI export must refuse.
        if not path.endswith(".oci.jsonl"):
            yield "record", ["record", "--from-falco", path, "-o", out]
        yield "record-oci", ["record", "--from-falco", path, "--format", "oci", "-o", out]
    elif kind == "word":
        yield "syscalls", ["syscalls", "--", path]
        yield "constants", ["constants", "--for", "ioctl:cmd", "--", path]
        # A number that fits 64 bits ("-1") is a valid argument: not bad input for check.
        if not re.fullmatch(r"-?(0x[0-9a-fA-F]{1,16}|[0-9]{1,19})", path):
            yield "check", ["check", ok, "--", "read", path]


def run_one(name, label, argv, out):
    if os.path.exists(out):
        os.unlink(out)
    env = dict(os.environ)
    env.pop("MALLOC_PERTURB_", None)
    # LeakSanitizer reports as an error exit; keep its report on stderr, where we look.
    env.setdefault("ASAN_OPTIONS", "halt_on_error=1:detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    t0 = time.monotonic()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        p = subprocess.run([EXE] + argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=12 * TIMEOUT, env=env)
        rc, so, se = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        rc, so, se = None, e.stdout or b"", e.stderr or b""
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    dt = time.monotonic() - t0
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    problems = []
    if rc is None:
        problems.append("no answer within %.0f s" % (12 * TIMEOUT))
    elif cpu > TIMEOUT:
        problems.append("%.1f CPU seconds, over %.0f" % (cpu, TIMEOUT))
    elif rc < 0:
        problems.append("killed by signal %d" % -rc)
    elif rc == 0:
        problems.append("exit 0 on bad input")
    if b"Sanitizer" in se or b"runtime error:" in se:
        problems.append("sanitizer report")
    if rc and b"error:" not in se:
        problems.append("no diagnostic ('error:') on stderr")
    if so:
        problems.append("%d bytes on stdout" % len(so))
    if os.path.exists(out):
        problems.append("-o file written")
        os.unlink(out)
    if len(se) > MAX_STDERR:
        problems.append("%d bytes on stderr" % len(se))
    longest = max((len(line) for line in se.split(b"\n")), default=0)
    if longest > MAX_LINE:
        problems.append("a stderr line of %d bytes" % longest)
    status = "ok" if not problems else "not ok"
    print("%s %s %s (%.1f s, %.1f s CPU, exit %s)%s" % (status, name, label, dt, cpu, rc,
                                               "" if not problems else ": " + "; ".join(problems)))
    if problems:
        tail = se.decode("utf-8", "replace")[-1500:]
        print("  | " + tail.replace("\n", "\n  | "))
        results["fail"] += 1
    else:
        results["pass"] += 1


def main():
    only = os.environ.get("SC_BADINPUT_ONLY", "")
    tmp = tempfile.mkdtemp(prefix="sc-badinput-")
    out = os.path.join(tmp, "out")
    gen_dir = os.path.join(tmp, "gen")
    subprocess.run([sys.executable, os.path.join(HERE, "gen.py"), gen_dir], check=True)
    inputs = []
    for base in (HERE, gen_dir):
        for kind in ("policy", "groups", "falco"):
            for path in sorted(glob.glob(os.path.join(base, kind, "*"))):
                inputs.append((kind, path, os.path.relpath(path, base)))
    for path in sorted(glob.glob(os.path.join(gen_dir, "words", "*"))):
        with open(path) as f:
            inputs.append(("word", f.read(), "words/" + os.path.basename(path)))
    with open(os.path.join(HERE, "words.txt")) as f:
        for i, w in enumerate(f.read().split("\n")[:-1]):
            inputs.append(("word", w, "words.txt:%d" % (i + 1)))
    for kind, path, name in inputs:
        if only and only not in name:
            continue
        for label, argv in commands(kind, path, out):
            run_one(name, label, argv, out)
    for f in glob.glob(os.path.join(gen_dir, "*", "*")):
        os.unlink(f)
    subprocess.run(["rm", "-rf", tmp])
    print("%d passed, %d failed" % (results["pass"], results["fail"]))
    return 1 if results["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
