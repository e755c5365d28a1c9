// Sign-in timing benchmark (prints numbers; not a test). Run after `source scripts/env.sh`:
//   node scripts/bench-signin.mjs
// The release build (dist/) served by the simulator on 127.0.0.1 (its precompressed files),
// loaded cold (a new browser context: empty cache, new connections) in headless Chromium, on
// loopback and on an emulated link (CDP: 20 Mbit/s each way, 40 ms latency). Per load, from
// the navigation's start (performance.timeOrigin):
// - password visible: the first frame in which a password input is on screen (the page's own
//   form, index.html, or the console's);
// - console ready: the console has replaced the page's form (its wasm runs);
// - sign-in enabled: the agent's key and status are there (/api/v1/info, /secret, /time
//   answered): a click signs in at once;
// - sign-in → form interactive: from the click on "Sign in" to the cluster backup form taking
//   input (its base path field present and enabled).
// Median of BENCH_LOADS (5) loads each; also the bytes and requests of the first load. For
// scale, the same "password visible" of a bare page (one password input, one external
// stylesheet) from the same server: the browser's own floor for a styled first paint here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { startSim, launch, PASSWORD } = await import(path.join(here, '../tests/e2e/harness.mjs'));

const LOADS = Number(process.env.BENCH_LOADS || 5);
const LINKS = [
  { name: 'loopback', conditions: null },
  { name: '20 Mbit/s + 40 ms', conditions: { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 20e6 / 8 } },
];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// In the page before any of its scripts: each animation frame (just before it is painted) notes
// when a password input was first visible, when the console's own input replaced the page's,
// and when the console showed the agent's line (connected, key there).
const PROBE = () => {
  const marks = (window.__marks = {});
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const frame = () => {
    const now = performance.now();
    if (marks.passwordVisible === undefined && visible(document.querySelector('input[type=password]'))) marks.passwordVisible = now;
    if (marks.consoleReady === undefined && document.getElementById('signin-password')) marks.consoleReady = now;
    const button = document.querySelector('#signin-password')?.form?.querySelector('button[type=submit]');
    if (marks.signInEnabled === undefined && document.querySelector('.agent-line') && button && !button.disabled) marks.signInEnabled = now;
    if (marks.signInEnabled === undefined || marks.formInteractive === undefined) requestAnimationFrame(frame);
    if (marks.clicked !== undefined && marks.formInteractive === undefined) {
      const field = document.getElementById('backup-base-path');
      if (field && !field.disabled && visible(field)) marks.formInteractive = now;
    }
  };
  requestAnimationFrame(frame);
};

// The floor: a page with nothing but a password input and one small stylesheet.
async function bareFloor(browser) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>floor</title><link rel="stylesheet" href="./floor.css"></head><body><form><input type="password" aria-label="password"></form></body></html>');
  fs.writeFileSync(path.join(dir, 'floor.css'), 'input { border: 1px solid #888; padding: 4px; }');
  const sim = await startSim([], { staticDir: dir });
  const times = [];
  try {
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(PROBE);
      await page.goto(sim.url('/'), { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__marks?.passwordVisible !== undefined, null, { timeout: 30000 });
      times.push(await page.evaluate(() => window.__marks.passwordVisible));
      await context.close();
    }
  } finally {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return median(times);
}

const sim = await startSim();
const browser = await launch();
try {
  console.log(`sign-in: a bare page (password input + one stylesheet) from the same server shows its input at ${(await bareFloor(browser)).toFixed(0)} ms (loopback, cold, median of ${LOADS}): the browser's floor here`);
  for (const link of LINKS) {
    const rows = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.addInitScript(PROBE);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      if (link.conditions) await cdp.send('Network.emulateNetworkConditions', link.conditions);
      let bytes = 0;
      const requests = [];
      cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
      cdp.on('Network.requestWillBeSent', (e) => requests.push(new URL(e.request.url).pathname));
      await page.goto(sim.url('/backup/cluster'), { waitUntil: 'commit' });
      await page.waitForFunction(() => window.__marks?.signInEnabled !== undefined, null, { timeout: 30000 });
      const firstLoad = { bytes, requests: requests.length };
      await page.locator('#signin-password').fill(PASSWORD);
      await page.evaluate(() => { window.__marks.clicked = performance.now(); });
      await page.locator('#signin-password').press('Enter');
      await page.waitForFunction(() => window.__marks?.formInteractive !== undefined, null, { timeout: 30000 });
      const m = await page.evaluate(() => window.__marks);
      rows.push({ ...m, toForm: m.formInteractive - m.clicked, ...firstLoad });
      await context.close();
    }
    const col = (k) => median(rows.map((r) => r[k]));
    console.log(`sign-in (${link.name}, cold, median of ${LOADS}): password visible ${col('passwordVisible').toFixed(0)} ms, console ready ${col('consoleReady').toFixed(0)} ms, sign-in enabled ${col('signInEnabled').toFixed(0)} ms (= password visible + ${(col('signInEnabled') - col('passwordVisible')).toFixed(0)} ms), sign-in → form interactive ${col('toForm').toFixed(0)} ms; until sign-in enabled: ${(col('bytes') / 1024).toFixed(1)} KiB on the wire in ${col('requests')} requests`);
  }
} finally {
  await browser.close();
  await sim.stop();
}
