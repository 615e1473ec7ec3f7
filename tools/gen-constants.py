#!/usr/bin/env python3
"""Generate the constants catalog (data/gen/constants.c) from the installed uapi headers.

Input:  data/constants.list   which constants, grouped in families; the format is described at
                              the top of that file
        the C headers it names (linux-libc-dev's /usr/include/linux, asm-generic, asm; a few
        families come from glibc's copies, which the list says)
        data/gen/syscalls.c   only to check that every `uses` names a real, non-pointer argument
Output: data/gen/constants.c  the table lib/catalog/constants.c searches

How: for every family, a small C program that includes the family's headers and prints each
constant's value is compiled with $CC (default cc) and run. A constant the headers lack makes the
compiler report an error on its line: it is reported on stderr and skipped, and the program is
compiled again without it. Constants given an explicit value in the list are checked against the
headers when the headers define them too. The output depends only on the list and the headers'
values, so it is the same on every run (tools/check-generated.py relies on that).

usage: gen-constants.py [--list FILE] [--output DIR] [--syscalls FILE] [--cc CC] [--quiet]
"""
import argparse
import concurrent.futures
import os
import re
import shlex
import subprocess
import sys
import tempfile

from string_pool import StringPool

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PROG = "gen-constants"

# Uses that are not syscall arguments (the list's header explains them).
PSEUDO_USES = {"action:errno"}

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
FAMILY_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
PROPERTIES = {"uses", "include", "kind", "field", "modifiers", "masks", "quiet", "also", "complete"}


class ListError(Exception):
    pass


class Family:
    def __init__(self, name, line):
        self.name = name
        self.line = line
        self.uses = []
        self.include = []
        self.kind = "enum"
        self.field = None          # C expression, or None
        self.field_family = None   # family name, or None for "this one"
        self.modifiers = []
        self.masks = []            # masks and other names values never print as ("quiet")
        self.complete = []
        self.also = []             # names of other families' constants that fit this one's uses
        self.members = []          # Constant, in list order
        self.refs = []             # the `also` constants, resolved
        self.field_value = 0


class Constant:
    def __init__(self, name, family, line, expr=None):
        self.name = name
        self.family = family
        self.line = line
        self.expr = expr           # explicit C expression, or None: take it from the headers
        self.value = None
        self.missing = None        # why the headers did not give it


def parse_list(path):
    families = []
    seen = {}
    fam = None
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            text = raw.split("#", 1)[0].strip()
            where = f"{os.path.relpath(path, ROOT)}:{lineno}"
            if not text:
                continue
            m = re.match(r"\[([^\]]*)\]\Z", text)
            if m:
                name = m.group(1).strip()
                if not FAMILY_NAME.match(name):
                    raise ListError(f"{where}: error: bad family name '{name}' (lowercase, digits, _)")
                if any(x.name == name for x in families):
                    raise ListError(f"{where}: error: family '{name}' defined twice")
                fam = Family(name, lineno)
                families.append(fam)
                continue
            if fam is None:
                raise ListError(f"{where}: error: expected a '[family]' line first, found '{text}'")
            m = re.match(r"([a-z_]+):(?:\s+(.*))?\Z", text)
            if m:
                key, val = m.group(1), (m.group(2) or "").strip()
                if key not in PROPERTIES:
                    raise ListError(f"{where}: error: unknown property '{key}', expected one of "
                                    + ", ".join(sorted(PROPERTIES)))
                if fam.members:
                    raise ListError(f"{where}: error: property '{key}' after the first constant of '{fam.name}'")
                words = val.split()
                if key == "uses":
                    fam.uses += words
                elif key == "include":
                    fam.include += words
                elif key == "kind":
                    if val not in ("enum", "flags"):
                        raise ListError(f"{where}: error: expected 'enum' or 'flags', found '{val}'")
                    fam.kind = val
                elif key == "field":
                    if not 1 <= len(words) <= 2:
                        raise ListError(f"{where}: error: expected 'field: MASK [FAMILY]', found '{val}'")
                    fam.field = words[0]
                    fam.field_family = words[1] if len(words) == 2 else None
                elif key == "modifiers":
                    fam.modifiers += words
                elif key in ("masks", "quiet"):
                    fam.masks += words
                elif key == "complete":
                    fam.complete += words
                elif key == "also":
                    fam.also += words
                continue
            m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S.*)\Z", text)
            if m:
                items = [(m.group(1), m.group(2).strip())]
            else:
                items = [(w, None) for w in text.split()]
            for name, expr in items:
                if not IDENT.match(name):
                    raise ListError(f"{where}: error: expected a constant name, found '{name}'")
                if name in seen:
                    raise ListError(f"{where}: error: '{name}' is already listed at line {seen[name].line} "
                                    f"(family '{seen[name].family.name}'); a name belongs to one family")
                c = Constant(name, fam, lineno, expr)
                seen[name] = c
                fam.members.append(c)
    check_families(path, families)
    for fam in families:
        for n in fam.also:
            c = seen.get(n)
            if c is None or c.family is fam:
                raise ListError(f"{os.path.relpath(path, ROOT)}:{fam.line}: error: 'also: {n}' of "
                                f"'{fam.name}' must name a constant of another family")
            fam.refs.append(c)
    return families


def check_families(path, families):
    names = {f.name for f in families}
    if len(families) > 256:
        raise ListError(f"{PROG}: error: {len(families)} families; lib/catalog/constants.h allows "
                        "CONSTANTS_MAX_FAMILIES (256)")
    for fam in families:
        where = f"{os.path.relpath(path, ROOT)}:{fam.line}"
        own = {c.name for c in fam.members}
        if not fam.members and not fam.also:
            raise ListError(f"{where}: error: family '{fam.name}' lists no constants")
        for n in fam.modifiers + fam.masks:
            if n not in own:
                raise ListError(f"{where}: error: '{n}' in modifiers/masks/quiet of '{fam.name}' is not one of its constants")
        if fam.modifiers and fam.kind != "enum":
            raise ListError(f"{where}: error: 'modifiers' are for 'kind: enum' families; flags families OR everything")
        if fam.field and fam.kind != "flags":
            raise ListError(f"{where}: error: 'field' is for 'kind: flags' families")
        if fam.field_family and fam.field_family not in names:
            raise ListError(f"{where}: error: field family '{fam.field_family}' is not defined")
        if not fam.include:
            raise ListError(f"{where}: error: family '{fam.name}' has no 'include:'")
        for h in fam.include:
            if not re.match(r"<[A-Za-z0-9_./-]+>\Z", h):
                raise ListError(f"{where}: error: expected a header as <path.h>, found '{h}'")


def read_syscall_args(path):
    """syscall name -> {arg name: pointer?} over every ABI of the generated syscall catalog
    (tools/gen-syscalls.py: rows of offsets into one string pool, parameters in one array)."""
    src = open(path, encoding="utf-8").read()
    pool = {int(off): text for off, text in
            re.findall(r'^\t/\*\s*(\d+) \*/ "((?:[^"\\]|\\.)*?)\\0"$', src, re.M)}
    body = re.search(r"catalog_syscall_args\[\] = \{(.*?)\n\};", src, re.S).group(1)
    params = [(pool[int(n)], ptr == "true")
              for n, ptr in re.findall(r"\{ (\d+), \d+, SC_ARG_\w+, (true|false) \}", body)]
    sys_args = {}
    for name, first, count in re.findall(
            r"\{ 0x[0-9a-f]+, (\d+), \d+, \d+, \d+, (\d+), \d+, (\d+) \}", src):
        d = sys_args.setdefault(pool[int(name)], {})
        for pname, ptr in params[int(first):int(first) + int(count)]:
            d[pname] = d.get(pname, False) or ptr
    return sys_args


def check_uses(path, families, sys_args):
    bad = []
    for fam in families:
        for u in fam.uses:
            if u in PSEUDO_USES:
                continue
            sysname, _, arg = u.partition(":")
            where = f"{os.path.relpath(path, ROOT)}:{fam.line}: error: [{fam.name}] uses '{u}'"
            if not arg:
                bad.append(f"{where}: expected SYSCALL:ARG")
            elif sysname not in sys_args:
                bad.append(f"{where}: no ABI has a syscall '{sysname}'")
            elif arg not in sys_args[sysname]:
                bad.append(f"{where}: '{sysname}' has no argument '{arg}' "
                           f"(it has: {', '.join(sorted(sys_args[sysname])) or 'none'})")
            elif sys_args[sysname][arg]:
                bad.append(f"{where}: '{arg}' is a pointer; a filter cannot look behind it")
    if bad:
        raise ListError("\n".join(bad))


def c_program(fam, consts):
    """The program for one family; returns (source, {line: Constant})."""
    # printf is declared by hand: <stdio.h> would define __GLIBC__, and some uapi headers
    # (linux/stat.h) hide their constants from glibc programs.
    lines = [f"/* {PROG}: family '{fam.name}' */",
             "#if !defined(__x86_64__) || defined(__ILP32__)",
             '#error "the catalog holds x86_64 values: generate it with an x86_64 compiler"',
             "#endif",
             "#include <stddef.h>",
             "int printf(const char *restrict format, ...);"]
    lines += [f"#include {h}" for h in fam.include]
    at = {}
    for i, c in enumerate(consts):
        at[len(lines) + 1] = c
        lines.append(f"static const unsigned long long v{i} = (unsigned long long)({c.expr or c.name});")
        if c.expr:
            lines += [f"#ifdef {c.name}",
                      f"static const unsigned long long h{i} = (unsigned long long)({c.name});",
                      f"static const int d{i} = 1;",
                      "#else",
                      f"static const unsigned long long h{i} = 0;",
                      f"static const int d{i} = 0;",
                      "#endif"]
    if fam.field:
        lines.append(f"static const unsigned long long field = (unsigned long long)({fam.field});")
    lines += ["int main(void)", "{"]
    for i, c in enumerate(consts):
        if c.expr:
            lines.append(f'\tprintf("{i} %llu %d %llu\\n", v{i}, d{i}, h{i});')
        else:
            lines.append(f'\tprintf("{i} %llu 0 0\\n", v{i});')
    if fam.field:
        lines.append('\tprintf("field %llu\\n", field);')
    lines += ["\treturn 0;", "}", ""]
    return "\n".join(lines), at


def evaluate(fam, cc):
    """Compile and run the family's program until every constant left compiles. Returns messages."""
    notes = []
    consts = list(fam.members)
    with tempfile.TemporaryDirectory(prefix="gen-constants-") as tmp:
        src_path = os.path.join(tmp, f"{fam.name}.c")
        exe = os.path.join(tmp, fam.name)
        for _ in range(len(fam.members) + 1):
            src, at = c_program(fam, consts)
            with open(src_path, "w", encoding="utf-8") as f:
                f.write(src)
            r = subprocess.run(shlex.split(cc) + ["-std=gnu11", "-D_GNU_SOURCE", "-w", "-o", exe, src_path],
                               capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
            if r.returncode == 0:
                break
            dropped = False
            fatal = []
            # Only "'NAME' undeclared" (gcc; clang: "use of undeclared identifier 'NAME'") on
            # NAME's own line means the headers lack NAME. Any other error (a macro that needs a
            # header the family does not include, a struct the headers do not define, a compiler
            # for another architecture) is for the list or the caller to fix, not a reason to
            # drop a constant.
            for m in re.finditer(rf"^{re.escape(src_path)}:(\d+):\d+: (?:fatal )?error: (.*)$", r.stderr, re.M):
                c = at.get(int(m.group(1)))
                if c is not None and not c.expr and (m.group(2).startswith(f"'{c.name}' undeclared") or
                                                     m.group(2).startswith(f"use of undeclared identifier '{c.name}'")):
                    if c.missing is None:
                        c.missing = "undeclared"
                        dropped = True
                else:
                    fatal.append(m.group(0).replace(src_path, f"<{fam.name}>"))
            if fatal or not dropped:
                raise ListError(f"{PROG}: error: the program for family '{fam.name}' does not compile:\n"
                                + "\n".join(fatal or [r.stderr.strip()]))
            consts = [c for c in consts if c.missing is None]
        else:
            raise ListError(f"{PROG}: error: family '{fam.name}': giving up")
        out = subprocess.run([exe], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        w = line.split()
        if w[0] == "field":
            fam.field_value = int(w[1])
            continue
        c = consts[int(w[0])]
        c.value = int(w[1])
        if w[2] == "1":
            hv = int(w[3])
            if hv != c.value:
                raise ListError(f"{PROG}: error: {c.name}: constants.list says 0x{c.value:x}, "
                                f"the headers say 0x{hv:x}")
            notes.append(f"{PROG}: note: {c.name} is now in the headers; its explicit value in "
                         f"constants.list (line {c.line}) can go")
    return notes


def check_complete(fam):
    """`complete:` headers: every macro they define must be listed in the family."""
    own = {c.name for c in fam.members}
    lost = []
    for h in fam.complete:
        path = os.path.join("/usr/include", h.strip("<>"))
        for m in re.finditer(r"^#\s*define\s+([A-Za-z][A-Za-z0-9_]*)", open(path, encoding="utf-8").read(), re.M):
            if m.group(1) not in own:
                lost.append(f"{m.group(1)} ({h})")
    if lost:
        raise ListError(f"{PROG}: error: family '{fam.name}' misses: " + ", ".join(lost))


def headers_version():
    try:
        text = open("/usr/include/linux/version.h", encoding="utf-8").read()
        code = int(re.search(r"LINUX_VERSION_CODE\s+(\d+)", text).group(1))
        return f"{code >> 16}.{(code >> 8) & 0xff}"
    except (OSError, AttributeError):
        return "?"


def constant_uses(families):
    """name -> the uses of its family, then of the families that name it in `also`, deduplicated."""
    uses = {}
    for f in families:
        for c in f.members:
            uses[c.name] = list(f.uses)
    for f in families:
        for c in f.refs:
            uses[c.name] += [u for u in f.uses if u not in uses[c.name]]
    return uses


def render(families, list_rel):
    consts = [c for f in families for c in f.members if c.value is not None]
    uses = constant_uses(families)
    table = sorted(consts, key=lambda c: c.name)
    index = {c.name: i for i, c in enumerate(table)}
    fam_index = {f.name: i for i, f in enumerate(families)}
    missing = [c for f in families for c in f.members if c.value is None]
    out = []
    w = out.append
    w(f"/* Generated by tools/gen-constants.py from {list_rel} — do not edit. */")
    w("/* SPDX-License-Identifier: LGPL-2.1-or-later */")
    w("/*")
    w(f" * {len(table)} constants in {len(families)} families. Values are x86_64's, read from the Linux")
    w(f" * {headers_version()} uapi headers (linux-libc-dev) and, where constants.list says so, glibc's.")
    if missing:
        w(" * Not in those headers, so left out:")
        line = " *"
        for c in missing:
            if len(line) + len(c.name) + 1 > 98:
                w(line)
                line = " *"
            line += " " + c.name
        w(line)
    w(" */")
    w("#include <seccompose.h>")
    w("")
    w('#include "catalog/constants.h"')
    w("")
    pool = StringPool()
    body = []
    b = body.append
    b("/* Every constant, sorted by name in strcmp order: sc_constant_lookup() bisects it, and")
    b("   tests/unit/test-constants.c checks the order. Name, family and uses are offsets into")
    b("   constants_strings; a constant whose uses are its family's shares them. */")
    b("const struct constants_row constants_table[] = {")
    for c in table:
        b(f"\t{{ UINT64_C(0x{c.value:x}), {pool.add(c.name)}, {pool.add(c.family.name)}, "
          f"{pool.add(' '.join(uses[c.name]))} }}, /* {c.name} */")
    b("};")
    b(f"const size_t constants_table_count = {len(table)};")
    b("")
    b("/* Each family's members in constants.list order, which is the order of preference when")
    b("   several share a value (EAGAIN before EWOULDBLOCK), its `also` constants last: indexes")
    b("   into constants_table. The families below say where theirs start. */")
    b("const struct constants_member constants_members[] = {")
    first = {}
    n_members = 0
    for f in families:
        rows = [c for c in f.members + f.refs if c.value is not None]
        first[f.name] = n_members
        if rows:
            b(f"\t/* {f.name} */")
        for c in rows:
            role = ("CONSTANTS_QUIET" if c.name in f.masks else
                    "CONSTANTS_MODIFIER" if c.name in f.modifiers else "CONSTANTS_VALUE")
            b(f"\t{{ {index[c.name]}, {role} }}, /* {c.name} */")
        n_members += len(rows)
    b("};")
    b("")
    b("/* The families, in constants.list order (the order of preference across families). */")
    b("const struct constants_family constants_families[] = {")
    for f in families:
        n = sum(1 for c in f.members + f.refs if c.value is not None)
        kind = "CONSTANTS_FLAGS" if f.kind == "flags" else "CONSTANTS_ENUM"
        ff = fam_index[f.field_family] if f.field_family else -1
        b(f"\t{{ {pool.add(f.name)}, {pool.add(' '.join(f.uses))}, {kind}, UINT64_C(0x{f.field_value:x}), "
          f"{ff}, {first[f.name]}, {n} }}, /* {f.name} */")
    b("};")
    b(f"const size_t constants_family_count = {len(families)};")
    if pool.size > 0xffffffff or len(table) > 0xffff:
        raise ListError(f"{PROG}: error: the catalog outgrew its offsets' types (constants.h)")
    w("/* Every string of the tables below once: constant names, family names, uses. */")
    out.extend(pool.render("constants_strings").rstrip("\n").split("\n"))
    w("")
    out.extend(body)
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--list", default=os.path.join(ROOT, "data", "constants.list"))
    ap.add_argument("--output", default=os.path.join(ROOT, "data", "gen"),
                    help="directory to write constants.c into (default: data/gen)")
    ap.add_argument("--syscalls", default=os.path.join(ROOT, "data", "gen", "syscalls.c"),
                    help="the generated syscall catalog, to check `uses` against")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--quiet", action="store_true", help="do not list skipped constants")
    a = ap.parse_args()
    try:
        families = parse_list(a.list)
        if os.path.exists(a.syscalls):
            check_uses(a.list, families, read_syscall_args(a.syscalls))
        else:
            print(f"{PROG}: warning: {a.syscalls} not found, not checking 'uses'", file=sys.stderr)
        for fam in families:
            check_complete(fam)
        with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 4) as pool:
            futures = [pool.submit(evaluate, f, a.cc) for f in families]
        notes, errors = [], []
        for fut in futures:
            try:
                notes += fut.result()
            except ListError as e:
                errors.append(str(e))
        if errors:
            raise ListError("\n".join(errors))
    except ListError as e:
        print(e, file=sys.stderr)
        return 1
    for n in notes:
        print(n, file=sys.stderr)
    if not a.quiet:
        for f in families:
            for c in f.members:
                if c.value is None:
                    print(f"{PROG}: {c.name} ({f.name}): not in the installed headers, skipping",
                          file=sys.stderr)
    list_rel = os.path.relpath(os.path.abspath(a.list), ROOT)
    text = render(families, list_rel)
    os.makedirs(a.output, exist_ok=True)
    path = os.path.join(a.output, "constants.c")
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
