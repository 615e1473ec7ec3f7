#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Run a raw classic-BPF seccomp program (compile --format bpf) on one call, apart from
seccompose's own interpreter, and print the action: ALLOW, ERRNO(n), KILL_PROCESS …

usage: run-bpf.py FILE AUDIT_ARCH NR [ARG...]   (numbers in any base Python reads)

struct seccomp_data as a little-endian ABI lays it out (nr, arch, instruction_pointer,
args[6]); the opcodes are linux/filter.h's.
"""
import struct
import sys

RET_NAMES = {0x80000000: "KILL_PROCESS", 0x00000000: "KILL_THREAD", 0x00030000: "TRAP",
             0x00050000: "ERRNO", 0x7fc00000: "USER_NOTIF", 0x7ff00000: "TRACE",
             0x7ffc0000: "LOG", 0x7fff0000: "ALLOW"}
M32 = 0xffffffff


def action(ret):
    name = RET_NAMES.get(ret & 0xffff0000, hex(ret))
    return f"{name}({ret & 0xffff})" if name in ("ERRNO", "TRACE", "TRAP") else name


def run(prog, data):
    a = x = 0
    mem = [0] * 16
    pc = 0
    for _ in range(len(prog) + 1):  # classic BPF only jumps forward
        code, jt, jf, k = prog[pc]
        cls = code & 0x07
        pc += 1
        if cls in (0x00, 0x01):  # LD, LDX
            mode = code & 0xe0
            if mode == 0x20:
                v = struct.unpack_from("<I", data, k)[0]
            elif mode == 0x00:
                v = k
            elif mode == 0x60:
                v = mem[k]
            elif mode == 0x80:
                v = len(data)
            else:
                raise SystemExit(f"unsupported load {code:#x}")
            if cls == 0x00:
                a = v
            else:
                x = v
        elif cls == 0x02:
            mem[k] = a
        elif cls == 0x03:
            mem[k] = x
        elif cls == 0x04:  # ALU
            op, src = code & 0xf0, (x if code & 0x08 else k)
            a = {0x00: lambda: a + src, 0x10: lambda: a - src, 0x20: lambda: a * src,
                 0x30: lambda: a // src, 0x40: lambda: a | src, 0x50: lambda: a & src,
                 0x60: lambda: a << src, 0x70: lambda: a >> src, 0x80: lambda: -a,
                 0x90: lambda: a % src, 0xa0: lambda: a ^ src}[op]() & M32
        elif cls == 0x05:  # JMP
            op, src = code & 0xf0, (x if code & 0x08 else k)
            if op == 0x00:
                pc += k
                continue
            taken = {0x10: a == src, 0x20: a > src, 0x30: a >= src, 0x40: (a & src) != 0}[op]
            pc += jt if taken else jf
        elif cls == 0x06:  # RET
            return k if (code & 0x18) == 0x00 else a
        elif cls == 0x07:  # MISC
            if code & 0xf8 == 0x00:
                x = a
            else:
                a = x
    raise SystemExit("the program ran off its end")


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    raw = open(sys.argv[1], "rb").read()
    prog = [struct.unpack_from("<HBBI", raw, i) for i in range(0, len(raw), 8)]
    arch, nr = int(sys.argv[2], 0), int(sys.argv[3], 0)
    args = [int(v, 0) & 0xffffffffffffffff for v in sys.argv[4:]] + [0] * (6 - len(sys.argv[4:]))
    data = struct.pack("<IIQ6Q", nr, arch, 0, *args)
    print(action(run(prog, data)))


main()
