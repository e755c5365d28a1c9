// End-to-end harness: starts the simulator (serving the built console) on a free loopback
// port, drives Debian's Chromium through playwright-core, and reads the simulator's request
// journal so tests can check exactly what the console sent.
import { before, after } from 'node:test';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '../..');
const require = createRequire(path.join(process.env.TOOLS_DIR || path.join(ROOT, '.tools'), 'package.json'));
const { chromium } = require('playwright-core');

export const PASSWORD = 'e2e-Pa55!';
const SIM = process.env.OBSHELL_SIM || path.join(ROOT, 'target/release/obshell-sim');
const DIST = process.env.OBSHELL_DIST || path.join(ROOT, 'dist');

export async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts a simulator (extraArgs: more flags; `--tick-ms` there replaces the default 150); returns { base, url(path), control(path, body?, method?), journal(), stop() }.
 * `staticDir`: the console served on the same origin (default the built dist; `null`: none, the
 * simulator is only the agent behind a proxy, as in the nginx tests). */
export async function startSim(extraArgs = [], { staticDir = DIST } = {}) {
  const port = await freePort();
  // The simulator (clap) refuses a repeated option: defaults given in extraArgs are left out.
  const defaults = [['--tick-ms', '150'], ...(staticDir ? [['--static', staticDir]] : [])].filter(([flag]) => !extraArgs.includes(flag)).flat();
  const args = ['--listen', `127.0.0.1:${port}`, '--password', PASSWORD,
    '--enable-faults', ...defaults, ...extraArgs];
  const proc = spawn(SIM, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      const r = await fetch(`${base}/api/v1/info`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`simulator did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const control = async (p, body, method) => {
    const r = await fetch(`${base}/__sim/${p}`, {
      method: method || (body === undefined ? 'GET' : 'POST'),
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    try { return JSON.parse(text); } catch { return text; }
  };
  return {
    base,
    url: (p = '/') => base + p,
    control,
    /** The simulator's journal of /api requests (decrypted bodies, secrets masked). */
    journal: async () => {
      const j = await control('requests');
      return Array.isArray(j) ? j : (j.data ?? j.contents ?? j.requests ?? []);
    },
    clearJournal: () => control('requests', undefined, 'DELETE'),
    output: () => output,
    stop: async () => { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); },
  };
}

/**
 * For a test file: one simulator (default flags) and one browser, started before its tests
 * (handed to `ready(sim, browser)`) and stopped after them.
 */
export function useSimAndBrowser(ready) {
  let sim;
  let browser;
  before(async () => {
    [sim, browser] = await Promise.all([startSim(), launch()]);
    ready(sim, browser);
  });
  after(async () => {
    await browser?.close();
    await sim?.stop();
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A fresh page that records console errors and CSP violations. */
export async function newPage(browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

/** Counts the page's requests in flight, for [`networkQuiet`]. */
export function trackRequests(page) {
  page.inflight = 0;
  page.lastNetwork = Date.now();
  const done = () => { page.inflight--; page.lastNetwork = Date.now(); };
  page.on('request', () => { page.inflight++; page.lastNetwork = Date.now(); });
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}

/** Waits until a page of [`trackRequests`] has had no request in flight for 300 ms. */
export function networkQuiet(page, what = 'the page\'s reads') {
  return waitFor(() => page.inflight === 0 && Date.now() - page.lastNetwork > 300, what);
}

/** Opens `path` (default the cluster form; a deep link works: the sign-in gate shows in place, then the route) and signs in. */
export async function signIn(page, sim, password = PASSWORD, path = '/backup/cluster') {
  await page.goto(sim.url(path));
  await page.locator('#signin-password').fill(password);
  await page.locator('form button[type=submit]').click();
}

export async function waitFor(fn, what, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// What an embedding host's backend does (it knows the password; the browser never does): mint
// a one-time SSO token with POST /api/v1/sso/token, hybrid-encrypted like any agent request.
import crypto from 'node:crypto';

export async function mintSsoToken(base, password = PASSWORD) {
  const secret = await (await fetch(`${base}/api/v1/secret`)).json();
  const pub = crypto.createPublicKey({ key: Buffer.from(secret.data.public_key, 'base64'), format: 'der', type: 'pkcs1' });
  const k = pub.asymmetricKeyDetails.modulusLength / 8;
  const keys = crypto.randomBytes(32);
  const uri = '/api/v1/sso/token';
  const header = Buffer.from(JSON.stringify({ Auth: password, Ts: String(Math.floor(Date.now() / 1000) + 60), Uri: uri, Keys: keys.toString('base64') }));
  const blocks = [];
  for (let i = 0; i < header.length; i += k - 11) {
    blocks.push(crypto.publicEncrypt({ key: pub, padding: crypto.constants.RSA_PKCS1_PADDING }, header.subarray(i, i + k - 11)));
  }
  const r = await fetch(`${base}${uri}`, { method: 'POST', headers: { 'X-OCS-Header': Buffer.concat(blocks).toString('base64'), 'Content-Type': 'application/json' } });
  const env = await r.json();
  if (!env.successful) throw new Error(`sso/token: ${JSON.stringify(env.error)}`);
  const d = crypto.createDecipheriv('aes-128-cbc', keys.subarray(0, 16), keys.subarray(16));
  return Buffer.concat([d.update(Buffer.from(env.data, 'base64')), d.final()]).toString('utf8');
}

/**
 * A request from another agent client (not the console), with the root password: the hybrid
 * encrypted `X-OCS-Header` and, with a body, the AES body. Returns the parsed envelope. For
 * setting things up that the console's own validation would refuse.
 */
export async function agentRequest(base, method, uri, body, password = PASSWORD) {
  const secret = await (await fetch(`${base}/api/v1/secret`)).json();
  const pub = crypto.createPublicKey({ key: Buffer.from(secret.data.public_key, 'base64'), format: 'der', type: 'pkcs1' });
  const k = pub.asymmetricKeyDetails.modulusLength / 8;
  const keys = crypto.randomBytes(32);
  const h = { Auth: password };
  if (body !== undefined) h.Keys = keys.toString('base64');
  Object.assign(h, { Ts: String(Math.floor(Date.now() / 1000) + 60), Uri: uri });
  const header = Buffer.from(JSON.stringify(h));
  const blocks = [];
  for (let i = 0; i < header.length; i += k - 11) {
    blocks.push(crypto.publicEncrypt({ key: pub, padding: crypto.constants.RSA_PKCS1_PADDING }, header.subarray(i, i + k - 11)));
  }
  let payload;
  if (body !== undefined) {
    const c = crypto.createCipheriv('aes-128-cbc', keys.subarray(0, 16), keys.subarray(16));
    payload = Buffer.concat([c.update(Buffer.from(JSON.stringify(body))), c.final()]).toString('base64');
  }
  const r = await fetch(`${base}${uri}`, { method, body: payload, headers: { 'X-OCS-Header': Buffer.concat(blocks).toString('base64'), 'Content-Type': 'application/json' } });
  return r.json();
}

/** Reviews the filled backup form, submits it once and waits for the task view of its DAG. */
export async function submitAndLand(page) {
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
}
