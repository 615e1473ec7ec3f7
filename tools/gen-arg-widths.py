#!/usr/bin/env python3
"""Find the syscall arguments the kernel truncates, from the Linux source, into
data/syscall-arg-widths.txt.

A parameter declared `unsigned long` that the kernel only ever reads through
`lower_32_bits()`, a cast to a 32-bit type, an assignment to a 32-bit variable or a 32-bit
parameter of the function it calls, has its upper half ignored: `clone(CLONE_NEWUSER |
SIGCHLD | 1UL << 32)` is a CLONE_NEWUSER clone to the kernel. A filter that compares all
64 bits is bypassed by such garbage, so the catalog keeps the width the kernel really reads
and sc_syscall_arg_bits() returns it.

How: every SYSCALL_DEFINEn() in the source (the compat ones take 32-bit types already) is
parsed, its body found, and each register-wide, non-pointer parameter's every use in the
body classified. Only a parameter whose EVERY use narrows it is truncated: one full-width
use (`if (flags & ~VALID)`, a length, a pointer) means the upper half matters to the
kernel, and comparing fewer bits would let an allow rule through with different upper bits.
Uses the scanner cannot classify are printed with --review, for a person to settle; what a
person decided is in REVIEWED below, with the reason.

usage: gen-arg-widths.py [--source DIR] [--output FILE] [--review]
   DIR defaults to what tools/kernel-source.sh prints.
"""
import argparse
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

DEFINE = re.compile(r"^\s*SYSCALL_DEFINE(\d)\s*\(\s*(\w+)\s*((?:,[^)]*?)?)\)", re.S | re.M)
ANNOT = re.compile(r"\b(__user|__force|__kernel)\b")

# Declared types wider than 32 bits on a 64-bit ABI (pointers aside).
WIDE = {"long", "unsigned long", "size_t", "ssize_t", "off_t", "loff_t", "u64", "__u64",
        "s64", "__s64", "unsigned long long", "long long", "aio_context_t", "uintptr_t"}
# Types a value is narrowed to, and their bits.
NARROW = {"int": 32, "unsigned int": 32, "unsigned": 32, "u32": 32, "__u32": 32, "s32": 32,
          "__s32": 32, "pid_t": 32, "uid_t": 32, "gid_t": 32, "key_serial_t": 32,
          "clockid_t": 32, "umode_t": 16, "u16": 16, "unsigned short": 16, "short": 16,
          "u8": 8, "unsigned char": 8, "char": 8, "bool": 1}
NARROW_RE = "|".join(sorted((re.escape(t) for t in NARROW), key=len, reverse=True))
CAST = re.compile(r"\(\s*(?:const\s+)?(" + NARROW_RE + r")\s*\)\s*$")
DECL = re.compile(r"(?:^|[;{(,]\s*|\n\s*)(?:const\s+)?(" + NARROW_RE + r")\s+\w+\s*=\s*$")
# How many calls deep a parameter passed whole at full width is followed.
DEPTH = 2
ASSIGN = re.compile(r"(?:^|[;{]|\n)\s*(\w+)\s*=\s*$")

# Settled by hand: (function, parameter) -> (bits or None, why). None: not truncated,
# whatever the scanner says; bits: truncated although the scanner saw a full-width use.
#
# Review of Linux 6.12 (`--review` lists every wide parameter with a narrowing use), nothing
# overridden: each finding was read in the source and holds —
#   clone clone_flags      both uses are lower_32_bits() (kernel/fork.c)
#   mmap fd (x86, arm64, riscv, loongarch, powerpc, mips)  reaches ksys_mmap_pgoff(), whose
#                          only uses are audit_mmap_fd(int) and fget(unsigned int)
#   ptrace pid             its one use is find_get_task_by_vpid(pid_t)
#   mbind mode             kernel_mbind()'s `int lmode = mode`, nothing else
#   fstat64, mips sys_32_* fd/sig   32-bit ABIs only: no effect on a filter
# and each mixed one keeps 64 bits because the kernel does read the upper half there:
#   prctl arg2/arg3, keyctl arg2-5   per option, some options take pointers or lengths
#   futex_wake/futex_wait val, mask  futex_validate_input() rejects high bits (EINVAL)
#   sysfs arg1             a pointer for option 1
REVIEWED = {
}


def strip_comments(text):
    """Blank comments and string literals out, keeping every newline (line numbers stay)."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r"/\*.*?\*/|//[^\n]*|\"(?:\\.|[^\"\\\n])*\"", blank, text, flags=re.S)


def norm_type(t):
    t = re.sub(r"\b(const|volatile)\b", "", ANNOT.sub("", t))
    return re.sub(r"\s+", " ", t).strip()


def matching(text, i, open_ch, close_ch):
    """Index just past the bracket that closes the one at text[i]."""
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return j + 1
    return len(text)


def split_args(s):
    """Top-level comma split of a call's argument text."""
    out, depth, cur = [], 0, ""
    for c in s:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
    out.append(cur)
    return [x.strip() for x in out]


FUNC = re.compile(r"^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(([^;{)]*(?:\([^)]*\)[^;{)]*)*)\)\s*\{", re.M)


class Functions:
    """Definitions of ordinary C functions (static inlines in headers included) by name:
    name -> [(path, parameter text, offset of the body's '{')], parsed when asked for."""

    def __init__(self, files):
        self.files = files
        self.index = {}
        for path, text in files.items():
            for m in FUNC.finditer(text):
                if m.group(1) not in ("if", "while", "for", "switch", "return"):
                    self.index.setdefault(m.group(1), []).append((path, m.group(2), m.end() - 1))

    @staticmethod
    def params(text):
        out = []
        for p in split_args(text):
            pm = re.match(r"^(.*?)(\w+)\s*(\[\s*\w*\s*\])?$", ANNOT.sub("", p).strip())
            if not pm:
                out.append(("?", "?"))
                continue
            out.append((norm_type(pm.group(1) + ("*" if pm.group(3) else "")), pm.group(2)))
        return out

    def definitions(self, name, pos, prefer):
        """[(path, (type, name), body, offset)] of parameter @pos of function @name: the
        definition in @prefer's file, else every one (#ifdef CONFIG_MMU variants, arch
        versions: a use narrows only if it does in each)."""
        defs = self.index.get(name, [])
        defs = [d for d in defs if d[0] == prefer] or defs
        out = []
        for path, ptext, ob in defs:
            params = self.params(ptext)
            if pos >= len(params):
                return []
            text = self.files[path]
            out.append((path, params[pos], text[ob:matching(text, ob, "{", "}")], ob))
        return out


def find_calls(body, start):
    """(function, argument position) of the call whose argument is exactly the word at start."""
    depth = 0
    i = start - 1
    while i >= 0:
        c = body[i]
        if c in ")]}":
            depth += 1
        elif c in "([{":
            if depth == 0:
                if c != "(":
                    return None
                m = re.search(r"(\w+)\s*$", body[:i])
                if not m:
                    return None
                close = matching(body, i, "(", ")")
                args = split_args(body[i + 1:close - 1])
                pos = len(split_args(body[i + 1:start])) - 1
                return m.group(1), pos, args
            depth -= 1
        i -= 1
    return None


def classify_use(body, boff, m, name, locals32, funcs, path, depth):
    """('narrow', bits, why, path, offset) or ('full', why) for the use of @name at match @m;
    a parameter passed whole to a wide parameter of another function is followed into that
    function's body (@depth more levels)."""
    before, after = body[:m.start()], body[m.end():]
    here = (path, boff + m.start())
    if re.search(r"lower_32_bits\s*\(\s*$", before) and re.match(r"\s*\)", after):
        return ("narrow", 32, "lower_32_bits()") + here
    c = CAST.search(before)
    if c and not re.match(r"\s*[\[(]", after):
        return ("narrow", NARROW[c.group(1)], f"cast to {c.group(1)}") + here
    if re.match(r"\s*[;,)]", after) or re.match(r"\s*$", after):
        d = DECL.search(before)
        if d and re.match(r"\s*;", after):
            return ("narrow", NARROW[d.group(1)], f"assigned to a {d.group(1)}") + here
        a = ASSIGN.search(before)
        if a and a.group(1) in locals32 and re.match(r"\s*;", after):
            return ("narrow", locals32[a.group(1)], f"assigned to {a.group(1)}") + here
        call = find_calls(body, m.start())
        if call:
            fn, pos, args = call
            if pos < len(args) and args[pos] == name:
                defs = funcs.definitions(fn, pos, path)
                types = {d[1][0] for d in defs}
                t = types.pop() if len(types) == 1 else None
                if t in NARROW:
                    return ("narrow", NARROW[t], f"passed to {fn}() as {t}") + here
                if t in WIDE and depth > 0:
                    found = []
                    for d in defs:
                        uses = param_uses(d[2], d[3], d[1][1], funcs, d[0], depth - 1)
                        if not uses or any(u[0] != "narrow" for u in uses):
                            break
                        found += uses
                    else:
                        u = found[0]
                        return ("narrow", max(x[1] for x in found), f"{fn}(): {u[2]}") + u[3:]
                return "full", f"passed to {fn}() as {t or 'an unknown type'}"
    return "full", "used at full width"


def local_narrow(body):
    return {d.group(2): NARROW[d.group(1)] for d in
            re.finditer(r"(?:^|[;{]|\n)\s*(?:const\s+)?(" + NARROW_RE + r")\s+(\w+)\s*[;=,]", body)}


def param_uses(body, boff, name, funcs, path, depth):
    """Every use of parameter @name in a function @body, classified (see classify_use)."""
    uses = []
    locals32 = local_narrow(body)
    for m in re.finditer(r"(?<![\w.>])" + re.escape(name) + r"\b", body):
        if body[:m.start()].rstrip().endswith("->"):
            continue
        if re.match(r"\s*:", body[m.end():]) and not re.search(r"\?[^;]*$", body[:m.start()]):
            continue  # a label
        uses.append(classify_use(body, boff, m, name, locals32, funcs, path, depth))
    return uses


def scan(src):
    files = {}
    paths = glob.glob(os.path.join(src, "**/*.c"), recursive=True)
    paths += glob.glob(os.path.join(src, "**/*.h"), recursive=True)
    for path in sorted(paths):
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        files[os.path.relpath(path, src)] = strip_comments(text)
    raw = {}
    candidates = []  # (function, file, params, body, the body's offset in the file)
    for rel, text in files.items():
        if not rel.endswith(".c") or "SYSCALL_DEFINE" not in text:
            continue
        for m in DEFINE.finditer(text):
            parts = [x.strip() for x in m.group(3).split(",")[1:]]
            if len(parts) != 2 * int(m.group(1)):
                continue
            params = [(norm_type(t), n) for t, n in zip(parts[0::2], parts[1::2])]
            # The body is the first '{' after the header (headers under #ifdef share one).
            ob = text.index("{", m.end())
            cb = matching(text, ob, "{", "}")
            candidates.append(("sys_" + m.group(2), rel, params, text[ob:cb], ob))
    funcs = Functions(files)
    results = []  # (function, param, bits, rel, line, text, uses)
    for fn, rel, params, body, off in candidates:
        for typ, name in params:
            if "*" in typ or typ not in WIDE:
                continue
            uses = []
            for u in param_uses(body, off, name, funcs, rel, DEPTH):
                line = files[u[3]].count("\n", 0, u[4]) + 1 if u[0] == "narrow" else 0
                uses.append((u, line))
            results.append((fn, name, typ, rel, uses))
    return files, results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source")
    ap.add_argument("--output", default=os.path.join(ROOT, "data", "syscall-arg-widths.txt"))
    ap.add_argument("--review", action="store_true", help="print every wide parameter's uses")
    a = ap.parse_args()
    src = a.source or subprocess.check_output([os.path.join(HERE, "kernel-source.sh")], text=True).strip()
    files, results = scan(src)
    rows = {}
    for fn, name, typ, rel, uses in results:
        narrow = [u for u, _ in uses if u[0] == "narrow"]
        full = [u for u, _ in uses if u[0] == "full"]
        if a.review and narrow:
            print(f"{fn} {name} ({typ}) {rel}: " + "; ".join(
                f"{ln}:{u[0]}:{u[2] if u[0] == 'narrow' else u[1]}" for u, ln in uses), file=sys.stderr)
        decided = REVIEWED.get((fn, name))
        if decided is not None and decided[0] is None:
            continue
        if not narrow or (full and decided is None):
            continue
        bits = decided[0] if decided else max(u[1] for u in narrow)
        where = next(f"{u[3]}:{ln}" for u, ln in uses if u[0] == "narrow")
        path, line = where.rsplit(":", 1)
        with open(os.path.join(src, path), encoding="utf-8", errors="replace") as f:
            text = f.read().split("\n")[int(line) - 1].strip()
        # One row per defining file: an architecture's own definition may differ.
        rows.setdefault((fn, name, rel), (bits, where, re.sub(r"\s+", " ", text)))
    tmp = a.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write("# Generated by tools/gen-arg-widths.py from the Linux 6.12 source (Debian linux-source-6.12) — do not edit.\n")
        out.write("# Syscall parameters declared wider than the kernel reads them:\n")
        out.write("# function<TAB>parameter<TAB>bits the kernel reads<TAB>file defining the function<TAB>\n")
        out.write("#   file:line that narrows it<TAB>that line\n")
        for (fn, name, rel), (bits, where, text) in sorted(rows.items()):
            out.write(f"{fn}\t{name}\t{bits}\t{rel}\t{where}\t{text}\n")
    os.replace(tmp, a.output)


if __name__ == "__main__":
    main()
