#!/usr/bin/env python3
"""Arguments the kernel truncates: high garbage must not slip past a deny rule.

`sys_clone` reads only the low 32 bits of its `unsigned long clone_flags`, so a filter
comparing all 64 bits denies `clone_flags == V` but lets `V | garbage << 32` through, and the
kernel runs V. The catalog keeps the width the kernel reads (data/syscall-arg-widths.txt,
from the kernel source); `seccompose syscalls --json` reports it as "bits". For every such
argument of x86_64 (a register-wide type, 32 bits read):

  live, when a call is known to fail harmlessly (CALLS below): a policy denying `arg == V`
  with a distinctive errno is compiled to raw BPF, the independent probe try-syscall installs
  it and calls with V and with V | garbage << 32: both must be denied (so too for
  personality and prctl's option, declared 32-bit already). Without the filter
  the same garbage call must reach the kernel and fail on its own (so the probe means it).
  Every other narrowed argument, and those of every other 64-bit ABI, through the
  interpreter (`seccompose check`). An argument narrowed in the catalog without a live call
  here is listed in the summary line, not skipped silently.

usage: test-widths.py TRY_SYSCALL   (SECCOMPOSE in the environment)
"""
import json
import os
import re
import subprocess
import sys
import tempfile

SC = os.environ["SECCOMPOSE"]
TRY = sys.argv[1]
DENY = 55  # ENOANO: none of these calls returns it by itself
GARBAGE = 0xdead0001 << 32
# Register-wide parameter types: narrowed to 32 bits, they are what this test is about.
WIDE = {"long", "unsigned long", "size_t", "ssize_t", "off_t", "loff_t", "u64"}

# (syscall, argument) -> (V, the call's arguments with "V" where the value goes, the errno
# the kernel gives the call without a filter). Each call fails before doing anything.
CALLS = {
    # CLONE_THREAD without CLONE_SIGHAND: EINVAL (kernel/fork.c, copy_process()).
    ("clone", "clone_flags"): (0x10000, ["V", 0, 0, 0, 0], 22),
    # A descriptor that is not open: EBADF from fget().
    ("mmap", "fd"): (1000, [0, 4096, 1, 2, "V", 0], 9),
    # PTRACE_PEEKDATA on a pid that does not exist: ESRCH.
    ("ptrace", "pid"): (0x3ffffff0, [2, "V", 0, 0], 3),
    # An unknown mode: EINVAL before any memory is touched (len 0).
    ("mbind", "mode"): (99, [0, 0, "V", 0, 0, 0], 22),
    # Declared 32-bit already in Linux 6.12 (unsigned int, int), and so compared on 32 bits
    # from the start; the same guarantee, shown. 0xffffffff only asks for the persona.
    ("personality", "personality"): (0xffffffff, ["V"], 0),
    ("prctl", "option"): (0x7fff0000, ["V", 0, 0, 0, 0], 22),
}

failures = []
counts = {"live": 0, "interpreter": 0}


def check(cond, what):
    if not cond:
        failures.append(what)
        print(f"FAIL {what}")


def narrowed(arch):
    """[(syscall, number, argument, index, nargs)] of @arch read on fewer bits than declared;
    on x86_64 the arguments of CALLS too, whatever the catalog says (they must be denied)."""
    out = subprocess.run([SC, "syscalls", "--arch", arch, "--json"], capture_output=True,
                         text=True, check=True).stdout
    found = []
    for s in json.loads(out):
        for a in s["args"]:
            if (a["type"] in WIDE and not a["pointer"] and a["bits"] < 64) or \
                    (arch == "x86_64" and (s["name"], a["name"]) in CALLS):
                found.append((s["name"], s["number"], a["name"], a["index"], len(s["args"])))
    return found


def policy(tmp, arch, scmp, name, arg, value):
    path = os.path.join(tmp, f"{arch}-{name}-{arg}.toml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'default_action = "Allow"\narchitectures = ["{scmp}"]\n'
                f'[[syscalls]]\nnames = ["{name}"]\naction = "Errno"\nerrno_ret = {DENY}\n'
                f'conditions = [ {{ argument = "{arg}", type = "equals", value = {value} }} ]\n')
    return path


def interp(pol, arch, name, args):
    r = subprocess.run([SC, "check", "--arch", arch, pol, name] + [str(x) for x in args],
                       capture_output=True, text=True)
    return r.stdout.strip() or r.stderr.strip()


def probe(nr, args, bpf=None):
    cmd = [TRY] + (["--install", bpf] if bpf else []) + [str(nr)] + [hex(x) for x in args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    m = re.search(r"errno=(\d+)", r.stdout)
    return (r.returncode, int(m.group(1)) if m else None, r.stdout.strip() + r.stderr.strip())


def main():
    arches = {"x86_64": "SCMP_ARCH_X86_64", "aarch64": "SCMP_ARCH_AARCH64",
              "riscv64": "SCMP_ARCH_RISCV64", "ppc64le": "SCMP_ARCH_PPC64LE",
              "s390x": "SCMP_ARCH_S390X", "mips64": "SCMP_ARCH_MIPS64",
              "loongarch64": "SCMP_ARCH_LOONGARCH64"}
    no_live = []
    with tempfile.TemporaryDirectory() as tmp:
        x64 = narrowed("x86_64")
        check(len(x64) == len(CALLS) and all(CALLS.get((n, a)) for n, _, a, _, _ in x64),
              "the x86_64 arguments narrowed are not those with a live call here")
        for arch, scmp in arches.items():
            for name, nr, arg, idx, nargs in narrowed(arch):
                v = CALLS.get((name, arg), (7,))[0]
                pol = policy(tmp, arch, scmp, name, arg, v)
                # V itself only where it runs live too: an interpreter call costs seconds
                # under ASan, and the high garbage is the point.
                for value in ((v, v | GARBAGE) if arch == "x86_64" else (v | GARBAGE,)):
                    args = [0] * nargs
                    args[idx] = value
                    got = interp(pol, arch, name, args)
                    check(got == "Errno(ENOANO)",
                          f"interpreter {arch} {name} {arg}={value:#x}: {got}, not Errno(ENOANO)")
                counts["interpreter"] += 1
                if arch != "x86_64":
                    continue
                if (name, arg) not in CALLS:
                    no_live.append(f"{name}:{arg}")
                    continue
                v, template, kernel_errno = CALLS[(name, arg)]
                before = len(failures)
                bpf = os.path.join(tmp, f"{name}-{arg}.bpf")
                subprocess.run([SC, "compile", pol, "--format", "bpf", "-o", bpf], check=True)
                for value in (v, v | GARBAGE):
                    args = [value if x == "V" else x for x in template]
                    rc, err, out = probe(nr, args, bpf)
                    check(rc == 0 and err == DENY,
                          f"live {name} {arg}={value:#x} under the filter: {out}, not errno {DENY}")
                    rc, err, out = probe(nr, args)
                    check(rc == 0 and err == kernel_errno,
                          f"live {name} {arg}={value:#x} without a filter: {out}, not errno {kernel_errno}")
                if len(failures) > before:
                    continue
                counts["live"] += 1
                print(f"ok {name} {arg}: {v:#x} and {v | GARBAGE:#x} denied in the kernel")
    print(f"widths: {counts['live']} arguments denied live with high garbage, "
          f"{counts['interpreter']} (arch, argument) pairs in the interpreter; "
          f"{len(failures)} failures" + (f"; no safe live call for {' '.join(no_live)}" if no_live else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
