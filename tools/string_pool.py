"""One C string pool for a generated table: every string once, back to back with its NUL;
table rows hold offsets into it.

Rows without pointers need no relocation when the library is loaded, so a generated table
stays in .rodata, mapped from the file and shared between processes, instead of being copied
and patched at every start (the syscall and constant catalogs held 46,000 such pointers).
Used by tools/gen-syscalls.py and tools/gen-constants.py.
"""


def c_literal(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class StringPool:
    def __init__(self):
        self.offsets = {}
        self.strings = []
        self.size = 0

    def add(self, s):
        """The offset of @s, added when new."""
        if s not in self.offsets:
            self.offsets[s] = self.size
            self.strings.append(s)
            self.size += len(s.encode("utf-8")) + 1
        return self.offsets[s]

    def render(self, cname, width=88):
        """`const char CNAME[] = …;`: a string a line after its offset, long ones (space
        separated words) split into adjacent literals of about @width characters."""
        out = [f"const char {cname}[] =\n"]
        for s in self.strings:
            parts, cur = [], ""
            for word in s.split(" "):
                if cur and len(cur) + 1 + len(word) > width:
                    parts.append(cur + " ")
                    cur = word
                else:
                    cur = f"{cur} {word}" if cur else word
            parts.append(cur)
            parts[-1] = c_literal(parts[-1])[:-1] + '\\0"'
            lits = [c_literal(p) for p in parts[:-1]] + [parts[-1]]
            out.append(f"\t/* {self.offsets[s]:6} */ " + "\n\t\t\t".join(lits) + "\n")
        out.append("\t;\n")
        return "".join(out)
