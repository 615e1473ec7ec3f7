#!/usr/bin/env python3
"""Check the group database, data/abstract_syscalls.json.

usage: check-groups.py [--kernel DIR] [--file FILE] [--constants FILE] [--list-constants]

What it checks (each failure is printed as FILE:LINE: message; the exit status is 1 if any):
  - the file is JSON in the seed's format: an object of groups, each { "description", "rules" }, each rule
    either { "name": SYSCALL, "conditions": [...] } or { "group": NAME }, no duplicate keys anywhere;
  - group names are lowercase snake_case and each group has a non-empty description;
  - every rule names a syscall of at least one architecture (data/syscalls/*.json) or an existing group,
    and group references have no cycles;
  - every condition has a known type and the fields that type needs, names an argument the syscall has
    (DIR/syscall-signatures.txt, data/syscall-prototypes.txt, data/syscall-extra-signatures.txt),
    tests a pointer argument only against 0 (NULL), and every rule with conditions says why in a
    "description";
  - values are integers, integer strings or constant names (A|B of them); constant names look like
    constants and, when data/gen/constants.c exists, are among the names it contains;
  - every x86_64 syscall (data/syscalls/x86_64.json) is named by at least one rule;
  - the groups the project documents (the seed's examples and the umbrella groups) exist, and
    default_safe reaches nothing that the privileged, obsolete and other excluded groups name unconditionally.

DIR defaults to data/third_party/kernel in this source tree.
"""
import argparse
import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

COND_TYPES = {
    # type: (required keys, optional keys); "bits" means exactly one of flags / value
    "equals": ({"value"}, set()),
    "not_equals": ({"value"}, set()),
    "less_than": ({"value"}, set()),
    "less_or_equal": ({"value"}, set()),
    "greater_than": ({"value"}, set()),
    "greater_or_equal": ({"value"}, set()),
    "masked_equals": ({"mask", "value"}, set()),
    "bitmask_all": ({"bits"}, set()),
    "bitmask_any": ({"bits"}, set()),
    "bitmask_none": ({"bits"}, set()),
    "any_of": ({"values"}, set()),
    "flags_subset": ({"bits"}, set()),
}
COND_KEYS = {"type", "argument", "value", "mask", "flags", "values", "description", "comment"}
MAX_ANY_OF = 64  # lib/policy/groups.c takes at most 64 values

GROUP_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
CONSTANT = re.compile(r"^[A-Z_][A-Z0-9_]*$")
INTEGER = re.compile(r"^-?(0[xX][0-9a-fA-F]+|[0-9]+)$")

# Groups that the seed documents and the project's docs promise.
REQUIRED = [
    "stdio_app", "open_read", "close_ops", "chmod_ops", "socket_inet", "memory_allocate", "exit_ops",
    "open_any", "basic_io", "file_read_only", "file_write", "network_client", "network_server", "dns_client",
    "process_spawn", "threads_create", "signals", "time_read", "default_safe", "obsolete", "privileged",
]
# default_safe must not reach these groups, nor (outside the "whole syscall" groups, which are supersets
# of the refined ones it uses) any syscall they allow unconditionally.
EXCLUDED_FROM_DEFAULT = ["privileged", "obsolete", "debug", "cpu_emulation", "io_uring", "userfaultfd_ops",
                         "clock_set", "namespaces", "clone3_ops", "tty_ioctl_dangerous", "prctl_privileged",
                         "lsm_attrs", "memory_failure"]
WHOLE_SYSCALL_GROUPS = ["personality_any", "madvise_any", "arch_prctl_any", "ioctl_any", "prctl_any"]
DEFAULT_GROUP = "default_safe"


class Checker:
    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.errors = []

    def line_of(self, group=None):
        if group is not None:
            m = re.search(r'^\s*' + re.escape(json.dumps(group)) + r'\s*:', self.text, re.M)
            if m:
                return self.text.count("\n", 0, m.start()) + 1
        return 1

    def error(self, msg, group=None):
        self.errors.append("%s:%d: %s" % (os.path.relpath(self.path), self.line_of(group), msg))


def no_duplicates(pairs):
    seen = {}
    for k, v in pairs:
        if k in seen:
            raise ValueError("duplicate key %s" % json.dumps(k))
        seen[k] = v
    return seen


def read_signatures(path):
    """name -> {parameter name: C type}, from a name<TAB>type name; ... file."""
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            params = {}
            for p in (cols[1] if len(cols) > 1 else "").split(";"):
                p = p.strip()
                if p:
                    m = re.match(r"^(.*?)([A-Za-z_][A-Za-z0-9_]*)$", p)
                    if m:
                        params[m.group(2)] = m.group(1).strip()
            out.setdefault(cols[0], {}).update(params)
    return out


def load_catalog(kernel):
    syscalls = set()      # every name on any architecture
    entries = {}          # name -> entry points (sys_newstat for stat, …)
    x86_64 = []
    files = sorted(glob.glob(os.path.join(ROOT, "data", "syscalls", "*.json")))
    if not files:
        sys.exit("check-groups: no syscall tables in %s" % os.path.join(ROOT, "data", "syscalls"))
    for f in files:
        with open(f, encoding="utf-8") as fh:
            table = json.load(fh)
        for row in table:
            syscalls.add(row["name"])
            if row.get("entry_point"):
                entries.setdefault(row["name"], set()).add(row["entry_point"])
        if os.path.basename(f) == "x86_64.json":
            x86_64 = [row["name"] for row in table]
    if not x86_64:
        sys.exit("check-groups: data/syscalls/x86_64.json is missing")
    tracepoints = os.path.join(kernel, "syscall-signatures.txt")
    if not os.path.exists(tracepoints):
        sys.exit("check-groups: %s not found (use --kernel DIR)" % tracepoints)
    tp = read_signatures(tracepoints)
    proto = read_signatures(os.path.join(ROOT, "data", "syscall-prototypes.txt"))
    proto.update(read_signatures(os.path.join(ROOT, "data", "syscall-extra-signatures.txt")))

    def args_of(name):
        """{parameter name: C type} from every source that knows the syscall."""
        params = {}
        for key in sorted({"sys_" + name} | entries.get(name, set())):
            params.update(proto.get(key, {}))
        params.update(tp.get(name, {}))
        return params
    return syscalls, x86_64, args_of


def load_constants(path):
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        return set(re.findall(r'"([A-Z_][A-Z0-9_]*)(?:\\0)?"', f.read()))  # the string pool


def value_parts(v):
    """The constant names in a value, or None if the value is malformed."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return []
    if not isinstance(v, str) or not v.strip():
        return None
    names = []
    for part in v.split("|"):
        part = part.strip()
        if INTEGER.match(part):
            continue
        if not CONSTANT.match(part) or not re.search(r"[A-Z]", part):
            return None
        names.append(part)
    return names


def check(db, c, syscalls, x86_64, args_of, constants):
    used_constants = set()

    def check_value(where, group, v):
        parts = value_parts(v)
        if parts is None:
            c.error("%s: %s is neither an integer nor a constant name (like O_RDONLY or A|B)"
                    % (where, json.dumps(v)), group)
            return
        for p in parts:
            used_constants.add(p)
            if constants is not None and p not in constants:
                c.error("%s: constant %s is not in data/gen/constants.c" % (where, p), group)

    if not isinstance(db, dict) or not db:
        c.error("expected a non-empty object of groups, { \"name\": { \"description\": …, \"rules\": […] } }")
        return used_constants
    for gname, g in db.items():
        if not GROUP_NAME.match(gname):
            c.error("group name '%s' is not lowercase snake_case" % gname, gname)
        if not isinstance(g, dict):
            c.error("group '%s': expected an object with 'description' and 'rules'" % gname, gname)
            continue
        for k in g:
            if k not in ("description", "rules"):
                c.error("group '%s': unknown key '%s'" % (gname, k), gname)
        d = g.get("description")
        if not isinstance(d, str) or not d.strip():
            c.error("group '%s' has no description" % gname, gname)
        rules = g.get("rules")
        if not isinstance(rules, list) or not rules:
            c.error("group '%s': expected a non-empty 'rules' list" % gname, gname)
            continue
        for i, r in enumerate(rules):
            where = "group '%s': rule %d" % (gname, i)
            if not isinstance(r, dict):
                c.error("%s: expected an object" % where, gname)
                continue
            if "group" in r:
                extra = set(r) - {"group", "description", "comment"}
                if extra:
                    c.error("%s: a group reference takes no %s" % (where, ", ".join(sorted(extra))), gname)
                if not isinstance(r["group"], str) or r["group"] not in db:
                    c.error("%s: unknown group %s" % (where, json.dumps(r["group"])), gname)
                continue
            name = r.get("name")
            extra = set(r) - {"name", "conditions", "description", "comment"}
            if extra:
                c.error("%s: unknown key(s) %s" % (where, ", ".join(sorted(extra))), gname)
            if not isinstance(name, str):
                c.error("%s: needs a 'name' (a syscall) or a 'group'" % where, gname)
                continue
            where = "group '%s': rule %d (%s)" % (gname, i, name)
            if name not in syscalls:
                c.error("%s: '%s' is not a syscall on any architecture" % (where, name), gname)
            conds = r.get("conditions")
            if not isinstance(conds, list):
                c.error("%s: expected a 'conditions' list ([] for none)" % where, gname)
                continue
            if conds and not (isinstance(r.get("description"), str) and r["description"].strip()):
                c.error("%s: a rule with conditions must say why in a 'description'" % where, gname)
            known_args = args_of(name)
            for k, cond in enumerate(conds):
                cw = "%s: condition %d" % (where, k)
                if not isinstance(cond, dict):
                    c.error("%s: expected an object" % cw, gname)
                    continue
                for key in cond:
                    if key not in COND_KEYS:
                        hint = " (name the argument as the kernel does instead)" if key in ("index", "op") else ""
                        c.error("%s: unknown key '%s'%s" % (cw, key, hint), gname)
                t = cond.get("type")
                if t not in COND_TYPES:
                    c.error("%s: unknown condition type %s; expected one of %s"
                            % (cw, json.dumps(t), ", ".join(COND_TYPES)), gname)
                    continue
                arg = cond.get("argument")
                if not isinstance(arg, str):
                    c.error("%s: needs an 'argument' (the kernel's parameter name)" % cw, gname)
                elif arg not in known_args:
                    c.error("%s: %s has no argument '%s' (it has: %s)"
                            % (cw, name, arg, ", ".join(sorted(known_args)) or "none"), gname)
                elif "*" in known_args[arg] and not (t in ("equals", "not_equals")
                                                     and str(cond.get("value")) in ("0", "NULL")):
                    c.error("%s: '%s' is a pointer (%s); the only meaningful test is == 0 or != 0 (NULL)"
                            % (cw, arg, known_args[arg]), gname)
                required, _ = COND_TYPES[t]
                for key in required:
                    if key == "bits":
                        if ("flags" in cond) == ("value" in cond):
                            c.error("%s: %s needs the bits in exactly one of 'flags' or 'value'" % (cw, t), gname)
                    elif key not in cond:
                        c.error("%s: %s needs '%s'" % (cw, t, key), gname)
                allowed = set(required) | {"type", "argument", "description", "comment"}
                if "bits" in required:
                    allowed |= {"flags", "value"}
                for key in ("value", "mask", "flags", "values"):
                    if key in cond and key not in allowed:
                        c.error("%s: %s takes no '%s'" % (cw, t, key), gname)
                for key in ("value", "mask", "flags"):
                    if key in cond:
                        check_value(cw, gname, cond[key])
                if "values" in cond:
                    vs = cond["values"]
                    if not isinstance(vs, list) or not vs or len(vs) > MAX_ANY_OF:
                        c.error("%s: 'values' must be a list of 1 to %d values" % (cw, MAX_ANY_OF), gname)
                    else:
                        for v in vs:
                            check_value(cw, gname, v)
                        if len(set(map(str, vs))) != len(vs):
                            c.error("%s: 'values' lists a value twice" % cw, gname)

    # Cycles (depth-first, three colours).
    state = {}

    def visit(g, stack):
        state[g] = 1
        for r in db[g].get("rules", []) if isinstance(db[g], dict) else []:
            ref = r.get("group") if isinstance(r, dict) else None
            if not isinstance(ref, str) or ref not in db:
                continue
            if state.get(ref) == 1:
                cyc = stack[stack.index(ref):] + [ref]
                c.error("group reference cycle: %s" % " -> ".join(cyc), g)
            elif ref not in state:
                visit(ref, stack + [ref])
        state[g] = 2
    for g in db:
        if g not in state:
            visit(g, [g])

    # Coverage of x86_64.
    named = {r["name"] for g in db.values() if isinstance(g, dict)
             for r in g.get("rules", []) if isinstance(r, dict) and isinstance(r.get("name"), str)}
    uncovered = [n for n in x86_64 if n not in named]
    if uncovered:
        c.error("%d x86_64 syscall(s) belong to no group: %s" % (len(uncovered), " ".join(uncovered)))

    for g in REQUIRED:
        if g not in db:
            c.error("required group '%s' is missing" % g)

    if not c.errors and DEFAULT_GROUP in db:
        check_default(db, c)
    return used_constants


def closure(db, g, seen=None):
    """Groups reachable from g (g included)."""
    seen = set() if seen is None else seen
    if g in seen or g not in db:
        return seen
    seen.add(g)
    for r in db[g]["rules"]:
        if "group" in r:
            closure(db, r["group"], seen)
    return seen


def rules_of(db, groups):
    return [r for g in groups for r in db[g]["rules"] if "name" in r]


def check_default(db, c):
    reach = closure(db, DEFAULT_GROUP)
    for bad in EXCLUDED_FROM_DEFAULT + WHOLE_SYSCALL_GROUPS:
        if bad in reach:
            c.error("%s reaches group '%s', which it must not" % (DEFAULT_GROUP, bad), DEFAULT_GROUP)
    excluded = set()
    for bad in EXCLUDED_FROM_DEFAULT:
        if bad in db:
            excluded |= closure(db, bad)
    excl_rules = rules_of(db, excluded)
    excl_uncond = {r["name"] for r in excl_rules if not r["conditions"]}
    safe_rules = rules_of(db, reach)
    safe_uncond = {r["name"] for r in safe_rules if not r["conditions"]}
    excl_any = {r["name"] for r in excl_rules}
    for n in sorted({r["name"] for r in safe_rules} & excl_uncond):
        c.error("%s reaches %s, which an excluded group allows unconditionally" % (DEFAULT_GROUP, n), DEFAULT_GROUP)
    for n in sorted(safe_uncond & excl_any - excl_uncond):
        c.error("%s allows %s unconditionally, but an excluded group restricts it by argument"
                % (DEFAULT_GROUP, n), DEFAULT_GROUP)


def main():
    ap = argparse.ArgumentParser(description="Check data/abstract_syscalls.json.")
    ap.add_argument("--kernel", default=os.path.join(ROOT, "data", "third_party", "kernel"),
                    help="the kernel reference folder (syscall-signatures.txt); default data/third_party/kernel")
    ap.add_argument("--file", default=os.path.join(ROOT, "data", "abstract_syscalls.json"),
                    help="the group database to check")
    ap.add_argument("--constants", default=os.path.join(ROOT, "data", "gen", "constants.c"),
                    help="the generated constants catalog (its check is skipped when the file is absent)")
    ap.add_argument("--list-constants", action="store_true", help="print the constant names the database uses")
    a = ap.parse_args()

    try:
        with open(a.file, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print("check-groups: %s" % e, file=sys.stderr)
        return 1
    c = Checker(a.file, text)
    try:
        db = json.loads(text, object_pairs_hook=no_duplicates)
    except ValueError as e:
        print("%s: invalid JSON: %s" % (os.path.relpath(a.file), e), file=sys.stderr)
        return 1
    syscalls, x86_64, args_of = load_catalog(a.kernel)
    constants = load_constants(a.constants)
    used = check(db, c, syscalls, x86_64, args_of, constants)
    if a.list_constants:
        print("\n".join(sorted(used)))
    if c.errors:
        for e in c.errors:
            print(e, file=sys.stderr)
        print("check-groups: %d problem(s) in %s" % (len(c.errors), os.path.relpath(a.file)), file=sys.stderr)
        return 1
    nrules = sum(len(g["rules"]) for g in db.values())
    note = "" if constants is not None else " (constants not checked: %s absent)" % os.path.relpath(a.constants)
    print("check-groups: OK: %d groups, %d rules, all %d x86_64 syscalls covered, %d constant names%s"
          % (len(db), nrules, len(x86_64), len(used), note))
    return 0


if __name__ == "__main__":
    sys.exit(main())
