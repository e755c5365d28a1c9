// Polling benchmark (prints numbers; not a test). Run after `source scripts/env.sh`:
//   node scripts/bench-polling.mjs
// Loopback only: a simulator on 127.0.0.1 serving dist/, driven in headless Chromium.
//
// (a) Display delay: the simulator's scheduler is paused and the DAG is advanced one tick at a
//     time (`/__sim/tick`). Each tick that changes what the view shows (DAG state, node states,
//     lane states of parallel nodes) is timed from the moment the tick call returned to the
//     moment the DOM shows the new states (MutationObserver, wall clock shared by node and the
//     browser). Ticks come at a random phase of the poll cycle, as real changes do; the delay is
//     then bounded by the poll interval (1 s) plus one request and a render.
// (b) Request rate while a DAG runs (scheduler paused in RUNNING: an endlessly slow DAG) with
//     the running sub-task's log open: every request the page sends to the agent (DAG polls
//     and log fetches; the bound is 1.2/s), then while the page is hidden, then how soon it
//     polls again once visible.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { startSim, launch, newPage, signIn, waitFor, agentRequest, PASSWORD } = await import(path.join(here, '../tests/e2e/harness.mjs'));

const TRANSITIONS = Number(process.env.BENCH_TRANSITIONS || 15);
const RATE_WINDOW_MS = Number(process.env.BENCH_RATE_MS || 10000);
const deadline = Date.now() + 110_000; // hard bound on the whole run

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const wallNow = () => performance.timeOrigin + performance.now();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/** What the view should show for a DAG (from the agent's own answer). */
function expectedSignature(d) {
  return JSON.stringify([d.state, (d.nodes || []).map((n) => {
    const subs = n.sub_tasks || [];
    return [n.state, subs.length > 1 ? subs.map((s) => s.state).sort() : []];
  })]);
}

/** Installs the DOM recorder: every distinct signature with its wall-clock time. */
async function recordSignatures(page) {
  await page.evaluate(() => {
    const sig = () => {
      const head = document.getElementById('dag-state');
      if (!head) return null;
      const nodes = [...document.querySelectorAll('.tl-nodes > li.tl-node')].map((li) => [
        li.querySelector('.tl-node-row .state')?.dataset.state,
        [...li.querySelectorAll('.tl-lanes > li .state')].map((e) => e.dataset.state).sort(),
      ]);
      return JSON.stringify([head.dataset.state, nodes]);
    };
    window.__sigs = [];
    const push = () => {
      const s = sig();
      if (s !== null && window.__sigs.at(-1)?.sig !== s) window.__sigs.push({ sig: s, t: performance.timeOrigin + performance.now() });
    };
    new MutationObserver(push).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    push();
  });
}

const sim = await startSim(['--tick-ms', '60000', '--task-ticks', '1']);
const browser = await launch();
try {
  await sim.control('scheduler', { paused: true });
  const getDag = async (id, details = true) => (await agentRequest(sim.base, 'GET', `/api/v1/task/dag/${id}?show_details=${details}`)).data;
  let nDag = 0;
  /** A new cluster config DAG (READY: the scheduler is paused), open in a new page. */
  async function openNewDag() {
    nDag += 1;
    const r = await agentRequest(sim.base, 'POST', '/api/v1/obcluster/backup/config', { backup_base_uri: `file:///data/bench-${nDag}` });
    if (!r.successful) throw new Error(JSON.stringify(r));
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, `/tasks/${r.data.id}`);
    await page.locator('#dag-state').waitFor({ timeout: 20000 });
    return { id: r.data.id, page };
  }

  // ---- (a) display delay
  const delays = [];
  let misses = 0;
  let current = null;
  while (delays.length < TRANSITIONS && Date.now() < deadline - 45_000) {
    if (!current) {
      current = await openNewDag();
      await recordSignatures(current.page);
      const want = expectedSignature(await getDag(current.id));
      await waitFor(async () => (await current.page.evaluate(() => window.__sigs.at(-1)?.sig)) === want, 'initial display', 10000);
    }
    const { id, page } = current;
    const before = expectedSignature(await getDag(id));
    // A random phase of the 1 s poll cycle.
    await sleep(Math.random() * 1000);
    await sim.control('tick', { count: 1 });
    const tTick = wallNow();
    const d = await getDag(id);
    const want = expectedSignature(d);
    if (want !== before) {
      try {
        const shown = await waitFor(async () => {
          const sigs = await page.evaluate(() => window.__sigs);
          return sigs.find((s) => s.sig === want && s.t >= tTick - 1) || null;
        }, 'display', 5000);
        delays.push(shown.t - tTick);
      } catch {
        misses += 1;
        const last = await page.evaluate(() => window.__sigs.at(-1)?.sig);
        console.error(`polling: not displayed within 5 s: want ${want}, shown ${last}`);
      }
    }
    if (d.state === 'SUCCEED' || d.state === 'FAILED') {
      await page.close();
      current = null;
    }
  }
  if (current) await current.page.close();
  if (delays.length) {
    const med = pct(delays, 50);
    console.log(`polling: display delay median ${med.toFixed(0)} ms p90 ${pct(delays, 90).toFixed(0)} ms min ${Math.min(...delays).toFixed(0)} max ${Math.max(...delays).toFixed(0)} ms (n=${delays.length}${misses ? `, ${misses} not displayed` : ''}, ${nDag} DAGs; bound: poll interval 1000 ms + request + render)`);
  } else {
    console.log('polling: display delay: no transition measured');
  }

  // ---- (b) request rate while running, while hidden, and the return
  const { id, page } = await openNewDag();
  await sim.control('tick', { count: 1 });
  await waitFor(async () => (await page.locator('#dag-state').getAttribute('data-state')) === 'RUNNING', 'RUNNING', 10000);
  // The running sub-task's log is open (the view selects the current sub-task) and was fetched.
  await page.locator('.log-panel .log-view').waitFor({ timeout: 10000 });
  await waitFor(async () => (await sim.journal()).some((r) => r.uri.startsWith('/api/v1/task/sub_task/') && r.uri.includes('/logs')), 'the log fetched', 10000);
  const window_ = async (label) => {
    await sim.clearJournal();
    const t0 = Date.now();
    await sleep(RATE_WINDOW_MS);
    const secs = (Date.now() - t0) / 1000;
    const all = await sim.journal();
    const gets = all.filter((r) => r.method === 'GET' && r.uri.startsWith(`/api/v1/task/dag/${id}?`));
    const logs = all.filter((r) => r.uri.startsWith('/api/v1/task/sub_task/') && r.uri.includes('/logs'));
    const agent = all.filter((r) => r.uri.startsWith('/api/v1/'));
    // Agent times (RFC 3339, ns): the spacing of consecutive polls.
    const ms = gets.map((r) => { const m = r.time.match(/T(\d+):(\d+):(\d+(?:\.\d+)?)/); return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000; });
    const gaps = ms.slice(1).map((t, i) => t - ms[i]);
    return { label, rate: gets.length / secs, total: agent.length / secs, logs: logs.length, gets: gets.length, all: agent.length, secs, gaps };
  };
  const running = await window_('running');

  // Hidden: first as the user does it (another tab in front); if headless Chromium keeps the
  // page visible, emulate the Page Visibility API and its (bubbling) event.
  let method = 'another tab in front';
  const other = await page.context().newPage();
  await other.goto('about:blank');
  await other.bringToFront();
  await sleep(200);
  if (!(await page.evaluate(() => document.hidden))) {
    method = 'emulated visibilityState (headless Chromium keeps a background tab visible)';
    await page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      Object.defineProperty(document, 'hidden', { value: true, configurable: true });
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
  }
  if (!(await page.evaluate(() => document.hidden))) throw new Error('could not make the page hidden');
  await sleep(300); // a request already in flight may finish
  const hidden = await window_('hidden');

  // Visible again: a stale view polls at once.
  const polled = page.waitForRequest((r) => r.url().includes(`/api/v1/task/dag/${id}?`), { timeout: 5000 }).then(() => Date.now()).catch(() => null);
  const tVisible = Date.now();
  if (method.startsWith('emulated')) {
    await page.evaluate(() => {
      delete document.visibilityState;
      delete document.hidden;
      document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
    });
  } else {
    await page.bringToFront();
  }
  const tPolled = await polled;
  const resumeMs = tPolled === null ? null : tPolled - tVisible;
  await other.close();
  await page.close();

  console.log(`polling: ${running.total.toFixed(2)} req/s in all while a DAG runs with a sub-task's log open (bound 1.2): ${running.gets} DAG polls + ${running.logs} log fetches + ${running.all - running.gets - running.logs} other over ${running.secs.toFixed(1)} s`);
  console.log(`polling: ${running.rate.toFixed(2)} req/s running, ${hidden.rate.toFixed(2)} req/s hidden (GET /api/v1/task/dag/{id} over ${running.secs.toFixed(1)} s and ${hidden.secs.toFixed(1)} s; all /api/v1 requests: ${running.all} and ${hidden.all}; hidden = ${method})`);
  if (running.gaps.length) console.log(`polling: interval between DAG polls while running: median ${pct(running.gaps, 50).toFixed(0)} ms, min ${Math.min(...running.gaps).toFixed(0)}, max ${Math.max(...running.gaps).toFixed(0)} ms`);
  console.log(`polling: visible again → first poll after ${resumeMs === null ? 'none within 5 s' : `${resumeMs} ms`}`);
} finally {
  await browser.close();
  await sim.stop();
}
