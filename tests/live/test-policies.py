#!/usr/bin/env python3
"""Policies compiled by seccompose, enforced by the real kernel, checked two ways.

For each case a policy (our TOML) is compiled to raw BPF with `seccompose compile --format
bpf`; the independent probe `try-syscall --install` loads it with no_new_privs + seccomp(2)
and makes one raw call (x86_64, x32 or i386 via int 0x80). What the kernel did must be what
the policy says — and what `seccompose check` (the userspace interpreter) predicts.

Some kernels here have no IA32 emulation (CONFIG_IA32_EMULATION off, or ia32_emulation=0):
int 0x80 then faults even with no filter, so no filter can be seen judging an i386 call. One
unfiltered probe decides; without emulation the i386 cases are judged by the interpreter alone,
against the same expectations, and the summary line says so. x32 needs no such probe: a
kernel without x32 still runs the filter first and fails an allowed call with ENOSYS after.

usage: test-policies.py TRY_SYSCALL   (SECCOMPOSE in the environment)
"""
import errno
import os
import re
import subprocess
import sys
import tempfile

SC = os.environ["SECCOMPOSE"]
TRY = sys.argv[1]
ENOSYS, EPERM, EBADF = 38, 1, 9

# (name, policy, [(abi, syscall, args, expected)]), expected one of:
#   ("errno", N)  the call failed with errno N without running (N is distinctive per policy)
#   ("ran",)      the call ran (its own result, whatever it is, not the filter's errno)
#   ("kernel_errno", N)  the call ran and the kernel failed it with errno N
#   ("sigsys",)   killed by SIGSYS            ("trap",)  SIGSYS delivered to a handler
# The probe itself must be able to report and exit under a deny-by-default policy.
PROBE = """
[[syscalls]]
names = ["exit_group", "exit", "rt_sigreturn", "fstat", "newfstatat"]
action = "Allow"
[[syscalls]]
names = ["write"]
action = "Allow"
conditions = [ { argument = "fd", type = "equals", value = 1 } ]
"""
BASE = 'default_action = "Errno"\ndefault_errno_ret = 77\n'
CASES = [
    ("errno values", BASE + '''
[[syscalls]]
names = ["getppid"]
action = "Allow"
[[syscalls]]
names = ["dup"]
action = "Errno"
errno_ret = 4095
[[syscalls]]
names = ["umask"]
action = "Errno"
errno_ret = 0
''', [("native", "getppid", [], ("ran",)),
      ("native", "getpid", [], ("errno", 77)),
      ("native", "dup", [1], ("errno", 4095)),
      ("native", "umask", [0o22], ("errno0",))]),

    ("every action", 'default_action = "Allow"\n' + '''
[[syscalls]]
names = ["getpid"]
action = "KillProcess"
[[syscalls]]
names = ["getppid"]
action = "KillThread"
[[syscalls]]
names = ["getuid"]
action = "Trap"
errno_ret = 42
[[syscalls]]
names = ["getgid"]
action = "Log"
[[syscalls]]
names = ["geteuid"]
action = "Trace"
errno_ret = 7
''', [("native", "getpid", [], ("sigsys",)),
      ("native", "getppid", [], ("sigsys",)),
      ("native", "getuid", [], ("trap", 42)),
      ("native", "getgid", [], ("ran",)),
      ("native", "geteuid", [], ("errno", ENOSYS)),   # TRACE with no tracer: ENOSYS
      ("native", "getegid", [], ("ran",))]),

    ("arguments and widths", BASE + '''
[[syscalls]]
names = ["ioctl"]
action = "Allow"
conditions = [ { argument = "cmd", type = "equals", value = "TCGETS" } ]
[[syscalls]]
names = ["dup"]
action = "Allow"
conditions = [ { argument = "fildes", type = "less_than", value = 3 } ]
[[syscalls]]
names = ["close"]
action = "Allow"
conditions = [ { argument = "fd", type = "any_of", values = [100, 101] } ]
[[syscalls]]
names = ["socket"]
action = "Allow"
conditions = [ { argument = "family", type = "equals", value = "AF_UNIX" } ]
''', [("native", "ioctl", [1000, 0x5401], ("ran",)),           # EBADF from the kernel
      ("native", "ioctl", [1000, 0x5412], ("errno", 77)),       # TIOCSTI: not allowed
      ("native", "ioctl", [1000, 0x5401 | (1 << 32)], ("ran",)),  # 32-bit cmd: high bits ignored
      ("native", "dup", [1], ("ran",)),
      ("native", "dup", [5], ("errno", 77)),
      ("native", "dup", [1 | (7 << 32)], ("ran",)),             # int fildes: low half
      ("native", "close", [100], ("ran",)),
      ("native", "close", [102], ("errno", 77)),
      ("native", "socket", [1, 1, 0], ("ran",)),
      ("native", "socket", [2, 1, 0], ("errno", 77)),
      ("native", "socket", [16, 3, 0], ("errno", 77))]),

    ("denials win: the CVE-2019-10063 pattern", 'default_action = "Allow"\n' + '''
[[syscalls]]
names = ["ioctl"]
action = "Errno"
errno_ret = 99
conditions = [ { argument = "cmd", type = "equals", value = "TIOCSTI" } ]
''', [("native", "ioctl", [1000, 0x5412], ("errno", 99)),
      ("native", "ioctl", [1000, 0x5412 | (1 << 32)], ("errno", 99)),
      ("native", "ioctl", [1000, 0x5412 | (0xffffffff << 32)], ("errno", 99)),
      ("native", "ioctl", [1000, 0x5401], ("ran",))]),

    # Group semantics. openat with a NULL path: EFAULT (14) from the kernel when the filter
    # lets it through, 77 when the filter stops it; the flags decide.
    ("group open_read", BASE + '''
[[abstract_syscalls]]
names = ["open_read"]
action = "Allow"
''', [("native", "openat", [-100, 0, 0o0], ("kernel_errno", 14)),            # O_RDONLY
      ("native", "openat", [-100, 0, 0o2000000], ("kernel_errno", 14)),      # O_RDONLY|O_CLOEXEC
      ("native", "openat", [-100 & 0xffffffff, 0, 0], ("kernel_errno", 14)), # AT_FDCWD in 32 bits
      ("native", "openat", [-100, 0, 0o1], ("errno", 77)),            # O_WRONLY
      ("native", "openat", [-100, 0, 0o2], ("errno", 77)),            # O_RDWR
      ("native", "openat", [-100, 0, 0o100], ("errno", 77)),          # O_CREAT
      ("native", "openat", [-100, 0, 0o1000], ("errno", 77))]),       # O_TRUNC

    ("group socket_inet", BASE + '''
[[abstract_syscalls]]
names = ["socket_inet"]
action = "Allow"
''', [("native", "socket", [2, 1, 0], ("ran",)),        # AF_INET stream
      ("native", "socket", [10, 2, 0], ("ran",)),       # AF_INET6 datagram
      ("native", "socket", [2, 0o2000001, 0], ("ran",)),  # with SOCK_CLOEXEC
      ("native", "socket", [1, 1, 0], ("errno", 77)),   # AF_UNIX
      ("native", "socket", [16, 3, 0], ("errno", 77)),  # AF_NETLINK
      ("native", "socket", [17, 3, 0], ("errno", 77))]),  # AF_PACKET

    ("group stdio_app", BASE + '''
[[abstract_syscalls]]
names = ["stdio_app"]
action = "Allow"
''', [("native", "read", [0, 0, 0], ("ran",)),
      ("native", "read", [3, 0, 0], ("errno", 77)),
      ("native", "writev", [1, 0, 0], ("ran",)),
      ("native", "writev", [5, 0, 0], ("errno", 77))]),

    ("other ABIs get no more than their own rules", BASE + '''
[[syscalls]]
names = ["getpid", "getppid"]
action = "Allow"
''', [("native", "getpid", [], ("ran",)),
      ("x32", "getpid", [], ("errno", 77)),    # x32 is not listed: the default
      ("i386", 20, [], ("errno", 77)),          # i386 getpid via int 0x80: not listed
      ("i386", 39, [], ("errno", 77))]),        # x86_64's getpid number is i386's mkdir

    ("listed ABIs resolve against their own tables", BASE + '''
architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]
[[syscalls]]
names = ["getpid"]
action = "Allow"
[[syscalls]]
names = ["mkdir"]
action = "Errno"
errno_ret = 55
''', [("native", "getpid", [], ("ran",)),
      ("i386", 20, [], ("ran",)),               # getpid on i386
      ("i386", 39, [0, 0], ("errno", 55)),      # mkdir on i386
      ("i386", 64, [], ("errno", 77)),          # getppid on i386: not allowed
      ("x32", "getpid", [], ("ran_or_enosys",))]),
]


def number(abi, call):
    """try-syscall takes numbers; names are resolved by seccompose for the ABI."""
    if isinstance(call, int):
        return call
    arch = {"native": "x86_64", "x32": "x32", "i386": "x86"}[abi]
    out = subprocess.run([SC, "syscalls", "-q", "--arch", arch, call], capture_output=True,
                         text=True, check=True).stdout
    return int(out)


def run_case(bpf, abi, call, args, handler):
    cmd = [TRY, "--abi", abi, "--install", bpf]
    if handler:
        cmd.append("--sigsys-handler")
    cmd += [str(number(abi, call))] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    return p.returncode, p.stdout + p.stderr


def ia32_emulation():
    """Whether int 0x80 works here: i386 getpid (20), unfiltered, in a child of its own."""
    p = subprocess.run([TRY, "--abi", "i386", "20"], capture_output=True, text=True, timeout=30)
    m = re.search(r"ret=(-?\d+) errno=(\d+)", p.stdout)
    return p.returncode == 0 and bool(m) and int(m.group(1)) > 0


def predicted_errno(predicted):
    """The errno of "Errno(EPERM)" or "Errno(4095)", else None."""
    m = re.fullmatch(r"Errno\((\w+)\)", predicted)
    if not m:
        return None
    v = m.group(1)
    return int(v) if v.isdigit() else getattr(errno, v, None)


def interpreter_only(kind, want, predicted):
    """The expectation judged on the interpreter's answer alone (no kernel to ask)."""
    if kind == "sigsys":
        return predicted.startswith("Kill")
    if kind == "trap":
        return predicted.startswith("Trap")
    if kind == "errno":
        return predicted_errno(predicted) == want[1] or \
            (want[1] == ENOSYS and predicted.startswith("Trace"))
    if kind == "errno0":
        return predicted_errno(predicted) == 0
    if kind == "ran_or_enosys":
        return predicted.startswith("Allow")
    return predicted in ("Allow", "Log")  # ran, kernel_errno


def check_prediction(policy, abi, call, args):
    arch = {"native": "x86_64", "x32": "x32", "i386": "x86"}[abi]
    cmd = [SC, "check", "--arch", arch, policy, str(call)] + [str(a) for a in args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    return p.stdout.strip()


def main():
    passed = failed = interpreted = 0
    int80 = ia32_emulation()
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, calls in CASES:
            policy = os.path.join(tmp, "p.toml")
            bpf = os.path.join(tmp, "p.bpf")
            with open(policy, "w") as f:
                f.write(text + PROBE)
            c = subprocess.run([SC, "compile", policy, "--format", "bpf", "-o", bpf],
                               capture_output=True, text=True)
            if c.returncode != 0:
                print(f"not ok - {name}: compile failed: {c.stderr}")
                failed += 1
                continue
            for abi, call, args, want in calls:
                predicted = check_prediction(policy, abi, call, args)
                kind = want[0]
                label = f"{name}: {abi} {call}({', '.join(hex(a) for a in args)}) -> {want}"
                if abi == "i386" and not int80:
                    interpreted += 1
                    if interpreter_only(kind, want, predicted):
                        print(f"ok - {label} (no IA32 emulation: check only: {predicted})")
                        passed += 1
                    else:
                        print(f"not ok - {label}: check said {predicted!r} (no IA32 emulation: "
                              "check only)")
                        failed += 1
                    continue
                rc, out = run_case(bpf, abi, call, args, want[0] == "trap")
                m = re.search(r"ret=(-?\d+) errno=(\d+)", out)
                if kind == "sigsys":
                    ok = rc == -31 and predicted.startswith("Kill")
                elif kind == "trap":
                    ok = rc == 77 and f"errno-data={want[1]}" in out and predicted.startswith("Trap")
                elif kind == "errno":
                    ok = rc == 0 and m and int(m.group(1)) == -1 and int(m.group(2)) == want[1] \
                        and (predicted.startswith("Errno") or predicted.startswith("Trace"))
                elif kind == "kernel_errno":
                    ok = rc == 0 and m and int(m.group(2)) == want[1] and predicted in ("Allow", "Log")
                elif kind == "errno0":  # SECCOMP_RET_ERRNO|0: returns 0 without running
                    ok = rc == 0 and m and int(m.group(1)) == 0 and predicted.startswith("Errno")
                elif kind == "ran_or_enosys":  # x32 may be compiled out of this kernel
                    ok = rc == 0 and m and predicted.startswith("Allow")
                else:  # ran
                    ok = rc == 0 and m and predicted in ("Allow", "Log") and \
                        not (int(m.group(1)) == -1 and int(m.group(2)) == 77)
                if ok:
                    print(f"ok - {label} (kernel: {out.strip() or rc}; check: {predicted})")
                    passed += 1
                else:
                    print(f"not ok - {label}: kernel rc={rc} {out.strip()!r}, check said {predicted!r}")
                    failed += 1
    note = "" if int80 else \
        f" (no IA32 emulation on this kernel: {interpreted} i386 cases checked by the interpreter only)"
    print(f"{passed} passed, {failed} failed{note}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
