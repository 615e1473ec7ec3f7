#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""`seccompose intersect --as-runtime` against a literal implementation of the runtimes'
merge rule (KEP-6061, the merge library's Intersect) on OCI JSON.

Random OCI profiles (several entries per name, conditions on shared indexes, masked ones)
and TOML policies (whose OCI export is what a runtime would read) are intersected in pairs
and triples; the syscalls the merge below denies wholly — two entries for a name whose
conditions on one argument index differ, in one profile or across two — must be exactly
the ones seccompose names, and the written policy must deny them (KillProcess).
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile

SECCOMPOSE = os.environ["SECCOMPOSE"]

# The merge library's order, most restrictive first.
ORDER = ["SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL", "SCMP_ACT_TRAP",
         "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY", "SCMP_ACT_LOG", "SCMP_ACT_ALLOW"]


def more_restrictive(a, b):
    return a if ORDER.index(a) <= ORDER.index(b) else b


def arg_key(a):
    return (a.get("value", 0), a.get("valueTwo", 0), a["op"])


def intersect_args(left, right):
    """(args, denied) as the merge computes them for two entries of one name."""
    if not left and not right:
        return [], False
    if not left:
        return list(right), False
    if not right:
        return list(left), False
    if [arg_key(a) + (a["index"],) for a in left] == [arg_key(a) + (a["index"],) for a in right]:
        return list(left), False
    by_l, by_r = {}, {}
    for a in left:
        by_l.setdefault(a["index"], []).append(a)
    for a in right:
        by_r.setdefault(a["index"], []).append(a)
    out = []
    for idx, group in by_l.items():
        if idx in by_r:
            if sorted(map(arg_key, group)) != sorted(map(arg_key, by_r[idx])):
                return None, True
        out += group
    for idx, group in by_r.items():
        if idx not in by_l:
            out += group
    return sorted(out, key=lambda a: a["index"]), False


def pick(left, right, denied):
    action = more_restrictive(left["action"], right["action"])
    args, deny = intersect_args(left.get("args") or [], right.get("args") or [])
    if deny:
        denied.add(left["names"][0])
        return {"names": left["names"], "action": "SCMP_ACT_KILL_PROCESS", "args": []}
    return {"names": left["names"], "action": action, "args": args}


def normalize(profile, denied):
    out = {}
    for entry in profile.get("syscalls") or []:
        for name in entry["names"]:
            single = {"names": [name], "action": entry["action"], "args": entry.get("args") or []}
            out[name] = pick(out[name], single, denied) if name in out else single
    return out


def runtime_denials(profiles):
    """The names the literal merge of @profiles (folded left to right) denies wholly."""
    denied = set()
    acc = normalize(profiles[0], denied)
    for p in profiles[1:]:
        right = normalize(p, denied)
        for name, entry in right.items():
            acc[name] = pick(acc[name], entry, denied) if name in acc else entry
    return denied


NAMES = ["ioctl", "socket", "fcntl", "prctl", "personality", "kill", "mmap", "getpid", "read", "clone"]
OPS = ["SCMP_CMP_EQ", "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_GT", "SCMP_CMP_GE",
       "SCMP_CMP_MASKED_EQ"]
VALUES = [0, 1, 2, 3, 16, 0x5401, 0x7fffffff, 0xffffffff]
ACTIONS = ["SCMP_ACT_ALLOW", "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_LOG"]


def random_arg(rng):
    op = rng.choice(OPS)
    a = {"index": rng.randrange(3), "op": op, "value": rng.choice(VALUES)}
    if op == "SCMP_CMP_MASKED_EQ":
        a["value"] = rng.choice([1, 3, 0xf0, 0xff])
        a["valueTwo"] = a["value"] & rng.choice([0, 1, 0xff])
    return a


def random_oci(rng):
    entries = []
    for _ in range(rng.randrange(1, 9)):
        e = {"names": rng.sample(NAMES, rng.randrange(1, 3)), "action": rng.choice(ACTIONS)}
        if e["action"] == "SCMP_ACT_ERRNO":
            e["errnoRet"] = rng.choice([1, 13])
        args = [random_arg(rng) for _ in range(rng.randrange(0, 3))]
        if args:
            e["args"] = args
        entries.append(e)
    return {"defaultAction": rng.choice(["SCMP_ACT_ERRNO", "SCMP_ACT_ALLOW", "SCMP_ACT_KILL_PROCESS"]),
            "architectures": ["SCMP_ARCH_X86_64"], "syscalls": entries}


def random_toml(rng):
    lines = ['default_action = "Errno"', 'architectures = ["SCMP_ARCH_X86_64"]']
    for _ in range(rng.randrange(1, 6)):
        name = rng.choice(["ioctl", "socket", "fcntl", "kill", "getpid"])
        lines += ["[[syscalls]]", f'names = ["{name}"]', f'action = "{rng.choice(["Allow", "KillProcess"])}"']
        if name != "getpid" and rng.randrange(2):
            arg = {"ioctl": "cmd", "socket": "family", "fcntl": "cmd", "kill": "sig"}[name]
            lines.append(f'conditions = [ {{ argument = "{arg}", type = "equals", value = {rng.choice([1, 2, 3, 16])} }} ]')
    return "\n".join(lines) + "\n"


def run(*args):
    return subprocess.run([SECCOMPOSE, *args], capture_output=True, text=True)


def main():
    rng = random.Random(6061)
    sets = int(os.environ.get("SC_AS_RUNTIME_SETS", "120"))
    checked = predicted = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(sets):
            files, jsons = [], []
            for k in range(3 if i % 4 == 0 else 2):
                if rng.randrange(4) == 0:
                    path = os.path.join(tmp, f"{i}-{k}.toml")
                    with open(path, "w") as f:
                        f.write(random_toml(rng))
                    # What a runtime reads for a TOML policy: its OCI export.
                    r = run("compile", path, "--format", "oci", "-o", path + ".json")
                    if r.returncode != 0:
                        break
                    with open(path + ".json") as f:
                        jsons.append(json.load(f))
                else:
                    path = os.path.join(tmp, f"{i}-{k}.json")
                    profile = random_oci(rng)
                    with open(path, "w") as f:
                        json.dump(profile, f)
                    jsons.append(profile)
                files.append(path)
            else:
                out = os.path.join(tmp, f"{i}-out.json")
                r = run("intersect", "--as-runtime", *files, "-o", out)
                if r.returncode == 3 and "no architecture in common" not in r.stderr:
                    # A policy the loader refuses (a condition it rejects) is not a merge case.
                    if "error" in r.stderr and "intersect" not in r.stderr:
                        continue
                if r.returncode != 0:
                    print(f"not ok - set {i}: exit {r.returncode}: {r.stderr}")
                    return 1
                said = set(re.findall(r"merge denies (\S+) wholly", r.stderr))
                want = runtime_denials(jsons)
                if said != want:
                    print(f"not ok - set {i}: seccompose predicts {sorted(said)}, the merge denies {sorted(want)}")
                    for path, p in zip(files, jsons):
                        print(f"# {path}: {json.dumps(p)}")
                    return 1
                for name in said:
                    c = run("check", out, name, "0", "0", "0")
                    if c.stdout.strip() != "KillProcess":
                        print(f"not ok - set {i}: {name} is not denied in the written policy: {c.stdout}")
                        return 1
                checked += 1
                predicted += len(said)
    print(f"ok - {checked} intersections, {predicted} syscalls denied by the runtimes' merge, all predicted")
    if checked < sets // 2 or predicted == 0:
        print("not ok - too few cases checked")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
