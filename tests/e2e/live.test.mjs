// A live task view outlasts bad answers (issue 14): one or three truncated answers in a row to
// the DAG poll back off and retry, and the view ends on the agent's true final state; while the
// DAG runs with a sub-task's log open, the logs are not fetched on every poll.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, launch, newPage, signIn, submitAndLand, waitFor } from './harness.mjs';

const dagState = (page) => page.evaluate(() => document.getElementById('dag-state')?.dataset.state);

for (const count of [1, 3]) {
  test(`${count} malformed DAG answer(s) in a row: the view recovers by itself and ends on SUCCEED`, async () => {
    const [sim, browser] = await Promise.all([startSim(['--tick-ms', '400']), launch()]);
    try {
      const page = await newPage(browser);
      await signIn(page, sim);
      await page.locator('#backup-base-path').fill(`/data/malformed${count}`);
      await sim.control('faults', { malformed_count: count, path_prefix: '/api/v1/task/dag/1' });
      await submitAndLand(page);
      await waitFor(async () => (await dagState(page)) === 'SUCCEED', 'the true final state', 60000);
      const faults = await sim.control('faults');
      assert.equal(faults.malformed_count, 0, `all ${count} malformed answers were served: ${JSON.stringify(faults)}`);
      assert.notEqual(await page.locator('.poll-status').getAttribute('data-phase'), 'stopped');
      await page.close();
    } finally {
      await browser.close();
      await sim.stop();
    }
  });
}

test('a running DAG with a log open: about one request per second in all', async () => {
  const [sim, browser] = await Promise.all([startSim(['--tick-ms', '1000', '--task-ticks', '30']), launch()]);
  try {
    const page = await newPage(browser);
    await signIn(page, sim);
    await page.locator('#backup-base-path').fill('/data/rate');
    await submitAndLand(page);
    await waitFor(async () => (await dagState(page)) === 'RUNNING', 'running', 30000);
    // The current sub-task's log is shown (selected by the view).
    await page.locator('.log-panel .log-view').waitFor();
    await waitFor(async () => (await page.locator('.log-panel .log-line').count()) > 0, 'log lines', 10000);
    await sim.clearJournal();
    await new Promise((r) => setTimeout(r, 10000));
    // Every request to the agent, not only the task's: the bound is on what the page costs.
    const j = (await sim.journal()).filter((r) => r.uri.startsWith('/api/v1/'));
    const logs = j.filter((r) => r.uri.includes('/logs')).length;
    const rate = j.length / 10;
    assert.ok(rate <= 1.2, `requests per second while running: ${rate} (${logs} log fetches)`);
    await page.close();
  } finally {
    await browser.close();
    await sim.stop();
  }
});

test('a submit whose answer is lost: the user is told how many tasks it started, each linked', async () => {
  const [sim, browser] = await Promise.all([startSim(), launch()]);
  try {
    const page = await newPage(browser);
    await signIn(page, sim);
    await page.locator('#backup-base-path').fill('/data/lost-answer');
    await sim.control('faults', { drop_after_count: 1, path_prefix: '/api/v1/obcluster/backup/config' });
    await page.locator('form.backup-form button[type=submit]').click();
    await page.locator('.modal button.primary').click();
    await page.locator('.outcome').waitFor({ timeout: 20000 });
    const told = await page.locator('.outcome').textContent();
    const posts = (await sim.journal()).filter((r) => r.method === 'POST' && r.uri === '/api/v1/obcluster/backup/config');
    // The console sends it once. A browser may send it again by itself when a reused connection
    // breaks before the answer (Chromium does); then the agent started two tasks, and the page
    // must say so, not show one of them as if it were the only one.
    assert.ok(posts.length >= 1 && posts.length <= 2, `POSTs: ${posts.length}`);
    const links = await page.locator('.outcome a').count();
    assert.equal(links, posts.length, 'one link per task the agent started');
    if (posts.length === 1) {
      assert.match(told, /The agent did start this task; it was not sent again/);
    } else {
      assert.match(told, /started this task more than once since you sent it/);
      assert.match(page.url(), /\/backup\/cluster$/, 'stays on the form rather than showing one of the tasks');
    }
    // The links lead to those tasks.
    await page.locator('.outcome a').first().click();
    await page.waitForURL(/\/tasks\/1\d+$/);
    await page.close();
  } finally {
    await browser.close();
    await sim.stop();
  }
});
