#!/usr/bin/env python3
"""Check that lib/ includes only downward: a file may include headers of its own stage or of
stages before it, and no two stages (folders) or modules depend on each other in a circle.

usage: check-includes.py [ROOT]   (default: the tree this script is in)

The stages, in order (docs/ARCHITECTURE.md, "Where things are"):

    base < text < catalog < policy < compile < bpf < export < record < api

A file's folder is its stage (lib/policy/load-oci.c is in "policy"); a file outside a stage
folder fails the check, so a new file is given its stage when it is added. Includes of the
library's own headers are path-qualified ("compile/ir.h"), so each names the stage it reaches;
a bare or wrong path fails. The back ends (bpf, export) do not read the policy model
(policy/policy.h) except where BACKEND_READS_MODEL says why. A module is a file's name without
its extension (policy.c and policy.h are the module "policy").

Each finding is printed as FILE:LINE: message; the exit status is 1 if there is any.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

STAGES = ["base", "text", "catalog", "policy", "compile", "bpf", "export", "record", "api"]

# Back-end files that read the policy model, each with the reason it must.
BACKEND_READS_MODEL = {
    "lib/bpf/ref-libseccomp.c": "libseccomp compiles the OCI profile itself, as runc does",
    "lib/bpf/ref-libseccomp.h": "its prototype takes the profile",
    "lib/export/export-toml.c": "TOML output is a model written by the one TOML writer",
    "lib/export/render.h": "renders values for the model that export-toml.c builds",
}
BACKENDS = ("bpf", "export")

# Arrows known to point the wrong way, each with why it is still there. A listed arrow is
# reported as a note, not a failure; one that no longer exists is reported too, so that its
# line can go.
KNOWN = {
    # ("lift.c", "filter.h"): "why it cannot go yet",
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def module(name):
    return os.path.splitext(os.path.basename(name))[0]


def stage_of(rel):
    parts = rel.split(os.sep)
    if len(parts) == 3 and parts[1] in STAGES:
        return parts[1]
    return None


def cycles(edges):
    """Strongly connected components with more than one node (Tarjan's)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    nodes = sorted(set(edges) | {d for ds in edges.values() for d in ds})

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in nodes:
        if v not in index:
            visit(v)
    return out


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, ".."))
    lib = os.path.join(root, "lib")
    rank = {s: i for i, s in enumerate(STAGES)}
    files = {}
    for top, dirs, names in os.walk(lib):
        dirs.sort()
        for n in sorted(names):
            if n.endswith((".c", ".h")):
                rel = os.path.relpath(os.path.join(top, n), root)
                files[rel] = n
    headers = {}
    for rel, n in files.items():
        if n.endswith(".h"):
            headers.setdefault(n, rel)

    problems, notes, used_known = [], [], set()
    stage_edges, module_edges, module_where = {}, {}, {}
    for rel in sorted(files):
        st = stage_of(rel)
        if st is None:
            problems.append(f"{rel}:1: no stage: put it in one of lib/{{{','.join(STAGES)}}}/")
            continue
        with open(os.path.join(root, rel), encoding="utf-8") as fh:
            lines = fh.read().splitlines()
        for no, line in enumerate(lines, 1):
            m = INCLUDE.match(line)
            if not m:
                continue
            inc = os.path.basename(m.group(1))
            target = headers.get(inc)
            if target is None:
                continue  # include/seccompose.h, generated or system headers
            tst = stage_of(target)
            if tst is None:
                continue  # reported for the header itself
            if m.group(1) != os.path.relpath(target, "lib"):
                problems.append(f"{rel}:{no}: include \"{os.path.relpath(target, 'lib')}\", "
                                f"not \"{m.group(1)}\": the path names the stage it reaches")
            if (st in BACKENDS and target == os.path.join("lib", "policy", "policy.h")
                    and rel not in BACKEND_READS_MODEL):
                problems.append(f"{rel}:{no}: a back end ({st}) includes the policy model; it "
                                f"works from the rule set (compile/ir.h)")
            a, b = module(rel), module(target)
            if a != b:
                module_edges.setdefault(a, set()).add(b)
                module_where.setdefault((a, b), f"{rel}:{no}")
            key = (os.path.basename(rel), inc)
            if tst != st and key not in KNOWN:
                stage_edges.setdefault(st, set()).add(tst)
            if rank[tst] > rank[st]:
                if key in KNOWN:
                    used_known.add(key)
                    notes.append(f"{rel}:{no}: note: {st} includes {inc} ({tst}), known: "
                                 f"{KNOWN[key]}")
                else:
                    problems.append(f"{rel}:{no}: {st} file includes {inc}, of the later "
                                    f"stage {tst}")
    for key in sorted(set(KNOWN) - used_known):
        notes.append(f"{os.path.relpath(__file__, root)}:1: note: the known arrow {key[0]} -> "
                     f"{key[1]} is gone: drop it from KNOWN")
    for comp in cycles(stage_edges):
        problems.append(f"lib:1: the stages {', '.join(comp)} include each other in a circle")
    for comp in cycles(module_edges):
        where = [module_where[(a, b)] for a in comp for b in comp if (a, b) in module_where]
        problems.append(f"{where[0] if where else 'lib:1'}: the modules {', '.join(comp)} "
                        f"include each other in a circle ({'; '.join(where)})")
    for n in notes:
        print(n)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
