#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Write the bad-input corpus's big members into a directory (they are made at test time,
not committed: several are megabytes). Usage: gen.py DIR [NAME...]"""
import json
import os
import sys

MB = 1 << 20


def big_toml():
    # 10 MB of valid-looking rules; the last one names an unknown syscall, so every command
    # must read all of it (linearly) and then refuse it.
    rule = '[[syscalls]]\nnames = ["read", "write"]\naction = "Allow"\n'
    n = 10 * MB // len(rule)
    return ('default_action = "Errno"\n' + rule * n +
            '[[syscalls]]\nnames = ["no_such_call"]\naction = "Allow"\n')


def big_oci():
    # 7 MB OCI profile: many rules, one bad action at the end.
    rule = {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW",
            "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}
    one = json.dumps(rule, indent=2)
    n = 7 * MB // (len(one) + 2)
    body = ",\n".join([one] * n)
    bad = '{"names": ["read"], "action": "SCMP_ACT_NOPE"}'
    return ('{"defaultAction": "SCMP_ACT_ERRNO",\n "architectures": ["SCMP_ARCH_X86_64"],\n'
            ' "syscalls": [\n' + body + ',\n' + bad + ']}\n')


def wide_dag():
    # Layers of groups, each including every group of the layer below: the expansion of the
    # top is exponential unless each group is expanded once. The last group names a bad call.
    width, depth = 8, 24
    g = {}
    g["leaf_0"] = {"description": "a leaf", "rules": [{"name": "read"}, {"name": "write"}]}
    prev = ["leaf_0"]
    for d in range(1, depth):
        cur = []
        for w in range(width):
            name = "l%d_%d" % (d, w)
            g[name] = {"description": "layer", "rules": [{"group": p} for p in prev] +
                       [{"name": "getpid"}]}
            cur.append(name)
        prev = cur
    g["top"] = {"description": "the top",
                "rules": [{"group": p} for p in prev] + [{"group": "no_such_group"}]}
    return json.dumps(g, indent=1)


def huge_name():
    # A 1 MB syscall name: the diagnostic quotes at most a line's worth of it.
    return 'default_action = "Errno"\n[[syscalls]]\nnames = ["' + "x" * MB + '"]\naction = "Allow"\n'


def falco_many():
    # Many distinct Falco lines (distinct ioctl requests), then a broken one.
    out = []
    for i in range(60000):
        args = "res=0 fd=3(<f>/dev/pts/2) request=%X argument=0" % (0x5400 + i)
        out.append(json.dumps({"output": "x", "output_fields": {"syscall.type": "ioctl",
                                                                 "evt.args": args}}))
    out.append('{"output": "truncated", "output_fields": {"syscall.type": "getp')
    return "\n".join(out) + "\n"


def falco_truncated():
    # One truncated JSON document of a few MB (no newline to end it).
    line = json.dumps({"output": "y" * 4 * MB, "output_fields": {"syscall.type": "read"}})
    return line[: len(line) // 2]


def over_4096():
    # Thousands of distinct conditions: more BPF than the kernel takes.
    rules = []
    for i in range(3000):
        rules.append('[[syscalls]]\nnames = ["ioctl"]\naction = "Allow"\n'
                     'conditions = [ { argument = "cmd", type = "equals", value = %d } ]\n' % (i * 7 + 1))
    return 'default_action = "Errno"\n' + "".join(rules)


def deep_json():
    return "[" * 200000 + "]" * 200000


def deep_toml():
    return 'default_action = "Errno"\nx = ' + "[" * 200000 + "]" * 200000 + "\n"


def wide_oci():
    # A 10,000-rule profile (json-loc's index must stay linear); the last rule is bad.
    rules = [{"names": ["s%d" % i if i == 9999 else "read"], "action": "SCMP_ACT_ALLOW"}
             for i in range(10000)]
    return json.dumps({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": rules}, indent=1)


GEN = {
    "big.toml": big_toml,
    "big-oci.json": big_oci,
    "wide-dag.groups.json": wide_dag,
    "huge-name.toml": huge_name,
    "falco-many.jsonl": falco_many,
    "falco-truncated.jsonl": falco_truncated,
    "over-4096.toml": over_4096,
    "deep.json": deep_json,
    "deep.toml": deep_toml,
    "wide-oci.json": wide_oci,
}


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(GEN)
    os.makedirs(out, exist_ok=True)
    for n in names:
        with open(os.path.join(out, n), "w") as f:
            f.write(GEN[n]())


if __name__ == "__main__":
    main()
