// Issue 12 end to end: the overview answers "are my tenants protected right now?", back up now
// (full, then incremental) is followed to its task's end and shows on the overview, archive-log
// STOP then DOING, cancelling a running backup, the history filtered by status and time, "no
// backup yet", the agent going away while the overview is open, and the official Python SDK
// reading the same status the console shows. Checked against the simulator's journal and state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startSim, launch, newPage, signIn, agentRequest, waitFor, PASSWORD, ROOT } from './harness.mjs';

const TOOLS = process.env.TOOLS_DIR || path.join(ROOT, '.tools');
const row = (page, tenant) => page.locator(`table.overview-tenants tr[data-tenant="${tenant}"]`);

async function withSim(args, fn) {
  const [sim, browser] = await Promise.all([startSim(args), launch()]);
  try {
    await fn(sim, browser);
  } finally {
    await browser.close();
    await sim.stop();
  }
}

/** The tenant's archive status as the overview shows it (after the next refresh). */
const archiveShown = (page, tenant) => row(page, tenant).locator('td').nth(1).locator('[data-status]').getAttribute('data-status');
const backupShown = (page, tenant) => row(page, tenant).locator('td').nth(2).locator('[data-status]').getAttribute('data-status').catch(() => null);

test('no backup yet is a normal state; the overview is the page after sign-in', async () => {
  await withSim([], async (sim, browser) => {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
    await row(page, 't1').waitFor();
    assert.match(await row(page, 't1').textContent(), /No backup yet/);
    assert.match(await row(page, 't1').textContent(), /Not protected/);
    assert.equal(await page.locator('.error-panel').count(), 0, 'no error for "no backup yet"');
    // Not configured: nothing to back up.
    assert.equal(await row(page, 't1').getByRole('button', { name: 'Back up now' }).isDisabled(), true);
    const j = await sim.journal();
    assert.ok(j.some((r) => r.uri === '/api/v1/obcluster/backup/overview' && r.status === 404), 'the agent said: none yet');
    await page.close();
  });
});

test('seeded history: protected at a glance; the history filters by status and time', async () => {
  await withSim(['--seed-history'], async (sim, browser) => {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await row(page, 't1').waitFor();
    await waitFor(async () => /Protected/.test(await row(page, 't1').textContent()), 't1 protected');
    assert.equal(await archiveShown(page, 't1'), 'DOING');
    assert.equal(await backupShown(page, 't1'), 'COMPLETED');
    assert.match(await row(page, 't1').textContent(), /Checkpoint /);
    assert.match(await page.locator('.updated').textContent(), /Updated \d+ s ago/);

    await row(page, 't1').getByRole('link', { name: 'History' }).click();
    await page.getByRole('heading', { name: 'Backup history: t1' }).waitFor();
    await page.locator('table.history-jobs tbody tr[data-job]').first().waitFor();
    const all = await page.locator('table.history-jobs tbody tr[data-job]').count();
    assert.ok(all >= 5, `seeded jobs shown: ${all}`);
    await sim.clearJournal();
    await page.locator('[id$="history-status"]').selectOption('FAILED');
    await waitFor(async () => (await page.locator('table.history-jobs tbody tr[data-job]').count()) === 1, 'one FAILED job');
    assert.equal(await page.locator('table.history-jobs [data-status]').first().getAttribute('data-status'), 'FAILED');
    const asked = (await sim.journal()).filter((r) => r.uri.includes('/backup/tasks'));
    assert.ok(asked.some((r) => /[?&]status=FAILED(&|$)/.test(r.uri)), 'the agent filters (its own parameter)');
    // A time range: from tomorrow nothing started.
    await page.locator('[id$="history-status"]').selectOption('');
    const tomorrow = new Date(Date.now() + 86400e3);
    const local = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}T00:00`;
    await page.locator('[id$="history-from"]').fill(local);
    await page.locator('[id$="history-from"]').dispatchEvent('change');
    await page.getByText('No data backup matches.').waitFor();
    assert.ok((await sim.journal()).some((r) => r.uri.includes('start_time=')), 'the range went to the agent');
    await page.close();
  });
});

test('back up now: full, then incremental, followed to the end; the overview shows each', async () => {
  await withSim([], async (sim, browser) => {
    const set = await agentRequest(sim.base, 'POST', '/api/v1/tenant/t2/backup/config',
      { data_base_uri: 'file:///data/ops/data', archive_base_uri: 'file:///data/ops/clog' });
    assert.equal(set.status, 200, JSON.stringify(set));
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await waitFor(async () => !(await row(page, 't2').getByRole('button', { name: 'Back up now' }).isDisabled()), 't2 configured');

    await row(page, 't2').getByRole('button', { name: 'Back up now' }).click();
    // No completed backup yet: incremental is refused at the choice.
    await page.locator('label.radio', { hasText: 'Incremental' }).click();
    await page.getByText('has no completed backup yet').waitFor();
    await page.locator('label.radio', { hasText: 'Full' }).click();
    await page.locator('[id$="backup-password"]').fill('Pa$$ word');
    assert.match(await page.locator('.modal pre.json').textContent(), /"encryption": "••••"/);
    await page.getByRole('button', { name: 'Start the backup' }).click();
    await page.waitForURL(/\/tasks\/1\d+$/);
    await page.getByRole('heading', { name: 'Obcluster start full backup for t2' }).waitFor();
    await waitFor(() => page.evaluate(() => document.getElementById('dag-state')?.dataset.state === 'SUCCEED'), 'the backup task succeeded', 30000);
    assert.ok(!(await page.content()).includes('Pa$$ word'), 'the password is nowhere in the page');
    const posts = (await sim.journal()).filter((r) => r.method === 'POST' && r.uri === '/api/v1/tenant/t2/backup');
    assert.equal(posts.length, 1, 'sent once');
    assert.equal(posts[0].body.mode, 'full');

    await page.getByRole('link', { name: 'Overview' }).click();
    await waitFor(async () => (await backupShown(page, 't2')) === 'COMPLETED', 'the full backup shown');
    assert.match(await row(page, 't2').textContent(), /Full · #/);

    await row(page, 't2').getByRole('button', { name: 'Back up now' }).click();
    await page.locator('label.radio', { hasText: 'Incremental' }).click();
    await page.getByRole('button', { name: 'Start the backup' }).click();
    await page.waitForURL(/\/tasks\/1\d+$/);
    await page.getByRole('heading', { name: 'Obcluster start increment backup for t2' }).waitFor();
    const incr = (await sim.journal()).filter((r) => r.method === 'POST' && r.uri === '/api/v1/tenant/t2/backup').at(-1);
    assert.deepEqual(incr.body, { mode: 'incremental' });
    await page.getByRole('link', { name: 'Overview' }).click();
    await waitFor(async () => /Incremental · #/.test(await row(page, 't2').textContent())
      && (await backupShown(page, 't2')) === 'COMPLETED', 'the incremental backup shown', 30000);
    // The history links the job to its task.
    await row(page, 't2').getByRole('link', { name: 'History' }).click();
    await page.locator('table.history-jobs a', { hasText: /^Task 1\d+$/ }).first().waitFor();
    await page.close();
  });
});

test('archive log STOP then DOING, each confirmed with its consequence', async () => {
  await withSim(['--seed-history'], async (sim, browser) => {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await waitFor(async () => (await archiveShown(page, 't1')) === 'DOING', 'archiving');
    assert.equal(await row(page, 't1').getByRole('button', { name: 'Start archiving' }).count(), 0, 'not offered while DOING');
    await row(page, 't1').getByRole('button', { name: 'Stop archiving' }).click();
    assert.match(await page.locator('dialog.modal').textContent(), /point-in-time recovery has a gap/);
    await page.locator('dialog.modal button.primary').click();
    await page.locator('dialog.modal').waitFor({ state: 'detached' });
    assert.deepEqual((await sim.journal()).filter((r) => r.method === 'PATCH').map((r) => [r.uri, r.body]),
      [['/api/v1/tenant/t1/backup/log', { status: 'STOP' }]]);
    await waitFor(async () => (await archiveShown(page, 't1')) === 'STOP', 'stopped', 30000);
    await row(page, 't1').getByRole('button', { name: 'Start archiving' }).click();
    await page.locator('dialog.modal button.primary').click();
    await waitFor(async () => (await archiveShown(page, 't1')) === 'DOING', 'archiving again', 30000);
    const s = (await sim.control('state')).tenants.find((t) => t.tenant_name === 't1');
    assert.equal(s.archive_status, 'DOING');
    await page.close();
  });
});

test('cancel a running data backup', async () => {
  await withSim(['--seed-history'], async (sim, browser) => {
    await sim.control('backup', { ticks: 100000 });
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await row(page, 't1').getByRole('button', { name: 'Back up now' }).click();
    await page.getByRole('button', { name: 'Start the backup' }).click();
    await page.waitForURL(/\/tasks\/1\d+$/);
    await page.getByRole('link', { name: 'Overview' }).click();
    await waitFor(async () => (await row(page, 't1').getByRole('button', { name: 'Cancel backup' }).count()) === 1, 'a running backup', 30000);
    assert.equal(await row(page, 't1').locator('progress').count(), 1, 'its progress');
    await row(page, 't1').getByRole('button', { name: 'Cancel backup' }).click();
    assert.match(await page.locator('dialog.modal').textContent(), /cannot be restored/);
    await page.locator('dialog.modal button.primary').click();
    await waitFor(async () => ['CANCELING', 'CANCELED'].includes(await backupShown(page, 't1')), 'cancelled', 30000);
    const patches = (await sim.journal()).filter((r) => r.method === 'PATCH' && r.uri === '/api/v1/tenant/t1/backup');
    assert.deepEqual(patches.map((r) => r.body), [{ status: 'canceled' }], 'sent once');
    await page.close();
  });
});

test('the agent going away: the overview keeps its data, says since when, and recovers', async () => {
  await withSim(['--seed-history'], async (sim, browser) => {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await waitFor(async () => (await backupShown(page, 't1')) === 'COMPLETED', 'loaded');
    await sim.control('faults', { drop_rate: 1, path_prefix: '/api/v1' });
    await page.locator('.updated-stale').waitFor({ timeout: 20000 });
    assert.match(await page.locator('.updated-stale').textContent(), /Stale: the agent has not answered since \d\d:\d\d:\d\d/);
    assert.equal(await backupShown(page, 't1'), 'COMPLETED', 'the last good data stays');
    await sim.control('faults', undefined, 'DELETE');
    await page.locator('.updated-fresh').waitFor({ timeout: 60000 });
    await page.close();
  });
});

test('leaving the overview while a refresh is on its way: the next page works, nothing breaks', async () => {
  await withSim(['--seed-history'], async (sim, browser) => {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await waitFor(async () => (await backupShown(page, 't1')) === 'COMPLETED', 'loaded');
    // The next refresh's tenant answers come slowly: it is still waiting for them when the user leaves.
    await sim.control('faults', { latency_ms: 1500, path_prefix: '/api/v1/tenant/' });
    await sim.clearJournal();
    // The refresh's first requests (not slowed) are answered; its tenant requests are on their way.
    await waitFor(async () => (await sim.journal()).some((r) => r.uri.startsWith('/api/v1/tenants/overview')), 'a refresh under way', 20000);
    await new Promise((r) => setTimeout(r, 300));
    await page.getByRole('navigation').getByRole('link', { name: 'Tasks' }).click();
    await page.waitForURL(/\/tasks$/);
    // The overview's answers arrive after it is gone.
    await new Promise((r) => setTimeout(r, 2500));
    await sim.control('faults', undefined, 'DELETE');
    await page.getByRole('navigation').getByRole('link', { name: 'Cluster backup' }).click();
    await page.locator('#backup-base-path').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await waitFor(async () => (await backupShown(page, 't1')) === 'COMPLETED', 'the overview again');
    assert.deepEqual(page.problems.filter((p) => !/404/.test(p)), [], 'no error in the page');
    await page.close();
  });
});

test('the official Python SDK reads the status the console shows', async () => {
  await withSim(['--seed-history'], async (sim, browser) => {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await waitFor(async () => (await backupShown(page, 't1')) === 'COMPLETED', 'loaded');
    const out = execFileSync(path.join(TOOLS, 'sdk-venv/bin/python'),
      [path.join(ROOT, 'tests/sdk/backup_status.py'), sim.base, PASSWORD, 't1', 't2'], { encoding: 'utf8' });
    const sdk = JSON.parse(out).tenants;
    assert.equal(sdk.t1.last_backup.status, await backupShown(page, 't1'));
    assert.match(await row(page, 't1').textContent(), new RegExp(`#${sdk.t1.last_backup.backup_set_id}(?!\\d)`));
    assert.equal(sdk.t1.archive.status, await archiveShown(page, 't1'));
    assert.equal(sdk.t2.last_backup, null, 't2: no backup yet for the SDK either');
    assert.match(await row(page, 't2').textContent(), /No backup yet/);
    await page.close();
  });
});
