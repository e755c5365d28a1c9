// Issue 5 end to end: the DAG view follows a task live (no reload), shows a failure on top,
// sends retry / pass / cancel after a confirmation, reconnects after a network cut, and the
// task list filters, searches and links to the task view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, launch, newPage, signIn, waitFor, agentRequest, PASSWORD } from './harness.mjs';

let browser;
// Each simulator has the pace its tests need (`--task-ticks`: simulated sub-task duration).
let paced; // slow enough to see every state of a short DAG
let quick; // failures come fast
let slow; // a DAG that runs for a while (cancel, network cut)
let listSim; // the task list's own DAGs
before(async () => {
  [paced, quick, slow, listSim, browser] = await Promise.all([
    startSim(['--tick-ms', '300', '--task-ticks', '2']),
    startSim(['--tick-ms', '150', '--task-ticks', '1']),
    startSim(['--tick-ms', '150', '--task-ticks', '20']),
    startSim(['--tick-ms', '150', '--task-ticks', '1']),
    launch(),
  ]);
});
after(async () => {
  await browser?.close();
  await Promise.all([paced, quick, slow, listSim].map((s) => s?.stop()));
});

const DAG_TIMEOUT = 30000;

/** A signed-in page on the cluster backup form. */
async function openForm(sim) {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
  return page;
}

/**
 * Records every distinct `STATE/OPERATOR` the task header shows, with the time it appeared
 * (MutationObserver: nothing shown between two test polls is missed). Survives in-app
 * navigation (the document stays); `window.__states` is the record.
 */
async function recordStates(page) {
  await page.evaluate(() => {
    window.__states = [];
    const push = () => {
      const el = document.getElementById('dag-state');
      if (!el) return;
      const v = `${el.dataset.state}/${el.dataset.operator ?? ''}`;
      if (window.__states.at(-1)?.v !== v) window.__states.push({ v, t: performance.now() });
    };
    new MutationObserver(push).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-state', 'data-operator'] });
    push();
  });
}
const recorded = async (page) => (await page.evaluate(() => window.__states)).map((s) => s.v);
/** Starts the record over from what is shown now. */
const resetRecord = (page) => page.evaluate(() => { window.__states.splice(0, window.__states.length - 1); });

/** Fills the form with `fill`, submits, confirms the review and returns the new DAG's id. */
async function submitConfig(page, fill) {
  await fill(page);
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('pre.json').waitFor();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/\d+$/);
  await page.locator('#dag-state').waitFor();
  return page.url().match(/\/tasks\/(\d+)$/)[1];
}
const basePath = (path) => async (page) => page.locator('#backup-base-path').fill(path);

async function dagState(page) {
  return page.evaluate(() => {
    const el = document.getElementById('dag-state');
    return el ? { state: el.dataset.state, operator: el.dataset.operator } : null;
  });
}
async function waitState(page, state, timeoutMs = DAG_TIMEOUT) {
  return waitFor(async () => {
    const s = await dagState(page);
    return s?.state === state ? s : null;
  }, `#dag-state ${state} (now ${JSON.stringify(await dagState(page))})`, timeoutMs);
}

/** Clicks an operation button, checks the confirmation dialog, confirms it. */
async function operate(page, op, { title, effect }) {
  await page.locator(`#op-${op}`).click();
  const dialog = page.locator('dialog.confirm-dialog');
  await dialog.waitFor();
  assert.equal(await page.locator('#op-dialog-title').textContent(), title);
  if (effect) assert.match(await page.locator('#op-dialog-body').textContent(), effect);
  await page.locator('#op-confirm').click();
  await dialog.waitFor({ state: 'hidden' });
  // Once answered, the focus is on the outcome (not lost on the disabled button).
  await page.waitForFunction(() => document.activeElement?.id === 'op-result');
}

/** Operation requests the simulator received for DAG `id`. */
const operations = async (sim, id) =>
  (await sim.journal()).filter((r) => r.method === 'POST' && r.uri === `/api/v1/task/dag/${id}`);
const dagGets = async (sim, id) =>
  (await sim.journal()).filter((r) => r.method === 'GET' && r.uri.startsWith(`/api/v1/task/dag/${id}?`));

/** Whether an operation is offered (a button), and the agent's reason when it is not (listed under "Not possible now"). */
async function opState(page, op) {
  const button = page.locator(`#op-${op}`);
  const why = page.locator(`.op-unavailable #op-${op}-why`);
  const enabled = (await button.count()) > 0 && await button.isEnabled();
  return { enabled, why: (await why.count()) ? await why.textContent() : null };
}

async function failure(page) {
  const banner = page.locator('#failure');
  return {
    visible: await banner.isVisible(),
    title: await banner.locator('.failure-title').textContent(),
    code: (await banner.locator('.failure-code').count()) ? await banner.locator('.failure-code').textContent() : null,
    message: await banner.locator('.failure-message').textContent(),
  };
}

/** Console errors other than the browser's own "Failed to load resource" network lines. */
const problems = (page) => page.problems.filter((p) => !p.startsWith('Failed to load resource'));

test('a submitted config is followed live: READY → RUNNING → SUCCEED without reload', async () => {
  const page = await openForm(paced);
  await page.evaluate(() => { window.__marker = 'same document'; });
  await recordStates(page);
  const id = await submitConfig(page, basePath('/data/backup'));
  await waitState(page, 'SUCCEED');
  const states = await recorded(page);
  // READY may be gone before the first poll; RUNNING (≥ 2 ticks of 300 ms per sub-task) is not.
  assert.deepEqual(states.filter((s) => s !== 'READY/RUN'), ['RUNNING/RUN', 'SUCCEED/RUN'], `states shown: ${states}`);
  if (states.includes('READY/RUN')) assert.equal(states[0], 'READY/RUN');
  assert.equal(await page.evaluate(() => window.__marker), 'same document', 'no page load happened');
  assert.equal(await page.locator('#dag-state .state-text').textContent(), 'Succeeded');
  // Every node ended SUCCEED, and the view says it stopped following.
  const nodes = await page.locator('.tl-nodes > li .tl-node-row .state').evaluateAll((els) => els.map((e) => e.dataset.state));
  assert.deepEqual(nodes, ['SUCCEED', 'SUCCEED']);
  assert.equal(await page.locator('.poll-status').getAttribute('data-phase'), 'finished');
  // The header's running-tasks badge follows at once, not at its own next poll (15 s).
  await page.waitForFunction(() => !document.querySelector('.topbar .badge'), null, { timeout: 5000 });
  const gets = (await dagGets(paced, id)).length;
  assert.ok(gets >= 2, `polled the DAG (${gets} GETs)`);
  // No further polling once finished.
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await dagGets(paced, id)).length, gets, 'no request after the terminal state');
  assert.deepEqual(problems(page), []);
  await page.close();
});

test('failing destination: failure on top, Retry fails again, Pass ends SUCCEED (PASS)', async () => {
  const page = await openForm(quick);
  await page.evaluate(() => { window.__marker = 'same document'; });
  await recordStates(page);
  // Passes the form (a well-formed path) and fails in node 1's write test.
  const id = await submitConfig(page, basePath('/denied/backup'));
  await waitState(page, 'FAILED');

  // The failing line, on top, without any click.
  const f = await failure(page);
  assert.ok(f.visible);
  assert.match(f.title, /Failed at stage 1 “Check backup config” on 10\.0\.0\.\d:2886/);
  assert.equal(f.code, 'Common.Unexpected');
  assert.match(f.message, /check archive path: check write permission: mkdir \/denied\/backup\/1\/1002\/clog: permission denied/);
  const bannerBox = await page.locator('#failure').boundingBox();
  assert.ok(bannerBox.y < (await page.locator('.timeline').boundingBox()).y, 'banner above the timeline');
  assert.ok(bannerBox.y < (await page.locator('.dag-ops').boundingBox()).y, 'banner above the operations');
  assert.ok(bannerBox.y < page.viewportSize().height, 'banner in the first screen');

  // What the agent would accept now: retry, pass, rollback (a stage-1 failure), node pass.
  assert.deepEqual(await opState(page, 'retry'), { enabled: true, why: null });
  assert.deepEqual(await opState(page, 'pass'), { enabled: true, why: null });
  assert.deepEqual(await opState(page, 'rollback'), { enabled: true, why: null });
  assert.deepEqual(await opState(page, 'cancel'), { enabled: false, why: 'the agent would answer: Failed to cancel DAG: DAG is finished (Task.Dag.Operator.CancelFinishedDag)' });
  assert.equal(await page.locator('[id^=op-node-pass-]').textContent(), 'Mark node “Check backup config” as succeeded');
  // Retry stands out; pass, roll back and mark-succeeded are secondary (their danger is said in
  // their dialog); the one refused operation takes one closed line, not a paragraph.
  const bg = (sel) => page.locator(sel).evaluate((e) => getComputedStyle(e).backgroundColor);
  assert.equal(await bg('#op-retry'), 'rgb(31, 95, 191)');
  for (const sel of ['#op-pass', '#op-rollback', '[id^=op-node-pass-]']) assert.equal(await bg(sel), 'rgb(255, 255, 255)', sel);
  const opsBox = await page.locator('.dag-ops').boundingBox();
  assert.ok(opsBox.height < 150, `operations area ${opsBox.height} px high`);

  // Retry, stepping the scheduler by hand so that every state is shown.
  await quick.control('scheduler', { paused: true });
  try {
    await resetRecord(page);
    await operate(page, 'retry', { title: 'Retry', effect: /^Stage 1 “Check backup config” runs again/ });
    await waitState(page, 'READY');
    await page.locator('.op-done').getByText('“Retry” was accepted by the agent').waitFor();
    // One tick at a time, each shown before the next (a tick can be shorter than a poll).
    for (let i = 0; ; i++) {
      await quick.control('tick', { count: 1 });
      const now = (await agentRequest(quick.base, 'GET', `/api/v1/task/dag/${id}?show_details=false`)).data.state;
      await waitState(page, now, 5000);
      if (now === 'RUNNING') break;
      assert.ok(now === 'READY' && i < 5, `the retried DAG went ${now} instead of RUNNING`);
    }
  } finally {
    await quick.control('scheduler', { paused: false });
  }
  await waitState(page, 'FAILED');
  assert.deepEqual(await recorded(page), ['FAILED/RUN', 'READY/RUN', 'RUNNING/RUN', 'FAILED/RUN']);
  assert.match((await failure(page)).message, /permission denied/);
  assert.ok(await page.locator('.tl-attempts').first().textContent().then((t) => /^\d+ runs$/.test(t)), 'a lane shows its runs');
  let ops = await operations(quick, id);
  assert.deepEqual(ops.map((r) => [r.body, r.status]), [[{ operator: 'RETRY' }, 200]], 'exactly one RETRY');

  // Pass.
  await resetRecord(page);
  await operate(page, 'pass', { title: 'Pass (skip) task', effect: /^The failed node “Check backup config” and every node after it are marked as succeeded/ });
  const s = await waitState(page, 'SUCCEED');
  assert.equal(s.operator, 'PASS');
  assert.deepEqual(await recorded(page), ['FAILED/RUN', 'SUCCEED/PASS']);
  assert.equal(await page.locator('#dag-state .state-text').textContent(), 'Passed (skipped)');
  // Why it had failed stays in view once passed, as a note (no longer an alert).
  assert.equal(await page.locator('#failure').getAttribute('role'), 'note');
  assert.match((await failure(page)).title, /^✕ Failed at stage 1 “Check backup config”.* then passed \(skipped\)$/);
  ops = await operations(quick, id);
  assert.deepEqual(ops.map((r) => r.body.operator), ['RETRY', 'PASS'], 'exactly one PASS');
  assert.equal(await page.evaluate(() => window.__marker), 'same document');
  assert.deepEqual(problems(page), []);
  await page.close();
});

test('file://data/backup: refused by the form; sent by another client, its parse error is on top', async () => {
  const page = await openForm(quick);
  await page.locator('#backup-base-path').fill('data/backup');
  assert.equal(await page.locator('.uri-preview code').first().textContent(), 'file://data/backup');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.getByText("invalid file path, must start with '/'").waitFor();
  assert.equal(await page.locator('pre.json').count(), 0, 'not submitted');
  await page.close();

  // The agent accepts it (valid prefix) and fails in DAG node 1.
  const created = await agentRequest(quick.base, 'POST', '/api/v1/obcluster/backup/config', { backup_base_uri: 'file://data/backup' });
  assert.equal(created.successful, true, JSON.stringify(created));
  const view = await newPage(browser);
  await signIn(view, quick, PASSWORD, `/tasks/${created.data.id}`);
  await waitState(view, 'FAILED');
  const f = await failure(view);
  assert.ok(f.visible);
  assert.match(f.title, /^✕ Failed at stage 1 “Check backup config”/);
  assert.equal(f.code, 'OB.Storage.URI.Invalid');
  assert.match(f.message, /must start with '\/'/);
  assert.deepEqual(await opState(view, 'rollback'), { enabled: true, why: null });
  assert.deepEqual(problems(view), []);
  await view.close();
});

test('a stage-2 failure (recovery window OceanBase rejects): refused by the form; sent by another client, Rollback disabled with the reason', async () => {
  const page = await openForm(quick);
  await page.locator('#backup-base-path').fill('/data/stage2');
  await page.locator('label.checkbox input[type=checkbox]').check();
  await page.locator('#recovery-window').fill('bad');
  await page.locator('form.backup-form button[type=submit]').click();
  // The agent does not check it, OceanBase refuses it when the task runs: blocked at the field.
  assert.match(await page.locator('#recovery-window-msg').textContent(), /OceanBase refuses this recovery window when the task runs.*Time duration 'bad' is invalid/);
  assert.equal(await page.locator('pre.json').count(), 0, 'not submitted');
  await page.close();

  const created = await agentRequest(quick.base, 'POST', '/api/v1/obcluster/backup/config',
    { backup_base_uri: 'file:///data/stage2', delete_policy: { policy: 'default', recovery_window: 'bad' } });
  assert.equal(created.successful, true, JSON.stringify(created));
  const id = created.data.id;
  const view = await newPage(browser);
  await signIn(view, quick, PASSWORD, `/tasks/${id}`);
  await waitState(view, 'FAILED');
  const f = await failure(view);
  assert.match(f.title, /Failed at stage 2 “Set backup config”/);
  assert.equal(f.code, 'MySQL.Error');
  assert.match(f.message, /set delete policy: Error 1210 \(HY000\): Incorrect arguments to recovery_window/);
  const rollback = await opState(view, 'rollback');
  assert.equal(rollback.enabled, false);
  assert.equal(rollback.why, 'the agent would answer: Failed to set DAG rollback: node Set backup config cannot rollback (Task.Dag.Operator.RollbackNotAllowed)');
  // The reason is there on demand: hidden until its line is opened (by keyboard too).
  const why = view.locator('.op-unavailable #op-rollback-why');
  assert.equal(await why.isVisible(), false);
  await view.locator('.op-unavailable summary').focus();
  await view.keyboard.press('Enter');
  await why.waitFor({ state: 'visible' });
  assert.deepEqual(await opState(view, 'retry'), { enabled: true, why: null });
  assert.deepEqual(await operations(quick, id), [], 'nothing sent');
  assert.deepEqual(problems(view), []);
  await view.close();
});

test('a single quote in the destination: refused at its field; sent by another client, the agent\'s SQL breaks in stage 2', async () => {
  const page = await openForm(quick);
  await page.locator('#backup-base-path').fill("/data/o'neil");
  await page.locator('form.backup-form button[type=submit]').click();
  await page.getByText("Remove the single quote (')").waitFor();
  assert.equal(await page.locator('pre.json').count(), 0, 'not submitted');
  await page.close();

  // The agent checks the prefix only; OceanBase refuses the statement the task builds with it.
  const created = await agentRequest(quick.base, 'POST', '/api/v1/obcluster/backup/config', { backup_base_uri: "file:///data/o'neil" });
  assert.equal(created.successful, true, JSON.stringify(created));
  const view = await newPage(browser);
  await signIn(view, quick, PASSWORD, `/tasks/${created.data.id}`);
  await waitState(view, 'FAILED');
  const f = await failure(view);
  assert.match(f.title, /Failed at stage 2 “Set backup config”/);
  assert.equal(f.code, 'MySQL.Error');
  assert.match(f.message, /Error 1064 \(42000\): You have an error in your SQL syntax/);
  assert.deepEqual(problems(view), []);
  await view.close();
});

test('cancel a running DAG: FAILED with operator CANCEL', async () => {
  const page = await openForm(slow);
  const id = await submitConfig(page, basePath('/data/cancel'));
  await waitState(page, 'RUNNING');
  assert.deepEqual(await opState(page, 'cancel'), { enabled: true, why: null });
  assert.equal((await opState(page, 'retry')).enabled, false);
  await operate(page, 'cancel', { title: 'Cancel task', effect: /^The running sub-tasks are interrupted and marked failed/ });
  const s = await waitState(page, 'FAILED');
  assert.equal(s.operator, 'CANCEL');
  assert.equal(await page.locator('#dag-state .state-text').textContent(), 'Cancelled');
  assert.match((await failure(page)).title, /Cancelled at stage \d “[^”]+”/);
  const ops = await operations(slow, id);
  assert.deepEqual(ops.map((r) => [r.body, r.status]), [[{ operator: 'CANCEL' }, 200]], 'exactly one CANCEL');
  // Cancelled: it can be retried, not cancelled again.
  assert.equal((await opState(page, 'retry')).enabled, true);
  assert.equal((await opState(page, 'cancel')).enabled, false);
  assert.deepEqual(problems(page), []);
  await page.close();
});

test('a network cut shows "reconnecting", backs off, recovers by itself and the DAG succeeds', async () => {
  const page = await openForm(slow);
  await page.evaluate(() => { window.__marker = 'same document'; });
  await submitConfig(page, basePath('/data/network'));
  await waitState(page, 'RUNNING');
  await page.evaluate(() => {
    window.__phases = [];
    const el = document.querySelector('.poll-status');
    const push = () => {
      const v = `${el.dataset.phase}: ${el.querySelector('span').textContent}`;
      if (window.__phases.at(-1)?.v !== v) window.__phases.push({ v, t: performance.now() });
    };
    new MutationObserver(push).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
    push();
  });
  // Every task request dies without an answer (a rate, not a count: Chromium silently resends
  // a request whose reused connection closes before any byte, which would swallow a count).
  await slow.control('faults', { drop_rate: 1, path_prefix: '/api/v1/task' });
  try {
    await page.locator('.poll-status.reconnecting').getByText('Connection lost; reconnecting (attempt 1)…').waitFor({ timeout: 5000 });
    await page.locator('.poll-status').getByRole('button', { name: 'Retry now' }).waitFor();
    assert.ok(await page.locator('#dag-state').isVisible(), 'the last known DAG stays on screen');
    await page.locator('.poll-status').getByText('reconnecting (attempt 2)').waitFor({ timeout: 5000 });
  } finally {
    await slow.control('faults', undefined, 'DELETE');
  }
  await waitFor(async () => (await page.locator('.poll-status').getAttribute('data-phase')) === 'live', 'live again', 10000);
  assert.equal(await page.locator('.poll-status.reconnecting').count(), 0, 'indicator gone');
  await waitState(page, 'SUCCEED');
  const phases = await page.evaluate(() => window.__phases);
  const v = phases.map((p) => p.v);
  assert.deepEqual(v.slice(v.indexOf('reconnecting: Connection lost; reconnecting (attempt 1)…'), v.lastIndexOf('live: ') + 1), [
    'reconnecting: Connection lost; reconnecting (attempt 1)…',
    'reconnecting: Connection lost; reconnecting (attempt 2)…',
    'live: ',
  ]);
  assert.ok(v.includes('live: '), JSON.stringify(v));
  const gap = phases[v.indexOf('reconnecting: Connection lost; reconnecting (attempt 2)…')].t - phases[v.indexOf('reconnecting: Connection lost; reconnecting (attempt 1)…')].t;
  assert.ok(gap >= 800, `waited before the second attempt (${gap.toFixed(0)} ms)`);
  assert.equal(await page.evaluate(() => window.__marker), 'same document');
  assert.equal(await page.locator('.error-panel, [role=alert]').count(), 0, 'no error left once recovered');
  assert.deepEqual(problems(page), []);
  await page.close();
});

test('task list: unfinished and history, filter by state, search, row links to the task view', async () => {
  const sim = listSim;
  const dagOf = async (id) => (await agentRequest(sim.base, 'GET', `/api/v1/task/dag/${id}?show_details=false`)).data;
  const create = async (uri, body) => {
    const r = await agentRequest(sim.base, 'POST', uri, body);
    assert.equal(r.successful, true, JSON.stringify(r));
    return r.data.id;
  };
  const settled = (id, state) => waitFor(async () => (await dagOf(id)).state === state, `DAG ${id} ${state}`, DAG_TIMEOUT);
  // A succeeded cluster DAG, a failed tenant DAG (stays unfinished: it keeps the tenant's
  // maintenance lock) and a READY one (scheduler paused).
  const ok = await create('/api/v1/obcluster/backup/config', { backup_base_uri: 'file:///data/list' });
  await settled(ok, 'SUCCEED');
  const failed = await create('/api/v1/tenant/t1/backup/config', { data_base_uri: 'file:///denied/t1/data', archive_base_uri: 'file:///denied/t1/clog' });
  await settled(failed, 'FAILED');
  await sim.control('scheduler', { paused: true });
  const waiting = await create('/api/v1/tenant/t2/backup/config', { data_base_uri: 'file:///data/t2/data', archive_base_uri: 'file:///data/t2/clog' });

  const page = await newPage(browser);
  await signIn(page, sim, PASSWORD, '/tasks');
  await page.evaluate(() => { window.__marker = 'same document'; });
  const unfinished = page.locator('table[aria-labelledby=tasks-unfinished] tbody tr');
  const history = page.locator('table[aria-labelledby=tasks-history] tbody tr');
  const rows = async (loc) => loc.evaluateAll((trs) => trs.map((tr) => `${tr.querySelector('td a').textContent} ${tr.querySelector('.state').dataset.state}`));
  const expectRows = (loc, want, what) => waitFor(async () => JSON.stringify(await rows(loc)) === JSON.stringify(want), `${what}: ${JSON.stringify(want)}`, 10000)
    .catch(async (e) => { throw new Error(`${e.message}; shown ${JSON.stringify(await rows(loc))}`); });
  // Newest first.
  await expectRows(unfinished, [`${waiting} READY`, `${failed} FAILED`], 'unfinished');
  await expectRows(history, [`${waiting} READY`, `${failed} FAILED`, `${ok} SUCCEED`], 'history');
  const names = await history.evaluateAll((trs) => trs.map((tr) => [tr.querySelector('td a').textContent, tr.querySelector('.task-name').textContent]));
  assert.deepEqual(names, [[waiting, 'Set obcluster backup config for t2'], [failed, 'Set obcluster backup config for t1'], [ok, 'Set obcluster backup config']]);

  // Filter by state.
  const filter = page.locator('#task-state-filter');
  await filter.selectOption('FAILED');
  await expectRows(unfinished, [`${failed} FAILED`], 'unfinished FAILED');
  await expectRows(history, [`${failed} FAILED`], 'history FAILED');
  await filter.selectOption('SUCCEED');
  await expectRows(unfinished, [], 'unfinished SUCCEED');
  assert.ok(await page.getByText('No tasks.').first().isVisible());
  await expectRows(history, [`${ok} SUCCEED`], 'history SUCCEED');
  await filter.selectOption('');

  // Search: tenant, then id.
  const search = page.locator('#task-search');
  await search.fill('T2');
  await expectRows(unfinished, [`${waiting} READY`], 'search t2');
  await expectRows(history, [`${waiting} READY`], 'search t2 (history)');
  await search.fill(ok);
  await expectRows(unfinished, [], 'search id');
  await expectRows(history, [`${ok} SUCCEED`], 'search id (history)');
  await search.fill('');
  await expectRows(history, [`${waiting} READY`, `${failed} FAILED`, `${ok} SUCCEED`], 'search cleared');

  // The list follows the agent: the READY DAG runs and finishes.
  await sim.control('scheduler', { paused: false });
  await expectRows(unfinished, [`${failed} FAILED`], 'waiting DAG finished');
  await expectRows(history, [`${waiting} SUCCEED`, `${failed} FAILED`, `${ok} SUCCEED`], 'history after the run');

  // A row links to its live view, in the same document.
  await unfinished.locator('td:first-child a', { hasText: new RegExp(`^${failed}$`) }).click();
  await page.waitForURL(new RegExp(`/tasks/${failed}$`));
  await waitState(page, 'FAILED');
  await page.getByRole('heading', { name: 'Set obcluster backup config for t1' }).waitFor();
  assert.equal((await failure(page)).code, 'Common.Unexpected');
  assert.equal(await page.evaluate(() => window.__marker), 'same document', 'in-app navigation');
  assert.deepEqual(problems(page), []);
  await page.close();
});
