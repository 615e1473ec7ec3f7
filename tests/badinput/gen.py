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


def falco_many_valid():
    # Many distinct alerts (distinct ioctl requests): recorded, then refused as too long a
    # filter, quickly, naming the costliest rule.
    out = []
    for i in range(20000):
        args = "res=0 fd=3(<f>/dev/pts/2) request=%X argument=0" % (0x5400 + i)
        out.append(json.dumps({"output": "x", "output_fields": {"syscall.type": "ioctl",
                                                                 "evt.args": args}}))
    return "\n".join(out) + "\n"


def falco_truncated_many():
    # Every line cut short: the first one is reported.
    out = []
    for i in range(20000):
        out.append(json.dumps({"output": "x", "output_fields": {"syscall.type": "ioctl",
                                                                 "evt.args": "request=%X" % i}})[:-3])
    return "\n".join(out) + "\n"


def falco_nested():
    return '{"output_fields":' * 100000 + "\n"


def huge_word():
    # As long as one argument may be (the kernel's MAX_ARG_STRLEN is 128 KiB).
    return "x" * (120 << 10)


def many_groups():
    # 10 MB of groups (about 90,000), the last one naming an unknown group: loading and
    # looking up must not scan every group per group.
    g = {}
    n = 10 * MB // 110
    for i in range(n):
        g["group_%06d" % i] = {"description": "d", "rules": [{"name": "read"}]}
    g["top"] = {"description": "t", "rules": [{"group": "group_000001"}, {"group": "nope"}]}
    return json.dumps(g)


def big_filter():
    # Rules with 256 values each on 48 syscalls and four ABIs: far over 4096 instructions;
    # refused within the bound (duplicate removal was quadratic), naming the costliest rule.
    v = ", ".join(str(i * 3) for i in range(256))
    names = ", ".join('"%s"' % n for n in (
        "read write openat close fstat lseek mmap mprotect munmap brk ioctl pread64 pwrite64 "
        "readv writev access pipe select sched_yield mremap msync mincore madvise dup dup2 "
        "pause nanosleep getitimer alarm setitimer getpid sendfile socket connect accept "
        "sendto recvfrom sendmsg recvmsg shutdown bind listen getsockname getpeername "
        "socketpair setsockopt getsockopt").split())
    rule = ('[[syscalls]]\nnames = [%s]\naction = "Allow"\n'
            'conditions = [ { index = 0, type = "any_of", values = [%s] } ]\n' % (names, v))
    return ('default_action = "Errno"\narchitectures = ["x86_64", "x86", "x32", "aarch64"]\n' +
            rule * 8)


def over_4096():
    # Thousands of distinct conditions: more BPF than the kernel takes.
    rules = []
    for i in range(6000):  # an equality set costs ~1.3 instructions a value
        rules.append('[[syscalls]]\nnames = ["ioctl"]\naction = "Allow"\n'
                     'conditions = [ { argument = "cmd", type = "equals", value = %d } ]\n' % (i * 7 + 1))
    return 'default_action = "Errno"\n' + "".join(rules)


def deep_json():
    return "[" * 200000 + "]" * 200000


def deep_toml():
    return 'default_action = "Errno"\nx = ' + "[" * 200000 + "]" * 200000 + "\n"


def wide_oci():
    # A 10,000-rule profile (json-loc's index must stay linear); the last rule is bad.
    rules = [{"names": ["read"], "action": "SCMP_ACT_ALLOW" if i < 9999 else "SCMP_ACT_NOPE"}
             for i in range(10000)]
    return json.dumps({"defaultAction": "SCMP_ACT_ERRNO", "syscalls": rules}, indent=1)


# kind/name: the runner picks the commands by kind (policy, groups, falco, words).
GEN = {
    "policy/big.toml": big_toml,
    "policy/big-oci.json": big_oci,
    "policy/huge-name.toml": huge_name,
    "policy/over-4096.toml": over_4096,
    "policy/big-filter.toml": big_filter,
    "policy/deep.json": deep_json,
    "policy/deep.toml": deep_toml,
    "policy/wide-oci.json": wide_oci,
    "groups/wide-dag.json": wide_dag,
    "groups/many-groups.json": many_groups,
    "falco/many-then-truncated.jsonl": falco_many,
    "falco/many-distinct.oci.jsonl": falco_many_valid,
    "falco/truncated-big.jsonl": falco_truncated,
    "falco/truncated-many.jsonl": falco_truncated_many,
    "falco/nested.jsonl": falco_nested,
    "words/huge-word": huge_word,
}


def main():
    out = sys.argv[1]
    names = sys.argv[2:] or list(GEN)
    for n in names:
        os.makedirs(os.path.dirname(os.path.join(out, n)), exist_ok=True)
        with open(os.path.join(out, n), "w") as f:
            f.write(GEN[n]())


if __name__ == "__main__":
    main()
