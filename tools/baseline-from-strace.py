#!/usr/bin/env python3
"""The calls a container runtime makes after installing the container's seccomp filter and
before the entrypoint runs, read from `strace -f` logs of the runtime (one or more files).

    baseline-from-strace.py ENTRYPOINT TRACE...

A task is filtered from the moment its seccomp(SECCOMP_SET_MODE_FILTER) or
prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER) returns 0 (with SECCOMP_FILTER_FLAG_TSYNC every
thread of its process too, found from clone(CLONE_THREAD) results); a task it clones later
inherits the filter. Every call a filtered task starts counts, up to and including the
successful execve of ENTRYPOINT (the workload from there on). Prints the syscall names, one
a line, sorted; exits 1 when no filter install or no entrypoint execve was seen (the runtime
did not run the container: the measurement is void).
"""
import re
import sys

LINE = re.compile(r"^(\d+) +(.*)$")
CALL = re.compile(r"^([a-z_][a-z0-9_]*)\(")
RESUMED = re.compile(r"^<\.\.\. ([a-z0-9_]+) resumed>")
RESULT = re.compile(r"= (-?\d+|\?)(?: [A-Z]\w*.*)?$")


def measure(entry, paths):
	calls, seen_install, seen_exec = set(), False, False
	for path in paths:
		thread_of = {}      # tid -> the tgid it is a thread of (clone(CLONE_THREAD))
		filtered = set()    # tids under the container's filter
		pending = {}        # tid -> (call name, first line) of an unfinished call
		done = set()        # tids whose entrypoint execve succeeded

		def complete(tid, name, text):
			nonlocal seen_install, seen_exec
			m = RESULT.search(text)
			res = m.group(1) if m else None
			if name in ("clone", "clone3", "fork", "vfork") and res and res.lstrip("-").isdigit() and int(res) > 0:
				child = int(res)
				if "CLONE_THREAD" in text:
					thread_of[child] = thread_of.get(tid, tid)
				if tid in filtered:
					filtered.add(child)
			installs = (name == "seccomp" and "SECCOMP_SET_MODE_FILTER" in text) or \
				(name == "prctl" and "PR_SET_SECCOMP" in text and "SECCOMP_MODE_FILTER" in text)
			if installs and res == "0":
				seen_install = True
				filtered.add(tid)
				if "SECCOMP_FILTER_FLAG_TSYNC" in text:
					group = thread_of.get(tid, tid)
					filtered.update(t for t, g in thread_of.items() if g == group)
					filtered.add(group)
			if name in ("execve", "execveat") and res == "0" and tid in filtered and entry in text:
				seen_exec = True
				done.add(tid)

		with open(path, errors="replace") as f:
			for raw in f:
				m = LINE.match(raw.rstrip("\n"))
				if not m:
					continue
				tid, rest = int(m.group(1)), m.group(2)
				if tid in done:
					continue
				r = RESUMED.match(rest)
				if r:
					name, first = pending.pop(tid, (r.group(1), ""))
					complete(tid, name, first + rest)
					continue
				c = CALL.match(rest)
				if not c:
					continue  # signals, exits
				name = c.group(1)
				if tid in filtered:
					calls.add(name)
				if rest.endswith("<unfinished ...>"):
					pending[tid] = (name, rest)
				else:
					complete(tid, name, rest)
	if not seen_install or not seen_exec:
		sys.stderr.write("baseline-from-strace: %s\n" % (
			"no seccomp filter install seen" if not seen_install else
			"no successful execve of %s under the filter" % entry))
		return 1
	for name in sorted(calls):
		print(name)
	return 0


if __name__ == "__main__":
	if len(sys.argv) < 3:
		sys.stderr.write(__doc__)
		sys.exit(2)
	sys.exit(measure(sys.argv[1], sys.argv[2:]))
