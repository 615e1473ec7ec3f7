#!/usr/bin/env python3
"""Write docs/groups.md from the group database, data/abstract_syscalls.json.

usage: gen-groups-doc.py [--check] [--file DB] [--output MD]

  --check   regenerate into memory and exit 1 if MD differs (the test suite runs this)

The database's order is its classification: groups are listed by category, and CATEGORIES below names
each category's first group. A group belongs to the category whose first group last precedes it, so a
group added in the middle of a category needs no change here; a new category does.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# (title, first group, what the category is about)
CATEGORIES = [
    ("File access: opening", "open_read",
     "Opening files, refined by the open flags: access mode, creation, truncation, appending."),
    ("File access: data", "read_ops",
     "Reading and writing file contents through descriptors, sizes, syncing, page-cache advice and locks."),
    ("File access: metadata and permissions", "stat_ops",
     "Reading metadata (stat, access, link targets, extended attributes) and changing it (chmod, chown, times)."),
    ("File access: directories and names", "dir_read",
     "Listing directories, the working directory, and creating, removing, linking and renaming names."),
    ("File access: notification and handles", "fs_notify",
     "Watching the filesystem and opening files by handle."),
    ("Network", "socket_inet",
     "Sockets by family and type, the client side (connect) and the server side (bind, listen, accept), sending, "
     "receiving and socket options."),
    ("Message queues and semaphores", "posix_mq",
     "POSIX and System V message queues, System V semaphores."),
    ("Shared memory", "sysv_shm",
     "System V shared memory, memory file descriptors, shared mappings."),
    ("Descriptor operations", "close_ops",
     "Closing, duplicating and controlling descriptors (fcntl by command), waiting for readiness, pipes, event "
     "counters, asynchronous I/O, in-kernel copies."),
    ("Devices and terminals (ioctl)", "ioctl_fd_generic",
     "ioctl by request-code family: generic descriptor requests, terminal queries, terminal control, "
     "pseudo-terminals, and the dangerous terminal requests kept apart."),
    ("Time", "time_read",
     "Reading clocks, sleeping, timers; setting the clock is privileged."),
    ("Process control: processes and threads", "process_create",
     "Creating processes, threads and namespaces (clone by flags), exec, exit, wait, and what threads register "
     "with the kernel."),
    ("Process control: signals", "signal_handlers",
     "Handling, waiting for and sending signals."),
    ("Process control: identity", "id_get",
     "User, group, process, session ids and capabilities: reading them apart from changing them."),
    ("Process control: scheduling and resource limits", "sched_get",
     "Scheduling, priorities and affinity; resource limits and usage."),
    ("Process control: process attributes", "prctl_basic",
     "prctl by option and personality by persona."),
    ("Memory", "memory_allocate",
     "Allocating memory, mapping, protection with and without PROT_EXEC, locking, keys, sealing, NUMA."),
    ("System information", "sysinfo_ops",
     "System identity, random bytes, the mount table."),
    ("Self-sandboxing and security attributes", "seccomp_ops",
     "seccomp, Landlock and LSM attributes of the caller itself."),
    ("Administration and privileged sets", "mount_ops",
     "What needs a capability or widens the kernel's attack surface, in the sets pledge and systemd's "
     "@syscall sets draw, and the obsolete calls."),
    ("Umbrella groups for policies", "stdio_app",
     "Ready-made combinations to build policies from, from a single filter program up to a container baseline."),
]

CATEGORY_HINT = "add the category to CATEGORIES in tools/gen-groups-doc.py"


def load(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return json.loads(text)


def categorise(db):
    """[(title, intro, [group names])] in file order; exits on a category table that does not fit the file."""
    names = list(db)
    starts = []
    for title, first, intro in CATEGORIES:
        if first not in db:
            sys.exit("gen-groups-doc: category '%s' starts at group '%s', which does not exist" % (title, first))
        starts.append(names.index(first))
    if starts[0] != 0:
        sys.exit("gen-groups-doc: the first group, '%s', comes before the first category; %s"
                 % (names[0], CATEGORY_HINT))
    if starts != sorted(starts):
        sys.exit("gen-groups-doc: the categories' first groups are not in the database's order")
    out = []
    for i, (title, _, intro) in enumerate(CATEGORIES):
        end = starts[i + 1] if i + 1 < len(starts) else len(names)
        out.append((title, intro, names[starts[i]:end]))
    return out


def anchor(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def parens(v):
    v = str(v)
    return "(%s)" % v if "|" in v else v


def render_cond(c):
    a, t = c["argument"], c["type"]
    bits = c.get("flags", c.get("value"))
    ops = {"equals": "==", "not_equals": "!=", "less_than": "<", "less_or_equal": "<=",
           "greater_than": ">", "greater_or_equal": ">="}
    if t in ops:
        return "%s %s %s" % (a, ops[t], c["value"])
    if t == "masked_equals":
        return "%s & %s == %s" % (a, parens(c["mask"]), parens(c.get("value", 0)))
    if t == "bitmask_all":
        return "%s has %s%s" % (a, "all of " if "|" in str(bits) else "", bits)
    if t == "bitmask_any":
        return "%s has %s%s" % (a, "any of " if "|" in str(bits) else "", bits)
    if t == "bitmask_none":
        return "%s has %s%s" % (a, "none of " if "|" in str(bits) else "no ", bits)
    if t == "any_of":
        return "%s in {%s}" % (a, ", ".join(str(v) for v in c["values"]))
    if t == "flags_subset":
        return "%s only within %s" % (a, bits)
    return "%s %s %s" % (a, t, bits)


def render_rule(r):
    if "group" in r:
        return "all of [`%s`](#%s)" % (r["group"], r["group"])
    call = r["name"]
    if r.get("conditions"):
        call += "(" + " && ".join(render_cond(c) for c in r["conditions"]) + ")"
    line = "`%s`" % call
    if r.get("description"):
        line += " — " + r["description"]
    return line


def reach(db, g, seen=None):
    seen = set() if seen is None else seen
    if g not in seen:
        seen.add(g)
        for r in db[g]["rules"]:
            if "group" in r:
                reach(db, r["group"], seen)
    return seen


def generate(db, x86_64):
    cats = categorise(db)
    lines = []
    w = lines.append
    w("<!-- Generated by tools/gen-groups-doc.py from data/abstract_syscalls.json; do not edit. -->")
    w("")
    w("# Syscall groups")
    w("")
    w("A policy can name *what* a program does instead of listing syscalls: `[[abstract_syscalls]] names = "
      "[\"stdio_app\", \"open_read\"]` allows every rule of those groups. This page lists the %d groups of "
      "the built-in database, `data/abstract_syscalls.json`. They follow R. Sekar's functional classification "
      "of syscalls (file access, network, message queues, shared memory, descriptor operations, time, process "
      "control, memory, administration), refined with the security distinctions of OpenBSD's pledge promises "
      "(stdio, rpath, wpath, cpath, inet, unix, dns, proc, exec, id, tty) and systemd's `@syscall` sets (mount, "
      "module, reboot, swap, clock, raw I/O, keyring, debug, obsolete…). A group is the union of its rules; a "
      "rule's conditions must all hold; a group named inside another contributes all of its rules. Arguments "
      "are named as the kernel names them, and conditions are written here as C-like tests: `a & M == V` "
      "means (a & M) == V. Seccomp sees only argument registers, never the memory they point to, so calls "
      "whose deciding flags live in a struct (`openat2`, `clone3`) can only be allowed or denied whole; the "
      "refined groups leave them out, and policies built from those should answer them with ENOSYS (errno 38) "
      "so that libraries fall back to the filterable calls. Every one of the %d x86_64 syscalls belongs to at "
      "least one group; the index at the end says which."
      % (len(db), len(x86_64)))
    w("")
    w("## Contents")
    w("")
    for title, _, groups in cats:
        w("- [%s](#%s): %s" % (title, anchor(title), ", ".join("[`%s`](#%s)" % (g, g) for g in groups)))
    w("- [Index of x86_64 syscalls](#index-of-x86_64-syscalls)")
    w("")
    x86 = set(x86_64)
    for title, intro, groups in cats:
        w("## %s" % title)
        w("")
        w(intro)
        w("")
        for g in groups:
            w('<a id="%s"></a>' % g)
            w("")
            w("### `%s`" % g)
            w("")
            w(db[g]["description"])
            w("")
            names = {}
            for gg in reach(db, g):
                for r in db[gg]["rules"]:
                    if "name" in r:
                        names.setdefault(r["name"], []).append(bool(r["conditions"]))
            n_x86 = [n for n in names if n in x86]
            n_cond = [n for n in n_x86 if all(names[n])]
            summary = "%d x86_64 syscall%s" % (len(n_x86), "" if len(n_x86) == 1 else "s")
            if n_cond and len(n_cond) == len(n_x86):
                summary += ", %s with argument conditions" % ("only" if len(n_x86) == 1 else "all only")
            elif n_cond:
                summary += ", %d of them only with argument conditions" % len(n_cond)
            w("Members (%s):" % summary)
            w("")
            for r in db[g]["rules"]:
                w("- " + render_rule(r))
            w("")
    w("## Index of x86_64 syscalls")
    w("")
    w("Each x86_64 syscall and the groups whose own rules name it (an asterisk: only with argument conditions).")
    w("")
    direct = {}
    for g, body in db.items():
        for r in body["rules"]:
            if "name" in r:
                marks = direct.setdefault(r["name"], {})
                marks[g] = marks.get(g, True) and bool(r["conditions"])
    for n in sorted(x86_64):
        groups = direct.get(n, {})
        w("- `%s`: %s" % (n, ", ".join("[`%s`](#%s)%s" % (g, g, "\\*" if c else "")
                                      for g, c in groups.items()) or "(none)"))
    w("")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description="Write docs/groups.md from data/abstract_syscalls.json.")
    ap.add_argument("--check", action="store_true", help="exit 1 if the output file is not up to date")
    ap.add_argument("--file", default=os.path.join(ROOT, "data", "abstract_syscalls.json"))
    ap.add_argument("--output", default=os.path.join(ROOT, "docs", "groups.md"))
    a = ap.parse_args()

    db = load(a.file)
    with open(os.path.join(ROOT, "data", "syscalls", "x86_64.json"), encoding="utf-8") as f:
        x86_64 = [row["name"] for row in json.load(f)]
    text = generate(db, x86_64)
    if a.check:
        try:
            with open(a.output, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("gen-groups-doc: %s is out of date with %s; run tools/gen-groups-doc.py"
                  % (os.path.relpath(a.output), os.path.relpath(a.file)), file=sys.stderr)
            return 1
        print("gen-groups-doc: %s is up to date" % os.path.relpath(a.output))
        return 0
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, a.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
