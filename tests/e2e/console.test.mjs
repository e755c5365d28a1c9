// Issue 4 end to end: sign in, configure backups (cluster/tenant, set/update) and land on the
// DAG; invalid input blocked; wrong password; session expiry and key rotation mid-form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSimAndBrowser, startSim, newPage, signIn, submitAndLand, PASSWORD } from './harness.mjs';

let sim;
let browser;
useSimAndBrowser((s, b) => { sim = s; browser = b; });

const configRequests = async (method, pathPart) =>
  (await sim.journal()).filter((r) => r.method === method && r.uri.includes(pathPart));
/** Set or Update: once the tenants are configured, the cluster form opens on Update. */
const submissions = async (pathPart) =>
  (await sim.journal()).filter((r) => ['POST', 'PATCH'].includes(r.method) && r.uri.includes(pathPart));
/** What every written archive destination carries: the binding and interval the form shows. */
const DEFAULTS = { binding: 'OPTIONAL', piece_switch_interval: '1d' };

/**
 * A recovery after the agent changed under the console (key, clock): the first request made
 * with the stale state is refused (the cluster POST, or a background poll of the task badge that
 * got there first), then `refreshUri` is read, and the cluster POST is accepted exactly once.
 */
async function assertRecoveredOnce(refreshUri) {
  const j = await sim.journal();
  const refused = j.findIndex((r) => r.status === 401);
  const refresh = j.findIndex((r) => r.uri === refreshUri);
  assert.ok(refused >= 0 && refresh > refused, `refused, then ${refreshUri}: ${JSON.stringify(j.map((r) => [r.uri, r.status]))}`);
  const posts = (await submissions('/api/v1/obcluster/backup/config')).map((r) => r.status);
  assert.ok([[401, 200], [200]].some((s) => JSON.stringify(s) === JSON.stringify(posts)), `submission statuses ${posts}`);
}

test('wrong password is refused with the agent message, then sign-in works', async () => {
  const page = await newPage(browser);
  await signIn(page, sim, 'not-the-password');
  await page.getByText('OceanBase password is incorrect').waitFor();
  assert.equal(await page.locator('#signin-password').inputValue(), 'not-the-password', 'input kept');
  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
  await page.close();
});

test('set a cluster config and land on its DAG', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/backup');
  await page.locator('#log-archive-concurrency').fill('10');
  await page.locator('form.backup-form button[type=submit]').click();
  const shown = JSON.parse(await page.locator('pre.json').textContent());
  assert.deepEqual(shown, { backup_base_uri: 'file:///data/backup', log_archive_concurrency: 10, ...DEFAULTS });
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.getByRole('heading', { name: 'Set obcluster backup config' }).waitFor();
  const posts = await configRequests('POST', '/api/v1/obcluster/backup/config');
  assert.equal(posts.length, 1, 'exactly one submission');
  assert.deepEqual(posts[0].body, { backup_base_uri: 'file:///data/backup', log_archive_concurrency: 10, ...DEFAULTS });
  assert.equal(posts[0].status, 200);
  await page.close();
});

test('update sends only the changed field', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('label.radio', { hasText: 'Update (PATCH)' }).click();
  await page.locator('#ha-low-thread-score').fill('35');
  await submitAndLand(page);
  const patches = await configRequests('PATCH', '/api/v1/obcluster/backup/config');
  assert.deepEqual(patches.at(-1).body, { ha_low_thread_score: 35 });
  await page.close();
});

test('after a Set, an Update sends only what changed since', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/set-then-update');
  await page.locator('#log-archive-concurrency').fill('12');
  await submitAndLand(page);
  await page.getByRole('link', { name: 'Cluster backup' }).click();
  await page.locator('label.radio', { hasText: 'Update (PATCH)' }).click();
  await page.locator('#ha-low-thread-score').fill('21');
  await submitAndLand(page);
  const patches = await configRequests('PATCH', '/api/v1/obcluster/backup/config');
  assert.deepEqual(patches.at(-1).body, { ha_low_thread_score: 21 });
  await page.close();
});

test('tenant set with separate destinations', async () => {
  const page = await newPage(browser);
  await signIn(page, sim, PASSWORD, '/backup/tenant/t2');
  // t2 has a configuration by now (the cluster's): the form would open on Update.
  await page.locator('label.radio', { hasText: 'Set (POST)' }).click();
  await page.locator('#data-base-path').fill('/data/t2/data');
  await page.locator('#archive-base-path').fill('/data/t2/clog');
  await page.locator('form.backup-form button[type=submit]').click();
  assert.match(await page.locator('.modal').textContent(), /POST \/api\/v1\/tenant\/t2\/backup\/config/, 'the review names the tenant');
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.getByRole('heading', { name: 'Set obcluster backup config for t2' }).waitFor();
  const posts = await configRequests('POST', '/api/v1/tenant/t2/backup/config');
  assert.deepEqual(posts.at(-1).body, { data_base_uri: 'file:///data/t2/data', archive_base_uri: 'file:///data/t2/clog', ...DEFAULTS });
  await page.close();
});

test('the tenant form starts from the configured destinations, in its fields', async () => {
  const seeded = await startSim(['--seed-backup']);
  const page = await newPage(browser);
  try {
    await signIn(page, seeded, PASSWORD, '/backup/tenant/t1');
    // The current values arrive after the form is shown: the structured fields follow them.
    await page.waitForFunction(() => document.querySelector('#data-base-path')?.value === '/data/backup/1/1002/data');
    assert.equal(await page.locator('#archive-base-path').inputValue(), '/data/backup/1/1002/clog');
  } finally {
    await page.close();
    await seeded.stop();
  }
});

test('invalid values are blocked with messages and no request is sent', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await sim.clearJournal();
  await page.locator('#backup-base-path').fill('data/backup');
  await page.locator('#log-archive-concurrency').fill('101');
  await page.locator('#piece-switch-interval').fill('8');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.getByText('log_archive_concurrency must be between 0 and 100').waitFor();
  await page.getByText('piece_switch_interval must be between 24h0m0s and 168h0m0s').waitFor();
  await page.getByText("invalid file path, must start with '/'").waitFor();
  assert.equal(await page.locator('pre.json').count(), 0);
  const sent = (await sim.journal()).filter((r) => r.method !== 'GET');
  assert.deepEqual(sent, [], 'nothing but reads was sent');
  await page.close();
});

test('session expiry mid-form: sign in again, the form and the request survive', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/after-expiry');
  await page.locator('#ha-low-thread-score').fill('7');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal pre.json').waitFor();
  // Expired just before Submit, so that it is the POST (not the task badge's background poll)
  // that finds the session gone.
  await sim.control('sessions/expire', {});
  await page.locator('.modal button.primary').click();
  await page.locator('#reauth-password').waitFor();
  assert.equal(await page.locator('#backup-base-path').inputValue(), '/data/after-expiry', 'form intact under the dialog');
  await page.locator('#reauth-password').fill(PASSWORD);
  await page.locator('.modal form button[type=submit]').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  const sent = await submissions('/api/v1/obcluster/backup/config');
  assert.deepEqual(sent.at(-1).body, { backup_base_uri: 'file:///data/after-expiry', ha_low_thread_score: 7, ...DEFAULTS });
  await page.close();
});

test('cancelling sign-in-again: back on the sign-in page, working, the draft kept for the next sign-in', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/cancelled');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal pre.json').waitFor();
  await sim.control('sessions/expire', {});
  await page.locator('.modal button.primary').click();
  await page.locator('#reauth-password').waitFor();
  await page.keyboard.press('Escape');
  // The sign-in page, usable (before: a panic left "Connecting…" and a disabled button).
  await page.locator('#signin-password').waitFor();
  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('#backup-base-path').waitFor();
  assert.equal(await page.locator('#backup-base-path').inputValue(), '/data/cancelled', 'draft kept');
  // (The refused request itself is logged by the browser as a failed resource: expected.)
  assert.deepEqual(page.problems.filter((p) => !p.startsWith('Failed to load resource')), [], 'no errors (a panic was one)');
  await page.close();
});

test('signing out forgets the drafts and their access keys', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-scheme').selectOption('oss');
  await page.locator('#backup-base-access-key').fill('S3cr3t-key');
  await page.locator('header button.link').last().click();
  await page.locator('#signin-password').waitFor();
  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('#backup-base-scheme').waitFor();
  assert.equal(await page.locator('#backup-base-scheme').inputValue(), 'file', 'a fresh form');
  // (The key lived in an input's value, which page HTML never shows: look at the field.)
  await page.locator('#backup-base-scheme').selectOption('oss');
  assert.equal(await page.locator('#backup-base-access-key').inputValue(), '', 'the access key is gone');
  await page.close();
});

test('key rotation mid-form is recovered transparently', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/after-rotation');
  await sim.clearJournal(); // before the rotation: the first refused request must be in the journal
  await sim.control('rotate-key', {});
  await submitAndLand(page);
  // Refused with the old key, then the key fetched again.
  await assertRecoveredOnce('/api/v1/secret');
  await page.close();
});

test('agent errors and hostile strings render as text', async () => {
  const page = await newPage(browser);
  await signIn(page, sim, PASSWORD, '/tasks/1%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
  await page.getByText('Invalid ID').waitFor();
  assert.equal(await page.locator('img').count(), 0, 'no element injected');
  await page.close();
});

test('an agent without sessions (4.3.x): per-request password auth works end to end', async () => {
  const old = await startSim(['--agent-version', '4.3.5.0']);
  try {
    const page = await newPage(browser);
    await signIn(page, old);
    await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
    await page.locator('#backup-base-path').fill('/data/old-agent');
    await submitAndLand(page);
    const j = await old.journal();
    assert.equal(j.filter((r) => r.uri === '/api/v1/login').length, 0, 'no login endpoint used');
    const post = j.find((r) => r.method === 'POST' && r.uri === '/api/v1/obcluster/backup/config');
    assert.equal(post.status, 200);
    await page.close();
  } finally {
    await old.stop();
  }
});

test('agent clock moved ahead: the expired header is re-signed after a clock resync', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/after-skew');
  await sim.clearJournal(); // before the skew: the first refused request must be in the journal
  await sim.control('clock', { skew_secs: 900 });
  try {
    await submitAndLand(page);
    // Refused as expired, then the clock re-synced.
    await assertRecoveredOnce('/api/v1/time');
  } finally {
    await sim.control('clock', { skew_secs: 0 });
  }
  await page.close();
});

test('switching language keeps the form and localizes messages', async () => {
  const page = await newPage(browser);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/lang');
  await page.locator('#log-archive-concurrency').fill('101');
  await page.getByText('log_archive_concurrency must be between 0 and 100').waitFor();
  await page.locator('header button', { hasText: '中文' }).click();
  await page.getByRole('heading', { name: '集群备份配置' }).waitFor();
  await page.getByText('log_archive_concurrency 必须在 0 和 100 之间').waitFor();
  assert.equal(await page.locator('#backup-base-path').inputValue(), '/data/lang');
  assert.equal(await page.locator('#log-archive-concurrency').inputValue(), '101');
  await page.locator('#log-archive-concurrency').fill('5');
  await sim.clearJournal();
  await submitAndLand(page);
  const sent = (await sim.journal()).find((r) => ['POST', 'PATCH'].includes(r.method));
  assert.equal(sent.status, 200);
  await page.close();
});

test('a legacy agent with a 512-bit RSA key (before 4.4.1.1)', async () => {
  const legacy = await startSim(['--key-bits', '512', '--agent-version', '4.4.1.0']);
  try {
    const page = await newPage(browser);
    await signIn(page, legacy);
    await page.locator('#backup-base-path').fill('/data/k512');
    await submitAndLand(page);
    const sent = (await legacy.journal()).filter((r) => r.method !== 'GET').map((r) => [r.method, r.uri, r.status]);
    assert.deepEqual(sent, [['POST', '/api/v1/login', 200], ['POST', '/api/v1/obcluster/backup/config', 200]]);
    await page.close();
  } finally {
    await legacy.stop();
  }
});

test('Enter pressed before the agent\'s key arrived signs in once it is there, once', async () => {
  const page = await newPage(browser);
  await sim.control('faults', { latency_ms: 1500, path_prefix: '/api/v1/secret' });
  try {
    await page.goto(sim.url('/'));
    await page.locator('#signin-password').fill(PASSWORD);
    await sim.clearJournal();
    await page.locator('#signin-password').press('Enter');
    // Still connecting: the button says so and cannot be pressed a second time.
    const button = page.locator('form button[type=submit]');
    assert.equal(await button.textContent(), 'Signing in…');
    assert.equal(await button.isDisabled(), true);
    await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
    const logins = (await sim.journal()).filter((r) => r.method === 'POST' && r.uri.startsWith('/api/v1/login'));
    assert.ok(logins.length <= 1, `${logins.length} sign-in requests`);
  } finally {
    await sim.control('faults', undefined, 'DELETE');
  }
  await page.close();
});
