#!/usr/bin/env python3
"""Generate the syscall catalog from the kernel's tables.

Inputs:  data/arches.json                  the architecture registry (one entry per ABI)
         data/third_party/kernel/tables/*.tbl   the kernel's syscall tables (Linux 6.12 + 6.13-6.19)
         data/third_party/kernel/syscall-signatures.txt   parameters from the tracepoints (x86_64)
         data/syscall-prototypes.txt       parameters from SYSCALL_DEFINEs (tools/gen-prototypes.py)
         data/syscall-extra-signatures.txt parameters of syscalls newer than both (hand-written)
         data/syscall-versions.txt         the release that first had each newer syscall
         data/syscall-arg-widths.txt       parameters the kernel reads fewer bits of than their
                                           type has (tools/gen-arg-widths.py)
Outputs: data/gen/arches.c, data/gen/syscalls.c   compiled into the library
         data/syscalls.json                x86_64.tbl in the seed's format (x32 rows included)
         data/syscalls/<arch>.json         the same for every ABI

usage: gen-syscalls.py [--kernel DIR] [--output DIR]
  --kernel  the kernel reference folder (default data/third_party/kernel)
  --output  the tree to write data/ under (default: this source tree)
"""
import argparse
import json
import os
import re
import sys

from string_pool import StringPool

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# The kernel's tables and tracepoint signatures, copied into the repository (see its README).
KERNEL_DIR = os.path.join(ROOT, "data", "third_party", "kernel")

# Width class of each parameter type the kernel uses (pointers are recognised by '*').
# Why a table: an unknown type must stop the generator, not silently become 64-bit.
TYPE_KIND = {
    "char": "U8", "unsigned char": "U8",
    "short": "U16", "unsigned short": "U16", "u16": "U16", "umode_t": "U16",
    "old_uid_t": "U16", "old_gid_t": "U16",
    "int": "U32", "unsigned int": "U32", "unsigned": "U32", "u32": "U32", "__u32": "U32",
    "s32": "U32", "__s32": "U32", "pid_t": "U32", "uid_t": "U32", "gid_t": "U32",
    "qid_t": "U32", "key_serial_t": "U32", "clockid_t": "U32", "timer_t": "U32",
    "mqd_t": "U32", "rwf_t": "U32", "key_t": "U32", "old_sigset_t": "U32",
    "compat_int_t": "U32", "compat_uint_t": "U32", "compat_ulong_t": "U32",
    "compat_long_t": "U32", "compat_size_t": "U32", "compat_ssize_t": "U32",
    "compat_off_t": "U32", "compat_pid_t": "U32", "compat_uptr_t": "U32",
    "compat_aio_context_t": "U32", "compat_old_sigset_t": "U32", "compat_caddr_t": "U32",
    "compat_timer_t": "U32", "compat_key_t": "U32", "compat_clock_t": "U32",
    "long": "WORD", "unsigned long": "WORD", "size_t": "WORD", "ssize_t": "WORD",
    "off_t": "WORD", "aio_context_t": "WORD", "uintptr_t": "WORD", "caddr_t": "WORD",
    "loff_t": "U64", "u64": "U64", "__u64": "U64", "s64": "U64", "__s64": "U64",
    "unsigned long long": "U64", "long long": "U64", "uint64_t": "U64",
    "arg_u32": "U32", "arg_u64": "U64", "uint": "U32", "uint32_t": "U32", "compat_mode_t": "U16",
    "utrap_entry_t": "WORD",
}
# Typedefs of pointers (the kernel hides the '*').
POINTER_TYPES = {"cap_user_header_t", "cap_user_data_t", "__sighandler_t", "compat_uptr_t",
                 "utrap_handler_t"}


def classify(typ):
    """('const unsigned int') -> ('U32', False); pointers -> ('WORD', True)."""
    t = re.sub(r"\b(const|volatile)\b", "", typ)
    t = re.sub(r"\s+", " ", t).strip()
    if "*" in t or t in POINTER_TYPES:
        return "WORD", True
    if t.startswith("enum "):
        return "U32", False
    if t not in TYPE_KIND:
        raise SystemExit(f"gen-syscalls: error: unknown parameter type '{typ}'\n"
                         f"hint: add it to TYPE_KIND in {os.path.relpath(__file__, ROOT)}")
    return TYPE_KIND[t], False


def read_signatures(path):
    """name -> [(type, name)] from a `name<TAB>type name; ...` file."""
    sigs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            sigs[cols[0]] = parse_sig(cols[1] if len(cols) > 1 else "")
    return sigs


def parse_sig(text):
    args = []
    for p in text.split(";"):
        p = p.strip()
        if not p:
            continue
        m = re.match(r"^(.*?)\s*(\w+)$", p)
        args.append((m.group(1).strip(), m.group(2)))
    return args


def read_versions(path):
    """name -> major*1000+minor; syscalls not listed predate the list (2.6 → 2006)."""
    v = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, ver = line.split()
            major, minor = ver.split(".")
            v[name] = int(major) * 1000 + int(minor)
    return v


def read_table(path):
    """[(nr, abi, name, entry, compat_entry)] rows of a kernel .tbl file."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cols = line.split()
            rows.append((int(cols[0]), cols[1], cols[2], cols[3] if len(cols) > 3 else "",
                         cols[4] if len(cols) > 4 else ""))
    return rows


def strip_entry(entry):
    return re.sub(r"^(__x64_|__ia32_|__x32_)?(compat_)?sys_", "", entry)


class Resolver:
    """Finds a syscall's parameters by its entry point, whose name is the SYSCALL_DEFINE's and
    so the tracepoint's (i386 `mmap` is sys_old_mmap, one pointer): a compat definition first
    (its types are the compat ABI's), then the tracepoint, then the definition; the table name
    only when the entry point is unknown."""

    def __init__(self, tracepoints, prototypes):
        self.tp = tracepoints
        self.proto = prototypes

    def find(self, name, entry):
        if entry.startswith("compat_sys_") and entry in self.proto:
            return self.proto[entry], "prototype"
        base = strip_entry(entry)
        if entry.startswith("sys_") and base in self.tp:
            return self.tp[base], "tracepoint"
        if entry in self.proto:
            return self.proto[entry], "prototype"
        if entry in ("", "sys_ni_syscall"):
            return [], "none"
        if name in self.tp:
            return self.tp[name], "tracepoint"
        if "sys_" + name in self.proto:
            return self.proto["sys_" + name], "prototype"
        return None, None


VERSIONS = {}


# The kernel's arch/ directories, as the catalog's ABIs (a width found in an arch's own
# definition holds for that arch's ABIs only; one found in generic code for every ABI).
KERNEL_ARCH_DIRS = {
    "x86": ["x86_64", "x32", "x86"], "arm64": ["aarch64"], "arm": ["arm"], "riscv": ["riscv64"],
    "loongarch": ["loongarch64"], "powerpc": ["ppc64", "ppc64le", "ppc"], "s390": ["s390x", "s390"],
    "mips": ["mips", "mipsel", "mips64", "mipsel64", "mips64n32", "mipsel64n32"],
}
KIND_BITS = {"U8": 8, "U16": 16, "U32": 32}

# kernel/fork.c defines clone's parameters in the order the arch's Kconfig selects; the
# tracepoint gives x86_64's (the generic order: clone_flags, newsp, parent_tidptr,
# child_tidptr, tls). CONFIG_CLONE_BACKWARDS (arm, arm64, riscv, mips, powerpc, and x86
# for its 32-bit kernel, whose order i386 keeps) swaps the last two; CONFIG_CLONE_BACKWARDS2
# (s390) the first two, so clone_flags is the second register there. By ABI; loongarch64,
# x86_64 and x32 keep the generic order.
CLONE_BACKWARDS = "unsigned long clone_flags; unsigned long newsp; int * parent_tidptr; unsigned long tls; int * child_tidptr"
CLONE_BACKWARDS2 = "unsigned long newsp; unsigned long clone_flags; int * parent_tidptr; int * child_tidptr; unsigned long tls"
CLONE_ORDER = {"x86": CLONE_BACKWARDS, "s390": CLONE_BACKWARDS2, "s390x": CLONE_BACKWARDS2}
for d in ("arm", "arm64", "riscv", "mips", "powerpc"):
    CLONE_ORDER.update((abi, CLONE_BACKWARDS) for abi in KERNEL_ARCH_DIRS[d])


def clone_signature(arch_name):
    """sys_clone's parameters on ABI @arch_name, or None for the generic order."""
    sig = CLONE_ORDER.get(arch_name)
    return parse_sig(sig) if sig else None


def read_arg_widths(path):
    """(function, parameter) -> [(arch names or None for all, bits, file:line, text)]."""
    widths = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fn, arg, bits, defined, where, text = line.rstrip("\n").split("\t")
            parts = defined.split("/")
            arches = KERNEL_ARCH_DIRS.get(parts[1], []) if parts[0] == "arch" else None
            widths.setdefault((fn, arg), []).append((arches, int(bits), where, text))
    return widths


def narrowed(widths, arch, entry, typ, name):
    """(bits, file:line, text) when the kernel reads fewer bits of this parameter on @arch
    than its register and type hold, else None."""
    kind, ptr = classify(typ)
    declared = KIND_BITS.get(kind, arch["bits"])
    for arches, bits, where, text in widths.get((re.sub(r"^__((x64|x32|ia32)_)?", "", entry), name), []):
        if (arches is None or arch["name"] in arches) and not ptr and bits < min(declared, arch["bits"]):
            return bits, where, text
    return None


def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(kernel, out_root):
    with open(os.path.join(ROOT, "data", "arches.json"), encoding="utf-8") as f:
        arches = json.load(f)["arches"]
    tp = read_signatures(os.path.join(kernel, "syscall-signatures.txt"))
    proto = read_signatures(os.path.join(ROOT, "data", "syscall-prototypes.txt"))
    proto.update(read_signatures(os.path.join(ROOT, "data", "syscall-extra-signatures.txt")))
    res = Resolver(tp, proto)
    global VERSIONS
    VERSIONS = read_versions(os.path.join(ROOT, "data", "syscall-versions.txt"))

    tables = {}
    per_arch = []  # (arch, [(nr_seen, table_nr, abi, name, entry, args, source)])
    missing = []
    for a in arches:
        if a["table"] not in tables:
            tables[a["table"]] = read_table(os.path.join(kernel, "tables", a["table"]))
        base = int(a.get("nr_base", 0))
        bit = int(a.get("nr_bit", "0"), 16)
        rows = []
        seen = set()
        for nr, abi, name, entry, compat in tables[a["table"]]:
            if abi not in a["abis"]:
                continue
            # s390's 32-bit ABI runs only as compat on a 64-bit kernel: its column is the 5th.
            if a.get("entry_column") == 5:
                entry = compat or entry
            if entry == "-":  # s390: no implementation on this ABI
                entry = "sys_ni_syscall"
            if name in seen:
                raise SystemExit(f"gen-syscalls: error: '{name}' twice in {a['name']}")
            seen.add(name)
            args, source = res.find(name, entry)
            if entry in ("sys_clone", "__sys_clone") and clone_signature(a["name"]):
                args, source = clone_signature(a["name"]), "prototype"
            if args is None:
                missing.append(f"{a['name']}:{name} ({entry})")
                args, source = [], "none"
            rows.append(((nr + base) | bit, nr, abi, name, entry, args, source))
        for x in a.get("extra", []):
            nr = int(x["nr"], 16)
            rows.append((nr, nr, "private", x["name"], "", parse_sig(x["signature"]), "arches.json"))
        rows.sort()
        per_arch.append((a, rows))
    if missing:
        raise SystemExit("gen-syscalls: error: no parameters known for:\n  " + "\n  ".join(missing))

    os.makedirs(os.path.join(out_root, "data", "gen"), exist_ok=True)
    os.makedirs(os.path.join(out_root, "data", "syscalls"), exist_ok=True)
    write_arches_c(os.path.join(out_root, "data", "gen", "arches.c"), per_arch)
    widths = read_arg_widths(os.path.join(ROOT, "data", "syscall-arg-widths.txt"))
    write_syscalls_c(os.path.join(out_root, "data", "gen", "syscalls.c"), per_arch, widths)
    # The seed's file: every row of x86_64.tbl (x32 rows included), kernel table numbers.
    seed = [{"number": nr, "abi": abi, "name": name, "entry_point": entry}
            for nr, abi, name, entry, _ in tables["x86_64.tbl"]]
    write_json(os.path.join(out_root, "data", "syscalls.json"), seed)
    for a, rows in per_arch:
        write_json(os.path.join(out_root, "data", "syscalls", a["name"] + ".json"),
                   [{"number": r[0], "abi": r[2], "name": r[3], "entry_point": r[4]} for r in rows])


def write_json(path, obj):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
    os.replace(path + ".tmp", path)


def write_file(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


HEADER = ("/* Generated by tools/gen-syscalls.py from data/arches.json and data/third_party/kernel/ — do not edit. */\n"
          "/* SPDX-License-Identifier: LGPL-2.1-or-later */\n")


def write_arches_c(path, per_arch):
    out = [HEADER, '#include "catalog/catalog.h"\n\n',
           "/* Order: data/arches.json's, which sc_arch_at() exposes. */\n",
           "const struct sc_arch catalog_arches[] = {\n"]
    for a, rows in per_arch:
        names = {r[3] for r in rows}
        flags = []
        if "socketcall" in names:
            flags.append("SC_ARCH_SOCKETCALL")
        if "ipc" in names:
            flags.append("SC_ARCH_IPC")
        if a.get("nr_bit") or any(b is not a and b["audit_arch"] == a["audit_arch"] for b, _ in per_arch):
            flags.append("SC_ARCH_SHARES_AUDIT")
        out.append("\t{ .name = %s, .scmp_name = %s, .aliases = %s,\n" % (
            c_str(a["name"]), c_str(a["scmp"]), c_str(a["aliases"])))
        out.append("\t  .audit_arch = %s, .word_bits = %d, .endian = %s,\n" % (
            a["audit_arch"], a["bits"], "SC_ENDIAN_BIG" if a["endian"] == "big" else "SC_ENDIAN_LITTLE"))
        out.append("\t  .nr_base = %d, .nr_bit = %s, .flags = %s, .table = %s,\n" % (
            int(a.get("nr_base", 0)), a.get("nr_bit", "0"), " | ".join(flags) or "0", c_str(a["table"])))
        out.append("\t  .oci_arg_bits = %d },\n" % a.get("oci_arg_bits", a["bits"]))
    out.append("};\n\nconst size_t catalog_arch_count = sizeof(catalog_arches) / sizeof(catalog_arches[0]);\n")
    # Every alias as a string of its own, for suggestions (the struct keeps them in one).
    words = [w for a, _ in per_arch for w in a["aliases"].split()]
    out.append("\n/* Every alias on its own, in catalog order (sc_arch_suggest()). */\n")
    out.append("const char *const catalog_arch_aliases[] = {\n")
    for w in words:
        out.append(f"\t{c_str(w)},\n")
    out.append("};\n\nconst size_t catalog_arch_alias_count =\n"
               "\tsizeof(catalog_arch_aliases) / sizeof(catalog_arch_aliases[0]);\n")
    write_file(path, "".join(out))


def write_syscalls_c(path, per_arch, widths):
    out = [HEADER, '#include "catalog/catalog.h"\n\n']
    pool = StringPool()
    # One run of parameters per distinct parameter list, shared by every ABI that has it.
    arglists = {}
    args_out = []
    for _, rows in per_arch:
        for r in rows:
            key = tuple(r[5])
            if key and key not in arglists:
                arglists[key] = len(args_out)
                for typ, name in key:
                    kind, ptr = classify(typ)
                    args_out.append(f"\t{{ {pool.add(name)}, {pool.add(typ)}, SC_ARG_{kind}, "
                                    f"{'true' if ptr else 'false'} }}, /* {typ} {name} */\n")
    body = ["/* Parameter lists, one run per distinct list: a syscall's are catalog_syscall_args[args]\n"
            " * onwards, nargs of them. */\n",
            "const struct catalog_arg catalog_syscall_args[] = {\n"] + args_out + ["};\n"]
    for a, rows in per_arch:
        ident = a["name"]
        body.append(f"\n/* {a['name']}: sorted by number (sc_syscall_by_nr() bisects). */\n")
        body.append(f"static const struct catalog_syscall sys_{ident}[] = {{\n")
        for nr, _tnr, abi, name, entry, args, source in rows:
            al = arglists.get(tuple(args), 0)
            body.append(f"\t{{ {nr:#x}, {pool.add(name)}, {pool.add(abi)}, {pool.add(entry)}, "
                        f"{pool.add(source)}, {al}, {VERSIONS.get(name, 2006)}, {len(args)} }}, /* {name} */\n")
        body.append("};\n")
        order = sorted(range(len(rows)), key=lambda i: rows[i][3])
        body.append(f"/* {a['name']}: indexes into sys_{ident} sorted by name (strcmp). */\n")
        body.append(f"static const uint16_t byname_{ident}[] = {{")
        for i, idx in enumerate(order):
            body.append(("\n\t" if i % 12 == 0 else " ") + f"{idx},")
        body.append("\n};\n")
    body.append("\n/* Indexed like catalog_arches[]. */\nconst struct catalog_table catalog_tables[] = {\n")
    for a, rows in per_arch:
        body.append(f"\t{{ sys_{a['name']}, byname_{a['name']}, {len(rows)} }},\n")
    body.append("};\n")
    body.append("\n/* Parameters the kernel reads fewer bits of than their type and register hold\n"
                " * (data/syscall-arg-widths.txt, from the kernel source), per ABI: what\n"
                " * sc_syscall_arg_bits() returns for them. */\n"
                "const struct catalog_arg_width catalog_arg_widths[] = {\n")
    count = 0
    for k, (a, rows) in enumerate(per_arch):
        for i, (nr, _tnr, abi, name, entry, args, source) in enumerate(rows):
            for j, (typ, pname) in enumerate(args):
                n = narrowed(widths, a, entry, typ, pname)
                if n:
                    body.append(f"\t{{ {k}, {nr:#x}, {j}, {n[0]}, {pool.add(n[1])}, {pool.add(n[2])} }},"
                                f" /* {a['name']} {name} {pname}: {n[1]} */\n")
                    count += 1
    if not count:
        body.append("\t{ 0, 0, 0, 0, 0, 0 },\n")
    body.append(f"}};\n\nconst size_t catalog_arg_width_count = {count};\n")
    if pool.size > 0xffffffff or len(args_out) > 0xffff:
        raise SystemExit("gen-syscalls: error: the catalog outgrew its offsets' types (catalog.h)")
    out.append("/* Every string of the tables below once: names, ABI columns, entry points, parameter\n"
               " * names and types, where the kernel narrows a parameter. Rows hold offsets into it. */\n")
    out.append(pool.render("catalog_syscall_strings"))
    out.append("\n")
    write_file(path, "".join(out + body))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kernel", default=KERNEL_DIR)
    ap.add_argument("--output", default=ROOT)
    a = ap.parse_args()
    generate(a.kernel, a.output)


if __name__ == "__main__":
    sys.exit(main())
