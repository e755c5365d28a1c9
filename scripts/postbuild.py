#!/usr/bin/env python3
"""Finishes Trunk's dist/: split wasm, strict-CSP loader, embedding entry, size report.

    postbuild.py DIST [--split RAW_WASM] [--budget KIB]

- --split RAW_WASM (scripts/build.sh): the pages behind the sign-in gate are split out of the
  console's wasm into chunks fetched on demand (src/pages/chunks.rs), so the first load stays
  small. RAW_WASM is cargo's output (linked with --emit-relocs, feature `split`); it goes
  through wasm-split-cli, then wasm-bindgen (keeping the linker exports the chunks import) and
  wasm-opt -Oz for every module. It replaces Trunk's unsplit wasm and JS in DIST; the loader
  fetches each chunk with subresource integrity. Names carry a
  content hash (nginx may cache them forever); `__wasm_split.js`, the small chunk loader, keeps
  its name because the main module imports it by name: serve it revalidated (deploy/nginx).
- Trunk injects an inline <script type="module"> that loads the wasm: it moves to DIST/boot.js,
  referenced with a subresource-integrity hash (script-src 'self', no 'unsafe-inline').
- DIST/embed.js: a stable-named ES module for host pages: `import { mount } from ".../embed.js"`.
- DIST/config.json: the default runtime configuration (empty: same origin, page base) unless the
  deployment provides one.
- Prints the first-load transfer size (gzip) and the on-demand chunks; with --budget, exits 1
  when the first load is over it (scripts/test.sh guards the 300 KiB budget this way).
"""
import base64, glob, gzip, hashlib, json, os, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

args = sys.argv[1:]
dist = args[0] if args and not args[0].startswith("--") else "dist"
raw_wasm = args[args.index("--split") + 1] if "--split" in args else None
budget_kib = float(args[args.index("--budget") + 1]) if "--budget" in args else None
index_path = os.path.join(dist, "index.html")
html = open(index_path, encoding="utf-8").read()
boot_path = os.path.join(dist, "boot.js")
LOADER_JS = "__wasm_split.js"
CHUNK_RE = re.compile(r"^(split_|chunk_)")

def sri(path):
    return "sha384-" + base64.b64encode(hashlib.sha384(open(path, "rb").read()).digest()).decode()

def content_hash(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()[:16]

m = re.search(r'<script type="module">(.*?)</script>', html, re.S)
if m:
    loader = m.group(1)
elif os.path.exists(boot_path):
    loader = open(boot_path).read()  # already processed: regenerate embed.js from boot.js
else:
    sys.exit("postbuild: no loader script found in index.html")
js_name = re.search(r"from '\./([^']+\.js)'", loader).group(1)
wasm_name = re.search(r"'\./([^']+\.wasm)'", loader).group(1)


def wasm_opt(path):
    subprocess.run(
        ["wasm-opt", "-Oz", "--strip-debug", "--strip-producers",
         "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
         "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
         path, "-o", path],
        check=True, stderr=subprocess.DEVNULL)


# The generated loader instantiates chunks with instantiateStreaming only, which refuses a
# response that is not served as application/wasm (older nginx mime.types, some static hosts)
# and reports an HTTP error as a MIME error. Like wasm-bindgen's own loader for the main module,
# fall back to instantiating the bytes, and name the HTTP status when the fetch failed.
STREAMING = "WebAssembly.instantiateStreaming(src, imports)"
INSTANTIATE_CHUNK = """
async function instantiateChunk(pending, imports) {
    const response = await pending;
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    if (type === "application/wasm") return WebAssembly.instantiateStreaming(response, imports);
    return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
"""


def tolerant_loader(js):
    if STREAMING not in js:
        sys.exit("postbuild: wasm-split-cli's loader changed; check the instantiateChunk patch")
    return js.replace(STREAMING, "instantiateChunk(src, imports)") + INSTANTIATE_CHUNK


def split_build(raw):
    """Replaces Trunk's unsplit JS/wasm in dist with the split main module and its chunks."""
    global js_name, wasm_name, html
    stem = "obshell-console-" + content_hash(raw)
    with tempfile.TemporaryDirectory() as tmp:
        split_dir, bg_dir = os.path.join(tmp, "split"), os.path.join(tmp, "bg")
        # The loader imports the main module as ./<stem>.js (wasm-bindgen's output name).
        subprocess.run(["wasm-split-cli", raw, split_dir, "--out-name", stem, "--target", "web"], check=True)
        subprocess.run(["wasm-bindgen", "--target", "web", "--keep-lld-exports", "--no-demangle",
                        "--no-typescript", "--out-dir", bg_dir, "--out-name", stem,
                        os.path.join(split_dir, stem + ".wasm")], check=True)
        chunks = sorted(f for f in os.listdir(split_dir) if CHUNK_RE.match(f) and f.endswith(".wasm"))
        modules = [os.path.join(bg_dir, stem + "_bg.wasm")] + [os.path.join(split_dir, c) for c in chunks]
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(wasm_opt, modules))
        # Trunk's unsplit output and any previous split output go; the new files come in.
        for old in [js_name, wasm_name, LOADER_JS] + [f for f in os.listdir(dist) if CHUNK_RE.match(f)]:
            if os.path.exists(os.path.join(dist, old)):
                os.remove(os.path.join(dist, old))
        loader_js = tolerant_loader(open(os.path.join(split_dir, LOADER_JS)).read())
        for c in chunks:
            path = os.path.join(split_dir, c)
            hashed = f"{c[:-5]}-{content_hash(path)}.wasm"
            # Fetched with subresource integrity, like every other script of the console.
            fetch = f'fetch(new URL("./{c}", import.meta.url))'
            if fetch not in loader_js:
                sys.exit(f"postbuild: no fetch of {c} in the chunk loader")
            loader_js = loader_js.replace(fetch, f'fetch(new URL("./{hashed}", import.meta.url), {{ integrity: "{sri(path)}" }})')
            shutil.copy(path, os.path.join(dist, hashed))
        open(os.path.join(dist, LOADER_JS), "w").write(loader_js)
        shutil.copy(os.path.join(bg_dir, stem + ".js"), os.path.join(dist, stem + ".js"))
        shutil.copy(os.path.join(bg_dir, stem + "_bg.wasm"), os.path.join(dist, stem + "_bg.wasm"))
    js_name, wasm_name = stem + ".js", stem + "_bg.wasm"
    # Trunk's preload hints named the unsplit files: point them (with fresh integrity) at ours.
    html = re.sub(r'<link rel="modulepreload"[^>]*>', "", html)
    html = re.sub(r'<link rel="preload"[^>]*as="fetch"[^>]*>', "", html)
    hints = (
        f'<link rel="modulepreload" href="./{js_name}" crossorigin="anonymous" integrity="{sri(os.path.join(dist, js_name))}">'
        f'<link rel="modulepreload" href="./{LOADER_JS}" crossorigin="anonymous" integrity="{sri(os.path.join(dist, LOADER_JS))}">'
        f'<link rel="preload" href="./{wasm_name}" crossorigin="anonymous" integrity="{sri(os.path.join(dist, wasm_name))}" as="fetch" type="application/wasm">'
    )
    html = html.replace("</head>", hints + "</head>", 1)


if raw_wasm:
    split_build(raw_wasm)

boot = (
    "// Loads the console (moved out of index.html so no inline script is needed).\n"
    f"import init, * as bindings from './{js_name}';\n"
    f"await init({{ module_or_path: new URL('./{wasm_name}', import.meta.url) }});\n"
    "bindings.start_standalone();\n"
)
if m or raw_wasm:
    open(boot_path, "w").write(boot)
    tag = f'<script type="module" src="./boot.js" integrity="{sri(boot_path)}" crossorigin="anonymous"></script>'
    if m:
        html = html[: m.start()] + tag + html[m.end():]
    else:
        html = re.sub(r'<script type="module" src="\./boot\.js"[^>]*></script>', tag, html)
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

# What the standalone page loads before it can show anything: everything but the chunks (fetched
# when a page behind the sign-in gate is first shown) and embed.js (host pages only).
first, on_demand = [], []
for pattern in ("*.wasm", "*.js", "*.css"):
    for f in sorted(glob.glob(os.path.join(dist, pattern))):
        name = os.path.basename(f)
        if name == "embed.js":
            continue
        raw = open(f, "rb").read()
        (on_demand if CHUNK_RE.match(name) else first).append((name, len(raw), len(gzip.compress(raw, 9))))
for title, rows in (("first load", first), ("on demand (page chunks)", on_demand)):
    if rows:
        print(f"  {title}:")
    for name, raw, gz in rows:
        print(f"    {name:52s} {raw:9d} B  {gz:8d} B gzip")
if on_demand:
    print(f"page chunks (gzip -9): {sum(r[2] for r in on_demand)} B, fetched after sign-in")
total = sum(r[2] for r in first)
print(f"first-load transfer (wasm+js+css, gzip -9): {total} B = {total/1024:.1f} KiB (budget 300 KiB)")
if budget_kib is not None and total > budget_kib * 1024:
    sys.exit(f"postbuild: first load {total/1024:.1f} KiB is over the {budget_kib:g} KiB budget")
