#!/usr/bin/env python3
"""The measured runtime baselines (data/runtime-baselines/*.txt, written by
tools/measure-runtime-baseline.sh) as a C table, at build time:

    gen-runtime-baselines.py OUTPUT.c INPUT.txt...

One entry per file, named after it (runc.txt -> "runc"): the `# runtime:` and `# measured:`
header lines and the syscall names (one a line; `#` lines are comments).
"""
import os
import re
import sys


def c_string(s):
	return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main(out, inputs):
	entries = []
	for path in sorted(inputs):
		name = os.path.basename(path)[:-len(".txt")]
		header, calls = {}, []
		for line in open(path, encoding="utf-8"):
			line = line.strip()
			m = re.match(r"#\s*(runtime|measured):\s*(.*)$", line)
			if m:
				header[m.group(1)] = m.group(2)
			elif line and not line.startswith("#"):
				if not re.fullmatch(r"[a-z_][a-z0-9_]*", line):
					sys.exit("%s: '%s' is no syscall name" % (path, line))
				calls.append(line)
		if not calls or "runtime" not in header or "measured" not in header:
			sys.exit("%s: no calls, or no '# runtime:' or '# measured:' line" % path)
		entries.append((name, header, sorted(set(calls))))
	with open(out, "w", encoding="utf-8") as f:
		f.write("/* Generated at build time by tools/gen-runtime-baselines.py from "
			"data/runtime-baselines/ — do not edit. */\n")
		f.write('#include "catalog/runtime-baseline.h"\n\n')
		for name, _, calls in entries:
			ident = name.replace("-", "_")
			f.write("static const char *const calls_%s[] = {\n" % ident)
			for c in calls:
				f.write("\t%s,\n" % c_string(c))
			f.write("\tNULL\n};\n")
		f.write("\nconst struct rt_measurement rt_measurements[] = {\n")
		for name, header, _ in entries:
			f.write("\t{ %s, %s, %s, calls_%s },\n" % (c_string(name), c_string(header["runtime"]),
				c_string(header["measured"]), name.replace("-", "_")))
		f.write("};\n")
		f.write("const size_t rt_measurement_count = %d;\n" % len(entries))


if __name__ == "__main__":
	if len(sys.argv) < 3:
		sys.exit(__doc__)
	main(sys.argv[1], sys.argv[2:])
