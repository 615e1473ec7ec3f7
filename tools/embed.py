#!/usr/bin/env python3
"""Embed a data file in the library as a C byte array: embed.py INPUT OUTPUT.c SYMBOL."""
import sys

src, out, sym = sys.argv[1:4]
data = open(src, "rb").read()
with open(out, "w", encoding="utf-8") as f:
    f.write(f"/* Generated at build time by tools/embed.py from {src.split('/')[-1]} — do not edit. */\n")
    f.write("#include <stddef.h>\n")
    f.write(f"extern const char {sym}[];\nextern const size_t {sym}_len;\n")
    f.write(f"const char {sym}[] = {{\n")
    for i in range(0, len(data), 16):
        f.write("\t" + ", ".join(str(b) for b in data[i:i + 16]) + ",\n")
    f.write("\t0\n};\n")
    f.write(f"const size_t {sym}_len = {len(data)};\n")
