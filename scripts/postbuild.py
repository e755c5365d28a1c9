#!/usr/bin/env python3
"""Makes Trunk's dist/ run under a strict Content-Security-Policy and embeddable.

- Trunk injects an inline <script type="module"> that loads the wasm: it moves to dist/boot.js,
  referenced with a subresource-integrity hash (script-src 'self', no 'unsafe-inline').
- dist/embed.js: a stable-named ES module for host pages: `import { mount } from ".../embed.js"`.
- dist/config.json: the default runtime configuration (empty: same origin, page base) unless the
  deployment provides one.
- Prints the first-load transfer size (gzip) of wasm + js + css.
"""
import base64, glob, gzip, hashlib, json, os, re, sys

dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
index_path = os.path.join(dist, "index.html")
html = open(index_path, encoding="utf-8").read()

def sri(path):
    return "sha384-" + base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()

m = re.search(r'<script type="module">(.*?)</script>', html, re.S)
if m:
    inline = m.group(1)
    js_name = re.search(r"from '\./([^']+\.js)'", inline).group(1)
    wasm_name = re.search(r"module_or_path: '\./([^']+\.wasm)'", inline).group(1)
    boot = (
        "// Loads the console (moved out of index.html so no inline script is needed).\n"
        f"import init, * as bindings from './{js_name}';\n"
        f"await init({{ module_or_path: new URL('./{wasm_name}', import.meta.url) }});\n"
        "bindings.start_standalone();\n"
    )
    open(os.path.join(dist, "boot.js"), "w").write(boot)
    tag = f'<script type="module" src="./boot.js" integrity="{sri(os.path.join(dist, "boot.js"))}" crossorigin="anonymous"></script>'
    html = html[: m.start()] + tag + html[m.end():]
    embed = (
        "// Stable entry for host pages: import { mount } from '<console>/embed.js'.\n"
        "// mount(element, options) resolves to a handle with unmount().\n"
        f"import init, * as bindings from './{js_name}';\n"
        "let ready;\n"
        f"export function load() {{ return (ready ??= init({{ module_or_path: new URL('./{wasm_name}', import.meta.url) }})); }}\n"
        "export async function mount(element, options = {}) { await load(); return bindings.mount(element, options); }\n"
    )
    open(os.path.join(dist, "embed.js"), "w").write(embed)
    open(index_path, "w", encoding="utf-8").write(html)
elif "boot.js" not in html:
    sys.exit("postbuild: no loader script found in index.html")

if not os.path.exists(os.path.join(dist, "config.json")):
    open(os.path.join(dist, "config.json"), "w").write("{}\n")

total = 0
rows = []
for pattern in ("*.wasm", "*.js", "*.css"):
    for f in sorted(glob.glob(os.path.join(dist, pattern))):
        if os.path.basename(f) == "embed.js":
            continue  # not loaded by the standalone page
        raw = open(f, "rb").read()
        gz = len(gzip.compress(raw, 9))
        total += gz
        rows.append((os.path.basename(f), len(raw), gz))
for name, raw, gz in rows:
    print(f"  {name:48s} {raw:9d} B  {gz:8d} B gzip")
print(f"first-load transfer (wasm+js+css, gzip -9): {total} B = {total/1024:.1f} KiB (budget 300 KiB)")
