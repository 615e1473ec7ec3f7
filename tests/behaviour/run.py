#!/usr/bin/env python3
"""Behaviour tests as data: tests/behaviour/NN-name.toml + NN-name.tests (README.md beside this).

Every `call => expectation` line is judged by the interpreter (`seccompose check`) on its ABI,
or on every ABI the policy lists for `*`, and, on x86_64's three ABIs, by the real kernel: the
policy compiled to raw BPF (`seccompose compile --format bpf`) and loaded by the independent
probe `try-syscall --install` in a child of its own. The prediction and the kernel must both
match the table.

usage: run.py TRY_SYSCALL [CASE...]   (SECCOMPOSE in the environment; CASE: a file stem)
"""
import errno as errnos
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib

SC = os.environ["SECCOMPOSE"]
TRY = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
DENIED = 77  # the errno deny-by-default cases use, distinct from any the kernel gives

# What the probe needs to report and exit under a deny-by-default policy.
PROBE = """
[[syscalls]]
names = ["exit_group", "exit", "rt_sigreturn", "fstat", "newfstatat"]
action = "Allow"
[[syscalls]]
names = ["write"]
action = "Allow"
conditions = [ { argument = "fd", type = "equals", value = 1 } ]
"""
PROBE_OCI = [{"names": ["exit_group", "exit", "rt_sigreturn", "fstat", "newfstatat"],
              "action": "SCMP_ACT_ALLOW"},
             {"names": ["write"], "action": "SCMP_ACT_ALLOW",
              "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]}]
# x86_64's ABIs, which this machine can run, by try-syscall's names.
LIVE = {"x86_64": "native", "x32": "x32", "x86": "i386"}
ALIASES = {"native": "x86_64", "i386": "x86"}
KINDS = {"ran": 0, "kernel_errno": 1, "errno": 1, "errno0": 0, "sigsys": 0, "trap": 1,
         "ran_or_enosys": 0}


def sc(*args):
    return subprocess.run([SC, *args], capture_output=True, text=True, timeout=60)


CONSTANTS = {c["name"]: c["value"] for c in json.loads(sc("constants", "--json").stdout)}


def value(text, where):
    """`-100`, `0x5401`, `O_RDONLY|O_CLOEXEC`, `TCGETS|1<<32` → an unsigned 64-bit number."""
    total = 0
    for part in text.split("|"):
        base, _, shift = part.partition("<<")
        if base in CONSTANTS:
            v = CONSTANTS[base]
        else:
            try:
                v = int(base, 0)
            except ValueError:
                raise SystemExit(f"{where}: expected an integer or a constant name, found '{base}'")
        total |= v << int(shift, 0) if shift else v
    return total & (2**64 - 1)


def errno_value(text, where):
    if text.isdigit():
        return int(text)
    if hasattr(errnos, text):
        return getattr(errnos, text)
    raise SystemExit(f"{where}: unknown errno '{text}'")


def parse_tests(path):
    """The lines of a .tests file: (lineno, abi, syscall, [args], kind, data); and its options."""
    lines, options = [], []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            where = f"{path}:{n}"
            if line.startswith("# options:"):
                options = line.split(":", 1)[1].split()
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            call, sep, expect = line.partition("=>")
            words, want = call.split(), expect.split()
            if not sep or len(words) < 2 or not want or want[0] not in KINDS or \
                    len(want) != 1 + KINDS[want[0]] or len(words) > 8:
                raise SystemExit(f"{where}: expected 'ABI SYSCALL [ARG...] => EXPECT', found '{line}'")
            data = errno_value(want[1], where) if KINDS[want[0]] else None
            args = [value(a, where) for a in words[2:]]
            lines.append((n, words[0], words[1], args, want[0], data))
    return lines, options


# Every spelling of every ABI (`syscalls --arches`: canonical name, libseccomp's, aliases).
ARCHES = [line.replace("(also:", " ").replace(")", " ").split()
          for line in sc("syscalls", "--arches").stdout.splitlines()]


def arch_name(name):
    """The catalog's canonical name of an ABI spelling."""
    name = ALIASES.get(name, name).lower()
    for spellings in ARCHES:
        if name in (s.lower() for s in spellings[:2] + spellings[spellings.index("syscalls") + 1:]):
            return spellings[0]
    raise SystemExit(f"unknown architecture '{name}'")


def load(policy):
    with open(policy, "rb") as f:
        return json.load(f) if policy.endswith(".json") else tomllib.load(f)


def with_probe(policy, out):
    """@policy with the probe's rules added, written to @out."""
    if policy.endswith(".json"):
        doc = load(policy)
        doc["syscalls"] = doc.get("syscalls", []) + PROBE_OCI
        with open(out, "w") as f:
            json.dump(doc, f)
        return
    with open(policy) as src, open(out, "w") as dst:
        dst.write(src.read() + PROBE)


def listed_arches(policy):
    doc = load(policy)
    return [arch_name(a) for a in doc.get("architectures", [])] or ["x86_64"]


def number(arch, call):
    if re.fullmatch(r"\d+", call):
        return int(call)
    p = sc("syscalls", "-q", "--arch", arch, call)
    return int(p.stdout) if p.returncode == 0 else None


def ia32_emulation():
    """Whether int 0x80 works here: i386 getpid (20), unfiltered, in a child of its own."""
    p = subprocess.run([TRY, "--abi", "i386", "20"], capture_output=True, text=True, timeout=30)
    m = re.search(r"ret=(-?\d+) errno=(\d+)", p.stdout)
    return p.returncode == 0 and bool(m) and int(m.group(1)) > 0


def predicted_errno(predicted):
    m = re.fullmatch(r"Errno\((\w+)\)", predicted)
    if not m:
        return None
    v = m.group(1)
    return int(v) if v.isdigit() else getattr(errnos, v, None)


def by_interpreter(kind, data, predicted):
    if kind == "sigsys":
        return predicted.startswith("Kill")
    if kind == "trap":
        return predicted in (f"Trap({data})", "Trap") if data else predicted.startswith("Trap")
    if kind == "errno":
        return predicted_errno(predicted) == data or \
            (data == errnos.ENOSYS and predicted.startswith("Trace"))
    if kind == "errno0":
        return predicted_errno(predicted) == 0
    if kind == "ran_or_enosys":
        return predicted.startswith("Allow")
    return predicted in ("Allow", "Log")  # ran, kernel_errno


def by_kernel(kind, data, rc, out):
    m = re.search(r"ret=(-?\d+) errno=(\d+)", out)
    ret, err = (int(m.group(1)), int(m.group(2))) if m else (None, None)
    if kind == "sigsys":
        return rc == -31
    if kind == "trap":
        return rc == 77 and f"errno-data={data}" in out
    if kind == "errno":
        return rc == 0 and ret == -1 and err == data
    if kind == "kernel_errno":
        return rc == 0 and ret == -1 and err == data
    if kind == "errno0":  # SECCOMP_RET_ERRNO|0: returns 0 without running
        return rc == 0 and ret == 0
    if kind == "ran_or_enosys":  # x32 may be compiled out of this kernel
        return rc == 0 and m is not None
    return rc == 0 and m is not None and not (ret == -1 and err == DENIED)


def main():
    stems = sys.argv[2:] or sorted(os.path.basename(p)[:-6]
                                   for p in glob.glob(os.path.join(HERE, "*.tests")))
    passed = failed = interpreted = 0
    int80 = ia32_emulation()
    with tempfile.TemporaryDirectory() as tmp:
        for stem in stems:
            source = os.path.join(HERE, stem + ".toml")
            if not os.path.exists(source):
                source = os.path.join(HERE, stem + ".json")
            tests, options = parse_tests(os.path.join(HERE, stem + ".tests"))
            policy = os.path.join(tmp, os.path.basename(source))
            bpf = os.path.join(tmp, stem + ".bpf")
            with_probe(source, policy)
            c = sc("compile", *options, policy, "--format", "bpf", "-o", bpf)
            if c.returncode != 0:
                print(f"not ok - {stem}: compile failed: {c.stderr}")
                failed += 1
                continue
            listed = listed_arches(source)
            for n, abi, call, args, kind, data in tests:
                for arch in listed if abi == "*" else [arch_name(abi)]:
                    label = f"{stem}.tests:{n}: {arch} {call}({', '.join(hex(a) for a in args)}) " \
                            f"=> {kind}{'' if data is None else f' {data}'}"
                    nr = number(arch, call)
                    if nr is None:
                        print(f"not ok - {label}: no syscall '{call}' on {arch}")
                        failed += 1
                        continue
                    predicted = sc("check", *options, "--arch", arch, policy, str(nr),
                                   *map(str, args)).stdout.strip()
                    if not by_interpreter(kind, data, predicted):
                        print(f"not ok - {label}: check said {predicted!r}")
                        failed += 1
                        continue
                    live = LIVE.get(arch)
                    if live is None or (live == "i386" and not int80):
                        interpreted += live is not None
                        print(f"ok - {label} (interpreter: {predicted})")
                        passed += 1
                        continue
                    cmd = [TRY, "--abi", live, "--install", bpf]
                    if kind == "trap":
                        cmd.append("--sigsys-handler")
                    p = subprocess.run(cmd + [str(nr)] + [str(a) for a in args],
                                       capture_output=True, text=True, timeout=30)
                    out = (p.stdout + p.stderr).strip()
                    if by_kernel(kind, data, p.returncode, out):
                        print(f"ok - {label} (kernel: {out or p.returncode}; check: {predicted})")
                        passed += 1
                    else:
                        print(f"not ok - {label}: kernel rc={p.returncode} {out!r}, "
                              f"check said {predicted!r}")
                        failed += 1
    note = "" if int80 else \
        f" (no IA32 emulation on this kernel: {interpreted} i386 calls judged by the interpreter only)"
    print(f"{passed} passed, {failed} failed{note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
