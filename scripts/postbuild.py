#!/usr/bin/env python3
"""Finishes Trunk's dist/: split wasm, content-derived names, verified loading, embedding entry,
precompressed files, size report.

    postbuild.py DIST [--split RAW_WASM] [--budget KIB]

- --split RAW_WASM (scripts/build.sh): the pages behind the sign-in gate are split out of the
  console's wasm into chunks fetched on demand (src/pages/chunks.rs), so the first load stays
  small. RAW_WASM is cargo's output (linked with --emit-relocs, feature `split`); it goes
  through wasm-split-cli, then wasm-bindgen (keeping the linker exports the chunks import) and
  wasm-opt -Oz for every module. It replaces Trunk's unsplit wasm and JS in DIST; the chunk
  loader fetches each chunk with subresource integrity.
- Every file but index.html, embed.js and config.json gets a name derived from its content
  (`name-<16 hex>.ext`): a new release never reuses the name of an old file, so those may be
  cached forever, and the three that keep their names must never be answered from a validator
  (deploy/nginx). The main module and the chunk loader import each other by name, so they share
  one hash, of both texts (names left out) and the main wasm. Run on a dist that was processed
  already (or whose files were changed since), it names everything again from the content.
- Trunk's inline <script type="module"> becomes boot-<hash>.js, referenced with a
  subresource-integrity hash (script-src 'self', no 'unsafe-inline'). boot.js and embed.js load
  the console the same way: the JS modules through <link rel=modulepreload integrity>, the main
  wasm with fetch(url, {integrity}), so the browser refuses any file that is not the one the
  build recorded, and a page that cannot start says why in the page.
- DIST/embed.js: the stable-named ES module for host pages: `import { mount } from ".../embed.js"`.
- DIST/config.json: the default runtime configuration (empty: same origin, page base) unless the
  deployment provides one.
- The console's stylesheet must be scoped: every selector starts at `.obshell-console`.
- NAME.gz (gzip -9) and NAME.br (brotli 11, when the pinned encoder of scripts/install-tools.sh
  is importable) beside every js/wasm/css file, for servers that send precompressed files
  (nginx gzip_static, the simulator's --static). Not for index.html (a sub-path rewrites it) nor
  config.json (the deployment edits it).
- index.html carries the sign-in form (shown before the wasm arrives, src/prepaint.js): its
  texts are filled in from locales/ in both languages; prepaint-<hash>.js is added as a
  blocking script with its integrity, and config.json is preloaded beside the wasm.
- Prints the first-load transfer size (gzip, and brotli: wasm, js, css and the page itself) and
  the on-demand chunks; with --budget, exits 1 when the first load (gzip) is over it
  (scripts/test.sh sets the budget).
"""
import base64, glob, gzip, hashlib, json, os, re, shutil, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor

try:  # Python's standard library has no brotli: the build's venv (scripts/install-tools.sh) has it.
    import brotli
except ImportError:
    brotli = None

args = sys.argv[1:]
dist = args[0] if args and not args[0].startswith("--") else "dist"
raw_wasm = args[args.index("--split") + 1] if "--split" in args else None
budget_kib = float(args[args.index("--budget") + 1]) if "--budget" in args else None
index_path = os.path.join(dist, "index.html")
html = open(index_path, encoding="utf-8").read()
HASH = r"[0-9a-f]{16}"
CHUNK_RE = re.compile(r"^(split_|chunk_)")
MAIN_JS_RE = re.compile(rf"^obshell-console-{HASH}\.js$")
LOADER = "__wasm_split.js"  # wasm-split-cli's name for the chunk loader
LOADER_RE = re.compile(rf"^__wasm_split(-{HASH})?\.js$")
COMPRESSED = (".js", ".wasm", ".css")
written = set()  # files whose bytes this run changed (their old .br is stale)


def path_of(name):
    return os.path.join(dist, name)


def read(name):
    with open(path_of(name), "rb") as f:
        return f.read()


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    p = path_of(name)
    if os.path.exists(p) and read(name) == data:
        return
    with open(p, "wb") as f:
        f.write(data)
    written.add(name)


def remove(name):
    for n in (name, name + ".gz", name + ".br"):
        if os.path.exists(path_of(n)):
            os.remove(path_of(n))


def rename(old, new):
    """Moves a file (and its precompressed copies: same content) to its new name."""
    if old == new:
        return
    for suffix in ("", ".gz", ".br"):
        if os.path.exists(path_of(old + suffix)):
            os.replace(path_of(old + suffix), path_of(new + suffix))
    if old in written:
        written.discard(old)
        written.add(new)


def sri(data):
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def content_hash(data):
    return hashlib.sha256(data).hexdigest()[:16]


def unhashed(stem):
    return re.sub(rf"-{HASH}$", "", stem)


# ---- where things are: Trunk's fresh output (inline loader) or a dist processed before --------
m = re.search(r'<script type="module">(.*?)</script>', html, re.S)
if m:
    trunk_loader = m.group(1)
    js_name = re.search(r"from '\./([^']+\.js)'", trunk_loader).group(1)
    wasm_name = re.search(r"'\./([^']+\.wasm)'", trunk_loader).group(1)
    html = html[: m.start()] + html[m.end():]
else:
    pre = re.search(r'<link rel="modulepreload" href="\./(obshell-console-[^"]+\.js)"', html)
    wasm = re.search(r'<link rel="preload" href="\./([^"]+\.wasm)"', html)
    if not pre or not wasm:
        sys.exit("postbuild: index.html has neither Trunk's loader nor the console's preload links")
    js_name, wasm_name = pre.group(1), wasm.group(1)


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
    global js_name, wasm_name
    stem = "obshell-console-" + content_hash(open(raw, "rb").read())
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
        for old in [js_name, wasm_name] + [f for f in os.listdir(dist) if CHUNK_RE.match(f) or LOADER_RE.match(f)]:
            remove(old)
        loader_js = tolerant_loader(open(os.path.join(split_dir, LOADER)).read())
        for c in chunks:
            path = os.path.join(split_dir, c)
            data = open(path, "rb").read()
            hashed = f"{c[:-5]}-{content_hash(data)}.wasm"
            # Fetched with subresource integrity, like every other script of the console.
            fetch = f'fetch(new URL("./{c}", import.meta.url))'
            if fetch not in loader_js:
                sys.exit(f"postbuild: no fetch of {c} in the chunk loader")
            loader_js = loader_js.replace(fetch, f'fetch(new URL("./{hashed}", import.meta.url), {{ integrity: "{sri(data)}" }})')
            write(hashed, data)
        write(LOADER, loader_js)
        write(stem + ".js", open(os.path.join(bg_dir, stem + ".js"), "rb").read())
        write(stem + "_bg.wasm", open(os.path.join(bg_dir, stem + "_bg.wasm"), "rb").read())
    js_name, wasm_name = stem + ".js", stem + "_bg.wasm"


if raw_wasm:
    split_build(raw_wasm)

# ---- content-derived names ---------------------------------------------------------------------
# Page chunks: named by their bytes; the loader fetches each by name with its integrity hash.
main_js = read(js_name).decode("utf-8")
loader_ref = re.search(r'import \* as \w+ from "\./(__wasm_split[^"]*\.js)"', main_js)
loader_name = loader_ref.group(1) if loader_ref else None
loader_js = read(loader_name).decode("utf-8") if loader_name else None
referenced = set()
if loader_js is not None:
    CHUNK_FETCH = re.compile(r'fetch\(new URL\("\./((split_|chunk_)[^"]*?-' + HASH + r'\.wasm)", import\.meta\.url\), \{ integrity: "[^"]*" \}\)')
    for old in sorted(set(mm.group(1) for mm in CHUNK_FETCH.finditer(loader_js))):
        data = read(old)
        new = f"{unhashed(old[:-5])}-{content_hash(data)}.wasm"
        loader_js = loader_js.replace(
            re.search(r'fetch\(new URL\("\./' + re.escape(old) + r'", import\.meta\.url\), \{ integrity: "[^"]*" \}\)', loader_js).group(0),
            f'fetch(new URL("./{new}", import.meta.url), {{ integrity: "{sri(data)}" }})')
        rename(old, new)
        referenced.add(new)
for f in os.listdir(dist):
    if CHUNK_RE.match(f) and f.endswith(".wasm") and f not in referenced:
        remove(f)  # a chunk of an earlier build

# The main module and the chunk loader import each other by name: one hash of both texts (with
# the names left out) and the main wasm names the three.
WASM_DEFAULT = re.compile(r"new URL\('obshell-console-[^']*_bg\.wasm', import\.meta\.url\)")
LOADER_IMPORT = re.compile(r'(import \* as \w+ from ")\./__wasm_split[^"]*\.js(")')
MAIN_IMPORT = re.compile(r'(from ")\./obshell-console-[^"]*\.js(")')


def main_texts(js_file, wasm_file, loader_file):
    js = WASM_DEFAULT.sub(f"new URL('{wasm_file}', import.meta.url)", main_js)
    js = LOADER_IMPORT.sub(lambda mm: f"{mm.group(1)}./{loader_file}{mm.group(2)}", js)
    loader = MAIN_IMPORT.sub(lambda mm: f"{mm.group(1)}./{js_file}{mm.group(2)}", loader_js) if loader_js is not None else None
    return js, loader


wasm_bytes = read(wasm_name)
norm_js, norm_loader = main_texts("@JS@", "@WASM@", "@LOADER@")
release = content_hash(wasm_bytes + norm_js.encode() + (norm_loader or "").encode())
new_js, new_wasm = f"obshell-console-{release}.js", f"obshell-console-{release}_bg.wasm"
new_loader = f"__wasm_split-{release}.js" if loader_js is not None else None
final_js, final_loader = main_texts(new_js, new_wasm, new_loader)
rename(wasm_name, new_wasm)
write(new_js, final_js)
if new_js != js_name:
    remove(js_name)
if loader_js is not None:
    write(new_loader, final_loader)
    if new_loader != loader_name:
        remove(loader_name)
js_name, wasm_name, loader_name = new_js, new_wasm, new_loader


def check_scoped(css, name):
    """Every selector of the console's stylesheet must start at its root element."""
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    bad = []
    for prelude in re.findall(r"([^{}]+)\{", text):
        prelude = prelude.strip()
        if prelude.startswith("@"):
            # Animation names are global: the console's own carry its prefix, so that a
            # host's @keyframes of the same name neither replaces nor is replaced by them.
            if re.match(r"@keyframes\s+obshell-console-[\w-]+$", prelude):
                continue
            if not re.match(r"@(media|supports|container|layer|scope)\b", prelude):
                bad.append(prelude)  # @import, @font-face…: nothing of the kind is needed
            continue
        if re.fullmatch(r"(from|to|\d+%)(\s*,\s*(from|to|\d+%))*", prelude):
            continue  # @keyframes steps
        for sel in re.split(r",(?![^()]*\))", prelude):
            first = re.split(r"\s*[\s>+~]\s*", sel.strip())[0]
            if not re.search(r"\.obshell-console(?![\w-])", first):
                bad.append(sel.strip())
    if bad:
        sys.exit(f"postbuild: {name}: selectors not scoped to .obshell-console: {bad}")


# Stylesheets: named by content; the console's own (main-*.css) must be scoped.
STYLE_LINK = re.compile(r'<link rel="stylesheet" href="\./([^"]+\.css)"[^>]*>')
css_name = None
for mm in list(STYLE_LINK.finditer(html)):
    old = mm.group(1)
    data = read(old)
    new = f"{unhashed(old[:-4])}-{content_hash(data)}.css"
    if unhashed(old[:-4]) == "main":
        check_scoped(data.decode("utf-8"), old)
        css_name = new
    rename(old, new)
    html = html.replace(mm.group(0), f'<link rel="stylesheet" href="./{new}" integrity="{sri(data)}"/>')
if css_name is None:
    sys.exit("postbuild: index.html links no main-*.css")
for f in os.listdir(dist):
    if re.fullmatch(rf"main(-{HASH})?\.css", f) and f != css_name:
        remove(f)

# ---- boot.js and embed.js: one loader, verified end to end -------------------------------------
names = {
    "js": js_name, "jsIntegrity": sri(read(js_name)),
    "wasm": wasm_name, "wasmIntegrity": sri(read(wasm_name)),
}
if loader_name:
    names.update({"loader": loader_name, "loaderIntegrity": sri(read(loader_name))})
LOAD_JS = """const release = %s;
const here = (name) => new URL(name, import.meta.url).href;

// The console's two modules are imported by URL; a <link rel=modulepreload integrity> (index.html
// has them, a host page gets them here) makes the browser check each against the build's hash.
function preloadModule(name, integrity) {
  const href = here(name);
  if ([...document.querySelectorAll('link[rel="modulepreload"]')].some((l) => l.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'modulepreload';
  link.href = href;
  link.integrity = integrity;
  link.crossOrigin = 'anonymous';
  document.head.append(link);
}

/** Why the console cannot start, in English and Chinese; `file` names what failed. */
export class LoadError extends Error {
  constructor(file, kind, detail) {
    const en = {
      integrity: `${file} is not the file this release was built with: it does not match the SHA-384 hash the build recorded (it was changed after the build, by a proxy, a CDN or an incomplete upgrade). The console was not started.`,
      http: `${file}: HTTP ${detail}. If the console was upgraded meanwhile, reload the page.`,
      network: `${file} could not be loaded (network or proxy problem). Reload the page to try again.`,
      error: `${file}: ${detail}`,
    }[kind];
    const zh = {
      integrity: `${file} 不是本版本构建时的文件：它与构建记录的 SHA-384 哈希不符（构建后被代理、CDN 或不完整的升级改动过）。控制台未启动。`,
      http: `${file}：HTTP ${detail}。如果控制台刚刚升级，请重新加载页面。`,
      network: `${file} 无法加载（网络或代理问题）。请重新加载页面重试。`,
      error: `${file}：${detail}`,
    }[kind];
    super(en);
    this.name = 'LoadError';
    this.file = file;
    this.kind = kind;
    this.zh = zh;
  }
}

// A refused or failed fetch is a bare TypeError: fetch the files again, unchecked, to tell an
// altered file (and which one, where crypto.subtle is available) from a missing one.
async function diagnose(files, error) {
  if (!(error instanceof TypeError)) return new LoadError(files[0], 'error', String(error));
  let altered = [];
  for (const [file, integrity] of files) {
    let response;
    try {
      response = await fetch(here(file), { cache: 'no-store' });
    } catch {
      return new LoadError(file, 'network');
    }
    if (!response.ok) return new LoadError(file, 'http', response.status);
    const digest = globalThis.crypto?.subtle && await crypto.subtle.digest('SHA-384', await response.arrayBuffer());
    const actual = digest && 'sha384-' + btoa(String.fromCharCode(...new Uint8Array(digest)));
    if (!digest || actual !== integrity) altered.push(file);
  }
  return new LoadError(altered.join(', ') || files.map((f) => f[0]).join(', '), 'integrity');
}

async function start() {
  const modules = [[release.js, release.jsIntegrity]];
  if (release.loader) modules.push([release.loader, release.loaderIntegrity]);
  for (const [file, integrity] of modules) preloadModule(file, integrity);
  // Fetched while the JS loads, and verified (whole) before a byte of it is compiled.
  const wasm = fetch(here(release.wasm), { integrity: release.wasmIntegrity });
  wasm.catch(() => {});
  let bindings;
  try {
    bindings = await import(here(release.js));
  } catch (e) {
    throw await diagnose(modules, e);
  }
  let response;
  try {
    response = await wasm;
  } catch (e) {
    throw await diagnose([[release.wasm, release.wasmIntegrity]], e);
  }
  await bindings.default({ module_or_path: response });
  return bindings;
}

let ready;
/** Loads the console once per page (a failed load is tried again by the next call). */
export function load() {
  return (ready ??= start().catch((e) => { ready = undefined; throw e; }));
}

/** Shows why the console cannot start, in `where` (role=alert), and returns the element. */
export function showLoadError(where, error) {
  const root = document.createElement('div');
  root.className = 'obshell-console';
  root.dataset.obshellLoadError = '';
  const card = document.createElement('section');
  card.className = 'card narrow';
  card.setAttribute('role', 'alert');
  const title = document.createElement('h1');
  title.textContent = 'obshell console cannot start · obshell 控制台无法启动';
  const en = document.createElement('p');
  en.textContent = error instanceof LoadError ? error.message : String(error);
  card.append(title, en);
  if (error instanceof LoadError) {
    const zh = document.createElement('p');
    zh.lang = 'zh';
    zh.textContent = error.zh;
    card.append(zh);
  }
  root.append(card);
  where.append(root);
  return root;
}
""" % json.dumps(names, indent=2)

boot = (
    "// Starts the standalone console (scripts/postbuild.py; no inline script, so a strict CSP works).\n"
    + LOAD_JS
    + "\n// An async module: it runs as soon as it and the console's files are there, not after the\n"
    "// whole page is parsed. The wasm is compiled and instantiated meanwhile; the start (it takes\n"
    "// the page's sign-in form over and mounts on <body>) waits for the parsed page.\n"
    "const parsed = document.readyState === 'loading'\n"
    "  ? new Promise((done) => document.addEventListener('DOMContentLoaded', done, { once: true }))\n"
    "  : Promise.resolve();\n"
    "try {\n"
    "  const bindings = await load();\n"
    "  await parsed;\n"
    "  bindings.start_standalone();\n"
    "} catch (e) {\n"
    "  await parsed;\n"
    "  document.getElementById('obshell-prepaint')?.remove(); // a form that cannot sign in\n"
    "  showLoadError(document.body, e);\n"
    "  throw e;\n"
    "}\n"
)
boot_name = f"boot-{content_hash(boot.encode())}.js"
write(boot_name, boot)
for f in os.listdir(dist):
    if re.fullmatch(rf"boot(-{HASH})?\.js", f) and f != boot_name:
        remove(f)

embed = (
    "// Stable entry for host pages: import { mount } from '<console>/embed.js' (scripts/postbuild.py).\n"
    "// mount(element, options) adds the console's stylesheet once and resolves to a handle with\n"
    "// unmount(); if the console cannot be loaded it shows why in the element and rejects.\n"
    + LOAD_JS
    + f"\nexport const stylesheet = {json.dumps({'href': css_name, 'integrity': sri(read(css_name))})};\n"
    "function ensureStylesheet() {\n"
    "  if (!stylesheet.href || document.querySelector('link[data-obshell-console]')) return;\n"
    "  const link = document.createElement('link');\n"
    "  link.rel = 'stylesheet';\n"
    "  link.href = here(stylesheet.href);\n"
    "  if (stylesheet.integrity) link.integrity = stylesheet.integrity;\n"
    "  link.dataset.obshellConsole = '';\n"
    "  document.head.append(link);\n"
    "}\n"
    "export async function mount(element, options = {}) {\n"
    "  ensureStylesheet();\n"
    "  for (const old of element.querySelectorAll(':scope > [data-obshell-load-error]')) old.remove();\n"
    "  let bindings;\n"
    "  try {\n"
    "    bindings = await load();\n"
    "  } catch (e) {\n"
    "    showLoadError(element, e);\n"
    "    throw e;\n"
    "  }\n"
    "  return bindings.mount(element, options);\n"
    "}\n"
)
write("embed.js", embed)

# ---- index.html: the sign-in form in the page itself (src/prepaint.js, src/prepaint.rs) -------
# Its texts come from locales/ (one source for the page and the console): every element with
# data-t="key" holds the English and the Chinese text, and the stylesheet shows the page's
# language. Idempotent: a processed page is filled again from the current locales.
ROOT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
locales = {l: json.load(open(os.path.join(ROOT_DIR, "locales", f"{l}.json"), encoding="utf-8")) for l in ("en", "zh")}
esc = lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
BILINGUAL = r'<span data-l="en"[^>]*>[^<]*</span><span data-l="zh"[^>]*>[^<]*</span>'


def fill_texts(m):
    key = m.group(3)
    if key not in locales["en"] or key not in locales["zh"]:
        sys.exit(f"postbuild: index.html names text {key!r}, which locales/ does not have")
    both = (f'<span data-l="en" lang="en">{esc(locales["en"][key])}</span>'
            f'<span data-l="zh" lang="zh-CN">{esc(locales["zh"][key])}</span>')
    return m.group(1) + both + m.group(4)


html = re.sub(rf'(<(\w+)\b[^>]*\sdata-t="([^"]+)"[^>]*>)(?:{BILINGUAL}|[^<]*)(</\2>)', fill_texts, html)
prepaint = open(os.path.join(ROOT_DIR, "src", "prepaint.js"), "rb").read()
prepaint_name = f"prepaint-{content_hash(prepaint)}.js"
write(prepaint_name, prepaint)
for f in os.listdir(dist):
    if re.fullmatch(rf"prepaint(-{HASH})?\.js", f) and f != prepaint_name:
        remove(f)

# ---- index.html: the stylesheet, the verified preloads, boot-<hash>.js ---------------------------
html = re.sub(r'[ \t]*<link rel="(modulepreload|preload)"[^>]*>', "", html)
html = re.sub(r'[ \t]*<script type="module"( async)? src="\./boot[^"]*"[^>]*></script>', "", html)
html = re.sub(r'[ \t]*<script src="\./prepaint[^"]*"[^>]*></script>', "", html)
html = re.sub(r"\n[ \t]*(?=\n)", "", html)  # the lines those tags leave empty
hints = [f'<link rel="modulepreload" href="./{js_name}" crossorigin="anonymous" integrity="{names["jsIntegrity"]}">']
if loader_name:
    hints.append(f'<link rel="modulepreload" href="./{loader_name}" crossorigin="anonymous" integrity="{names["loaderIntegrity"]}">')
hints.append(f'<link rel="preload" href="./{wasm_name}" crossorigin="anonymous" integrity="{names["wasmIntegrity"]}" as="fetch" type="application/wasm">')
# The runtime configuration, fetched with the wasm rather than after it is instantiated
# (src/embed.rs reads it with the same URL, mode and credentials, so the browser hands over
# this response; fetch preloads fall under connect-src 'self').
hints.append('<link rel="preload" href="./config.json" as="fetch" crossorigin="anonymous">')
hints.append(f'<script type="module" async src="./{boot_name}" integrity="{sri(read(boot_name))}" crossorigin="anonymous"></script>')
html = re.sub(r"[ \t]*</head>", lambda _: "    " + "\n    ".join(hints) + "\n  </head>", html, count=1)
# Blocking, before the stylesheet: the language is set before the body is parsed (first paint).
html = re.sub(r"([ \t]*)(<link rel=\"stylesheet\")", lambda m: f'{m.group(1)}<script src="./{prepaint_name}" integrity="{sri(prepaint)}" crossorigin="anonymous"></script>\n{m.group(1)}{m.group(2)}', html, count=1)
write("index.html", html)

if not os.path.exists(path_of("config.json")):
    write("config.json", "{}\n")

# ---- precompressed copies ----------------------------------------------------------------------
for f in sorted(os.listdir(dist)):
    for suffix in (".gz", ".br"):
        if f.endswith(suffix) and not os.path.exists(path_of(f[: -len(suffix)])):
            os.remove(path_of(f))  # of a file that is gone
sizes = {}
for f in sorted(os.listdir(dist)):
    if not f.endswith(COMPRESSED) or os.path.isdir(path_of(f)):
        continue
    raw = read(f)
    gz = gzip.compress(raw, 9, mtime=0)
    br_path = path_of(f + ".br")
    if brotli is not None:
        br = brotli.compress(raw, quality=11)
    elif os.path.exists(br_path) and f not in written and os.path.getmtime(br_path) >= os.path.getmtime(path_of(f)):
        br = open(br_path, "rb").read()  # made by an earlier run, for these very bytes
    else:
        br = None
    for suffix, data in ((".gz", gz), (".br", br)):
        if data is not None and len(data) < len(raw):
            write(f + suffix, data)
        elif os.path.exists(path_of(f + suffix)):
            os.remove(path_of(f + suffix))
    sizes[f] = (len(raw), len(gz), len(br) if br is not None else None)
if brotli is None:
    print("postbuild: no brotli module (scripts/install-tools.sh installs it in .tools/build-venv): .gz only", file=sys.stderr)

# ---- size report -------------------------------------------------------------------------------
# What the standalone page loads before it can show anything: everything but the chunks (fetched
# when a page behind the sign-in gate is first shown) and embed.js (host pages only).
first = [(f, *s) for f, s in sizes.items() if f != "embed.js" and not CHUNK_RE.match(f)]
# The page itself (it carries the sign-in form): sent compressed on the fly, not precompressed.
page = read("index.html")
first.append(("index.html", len(page), len(gzip.compress(page, 9, mtime=0)), len(brotli.compress(page, quality=11)) if brotli else None))
on_demand = [(f, *s) for f, s in sizes.items() if CHUNK_RE.match(f)]
order = {".wasm": 0, ".js": 1, ".css": 2, ".html": 3}
first.sort(key=lambda r: (order[os.path.splitext(r[0])[1]], r[0]))
fmt_br = lambda b: f"{b:8d} B br" if b is not None else "       - br"
for title, rows in (("first load", first), ("on demand (page chunks)", on_demand)):
    if rows:
        print(f"  {title}:")
    for name, raw, gz, br in rows:
        print(f"    {name:52s} {raw:9d} B  {gz:8d} B gzip  {fmt_br(br)}")
if on_demand:
    print(f"page chunks (gzip -9): {sum(r[2] for r in on_demand)} B, fetched after sign-in")
total = sum(r[2] for r in first)
raw_total = sum(r[1] for r in first)
if all(r[3] is not None for r in first):
    br_total = sum(min(r[3], r[1]) for r in first)
    print(f"first-load transfer (wasm+js+css+html, brotli 11): {br_total} B = {br_total/1024:.1f} KiB (raw {raw_total/1024:.1f} KiB)")
print(f"first-load transfer (wasm+js+css+html, gzip -9): {total} B = {total/1024:.1f} KiB" + (f" (budget {budget_kib:g} KiB)" if budget_kib is not None else ""))
if budget_kib is not None and total > budget_kib * 1024:
    sys.exit(f"postbuild: first load {total/1024:.1f} KiB is over the {budget_kib:g} KiB budget")
