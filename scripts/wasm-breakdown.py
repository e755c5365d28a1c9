#!/usr/bin/env python3
"""What a wasm module's code is made of, by crate and by function (a measuring tool, not a test).

    wasm-breakdown.py MODULE.wasm [--top N] [--grep TEXT]

Reads the code section (each function body's size) and the name section (function names, as
the linker wrote them: Rust's legacy or v0 mangling, demangled here roughly by path) and
prints the bytes of code per crate (the first path segment: `core`, `alloc`, `leptos`, ...) and
the N largest functions. Data segments (string constants, tables) are reported as one line. A
module without names (wasm-opt --strip-debug) can only be reported as totals: run it on cargo's
output or on a split module before wasm-opt (scripts/postbuild.py --keep-names).
"""
import re
import sys
from collections import defaultdict


def leb(data, i):
    result = shift = 0
    while True:
        b = data[i]
        i += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, i


def sections(data):
    assert data[:4] == b"\0asm", "not a wasm module"
    i = 8
    while i < len(data):
        sid = data[i]
        size, j = leb(data, i + 1)
        yield sid, data[j : j + size]
        i = j + size


def demangle(name):
    """The path of a legacy-mangled Rust symbol (`_ZN4core3fmt5write17h...E` -> core::fmt::write)."""
    m = re.match(r"_ZN(.*)E$", name)
    if not m:
        return name
    s, parts, i = m.group(1), [], 0
    while i < len(s) and s[i].isdigit():
        j = i
        while s[j].isdigit():
            j += 1
        n = int(s[i:j])
        parts.append(s[j : j + n])
        i = j + n
    if parts and re.fullmatch(r"h[0-9a-f]{16}", parts[-1]):
        parts.pop()
    return "::".join(p.replace("$LT$", "<").replace("$GT$", ">").replace("$u20$", " ").replace("..", "::") for p in parts)


V0_CRATE = re.compile(r"C(?:s[0-9A-Za-z]*_)?(\d+)")


def crate_of(path):
    # Rust's v0 mangling (`_R...`, build-std's default): the first crate root `C[s<hash>_]<len><name>`
    # is the crate of the item or impl (generic arguments come after it).
    if path.startswith("_R"):
        for m in V0_CRATE.finditer(path, 2):
            n = int(m.group(1))
            name = path[m.end():m.end() + n]
            if len(name) == n and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                return name
        return "?"
    p = path.lstrip("<").lstrip("&").replace("mut ", "")
    p = re.sub(r"^(impl |dyn )", "", p)
    head = re.split(r"::|<| |\[|\(", p, maxsplit=1)[0]
    return head or "?"


def main():
    args = sys.argv[1:]
    path = args[0]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 25
    grep = args[args.index("--grep") + 1] if "--grep" in args else None
    data = open(path, "rb").read()
    imported_funcs = 0
    bodies = []
    names = {}
    data_bytes = 0
    for sid, body in sections(data):
        if sid == 2:  # imports
            n, i = leb(body, 0)
            for _ in range(n):
                for _ in range(2):
                    ln, i = leb(body, i)
                    i += ln
                kind = body[i]
                i += 1
                if kind == 0:
                    _, i = leb(body, i)
                    imported_funcs += 1
                elif kind == 1:
                    i += 1
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 2:
                    flags, i = leb(body, i)
                    _, i = leb(body, i)
                    if flags & 1:
                        _, i = leb(body, i)
                elif kind == 3:
                    i += 2
        elif sid == 10:  # code
            n, i = leb(body, 0)
            for _ in range(n):
                size, j = leb(body, i)
                bodies.append(size + (j - i))
                i = j + size
        elif sid == 11:
            data_bytes = len(body)
        elif sid == 0:
            ln, i = leb(body, 0)
            if body[i : i + ln] != b"name":
                continue
            i += ln
            while i < len(body):
                sub = body[i]
                size, j = leb(body, i + 1)
                if sub == 1:
                    n, k = leb(body, j)
                    for _ in range(n):
                        idx, k = leb(body, k)
                        ln, k = leb(body, k)
                        names[idx] = body[k : k + ln].decode("utf-8", "replace")
                        k += ln
                i = j + size
    by_crate = defaultdict(int)
    funcs = []
    for n, size in enumerate(bodies):
        name = demangle(names.get(imported_funcs + n, f"func{imported_funcs + n}"))
        funcs.append((size, name))
        by_crate[crate_of(name)] += size
    code = sum(bodies)
    print(f"{path}: {len(data)} B; code {code} B in {len(bodies)} functions; data {data_bytes} B; names for {len(names)}")
    for crate, size in sorted(by_crate.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {size:9d} B {100 * size / max(code, 1):5.1f} %  {crate}")
    print(f"  largest functions:")
    for size, name in sorted(funcs, reverse=True)[:top]:
        if grep is None or grep in name:
            print(f"  {size:9d} B  {name[:150]}")
    if grep:
        hits = [(s, n) for s, n in funcs if grep in n]
        print(f"  matching {grep!r}: {sum(s for s, _ in hits)} B in {len(hits)} functions")


if __name__ == "__main__":
    main()
