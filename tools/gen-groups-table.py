#!/usr/bin/env python3
"""Compile the group database (data/abstract_syscalls.json) into C tables for the library.

usage: gen-groups-table.py INPUT.json OUTPUT.c

Run at build time (lib/meson.build). lib/policy/groups-table.h says why and what the tables
hold. This reads the JSON as lib/policy/groups.c's loader does (same keys, same choices: a
rule's "group" before its "name", the last of "type"/"op" written wins, "description" and
"comment" ignored) and records each value's place as lib/text/json-loc.c measures it: the
1-based line, the column in characters, and the span in characters from the value's first
character to its end or the end of its line (1 for an object or array: its bracket). Anything the loader would refuse stops the
build with the place named.
"""
import json
import sys

GT_NONE = 0xFFFFFFFF
HAS = {"value": 1, "value_two": 2, "mask": 4, "flags": 8, "values": 16, "index": 32}


class Node:
    __slots__ = ("kind", "value", "loc")

    def __init__(self, kind, value, loc):
        self.kind, self.value, self.loc = kind, value, loc


class Parser:
    """JSON with every value's place; objects keep their keys in order (jansson does)."""

    def __init__(self, text, name):
        self.t, self.name, self.i = text, name, 0
        self.starts = [0]
        for k, ch in enumerate(text):
            if ch == "\n":
                self.starts.append(k + 1)

    def place(self, at):
        lo, hi = 0, len(self.starts)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.starts[mid] <= at:
                lo = mid
            else:
                hi = mid
        return lo + 1, at - self.starts[lo] + 1

    def fail(self, at, msg):
        line, col = self.place(at)
        sys.exit(f"{self.name}:{line}:{col}: {msg}")

    def ws(self):
        while self.i < len(self.t) and self.t[self.i] in " \t\r\n":
            self.i += 1

    def loc(self, start, end):
        line, col = self.place(start)
        nl = self.t.find("\n", start, end)
        span = (nl if nl >= 0 else end) - start
        return (line, col, max(span, 1))

    def string_end(self, at):
        k = at + 1
        while self.t[k] != '"':
            k += 2 if self.t[k] == "\\" else 1
        return k + 1

    def value(self):
        self.ws()
        start, ch = self.i, self.t[self.i]
        if ch == "{":
            self.i += 1
            items, keys = [], set()
            self.ws()
            if self.t[self.i] == "}":
                self.i += 1
            else:
                while True:
                    self.ws()
                    if self.t[self.i] != '"':
                        self.fail(self.i, "expected a key")
                    kend = self.string_end(self.i)
                    key = json.loads(self.t[self.i:kend])
                    if key in keys:
                        self.fail(self.i, f"duplicate key '{key}'")
                    keys.add(key)
                    self.i = kend
                    self.ws()
                    if self.t[self.i] != ":":
                        self.fail(self.i, "expected ':'")
                    self.i += 1
                    items.append((key, self.value()))
                    self.ws()
                    if self.t[self.i] == ",":
                        self.i += 1
                        continue
                    if self.t[self.i] != "}":
                        self.fail(self.i, "expected ',' or '}'")
                    self.i += 1
                    break
            return Node("object", items, self.loc(start, start + 1))
        if ch == "[":
            self.i += 1
            items = []
            self.ws()
            if self.t[self.i] == "]":
                self.i += 1
            else:
                while True:
                    items.append(self.value())
                    self.ws()
                    if self.t[self.i] == ",":
                        self.i += 1
                        continue
                    if self.t[self.i] != "]":
                        self.fail(self.i, "expected ',' or ']'")
                    self.i += 1
                    break
            return Node("array", items, self.loc(start, start + 1))
        if ch == '"':
            self.i = self.string_end(start)
            return Node("string", json.loads(self.t[start:self.i]), self.loc(start, self.i))
        k = start
        while k < len(self.t) and self.t[k] not in ",]} \t\r\n":
            k += 1
        word = self.t[start:k]
        self.i = k
        if word in ("true", "false", "null"):
            return Node(word, None, self.loc(start, k))
        v = json.loads(word)
        return Node("integer" if isinstance(v, int) else "real", v, self.loc(start, k))


class Tables:
    def __init__(self):
        self.blob, self.offsets = bytearray(), {}
        self.values, self.conds, self.rules, self.groups = [], [], [], []

    def string(self, s):
        if s not in self.offsets:
            self.offsets[s] = len(self.blob)
            self.blob += s.encode("utf-8") + b"\0"
        return self.offsets[s]

    def value(self, node, p, what):
        if node.kind == "integer":
            self.values.append((GT_NONE, node.value & 0xFFFFFFFFFFFFFFFF, node.loc))
        elif node.kind == "string":
            self.values.append((self.string(node.value), 0, node.loc))
        else:
            p.fail_loc(node.loc, f"expected an integer or a constant name for '{what}'")
        return len(self.values) - 1


def fail_loc(name, loc, msg):
    sys.exit(f"{name}:{loc[0]}:{loc[1]}: {msg}")


def condition(t, name, node):
    if node.kind != "object":
        fail_loc(name, node.loc, "expected a condition object")
    c = {"loc": node.loc, "type": GT_NONE, "arg": GT_NONE, "type_loc": (0, 0, 0),
         "arg_loc": (0, 0, 0), "index_loc": (0, 0, 0), "oci": False, "has": 0, "index": 0,
         "value": 0, "value_two": 0, "mask": 0, "flags": 0, "values": 0, "nvalues": 0}

    class P:
        @staticmethod
        def fail_loc(loc, msg):
            fail_loc(name, loc, msg)

    for key, v in node.value:
        if key in ("type", "op"):
            if v.kind != "string":
                fail_loc(name, v.loc, f"expected a string for '{key}'")
            c["type"], c["type_loc"], c["oci"] = t.string(v.value), v.loc, key == "op"
        elif key == "argument":
            if v.kind != "string":
                fail_loc(name, v.loc, "expected an argument name (a string) for 'argument'")
            c["arg"], c["arg_loc"] = t.string(v.value), v.loc
        elif key == "index":
            if v.kind != "integer":
                fail_loc(name, v.loc, "expected an integer for 'index'")
            c["has"] |= HAS["index"]
            c["index"], c["index_loc"] = v.value, v.loc
        elif key in ("value", "valueTwo", "value_two", "mask", "flags"):
            slot = "mask" if key[0] == "m" else "flags" if key[0] == "f" else \
                "value" if key == "value" else "value_two"
            c[slot] = t.value(v, P, key)
            c["has"] |= HAS[slot]
        elif key == "values":
            if v.kind != "array" or len(v.value) > 64:
                fail_loc(name, v.loc, "expected a list of at most 64 values for 'values'")
            first = len(t.values)
            for e in v.value:
                t.value(e, P, "values")
            c["values"], c["nvalues"] = first, len(v.value)
            c["has"] |= HAS["values"]
        elif key not in ("description", "comment"):
            fail_loc(name, v.loc, f"unknown key '{key}' in a condition")
    t.conds.append(c)


def main():
    src, out = sys.argv[1:3]
    text = open(src, encoding="utf-8").read()
    name = src.split("/")[-1]
    p = Parser(text, name)
    root = p.value()
    if root.kind != "object":
        fail_loc(name, root.loc, "expected an object of groups")
    t = Tables()
    for gname, g in root.value:
        if g.kind != "object":
            fail_loc(name, g.loc, f"group '{gname}': expected an object")
        fields = dict(g.value)
        desc = fields.get("description")
        rules = fields.get("rules")
        if rules is None or rules.kind != "array":
            fail_loc(name, g.loc, f"group '{gname}': expected a 'rules' list")
        first_rule = len(t.rules)
        for i, r in enumerate(rules.value):
            rf = dict(r.value) if r.kind == "object" else {}
            ref, nm = rf.get("group"), rf.get("name")
            if ref is not None and ref.kind == "string":
                rname, rloc, is_group = ref.value, ref.loc, True
            elif nm is not None and nm.kind == "string":
                rname, rloc, is_group = nm.value, nm.loc, False
            else:
                fail_loc(name, r.loc, f"group '{gname}': rule {i} needs a 'name' or a 'group'")
            conds = rf.get("conditions")
            first_cond = len(t.conds)
            if conds is not None:
                if conds.kind != "array":
                    fail_loc(name, conds.loc, "expected a list of conditions")
                for c in conds.value:
                    condition(t, name, c)
            t.rules.append((r.loc, t.string(rname), rloc, is_group, first_cond,
                            len(t.conds) - first_cond))
        t.groups.append((t.string(gname),
                         t.string(desc.value if desc is not None and desc.kind == "string" else ""),
                         g.loc, first_rule, len(t.rules) - first_rule))

    def loc(l):
        return "{ %d, %d, %d }" % l

    def cstr(b):
        out, line = [], ""
        for ch in b:
            if 0x20 <= ch < 0x7F and ch not in (0x22, 0x5C, 0x3F):
                line += chr(ch)
            else:
                line += "\\%03o" % ch
            if len(line) > 90:
                out.append('\t"' + line + '"')
                line = ""
        out.append('\t"' + line + '"')
        return "\n".join(out)

    with open(out, "w", encoding="utf-8") as f:
        f.write(f"/* Generated at build time by tools/gen-groups-table.py from {name} — do not edit. */\n")
        f.write('#include "policy/groups-table.h"\n\n')
        f.write("const char groups_table_strings[] =\n" + cstr(bytes(t.blob)) + ";\n\n")
        f.write("const struct gt_value groups_table_values[] = {\n")
        for v in t.values or [(GT_NONE, 0, (0, 0, 0))]:
            f.write("\t{ %du, %du, %s },\n" % (v[0], v[1], loc(v[2])))
        f.write("};\n\nconst struct gt_cond groups_table_conds[] = {\n")
        for c in t.conds or [None]:
            if c is None:
                f.write("\t{ 0 },\n")
                continue
            f.write("\t{ %s, %du, %du, %s, %s, %s, %s, %d, %dLL, %d, %d, %d, %d, %d, %d },\n" % (
                loc(c["loc"]), c["type"], c["arg"], loc(c["type_loc"]), loc(c["arg_loc"]),
                loc(c["index_loc"]), "true" if c["oci"] else "false", c["has"], c["index"],
                c["value"], c["value_two"], c["mask"], c["flags"], c["values"], c["nvalues"]))
        f.write("};\n\nconst struct gt_rule groups_table_rules[] = {\n")
        for r in t.rules:
            f.write("\t{ %s, %d, %s, %s, %d, %d },\n" % (loc(r[0]), r[1], loc(r[2]),
                                                       "true" if r[3] else "false", r[4], r[5]))
        f.write("};\n\nconst struct gt_group groups_table_groups[] = {\n")
        for g in t.groups:
            f.write("\t{ %d, %d, %s, %d, %d },\n" % (g[0], g[1], loc(g[2]), g[3], g[4]))
        f.write("};\n\nconst size_t groups_table_ngroups = %d;\n" % len(t.groups))
        # By name in strcmp's order (bytes): a lookup needs no sort at start-up.
        names = [bytes(t.blob[g[0]:t.blob.index(0, g[0])]) for g in t.groups]
        order = sorted(range(len(t.groups)), key=lambda i: names[i])
        assert len(order) < 1 << 16, "groups_table_by_name holds uint16_t"
        f.write("\nconst uint16_t groups_table_by_name[] = {\n")
        for k in range(0, len(order), 12):
            f.write("\t" + " ".join("%d," % i for i in order[k:k + 12]) + "\n")
        f.write("};\n")


if __name__ == "__main__":
    main()
