// Accessibility: axe-core (WCAG 2.1 A/AA rules) on every page and state a DBA meets: sign-in,
// the cluster and tenant forms with errors showing, the review dialog, the task view of a
// running and of a failed DAG, the task list, and the Chinese UI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useSimAndBrowser, signIn, PASSWORD } from './harness.mjs';

const AXE = fs.readFileSync(path.join(process.env.TOOLS_DIR || path.resolve('.tools'), 'node_modules/axe-core/axe.min.js'), 'utf8');

let sim;
let browser;
useSimAndBrowser((s, b) => { sim = s; browser = b; });

/** axe's violations on the current page, one readable line each (rule, impact, first targets). */
async function violations(page) {
  // Evaluated through the devtools protocol, so the console's CSP does not apply to axe itself.
  await page.evaluate(AXE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`
    + ` (${v.nodes[0].failureSummary.replace(/\s+/g, ' ')})`);
}

async function check(page, where) {
  assert.deepEqual(await violations(page), [], `accessibility violations on ${where}`);
}

test('sign-in, forms with errors, review dialog, task view and list have no WCAG A/AA violations', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(sim.url('/'));
  await page.locator('#signin-password').waitFor();
  await page.locator('.agent-line').waitFor();
  await check(page, 'the sign-in page');

  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
  await page.locator('table.overview-tenants tr[data-tenant]').first().waitFor();
  await check(page, 'the overview');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cluster backup' }).click();
  await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
  await check(page, 'the cluster form');

  await page.locator('#backup-base-path').fill('relative/path');
  await page.locator('#log-archive-concurrency').fill('1000');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('[aria-invalid=true]').first().waitFor();
  await check(page, 'the cluster form with errors');

  await page.locator('#backup-base-path').fill('/data/backup');
  await page.locator('#log-archive-concurrency').fill('');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal pre.json').waitFor();
  await check(page, 'the review dialog');

  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.locator('[id$="dag-state"]').waitFor();
  await check(page, 'the task view');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks' }).first().waitFor();
  await page.locator('table').first().waitFor();
  await check(page, 'the task list');

  await nav.getByRole('link', { name: 'Tenant backup' }).click();
  await page.getByRole('heading', { name: 'Tenant backup configuration' }).waitFor();
  await check(page, 'the tenant form');

  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '租户备份配置' }).waitFor();
  await check(page, 'the tenant form in Chinese');
  await page.context().close();
});

test('a failed DAG and the confirmation of an operation have no WCAG A/AA violations', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, sim);
  await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
  // The simulator fails the destination's write test under /denied (as a real agent would).
  await page.locator('#backup-base-path').fill('/denied/backup');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.locator('#failure').waitFor({ timeout: 30000 });
  await check(page, 'the task view of a failed DAG');
  await page.locator('#op-retry').click();
  await page.locator('dialog.confirm-dialog').waitFor();
  await check(page, 'the confirmation of an operation');
  await page.context().close();
});

test('page changes: the title names the page and the focus moves to it; picking a tenant keeps the focus', async () => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(sim.url('/'));
  await page.locator('#signin-password').waitFor();
  assert.equal(await page.title(), 'Sign in to the obshell agent · obshell console');
  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('#signin-password').press('Enter');
  await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
  assert.equal(await page.title(), 'Backup overview · obshell console');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'obshell-main', 'focus on the page after sign-in');

  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Tenant backup' }).click();
  await page.getByRole('heading', { name: 'Tenant backup configuration' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'obshell-main', 'focus on the new page');
  await page.locator('#tenant-picker').focus(); // as a keyboard or mouse user would
  await page.locator('#tenant-picker').selectOption('t1');
  await page.waitForURL(/\/backup\/tenant\/t1$/);
  assert.equal(await page.title(), 'Tenant backup configuration: t1 · obshell console');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tenant-picker', 'the picker keeps the focus');

  await page.getByRole('button', { name: '中文' }).click();
  await page.waitForFunction(() => document.title === '租户备份配置：t1 · obshell 控制台');
  await page.context().close();
});

test('keyboard only: the review dialog takes the focus, keeps it, Escape returns to the form; Enter, Tab, Enter submits', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, sim);
  const active = () => page.evaluate(() => ({ id: document.activeElement?.id, inModal: !!document.activeElement?.closest('dialog.modal[open]') }));
  await page.locator('#backup-base-path').fill('/data/keyboard');
  await page.locator('#backup-base-path').press('Enter');
  await page.locator('.modal pre.json').waitFor();
  assert.deepEqual(await active(), { id: 'review-changes', inModal: true }, 'the change table to review has the focus, not Submit');
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab');
    const a = await active();
    assert.ok(a.inModal || !a.id, `Tab ${i + 1} stays in the dialog (or the browser's own UI): ${JSON.stringify(a)}`);
  }
  await page.keyboard.press('Escape');
  await page.locator('dialog.modal').waitFor({ state: 'detached' });
  assert.deepEqual(await active(), { id: 'backup-base-path', inModal: false }, 'back where the user was');

  await page.locator('#backup-base-path').press('Enter');
  await page.locator('.modal pre.json').waitFor();
  // Tab passes the request, the CLI and SDK equivalents (each readable and copyable), then Submit.
  for (let i = 0; i < 8 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Submit'; i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Submit');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.locator('[id$="dag-state"]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'obshell-main', 'the task view has the focus');
  await page.context().close();
});

test('session lost: the sign-in dialog takes the focus on its password field', async () => {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/reauth');
  await page.locator('#backup-base-path').press('Enter');
  await page.locator('.modal pre.json').waitFor();
  await sim.control('sessions/expire', {}); // just before Submit: the POST finds the session gone
  await page.locator('.modal button.primary').click();
  await page.locator('#reauth-password').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'reauth-password');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.context().close();
});
