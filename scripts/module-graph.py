#!/usr/bin/env python3
"""The module graph of each crate of the workspace, and its import cycles.

A module is a file (`src/a/b.rs`, `src/a/b/mod.rs`) or an inline `mod x { ... }` block. An edge
A -> B means that A names an item of B through a path (`use crate::b::X`, `super::X`,
`crate::b::f()` in an expression, a `pub use` re-export). Declaring a child module (`mod b;`)
is ownership, not an edge. The check fails if any two modules reach each other (a cycle), so
that a module's folder tells what it may import: shared types live in a module of their own,
not in a parent that also imports its children.

Usage: scripts/module-graph.py [--dot] [--check] [crate_dir ...]
  (default crates: the console `.`, crates/obshell-proto, crates/obshell-sim)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strip_comments_and_strings(src):
    """Source with comments, string and char literals blanked (braces in them do not count)."""
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif src.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if src.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif src.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', src[i:i + 10]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'r(#*)"', src[i:])
            end = '"' + m.group(1)
            j = src.find(end, i + len(m.group(0)))
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", src[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(\\.|\\u\{[0-9a-fA-F]+\}|\\x..|[^\\'])'", src[i:])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:  # a lifetime
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def module_files(src_dir):
    """{module path tuple: file} for every module file under src_dir (lib.rs = crate root)."""
    mods = {}
    for dirpath, _, files in os.walk(src_dir):
        for f in files:
            if not f.endswith(".rs"):
                continue
            full = os.path.join(dirpath, f)
            rel = os.path.relpath(full, src_dir)[:-3].split(os.sep)
            if rel in (["lib"], ["main"]):
                key = ("crate",) if rel == ["lib"] else ("main",)
            elif rel[-1] == "mod":
                key = ("crate",) + tuple(rel[:-1])
            else:
                key = ("crate",) + tuple(rel)
            if key[:2] == ("crate", "bin"):
                continue
            mods[key] = full
    return mods


def use_paths(tree, prefix):
    """Expands a use tree (`a::{b, c::{d as e}}`) into full paths."""
    tree = tree.strip()
    m = re.match(r"^([\w:]*?)(::)?\{(.*)\}$", tree, re.S)
    if m:
        base = prefix + [p for p in m.group(1).split("::") if p]
        out, depth, cur = [], 0, ""
        for ch in m.group(3):
            if ch == "," and depth == 0:
                out += use_paths(cur, base)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        if cur.strip():
            out += use_paths(cur, base)
        return out
    tree = re.sub(r"\s+as\s+\w+$", "", tree)
    return [prefix + [p for p in tree.split("::") if p]]


def scan(text, here):
    """(module path, [referenced paths]) for each inline module block in one file's text."""
    refs = {here: []}
    stack = [(here, -1)]
    depth = 0
    tokens = re.finditer(
        r"\bmod\s+(\w+)\s*\{|\{|\}|\buse\s+([^;]+);|\b((?:crate|super|self)(?:\s*::\s*\w+)+)"
        # A path starting at a child module (`backup::config(r)` in a mod.rs); resolved only if
        # its first segment is one.
        r"|(?<![\w:])([a-z_][a-z0-9_]*(?:\s*::\s*\w+)+)",
        text,
    )
    for t in tokens:
        cur = stack[-1][0]
        if t.group(1):
            depth += 1
            child = cur + (t.group(1),)
            refs.setdefault(child, [])
            stack.append((child, depth))
        elif t.group(0) == "{":
            depth += 1
        elif t.group(0) == "}":
            if stack[-1][1] == depth:
                stack.pop()
            depth -= 1
        elif t.group(2):
            for p in use_paths(re.sub(r"\s+", " ", t.group(2)).replace(" ::", "::").replace(":: ", "::"), []):
                refs[cur].append(p)
        elif t.group(3):
            refs[cur].append(re.sub(r"\s+", "", t.group(3)).split("::"))
        elif t.group(4):
            refs[cur].append(re.sub(r"\s+", "", t.group(4)).split("::"))
    return refs


def resolve(path, here, modules):
    """The module a path names an item of (the longest module prefix), or None (extern)."""
    if not path:
        return None
    cur = list(here)
    head = path[0]
    if head == "crate":
        cur, rest = ["crate"], path[1:]
    elif head in ("super", "self"):
        rest = list(path)
        while rest and rest[0] in ("super", "self"):
            if rest[0] == "super":
                cur = cur[:-1]
            rest = rest[1:]
    else:
        # A bare first segment: a child module of `here` (`use child::X` in a mod.rs).
        if tuple(here) + (head,) in modules:
            rest = list(path)
        else:
            return None
    best = tuple(cur)
    for seg in rest:
        nxt = best + (seg,)
        if nxt in modules:
            best = nxt
        else:
            break
    return best


def graph(crate_dir):
    src = os.path.join(ROOT, crate_dir, "src")
    files = module_files(src)
    modules = set()
    per_module_refs = {}
    for key, f in files.items():
        text = strip_comments_and_strings(open(f, encoding="utf-8").read())
        refs = scan(text, key)
        for m, r in refs.items():
            modules.add(m)
            per_module_refs.setdefault(m, []).extend(r)
    edges = {m: set() for m in modules}
    for m, refs in per_module_refs.items():
        for p in refs:
            target = resolve(p, m, modules)
            if target is None or target == m:
                continue
            # A test module naming its parent (`use super::*`) is not a dependency of the parent.
            edges[m].add(target)
    return modules, edges


def cycles(modules, edges):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(modules):
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m)


def main(argv):
    dot = "--dot" in argv
    check = "--check" in argv
    crates = [a for a in argv if not a.startswith("--")] or [".", "crates/obshell-proto", "crates/obshell-sim"]
    failed = False
    for c in crates:
        modules, edges = graph(c)
        toml = open(os.path.join(ROOT, c, "Cargo.toml"), encoding="utf-8").read()
        label = re.search(r'^name\s*=\s*"([^"]+)"', toml, re.M).group(1)
        found = cycles(modules, edges)
        n_edges = sum(len(v) for v in edges.values())
        if dot:
            print(f"digraph \"{label}\" {{")
            for m in sorted(modules):
                for t in sorted(edges[m]):
                    print(f'  "{name(m)}" -> "{name(t)}";')
            print("}")
        else:
            print(f"{label}: {len(modules)} modules, {n_edges} import edges, {len(found)} cycle(s)")
            for m in sorted(modules):
                if edges[m] and not m[-1] == "tests":
                    print(f"  {name(m)} -> {', '.join(name(t) for t in sorted(edges[m]))}")
        for comp in found:
            failed = True
            print(f"  CYCLE: {' <-> '.join(name(m) for m in comp)}", file=sys.stderr)
    if check and failed:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
