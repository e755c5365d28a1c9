// The first load is the sign-in page and the shell; each page behind the sign-in gate is a wasm
// chunk of its own (src/pages/chunks.rs, split by scripts/postbuild.py), prefetched after
// sign-in. A chunk that cannot be fetched is an error with a retry, and nothing typed is lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useSimAndBrowser, newPage, signIn, waitFor } from './harness.mjs';

let sim;
let browser;
useSimAndBrowser((s, b) => { sim = s; browser = b; });

const CHUNK = /\/(split_|chunk_)[a-z0-9_]+-[0-9a-f]{16}\.wasm$/;

test('the sign-in page loads no page chunk; signing in prefetches every page', async () => {
  const page = await newPage(browser);
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(sim.url('/'));
  await page.locator('#signin-password').waitFor();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(fetched.filter((p) => CHUNK.test(p)), [], 'no chunk before sign-in');
  assert.ok(fetched.some((p) => /obshell-console-[0-9a-f]{16}_bg\.wasm$/.test(p)), 'the main module loaded');

  await page.locator('#signin-password').fill('e2e-Pa55!');
  await page.locator('form button[type=submit]').click();
  await page.getByRole('heading', { name: 'Backup overview' }).waitFor();
  for (const split of ['split_backup_page', 'split_task_list_page', 'split_task_view_page', 'split_overview_page', 'split_history_page']) {
    await waitFor(() => fetched.some((p) => p.includes(`/${split}-`)), `${split} prefetched`);
  }
  // Navigating now needs no further download.
  const before = fetched.length;
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks' }).first().waitFor();
  assert.deepEqual(fetched.slice(before).filter((p) => CHUNK.test(p)), [], 'tasks page already loaded');
  // (The overview's "no backup yet" is the agent's 404, which the browser logs as a failed resource.)
  assert.deepEqual(page.problems.filter((p) => !p.startsWith('Failed to load resource')), []);
  await page.close();
});

test('a page chunk that cannot be fetched: an error with a retry, the form keeps its input', async () => {
  const page = await newPage(browser);
  const block = (route) => route.abort('connectionfailed');
  await page.route(/split_task_list_page-[0-9a-f]{16}\.wasm$/, block);
  await signIn(page, sim);
  await page.locator('#backup-base-path').fill('/data/kept');
  await page.getByRole('link', { name: 'Tasks' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'could not be loaded' });
  await alert.waitFor();
  assert.match(await alert.textContent(), /What you entered stays here/);

  await page.unroute(/split_task_list_page-[0-9a-f]{16}\.wasm$/, block);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'Tasks' }).first().waitFor();
  assert.equal(await alert.count(), 0, 'the error is gone');

  await page.getByRole('link', { name: 'Cluster backup' }).click();
  assert.equal(await page.locator('#backup-base-path').inputValue(), '/data/kept');
  await page.close();
});

test('chunks served without the wasm MIME type (older mime.types) still load', async () => {
  const page = await newPage(browser);
  const served = [];
  await page.route(CHUNK, async (route) => {
    const response = await route.fetch();
    served.push(new URL(route.request().url()).pathname);
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await signIn(page, sim);
  await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('heading', { name: 'Tasks' }).first().waitFor();
  assert.ok(served.some((p) => p.includes('/split_backup_page-')), 'the chunks went through the octet-stream route');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a chunk altered on the way fails its integrity check and is not run', async () => {
  const page = await newPage(browser);
  const pattern = /split_task_list_page-[0-9a-f]{16}\.wasm$/;
  await page.route(pattern, async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[body.length - 1] ^= 0xff; // one bit flipped by a "helpful" proxy
    await route.fulfill({ response, body });
  });
  await signIn(page, sim);
  await page.getByRole('heading', { name: 'Cluster backup configuration' }).waitFor();
  await page.getByRole('link', { name: 'Tasks' }).click();
  await page.getByRole('alert').filter({ hasText: 'could not be loaded' }).waitFor();
  assert.ok(page.problems.some((p) => /integrity/i.test(p)), `integrity failure reported: ${page.problems}`);
  await page.close();
});
