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
boot_path = os.path.join(dist, "boot.js")
if m:
    loader = m.group(1)
elif os.path.exists(boot_path):
    loader = open(boot_path).read()  # already processed: regenerate embed.js from boot.js
else:
    sys.exit("postbuild: no loader script found in index.html")
js_name = re.search(r"from '\./([^']+\.js)'", loader).group(1)
wasm_name = re.search(r"'\./([^']+\.wasm)'", loader).group(1)
if m:
    boot = (
        "// Loads the console (moved out of index.html so no inline script is needed).\n"
        f"import init, * as bindings from './{js_name}';\n"
        f"await init({{ module_or_path: new URL('./{wasm_name}', import.meta.url) }});\n"
        "bindings.start_standalone();\n"
    )
    open(boot_path, "w").write(boot)
    tag = f'<script type="module" src="./boot.js" integrity="{sri(boot_path)}" crossorigin="anonymous"></script>'
    html = html[: m.start()] + tag + html[m.end():]
    open(index_path, "w", encoding="utf-8").write(html)
css = re.search(r'<link rel="stylesheet" href="\./([^"]+\.css)"[^>]*?\sintegrity="([^"]+)"', html)
css_name, css_sri = (css.group(1), css.group(2)) if css else (None, None)
embed = (
    "// Stable entry for host pages: import { mount } from '<console>/embed.js'.\n"
    "// mount(element, options) adds the console's stylesheet once and resolves to a handle\n"
    "// with unmount().\n"
    f"import init, * as bindings from './{js_name}';\n"
    "let ready;\n"
    f"export function load() {{ return (ready ??= init({{ module_or_path: new URL('./{wasm_name}', import.meta.url) }})); }}\n"
    f"export const stylesheet = {json.dumps({'href': css_name, 'integrity': css_sri})};\n"
    "function ensureStylesheet() {\n"
    "  if (!stylesheet.href || document.querySelector('link[data-obshell-console]')) return;\n"
    "  const link = document.createElement('link');\n"
    "  link.rel = 'stylesheet';\n"
    "  link.href = new URL(stylesheet.href, import.meta.url).href;\n"
    "  if (stylesheet.integrity) link.integrity = stylesheet.integrity;\n"
    "  link.dataset.obshellConsole = '';\n"
    "  document.head.append(link);\n"
    "}\n"
    "export async function mount(element, options = {}) { ensureStylesheet(); await load(); return bindings.mount(element, options); }\n"
)
open(os.path.join(dist, "embed.js"), "w").write(embed)

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
