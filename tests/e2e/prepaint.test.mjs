// The page's own sign-in form (issue 15): index.html shows it at first paint, before the wasm
// has arrived, in the browser's language; what the user does there is kept when the console
// takes over (typed password, caret, Enter, language), nothing is sent twice or navigates, and
// the console's form sits where the page's was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSimAndBrowser, PASSWORD, waitFor } from './harness.mjs';

let sim;
let browser;
useSimAndBrowser((s, b) => { sim = s; browser = b; });

const MAIN_WASM = /\/obshell-console-[0-9a-f]{16}_bg\.wasm$/;

/** A page whose main wasm is held back until `release()` is called. */
async function slowPage(locale = 'en-US') {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(m.text()); });
  let release;
  const held = new Promise((r) => { release = r; });
  let wasmRequests = 0;
  await page.route(MAIN_WASM, async (route) => {
    wasmRequests += 1;
    await held;
    await route.continue();
  });
  return { page, context, release, wasmRequests: () => wasmRequests };
}

const logins = async () => (await sim.journal()).filter((r) => r.method === 'POST' && r.uri.startsWith('/api/v1/login')).length;

test('before the wasm: the form is there in the browser language; typed password, caret and Enter are kept, signed in once', async () => {
  await sim.clearJournal();
  const { page, context, release } = await slowPage('zh-CN');
  try {
    await page.goto(sim.url('/backup/cluster'), { waitUntil: 'domcontentloaded' });
    const early = page.locator('#obshell-prepaint-password');
    assert.ok(await early.isVisible(), 'the password input is visible before the wasm');
    assert.equal(await page.locator('#obshell-prepaint h1').innerText(), '登录 obshell agent');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.locator('#signin-password').count(), 0, 'the console is not there yet');
    await early.click();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    const url = page.url();
    assert.ok(!url.includes('username') && !url.includes('?'), `the submit did not navigate: ${url}`);
    assert.equal(await page.locator('#obshell-prepaint button[type=submit]').innerText(), '登录中…');
    release();
    // The console signs in with what was typed, once, and shows the route.
    await page.locator('#backup-base-path').waitFor({ timeout: 20000 });
    assert.equal(await logins(), 1, 'one login');
    assert.equal(await page.locator('#obshell-prepaint').count(), 0, 'the page form is gone');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    const text = await page.evaluate(() => document.body.innerText);
    assert.ok(!text.includes(PASSWORD), 'the password is not page text');
    assert.deepEqual(page.problems, []);
  } finally {
    await context.close();
  }
});

test('typing goes on in the console input: value, focus and caret are handed over', async () => {
  // Connecting takes a while: the takeover happens with both forms in the "connecting" state.
  await sim.control('faults', { latency_ms: 1500, path_prefix: '/api/v1/info' });
  const { page, context, release } = await slowPage('en-US');
  try {
    await page.goto(sim.url('/'), { waitUntil: 'domcontentloaded' });
    await page.locator('#obshell-prepaint-password').click();
    await page.keyboard.type('e2e-Pa');
    const before = await page.locator('#obshell-prepaint-password').boundingBox();
    release();
    await page.locator('#signin-password').waitFor({ timeout: 20000 });
    const after = await page.locator('#signin-password').boundingBox();
    for (const k of ['x', 'y', 'width', 'height']) {
      assert.ok(Math.abs(before[k] - after[k]) <= 1, `the input stays in place (${k}: ${before[k]} → ${after[k]})`);
    }
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-password', 'focus handed over');
    await page.keyboard.type('55!');
    assert.equal(await page.locator('#signin-password').inputValue(), PASSWORD, 'caret at the end: typing goes on');
    await waitFor(async () => (await page.locator('.agent-line').count()) > 0, 'connected', 15000);
    await page.keyboard.press('Enter');
    await page.locator('nav').waitFor({ timeout: 15000 });
    assert.deepEqual(page.problems, []);
  } finally {
    await sim.control('faults', undefined, 'DELETE');
    await context.close();
  }
});

test('the language picked on the page form is the console\'s', async () => {
  const { page, context, release } = await slowPage('en-US');
  try {
    await page.goto(sim.url('/'), { waitUntil: 'domcontentloaded' });
    assert.equal(await page.locator('#obshell-prepaint h1').innerText(), 'Sign in to the obshell agent');
    await page.locator('#obshell-prepaint button[data-pp=lang]').click();
    assert.equal(await page.locator('#obshell-prepaint h1').innerText(), '登录 obshell agent');
    release();
    await page.locator('#signin-password').waitFor({ timeout: 20000 });
    assert.equal(await page.locator('.card h1').innerText(), '登录 obshell agent');
    assert.equal(await page.locator('header button.link').first().innerText(), 'English');
  } finally {
    await context.close();
  }
});

test('the agent\'s status, key and clock are asked for once, before the console is drawn', async () => {
  await sim.clearJournal();
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    // For each request the page makes: whether the console's own form was there when it was sent.
    await page.addInitScript(() => {
      window.__sent = [];
      const fetch = window.fetch;
      window.fetch = function (input, init) {
        const url = new URL(input instanceof Request ? input.url : String(input), location.href);
        window.__sent.push({ path: url.pathname, drawn: document.getElementById('signin-password') !== null });
        return fetch.call(this, input, init);
      };
    });
    await page.goto(sim.url('/'));
    await page.locator('.agent-line').waitFor({ timeout: 20000 });
    const sent = (await page.evaluate(() => window.__sent)).filter((r) => r.path.startsWith('/api/'));
    assert.deepEqual(sent.map((r) => r.path).sort(), ['/api/v1/info', '/api/v1/secret', '/api/v1/time']);
    assert.deepEqual(sent.filter((r) => r.drawn), [], 'sent before the console drew its sign-in page');
    const gets = (await sim.journal()).filter((r) => r.method === 'GET').map((r) => r.uri).sort();
    assert.deepEqual(gets, ['/api/v1/info', '/api/v1/secret', '/api/v1/time']);
  } finally {
    await context.close();
  }
});

test('a console that cannot load takes the page form away and says why', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.route(MAIN_WASM, (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('not the build') }));
    await page.goto(sim.url('/'));
    await page.locator('[data-obshell-load-error]').waitFor({ timeout: 15000 });
    assert.equal(await page.locator('#obshell-prepaint').count(), 0);
  } finally {
    await context.close();
  }
});
