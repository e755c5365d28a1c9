// Issue 6 end to end: the release dist/ deployed behind nginx with the shipped templates
// (deploy/nginx/*.conf), at / and at a sub-path with a prefix-stripping proxy; strict CSP with
// zero violations and SRI; the example host page (examples/) embedding two consoles; SSO
// sign-in from a host backend; a wrong API base and a bad config.json reported clearly.
// The simulator plays the agent (no --static): nginx serves the console and proxies the API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startSim, launch, signIn, waitFor, trackRequests, networkQuiet, mintSsoToken, freePort, PASSWORD, ROOT } from './harness.mjs';
import { startNginx } from './nginx.mjs';

const DIST = process.env.OBSHELL_DIST || path.join(ROOT, 'dist');
const agentAddr = (sim) => sim.base.replace(/^http:\/\//, '');

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** A page that records CSP violations (DOM events and console reports) and page errors. */
async function newCspPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.csp = [];
  page.problems = [];
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => (window.__csp ||= []).push(`${e.violatedDirective} ${e.blockedURI}`)));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) page.csp.push(m.text()); });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  trackRequests(page);
  /** Violations so far (call before a navigation: the DOM record goes with the document). */
  page.violations = async () => {
    const dom = await page.evaluate(() => window.__csp || []).catch(() => []);
    return [...new Set([...page.csp, ...dom])];
  };
  return page;
}


/**
 * From the overview (the page after sign-in) to the cluster form, once the overview's reads are
 * answered: leaving it while one is in flight can make the overview page read a disposed signal
 * (a console bug, seen as 'RuntimeError: unreachable'; not what these tests are about).
 */
async function toClusterForm(page, scope = page) {
  await scope.getByRole('heading', { name: 'Backup overview' }).waitFor();
  await networkQuiet(page, 'the overview\'s reads');
  await scope.locator('nav a', { hasText: 'Cluster backup' }).click();
}

async function assertNoViolations(page, where) {
  assert.deepEqual(await page.violations(), [], `CSP violations ${where}`);
  assert.deepEqual(page.problems, [], `page errors ${where}`);
}

/** Fills the cluster form with a base path, reviews and confirms; returns the new DAG id. */
async function submitClusterConfig(scope, basePath = '/data/backup') {
  await scope.locator('[id$="backup-base-path"]').fill(basePath);
  await scope.locator('form.backup-form button[type=submit]').click();
  await scope.locator('.modal button.primary').click();
  await scope.locator('[id$="dag-state"]').waitFor();
  return (await scope.locator('.dag-id').textContent()).trim();
}

const sha384 = (buf) => `sha384-${crypto.createHash('sha384').update(buf).digest('base64')}`;

/** Every script/style/preload of the served index.html carries an SRI hash matching the served
 * file, but the preload of config.json: data the deployment edits, never executed. */
async function assertIntegrity(indexUrl) {
  const html = await (await fetch(indexUrl)).text();
  const all = [...html.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0]);
  assert.ok(all.some((t) => /rel="preload" href="\.\/config\.json" as="fetch"/.test(t)), 'config.json is preloaded');
  const tags = all.filter((t) => /<script|rel="(stylesheet|modulepreload|preload)"/.test(t) && !t.includes('config.json'));
  assert.ok(tags.some((t) => /<script src="[^"]*prepaint-[0-9a-f]{16}\.js"/.test(t)), 'the prepaint script is referenced');
  const srcs = tags.map((t) => (t.match(/(?:src|href)="([^"]+)"/) || [])[1]);
  assert.ok(srcs.some((s) => /\/boot-[0-9a-f]{16}\.js$/.test(s)), `boot-<hash>.js is referenced: ${srcs}`);
  assert.ok(srcs.some((s) => s.endsWith('.css')), 'the stylesheet is referenced');
  assert.ok(srcs.some((s) => s.endsWith('.wasm')) && srcs.some((s) => /obshell-console-[0-9a-f]+\.js$/.test(s)), 'js and wasm are preloaded');
  assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'no inline script');
  assert.ok(!/<style|\sstyle=/.test(html), 'no inline style');
  const base = (html.match(/<base href="([^"]+)"/) || [])[1];
  for (const [i, tag] of tags.entries()) {
    const integrity = (tag.match(/\sintegrity="([^"]+)"/) || [])[1];
    assert.match(integrity || '', /^sha384-[A-Za-z0-9+/=]{64}$/, `integrity on ${tag}`);
    const body = Buffer.from(await (await fetch(new URL(srcs[i], new URL(base, indexUrl)))).arrayBuffer());
    assert.equal(sha384(body), integrity, `the served ${srcs[i]} matches its integrity hash`);
  }
}

// -------------------------------------------------------------------------------------------
describe('console at / (deploy/nginx/console-root.conf)', () => {
  let sim;
  let ng;
  before(async () => {
    sim = await startSim([], { staticDir: null });
    ng = await startNginx({ template: 'console-root.conf', dist: DIST, agent: agentAddr(sim) });
  });
  after(async () => { await ng?.stop(); await sim?.stop(); });

  test('sign in, submit, land on /tasks/<id>; reloading the deep link signs in again in place', async () => {
    const page = await newCspPage();
    await signIn(page, ng);
    const id = await submitClusterConfig(page);
    assert.equal(new URL(page.url()).pathname, `/tasks/${id}`);
    await assertNoViolations(page, 'before the reload');

    await page.reload();
    await page.locator('#signin-password').waitFor();
    assert.equal(new URL(page.url()).pathname, `/tasks/${id}`, 'the deep link is kept under the sign-in gate');
    await page.locator('#signin-password').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.locator('#dag-state').waitFor();
    assert.equal((await page.locator('.dag-id').textContent()).trim(), id, 'the task of the deep link');
    await assertNoViolations(page, 'after the reload');
    const posts = (await sim.journal()).filter((r) => r.method === 'POST' && r.uri === '/api/v1/obcluster/backup/config');
    assert.deepEqual(posts.map((r) => [r.status, r.body]), [[200, { backup_base_uri: 'file:///data/backup', binding: 'OPTIONAL', piece_switch_interval: '1d' }]]);
    await page.context().close();
  });

  test('strict CSP header, SRI on every loaded file, zero violations from sign-in to the task view', async () => {
    const boot = (await (await fetch(ng.url('/'))).text()).match(/src="\.(\/boot-[0-9a-f]{16}\.js)"/)[1];
    for (const p of ['/', '/tasks/1', boot, '/embed.js', '/config.json']) {
      const csp = (await fetch(ng.url(p))).headers.get('content-security-policy') || '';
      const dirs = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k, v.join(' ')]));
      assert.equal(dirs['script-src'], "'self' 'wasm-unsafe-eval'", `script-src of ${p}`);
      assert.equal(dirs['style-src'], "'self'", `style-src of ${p}`);
      assert.equal(dirs['connect-src'], "'self'", `connect-src of ${p}`);
      assert.equal(dirs['default-src'], "'none'", `default-src of ${p}`);
      assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|'unsafe-hashes'/, `no unsafe-inline/unsafe-eval in ${p}`);
    }
    await assertIntegrity(ng.url('/'));

    const page = await newCspPage();
    await page.goto(ng.url('/'));
    await page.locator('#signin-password').fill(PASSWORD);
    await assertNoViolations(page, 'on the sign-in page');
    await page.locator('form button[type=submit]').click();
    await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
    await assertNoViolations(page, 'on the overview');
    await toClusterForm(page);
    await page.locator('#backup-base-path').fill('/data/csp');
    await page.locator('#log-archive-concurrency').fill('4');
    await assertNoViolations(page, 'on the form');
    await page.locator('form.backup-form button[type=submit]').click();
    await page.locator('.modal pre.json').waitFor();
    await assertNoViolations(page, 'in the review dialog');
    await page.locator('.modal button.primary').click();
    await page.locator('#dag-state').waitFor();
    await page.locator('#dag-state[data-state="SUCCEED"]').waitFor();
    await page.locator('nav a', { hasText: 'Tasks' }).click();
    await page.locator('#tasks-title').waitFor();
    await assertNoViolations(page, 'on the task view and the task list');

    // The detector itself works: an inline style is reported.
    await page.evaluate(() => { const s = document.createElement('style'); s.textContent = 'b{}'; document.head.append(s); });
    await waitFor(async () => (await page.violations()).some((v) => v.includes('style-src')), 'the deliberate violation to be seen');
    await page.context().close();
  });
});

// -------------------------------------------------------------------------------------------
describe('console at /ops/obshell/ with a prefix-stripping proxy (deploy/nginx/console-subpath.conf)', () => {
  const PREFIX = '/ops/obshell';
  let sim;
  let ng;
  before(async () => {
    sim = await startSim([], { staticDir: null });
    ng = await startNginx({ template: 'console-subpath.conf', dist: DIST, agent: agentAddr(sim), prefix: PREFIX });
  });
  after(async () => { await ng?.stop(); await sim?.stop(); });

  test('assets under the prefix, the agent sees /api/v1/…, deep link reload works', async () => {
    await assertIntegrity(ng.url(`${PREFIX}/`));
    const page = await newCspPage();
    const requested = [];
    page.on('request', (r) => requested.push(new URL(r.url())));
    await sim.clearJournal();
    await signIn(page, ng, PASSWORD, `${PREFIX}/`);
    await toClusterForm(page);
    const id = await submitClusterConfig(page);
    assert.equal(new URL(page.url()).pathname, `${PREFIX}/tasks/${id}`);

    const own = requested.filter((u) => u.origin === ng.base && u.pathname !== '/favicon.ico');
    const outside = own.filter((u) => !u.pathname.startsWith(`${PREFIX}/`)).map((u) => u.pathname);
    assert.deepEqual(outside, [], 'everything is loaded from under the prefix');
    for (const f of ['boot-', '.css', '.wasm', 'config.json', 'api/v1/info']) {
      assert.ok(own.some((u) => u.pathname.startsWith(`${PREFIX}/`) && u.pathname.includes(f)), `${f} was loaded from ${PREFIX}/`);
    }
    const journal = await sim.journal();
    assert.ok(journal.length >= 5, 'the agent was used');
    // (The overview's "no backup yet" is the agent's 404.)
    const noBackupYet = (r) => r.status === 404 && r.uri.startsWith('/api/v1/obcluster/backup/overview');
    const odd = journal.filter((r) => !r.uri.startsWith('/api/v1/') || (r.status !== 200 && !noBackupYet(r))).map((r) => `${r.method} ${r.uri} ${r.status}`);
    assert.deepEqual(odd, [], 'the agent received /api/v1/… (prefix stripped, Uri accepted)');
    assert.ok(journal.some((r) => r.method === 'POST' && r.uri === '/api/v1/obcluster/backup/config'));

    await page.reload();
    await page.locator('#signin-password').fill(PASSWORD);
    await page.locator('form button[type=submit]').click();
    await page.locator('#dag-state').waitFor();
    assert.equal((await page.locator('.dag-id').textContent()).trim(), id);
    assert.equal(new URL(page.url()).pathname, `${PREFIX}/tasks/${id}`);
    await assertNoViolations(page, 'under the sub-path');
    await page.context().close();
  });

  test('the proxy forwards the request-target byte for byte (percent-escapes survive, protocol §2.5)', async () => {
    const page = await newCspPage();
    await sim.clearJournal();
    // "1=2" is sent as 1%3D2; a proxy_pass with a URI part would forward "1=2" and the agent
    // would refuse the signed Uri (Security.Authentication.Header.UriMismatch).
    await signIn(page, ng, PASSWORD, `${PREFIX}/tasks/1%3D2`);
    await page.getByText('Invalid ID').waitFor();
    const dag = (await sim.journal()).filter((r) => /^\/api\/v1\/task\/dag\/1(%3D|=)2(\?|$)/.test(r.uri));
    assert.ok(dag.length >= 1);
    assert.deepEqual(dag.map((r) => [r.uri.split('?')[0], r.status]), dag.map(() => ['/api/v1/task/dag/1%3D2', 400]),
      'the agent got the escaped id and judged the id, not the signature');
    await page.context().close();
  });
});

// -------------------------------------------------------------------------------------------
describe('a config.json with an unknown field', () => {
  let sim;
  let dir;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obshell-dist-'));
    for (const f of fs.readdirSync(DIST)) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
    fs.writeFileSync(path.join(dir, 'config.json'), '{"apiBase": "", "colour": "red"}\n');
    sim = await startSim([], { staticDir: dir });
  });
  after(async () => { await sim?.stop(); fs.rmSync(dir, { recursive: true, force: true }); });

  test('is reported, and nothing of it is applied', async () => {
    const page = await newCspPage();
    await sim.clearJournal();
    await page.goto(sim.url('/'));
    const alert = page.locator('[role=alert]', { hasText: 'configuration error' });
    await alert.waitFor();
    assert.match(await alert.textContent(), /config\.json: unknown field `colour`/);
    assert.equal(await page.locator('#signin-password').count(), 0, 'no half-configured console');
    const api = (await sim.journal()).filter((r) => r.uri.startsWith('/api/'));
    assert.deepEqual(api, [], 'the console did not start talking to the agent');
    await page.context().close();
  });
});

// -------------------------------------------------------------------------------------------
describe('example host page (examples/host.html) embedding two consoles', () => {
  let simA;
  let simB;
  let ng;
  let backend;
  const minted = [];
  let page;
  let A;
  let B;
  let startUrl;
  let taskA;

  before(async () => {
    simA = await startSim(['--tick-ms', '50'], { staticDir: null });
    simB = await startSim(['--tick-ms', '50'], { staticDir: null });
    // The portal's own backend: it knows the agents' password and mints one-time SSO tokens.
    const agents = { a: simA, b: simB };
    backend = http.createServer(async (req, res) => {
      const u = new URL(req.url, 'http://x');
      const sim = agents[u.searchParams.get('cluster')];
      if (req.method !== 'POST' || u.pathname !== '/portal/backend/sso-token' || !sim) { res.writeHead(404).end(); return; }
      try {
        const token = await mintSsoToken(sim.base);
        minted.push(u.searchParams.get('cluster'));
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(token);
      } catch (e) { res.writeHead(502).end(String(e)); }
    });
    const backendPort = await freePort();
    await new Promise((r) => backend.listen(backendPort, '127.0.0.1', r));
    // Cluster A: the console and its API at /ops/obshell/ (the template); cluster B: its API
    // at /ops/obshell-b/api/ (prefix stripped the same way); the portal page at /portal/.
    ng = await startNginx({
      template: 'console-subpath.conf', dist: DIST, agent: agentAddr(simA), prefix: '/ops/obshell',
      extra: ({ CONF_DIR }) => `
    location /ops/obshell-b/api/ {
        if ($request_uri !~ "^/ops/obshell-b(?<cluster_b_target>/api/.*)$") { return 400; }
        proxy_pass http://${agentAddr(simB)}$cluster_b_target;
    }
    location /portal/backend/ { proxy_pass http://127.0.0.1:${backendPort}; }
    location /portal/ {
        alias ${ROOT}/examples/;
        index host.html;
        include ${CONF_DIR}/security-headers.conf;
        add_header Cache-Control "no-cache";
        types { text/html html; text/javascript js; text/css css; }
    }`,
    });
    page = await newCspPage();
    await page.goto(ng.url('/portal/'));
    startUrl = page.url();
    A = page.locator('#slot-a');
    B = page.locator('#slot-b');
  });
  after(async () => {
    await page?.context().close();
    await ng?.stop();
    await new Promise((r) => (backend ? backend.close(r) : r()));
    await simA?.stop();
    await simB?.stop();
  });

  const events = (slot, type) => slot.locator(`.events li[data-type="obshell:${type}"]`);

  test('two mounts sign in and navigate independently; task-submitted reaches the right host element', async () => {
    for (const slot of [A, B]) {
      await slot.locator('[id$="signin-password"]').fill(PASSWORD);
      await slot.locator('form button[type=submit]').click();
      await toClusterForm(page, slot);
      await slot.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
    }
    // Labels, aria references and the skip link of one console never point into the other.
    const dupIds = await page.evaluate(() => {
      const ids = [...document.querySelectorAll('[id]')].map((e) => e.id);
      return ids.filter((x, i) => ids.indexOf(x) !== i);
    });
    assert.deepEqual(dupIds, [], 'element ids are unique across the two mounts');
    await B.locator('nav a', { hasText: 'Tasks' }).click();
    await B.locator('[id$="tasks-title"]').waitFor();
    assert.equal(await A.locator('[id$="backup-base-path"]').count(), 1, 'A stays on its form');
    assert.equal(await A.locator('[id$="tasks-title"]').count(), 0);
    assert.equal(page.url(), startUrl, 'the address bar is the host page\'s');

    taskA = await submitClusterConfig(A);
    await events(A, 'task-submitted').waitFor();
    const li = events(A, 'task-submitted');
    assert.equal(await li.getAttribute('data-id'), taskA);
    assert.match(await li.textContent(), new RegExp(`task-submitted · #${taskA} .+ · [A-Z]+`));
    assert.equal(await B.locator('.events li').count(), 0, 'B got no event of A');
    assert.equal(await B.locator('[id$="tasks-title"]').count(), 1, 'B is still on its task list');
    assert.equal(page.url(), startUrl);
    assert.equal((await simB.journal()).filter((r) => r.method !== 'GET' && r.uri.includes('/backup/')).length, 0, 'nothing of A was sent to B (B only read its own tenants)');
    assert.equal((await simA.journal()).filter((r) => r.method === 'POST' && r.uri === '/api/v1/obcluster/backup/config').length, 1);
  });

  test('task-finished reaches the host element when the task ends', async () => {
    await A.locator('[id$="dag-state"][data-state="SUCCEED"]').waitFor();
    const li = events(A, 'task-finished');
    await li.waitFor({ timeout: 5000 });
    assert.equal(await li.getAttribute('data-id'), taskA);
    assert.equal(await li.getAttribute('data-state'), 'SUCCEED');
    assert.equal(await events(A, 'task-finished').count(), 1, 'once');
  });

  test('unmount empties the element and stops its requests; the other mount keeps working', async () => {
    // B watches a task that cannot move (its agent's scheduler is paused): it polls.
    await simB.control('scheduler', { paused: true });
    await B.locator('nav a', { hasText: 'Cluster backup' }).click();
    const taskB = await submitClusterConfig(B, '/data/b');
    await events(B, 'task-submitted').waitFor();
    const dagGets = async () => (await simB.journal()).filter((r) => r.uri.startsWith(`/api/v1/task/dag/${taskB}?`)).length;
    await waitFor(async () => (await dagGets()) >= 2, 'B to poll its task');

    await B.locator('button.unmount').click();
    await waitFor(() => B.locator('.console-host').evaluate((el) => el.childNodes.length === 0 && el.innerHTML === ''), 'B\'s element to be emptied');
    const unmountedAt = Date.now();
    const seen = (await simB.journal()).length;

    // A keeps working: it navigates and loads from its agent.
    const before = (await simA.journal()).length;
    await A.locator('nav a', { hasText: 'Tasks' }).click();
    await A.locator('[id$="tasks-title"]').waitFor();
    await A.getByText(taskA).first().waitFor();
    assert.ok((await simA.journal()).length > before, 'A still talks to its agent');
    assert.equal(page.url(), startUrl);

    // Absence of requests: watch B's agent for more than two poll intervals (1 s).
    await waitFor(async () => Date.now() - unmountedAt > 2500, 'two poll intervals');
    const late = (await simB.journal()).slice(seen).map((r) => `${r.method} ${r.uri}`);
    assert.deepEqual(late, [], 'no request from the unmounted console');
    await simB.control('scheduler', { paused: false });
  });

  test('mount options with an unknown field are rejected; the host shows the thrown error', async () => {
    const seen = (await simB.journal()).length;
    await B.locator('.options').fill('{"apiBase": "/ops/obshell-b", "colour": "red"}');
    await B.locator('button.mount').click();
    await B.locator('.mount-error', { hasText: 'colour' }).waitFor();
    assert.match(await B.locator('.mount-error').textContent(), /mount options: unknown field `colour`/);
    assert.equal(await B.locator('.console-host').evaluate((el) => el.childNodes.length), 0, 'nothing mounted');
    assert.equal((await simB.journal()).length, seen, 'nothing applied: no request');
  });

  test('a wrong API base gives one clear message naming the URL tried', async () => {
    await B.locator('.options').fill('{"apiBase": "/nope"}');
    await B.locator('button.mount').click();
    const panel = B.locator('.error-panel');
    await panel.first().waitFor();
    assert.equal(await panel.count(), 1, 'one message');
    const text = await panel.textContent();
    assert.match(text, /\/nope\/api\/v1\/info/, `names the URL: ${text}`);
    assert.match(text, /HTTP 404/);
    assert.match(text, /API base/, 'says what to check');
    await B.locator('button.unmount').click();
  });

  test('SSO: the host backend mints a token, the console signs in without a password', async () => {
    await A.locator('button.unmount').click();
    await waitFor(() => A.locator('.console-host').evaluate((el) => el.childNodes.length === 0), 'A to be unmounted');
    await simA.clearJournal();
    await A.locator('.use-sso').check();
    await A.locator('button.mount').click();
    await A.getByRole('heading', { name: 'Backup overview' }).waitFor();
    assert.deepEqual(minted, ['a'], 'one token from the portal backend');
    // Signed in for real: an authenticated read with the session.
    await A.locator('nav a', { hasText: 'Tasks' }).click();
    await A.getByText(taskA).first().waitFor();
    const j = await simA.journal();
    const exchanges = j.filter((r) => r.uri === '/api/v1/sso/exchange');
    assert.deepEqual(exchanges.map((r) => [r.method, r.status]), [['GET', 200]]);
    assert.deepEqual(j.filter((r) => r.uri.startsWith('/api/v1/login')), [], 'no password login');
    assert.ok(j.some((r) => r.auth === 'session' && r.status === 200), 'session-authenticated requests');
    // (POST /api/v1/sso/token is the portal backend's call, with the password, server side.)
    const browserSide = j.filter((r) => !r.uri.startsWith('/api/v1/sso/'));
    assert.deepEqual(browserSide.filter((r) => r.auth === 'password').map((r) => r.uri), [], 'no password sent from the browser');
    await assertNoViolations(page, 'on the host page');
  });
});
