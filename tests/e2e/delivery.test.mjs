// Issue 13 end to end, delivery: every executable file is verified against the build's hash (a
// tampered main wasm or main JS is refused and the page says why, standalone and through
// embed.js); an upgrade whose stable-named files keep their sizes and mtimes reaches a browser
// that had the old release open, with one reload (the shipped nginx template and the
// simulator); the first load is compressed (nginx: the build's .gz files; the simulator: .br).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startSim, launch, waitFor, PASSWORD, ROOT } from './harness.mjs';
import { startNginx } from './nginx.mjs';

const DIST = process.env.OBSHELL_DIST || path.join(ROOT, 'dist');
const PYTHON = process.env.BUILD_PYTHON || 'python3';
const agentAddr = (sim) => sim.base.replace(/^http:\/\//, '');
const temps = [];

let browser;
before(async () => { browser = await launch(); });
after(async () => {
  await browser?.close();
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function tempDir(tag) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `obshell-${tag}-`));
  temps.push(d);
  return d;
}

/** A copy of a built dist (mtimes kept). */
function copyDist(from = DIST) {
  const d = tempDir('dist');
  fs.cpSync(from, d, { recursive: true, preserveTimestamps: true });
  return d;
}

/** Replaces `dir`'s files by those of `from` (the directory itself stays: the server's root). */
function replaceContents(dir, from) {
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
  fs.cpSync(from, dir, { recursive: true, preserveTimestamps: true });
}

const served = (dir, re) => fs.readdirSync(dir).find((f) => re.test(f));
const MAIN_WASM = /^obshell-console-[0-9a-f]{16}_bg\.wasm$/;
const MAIN_JS = /^obshell-console-[0-9a-f]{16}\.js$/;

/** Changes a file after the build, with its precompressed copies made again from the new bytes. */
function tamper(dir, name, change) {
  const file = path.join(dir, name);
  const bytes = change(fs.readFileSync(file));
  fs.writeFileSync(file, bytes);
  if (fs.existsSync(`${file}.gz`)) fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
  if (fs.existsSync(`${file}.br`)) fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes));
}

/** Same length, other bytes: one letter of a string constant (the sign-in title) in the main wasm. */
/** A wasm module with one more (custom) section: other bytes, the same code. */
function withCustomSection(bytes, name = 'release', payload = 'B') {
  const content = Buffer.concat([Buffer.from([name.length]), Buffer.from(name), Buffer.from(payload)]);
  return Buffer.concat([bytes, Buffer.from([0, content.length]), content]);
}

function patchTitle(bytes, from = 'Sign in to the obshell agent', to = 'Sign in to the obshell AGENT') {
  const at = bytes.indexOf(Buffer.from(from));
  assert.ok(at > 0, `"${from}" is in the main wasm`);
  Buffer.from(to).copy(bytes, at);
  return bytes;
}

async function newPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

// -------------------------------------------------------------------------------------------
describe('a main wasm or main JS altered after the build', () => {
  test('standalone: the wasm is refused and the page says why; the console does not start', async () => {
    const dir = copyDist();
    const wasm = served(dir, MAIN_WASM);
    tamper(dir, wasm, (b) => patchTitle(b));
    const sim = await startSim([], { staticDir: dir });
    try {
      await sim.clearJournal();
      const page = await newPage();
      await page.goto(sim.url('/'));
      const alert = page.getByRole('alert').filter({ hasText: 'cannot start' });
      await alert.waitFor();
      const text = await alert.textContent();
      assert.match(text, new RegExp(`${wasm.replace('.', '\\.')} is not the file this release was built with`), text);
      assert.match(text, /SHA-384/);
      assert.match(text, /控制台未启动/, 'and in Chinese');
      assert.equal(await page.locator('#signin-password').count(), 0, 'no console');
      assert.ok(page.problems.some((p) => /integrity/i.test(p)), `the browser refused it: ${page.problems}`);
      assert.deepEqual((await sim.journal()).filter((r) => r.uri.startsWith('/api/')), [], 'nothing talked to the agent');
      await page.context().close();
    } finally {
      await sim.stop();
    }
  });

  describe('through embed.js (examples/host.html behind the sub-path template)', () => {
    let sim;
    let ng;
    let live;
    before(async () => {
      sim = await startSim([], { staticDir: null });
      live = copyDist();
      ng = await startNginx({
        template: 'console-subpath.conf', dist: live, agent: agentAddr(sim), prefix: '/ops/obshell',
        extra: ({ CONF_DIR }) => `
    location /portal/ {
        alias ${ROOT}/examples/;
        index host.html;
        include ${CONF_DIR}/security-headers.conf;
        add_header Cache-Control "no-cache";
        types { text/html html; text/javascript js; text/css css; }
    }`,
      });
    });
    after(async () => { await ng?.stop(); await sim?.stop(); });

    for (const [what, pattern, change] of [
      ['the main wasm', MAIN_WASM, (b) => patchTitle(b)],
      ['the main JS', MAIN_JS, (b) => Buffer.concat([b, Buffer.from('\n// altered after the build\n')])],
    ]) {
      test(`${what}: mount() rejects, the element shows why`, async () => {
        replaceContents(live, DIST);
        const name = served(live, pattern);
        tamper(live, name, change);
        const page = await newPage();
        await page.goto(ng.url('/portal/'));
        const slot = page.locator('#slot-a');
        await slot.locator('.mount-error', { hasText: 'Cannot mount' }).waitFor();
        assert.match(await slot.locator('.mount-error').textContent(), new RegExp(`${name.replace('.', '\\.')} is not the file this release was built with`));
        const shown = slot.locator('.console-host [role=alert]');
        await shown.waitFor();
        assert.match(await shown.textContent(), new RegExp(`cannot start.*${name.replace('.', '\\.')}`, 's'));
        assert.equal(await slot.locator('[id$="signin-password"]').count(), 0, 'no console');
        assert.ok(page.problems.some((p) => /integrity/i.test(p)), `the browser refused it: ${page.problems}`);
        await page.context().close();
      });
    }
  });
});

// -------------------------------------------------------------------------------------------
describe('an upgrade with the same sizes and mtimes for the files that keep their names', () => {
  let relA;
  let relB;
  before(() => {
    relA = copyDist();
    relB = copyDist();
    // Release B: a string constant of the main wasm and the overview's page chunk changed, then
    // everything named and hashed again by the build's last step.
    const wasm = served(relB, MAIN_WASM);
    const chunk = served(relB, /^split_overview_page-[0-9a-f]{16}\.wasm$/);
    for (const f of [wasm, chunk]) for (const ext of ['.gz', '.br']) fs.rmSync(path.join(relB, f + ext), { force: true });
    tamper(relB, wasm, (b) => patchTitle(b));
    tamper(relB, chunk, (b) => withCustomSection(b));
    execFileSync(PYTHON, [path.join(ROOT, 'scripts/postbuild.py'), relB], { stdio: 'pipe' });
    // A reproducible build: every file with the same fixed mtime.
    const fixed = new Date('2000-01-01T00:00:00Z');
    for (const dir of [relA, relB]) for (const f of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, f), fixed, fixed);
    for (const f of ['index.html', 'embed.js', 'config.json']) {
      const [a, b] = [relA, relB].map((d) => fs.statSync(path.join(d, f)));
      assert.equal(a.size, b.size, `${f}: same size in both releases`);
      assert.equal(a.mtimeMs, b.mtimeMs, `${f}: same mtime`);
    }
    assert.notEqual(fs.readFileSync(path.join(relA, 'index.html'), 'utf8'), fs.readFileSync(path.join(relB, 'index.html'), 'utf8'));
  });

  /** Opens release A, upgrades the server to B, and checks one reload shows B. */
  async function upgrade(url, live) {
    replaceContents(live, relA);
    const page = await newPage();
    await page.goto(url('/'));
    await page.getByRole('heading', { name: 'Sign in to the obshell agent', exact: true }).waitFor();

    replaceContents(live, relB);
    // The page of release A signs in: its page chunks are gone from the server.
    await page.locator('#signin-password').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: 'could not be loaded' }).waitFor();

    const answers = [];
    page.on('response', (r) => answers.push([new URL(r.url()).pathname, r.status()]));
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to the obshell AGENT', exact: true }).waitFor();
    assert.deepEqual(answers.filter(([p]) => p === '/'), [['/', 200]], 'the page itself is sent again, not a 304');
    await page.locator('#signin-password').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
    await page.context().close();
  }

  test('through the shipped nginx template (console-root.conf): one reload shows release B', async () => {
    const sim = await startSim([], { staticDir: null });
    const live = copyDist(relA);
    const ng = await startNginx({ template: 'console-root.conf', dist: live, agent: agentAddr(sim) });
    try {
      await upgrade(ng.url, live);
    } finally {
      await ng.stop();
      await sim.stop();
    }
  });

  test('through the simulator (--static, ETag of the content): one reload shows release B', async () => {
    const live = copyDist(relA);
    const sim = await startSim([], { staticDir: live });
    try {
      await upgrade(sim.url, live);
    } finally {
      await sim.stop();
    }
  });
});

// -------------------------------------------------------------------------------------------
describe('the first load is compressed', () => {
  /** The first load of the sign-in page: [path, content-encoding, vary, transferred body bytes, raw bytes]. */
  async function firstLoad(url) {
    const page = await newPage();
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await page.goto(url('/'));
    await page.locator('#signin-password').waitFor();
    await page.waitForLoadState('networkidle');
    const rows = [];
    for (const r of responses) {
      const p = new URL(r.url()).pathname;
      if (!/\.(js|css|wasm)$/.test(p) && p !== '/') continue;
      const h = await r.allHeaders();
      const sizes = await r.request().sizes();
      rows.push({ path: p, encoding: h['content-encoding'] || null, vary: h.vary || '', transferred: sizes.responseBodySize,
        accept: (await r.request().allHeaders())['accept-encoding'] || '' });
    }
    await page.context().close();
    return rows;
  }

  function report(where, rows) {
    const raw = rows.reduce((n, r) => n + (r.path === '/' ? fs.statSync(path.join(DIST, 'index.html')).size : fs.statSync(path.join(DIST, r.path)).size), 0);
    const sent = rows.reduce((n, r) => n + r.transferred, 0);
    console.log(`# first load through ${where}: ${(raw / 1024).toFixed(1)} KiB raw, ${(sent / 1024).toFixed(1)} KiB transferred (${rows.map((r) => `${path.basename(r.path) || '/'} ${r.encoding}`).join(', ')})`);
    return { raw, sent };
  }

  /** One raw HTTP GET (no automatic decompression): [status, headers, body length]. */
  const get = (base, p, acceptEncoding) => new Promise((resolve, reject) => {
    http.get(base + p, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
      let n = 0;
      res.on('data', (d) => { n += d.length; });
      res.on('end', () => resolve([res.statusCode, res.headers, n]));
    }).on('error', reject);
  });

  test('through the shipped nginx template: the build\'s .gz files, Vary: Accept-Encoding', async () => {
    const sim = await startSim([], { staticDir: null });
    const ng = await startNginx({ template: 'console-root.conf', dist: DIST, agent: agentAddr(sim) });
    try {
      const rows = await firstLoad(ng.url);
      assert.ok(rows.some((r) => MAIN_WASM.test(path.basename(r.path))), 'the main wasm is in the first load');
      for (const r of rows) {
        assert.equal(r.encoding, 'gzip', `${r.path} is sent gzip-compressed`);
        assert.match(r.vary, /Accept-Encoding/i, `${r.path} varies by Accept-Encoding`);
        if (r.path !== '/') {
          assert.equal(r.transferred, fs.statSync(path.join(DIST, `${r.path}.gz`)).size, `${r.path}: the build's .gz, as it is`);
        }
      }
      const { raw, sent } = report('nginx', rows);
      assert.ok(sent < raw * 0.45 && sent < 300 * 1024, `compressed: ${sent} B of ${raw} B`);

      // A client that accepts no compression gets the file itself.
      const wasm = rows.find((r) => MAIN_WASM.test(path.basename(r.path))).path;
      const [status, headers, length] = await get(ng.base, wasm, 'identity');
      assert.deepEqual([status, headers['content-encoding'], length], [200, undefined, fs.statSync(path.join(DIST, wasm)).size]);
    } finally {
      await ng.stop();
      await sim.stop();
    }
  });

  test('through the simulator (--static): the build\'s .br files (or .gz), as the browser accepts', async () => {
    const sim = await startSim([], { staticDir: DIST });
    try {
      const rows = await firstLoad(sim.url);
      for (const r of rows.filter((x) => x.path !== '/')) {
        const best = /\bbr\b/.test(r.accept) && fs.existsSync(path.join(DIST, `${r.path}.br`)) ? 'br' : 'gzip';
        assert.equal(r.encoding, best, `${r.path} (Accept-Encoding: ${r.accept})`);
        assert.match(r.vary, /Accept-Encoding/i);
        assert.equal(r.transferred, fs.statSync(path.join(DIST, `${r.path}.${best === 'br' ? 'br' : 'gz'}`)).size, `${r.path}: the build's file, as it is`);
      }
      const { raw, sent } = report('the simulator', rows);
      assert.ok(sent < raw * 0.45, `compressed: ${sent} B of ${raw} B`);
      const wasm = rows.find((r) => MAIN_WASM.test(path.basename(r.path))).path;
      const plain = await get(sim.base, wasm, 'identity');
      assert.deepEqual([plain[0], plain[1]['content-encoding'], plain[2]], [200, undefined, fs.statSync(path.join(DIST, wasm)).size]);
      const gz = await get(sim.base, wasm, 'gzip');
      assert.deepEqual([gz[0], gz[1]['content-encoding'], gz[2]], [200, 'gzip', fs.statSync(path.join(DIST, `${wasm}.gz`)).size]);
      // The validator follows the bytes sent: the same bytes revalidate to 304.
      const again = await new Promise((resolve) => http.get(sim.base + wasm, { headers: { 'Accept-Encoding': 'gzip', 'If-None-Match': gz[1].etag } },
        (res) => { res.resume(); resolve(res.statusCode); }));
      assert.equal(again, 304);
    } finally {
      await sim.stop();
    }
  });
});
