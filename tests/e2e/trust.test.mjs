// Issue 11 end to end: the console never changes what the user did not touch. A written archive
// destination carries the binding and piece switch interval the form shows; an unedited
// destination is not sent again, and a reported one needs its credentials again; what the task
// would refuse is blocked at its field; the review is a change table with the equivalent CLI and
// SDK calls (the SDK snippet, run by the official SDK, sends the same body). Checked against the
// simulator's request journal and its OceanBase state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { useSimAndBrowser, newPage, signIn, submitAndLand, agentRequest, waitFor, PASSWORD, ROOT } from './harness.mjs';

const TOOLS = process.env.TOOLS_DIR || path.join(ROOT, '.tools');
const AXE = fs.readFileSync(path.join(TOOLS, 'node_modules/axe-core/axe.min.js'), 'utf8');

let sim;
let browser;
useSimAndBrowser((s, b) => { sim = s; browser = b; });

const bodies = async (method, pathPart) =>
  (await sim.journal()).filter((r) => r.method === method && r.uri.includes(pathPart) && r.status === 200).map((r) => r.body);

const tenantState = async (name) => (await sim.control('state')).tenants.find((t) => t.tenant_name === name);

/** Waits until no task is unfinished (the configuration was applied). */
async function tasksDone() {
  await waitFor(async () => {
    const j = await sim.control('state');
    return j.dags > 0 && (await agentRequest(sim.base, 'GET', '/api/v1/task/dag/ob/unfinish?show_details=false'))
      .data?.contents?.length === 0;
  }, 'tasks to finish', 30000);
}

async function axeViolations(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  return r.violations.map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('a cluster Update of the directory only keeps MANDATORY / 3d: both are sent with the destination', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/keep1');
  await page.locator('#binding').selectOption('MANDATORY');
  await page.locator('#piece-switch-interval').fill('3');
  await submitAndLand(page);
  assert.deepEqual((await bodies('POST', '/api/v1/obcluster/backup/config')).at(-1),
    { backup_base_uri: 'file:///data/keep1', binding: 'MANDATORY', piece_switch_interval: '3d' });
  await tasksDone();

  await page.getByRole('link', { name: 'Cluster backup' }).click();
  // The tenants' destinations come from this base: the form opens on Update, from what is there.
  await page.locator('table.current-tenants').waitFor();
  await waitFor(() => page.locator('label.radio', { hasText: 'Update (PATCH)' }).locator('input').isChecked(), 'Update preselected');
  assert.match(await page.locator('#binding-hint').textContent(), /Cannot be read back.*MANDATORY was sent from this browser tab/);
  await page.locator('#backup-base-path').fill('/data/keep2');
  await page.locator('form.backup-form button[type=submit]').click();
  const table = await page.locator('table.changes').textContent();
  assert.match(table, /Binding.*MANDATORY \(sent from this browser tab.*Unchanged, written again with the archive destination/s);
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  assert.deepEqual((await bodies('PATCH', '/api/v1/obcluster/backup/config')).at(-1),
    { backup_base_uri: 'file:///data/keep2', binding: 'MANDATORY', piece_switch_interval: '3d' });
  await tasksDone();
  for (const t of ['t1', 't2']) {
    const s = await tenantState(t);
    assert.equal(s.archive_dest.location, `file:///data/keep2/1/${s.tenant_id}/clog`);
    assert.deepEqual([s.archive_dest.binding, s.archive_dest.piece_switch_interval], ['MANDATORY', '3d'], `${t} keeps them`);
  }
  await page.close();
});

test('an OSS tenant: only the changed concurrency is sent; the reported destination needs its credentials again', async () => {
  const oss = (dir) => `oss://bkt/${dir}?host=oss.example.com&access_id=AKID&access_key=SECRETKEY`;
  const set = await agentRequest(sim.base, 'POST', '/api/v1/tenant/t2/backup/config',
    { data_base_uri: oss('t2/data'), archive_base_uri: oss('t2/clog'), binding: 'MANDATORY', piece_switch_interval: '2d' });
  assert.equal(set.status, 200, JSON.stringify(set));
  await tasksDone();

  const page = await newPage(browser);
  await signIn(page, sim, PASSWORD, '/backup/tenant/t2');
  await page.waitForFunction(() => document.querySelector('#data-base-bucket')?.value === 'bkt');
  assert.ok(await page.locator('label.radio', { hasText: 'Update (PATCH)' }).locator('input').isChecked(), 'a configured tenant opens on Update');
  await sim.clearJournal();
  await page.locator('#log-archive-concurrency').fill('7');
  await page.locator('form.backup-form button[type=submit]').click();
  assert.deepEqual(JSON.parse(await page.locator('pre.json').textContent()), { log_archive_concurrency: 7 });
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  assert.deepEqual(await bodies('PATCH', '/api/v1/tenant/t2/backup/config'), [{ log_archive_concurrency: 7 }]);
  await tasksDone();

  // A binding change sends the archive destination: not without its credentials.
  await signIn(page, sim, PASSWORD, '/backup/tenant/t2');
  await page.waitForFunction(() => document.querySelector('#archive-base-bucket')?.value === 'bkt');
  await sim.clearJournal();
  // The console cannot read the binding back: it shows OceanBase's default, and says so.
  assert.match(await page.locator('#binding-hint').textContent(), /Cannot be read back.*OPTIONAL is assumed/);
  await page.locator('#binding').selectOption('MANDATORY');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.getByText('The agent does not report credentials').first().waitFor();
  assert.equal(await page.locator('pre.json').count(), 0, 'no review');
  assert.equal(await page.locator('#archive-base-access-key').getAttribute('aria-invalid'), 'true');
  await page.waitForFunction(() => document.activeElement?.id === 'archive-base-access-id', null, { timeout: 5000 });
  assert.deepEqual(await axeViolations(page), [], 'no accessibility violation with the errors shown');
  assert.deepEqual((await sim.journal()).filter((r) => r.method !== 'GET'), [], 'nothing sent');
  await page.locator('#archive-base-access-id').fill('AKID');
  await page.locator('#archive-base-access-key').fill('SECRETKEY');
  await page.locator('form.backup-form button[type=submit]').click();
  const review = await page.locator('.modal').textContent();
  assert.match(review, /Access ID: included •••• · Access key: included ••••/);
  assert.ok(!review.includes('SECRETKEY') && !review.includes('AKID'), 'credentials never shown');
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  const sent = (await bodies('PATCH', '/api/v1/tenant/t2/backup/config')).at(-1);
  assert.deepEqual(Object.keys(sent).sort(), ['archive_base_uri', 'binding', 'piece_switch_interval']);
  // Explicit, as the form showed them: the interval the agent cannot report is the labelled
  // default, not whatever OceanBase would fall back to unseen.
  assert.deepEqual([sent.binding, sent.piece_switch_interval], ['MANDATORY', '1d']);
  await page.close();
});

test('a recovery window OceanBase refuses is blocked at its field; the keyboard reaches every error', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await sim.clearJournal();
  await page.locator('#backup-base-path').fill('/data/window');
  await page.locator('#delete-policy').check();
  await page.locator('#recovery-window').fill('1x');
  await page.locator('#log-archive-concurrency').fill('500');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.getByText("OceanBase refuses this recovery window when the task runs").waitFor();
  assert.equal(await page.locator('#recovery-window').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#recovery-window').getAttribute('aria-describedby'), /recovery-window-msg/);
  assert.equal(await page.locator('pre.json').count(), 0);
  // The first invalid field has the focus; Tab reaches the other one.
  await page.waitForFunction(() => document.activeElement?.id === 'log-archive-concurrency');
  const invalid = await page.locator('form.backup-form [aria-invalid=true]').evaluateAll((els) => els.map((e) => e.id));
  const reached = new Set();
  for (let i = 0; i < 40 && reached.size < invalid.length; i++) {
    const id = await page.evaluate(() => document.activeElement?.id);
    if (invalid.includes(id)) reached.add(id);
    await page.keyboard.press('Tab');
  }
  assert.deepEqual([...reached].sort(), [...invalid].sort(), 'every invalid field is reachable by Tab');
  assert.deepEqual(await axeViolations(page), []);
  // An empty window is refused too.
  await page.locator('#recovery-window').fill('');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.getByText('Enter a recovery window').waitFor();
  assert.deepEqual((await sim.journal()).filter((r) => r.method !== 'GET'), [], 'nothing sent');
  await page.close();
});

test('switching the storage type clears the endpoint, app id and region', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-scheme').selectOption('s3');
  await page.locator('#backup-base-bucket').fill('bkt');
  await page.locator('#backup-base-host').fill('s3.us-east-1.amazonaws.com');
  await page.locator('#backup-base-region').fill('us-east-1');
  await page.locator('#backup-base-scheme').selectOption('oss');
  assert.equal(await page.locator('#backup-base-host').inputValue(), '');
  assert.equal(await page.locator('#backup-base-bucket').inputValue(), 'bkt', 'the bucket stays');
  const preview = await page.locator('.uri-preview code').textContent();
  assert.ok(preview.startsWith('oss://bkt/') && !preview.includes('amazonaws') && !preview.includes('s3_region'), preview);
  await page.close();
});

test('the review names each change and reset; the CLI and SDK equivalents send the same body', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('label.radio', { hasText: 'Set (POST)' }).click();
  await page.locator('#backup-base-path').fill('/data/it is $HOME');
  await page.locator('#log-archive-concurrency').fill('9');
  await page.locator('#delete-policy').check();
  await page.locator('#recovery-window').fill('7');
  await page.locator('form.backup-form button[type=submit]').click();
  const body = JSON.parse(await page.locator('pre.json').textContent());
  assert.deepEqual(body, {
    backup_base_uri: 'file:///data/it is $HOME', binding: body.binding, piece_switch_interval: body.piece_switch_interval,
    log_archive_concurrency: 9, delete_policy: { policy: 'default', recovery_window: '7d' },
  });
  assert.ok(body.binding && body.piece_switch_interval, 'both explicit');
  const rows = await page.locator('table.changes tbody tr').evaluateAll((trs) => trs.map((tr) => tr.querySelector('th').textContent));
  assert.deepEqual(rows.map((r) => r.replace(/ \(.*/, '')), ['Backup destination', 'Log archive concurrency', 'Binding',
    'Piece switch interval', 'Clean up expired backups automatically', 'Recovery window']);
  const effects = await page.locator('ul.effects').textContent();
  assert.match(effects, /Log archiving is switched off/);
  assert.match(effects, /Applies to every user tenant/);

  // The CLI command, parsed back into a body, is the body.
  const cli = await page.locator('[id$="review-cli"]').textContent();
  const words = [...cli.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : m[2]));
  assert.deepEqual(words.slice(0, 3), ['obshell', 'backup', 'set-config']);
  const flags = {};
  for (let i = 3; i < words.length; i += 2) flags[words[i].replace(/^--/, '')] = words[i + 1];
  const fromCli = {
    backup_base_uri: flags.backup_base_uri, binding: flags.binding, piece_switch_interval: flags.piece_switch_interval,
    log_archive_concurrency: Number(flags.log_archive_concurrency),
    delete_policy: { policy: flags.delete_policy, recovery_window: flags.delete_recovery_window },
  };
  assert.deepEqual(fromCli, body);

  // The SDK snippet, run by the official Python SDK against the simulator, sends the same body.
  const sdk = await page.locator('[id$="review-sdk"]').textContent();
  const port = new URL(sim.base).port;
  const runnable = sdk
    .replace(/ClientV1\("[^"]*", \d+,/, `ClientV1("127.0.0.1", ${port},`)
    .replace('<ROOT@SYS PASSWORD>', PASSWORD);
  assert.match(runnable, /client\.post_cluster_backup_config\(/);
  await sim.clearJournal();
  execFileSync(path.join(TOOLS, 'sdk-venv/bin/python'), ['-c', runnable], { stdio: 'pipe' });
  const fromSdk = (await bodies('POST', '/api/v1/obcluster/backup/config')).at(-1);
  assert.deepEqual(fromSdk, body, 'the SDK sent what the console would send');
  await page.close();
});
