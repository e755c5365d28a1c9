// The signed `Uri` is the request-target the agent receives (docs/protocol.md §2.5): the
// console takes it from the URL gloo-net sends, so paths with characters that need escaping
// (a tenant name with a space, a quote, a plus, non-ASCII) and queries (`show_details=true`)
// are accepted as sent. The simulator refuses any difference (401, Uri mismatch).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, launch, newPage, signIn, PASSWORD } from './harness.mjs';

const HOSTILE = "o'k é x+y";

test('paths with escaped tenant names and queries are signed exactly as sent', async () => {
  const sim = await startSim(['--tenants', `t1,${HOSTILE}`]);
  const browser = await launch();
  try {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, `/backup/tenant/${encodeURIComponent(HOSTILE)}`);
    await page.locator('#data-base-path').waitFor();
    await page.locator('#data-base-path').fill('/data/hostile/data');
    await page.locator('#archive-base-path').fill('/data/hostile/clog');
    await page.locator('form.backup-form button[type=submit]').click();
    await page.locator('.modal button.primary').click();
    await page.waitForURL(/\/tasks\/1\d+$/);
    await page.locator('[id$="dag-state"]').waitFor();
    const j = await sim.journal();
    const escaped = encodeURIComponent(HOSTILE).replace(/'/g, '%27');
    const tenantCalls = j.filter((r) => r.uri.includes(`/tenant/${escaped}/`));
    assert.ok(tenantCalls.some((r) => r.uri.endsWith('/backup/config/storage')), `storage read: ${JSON.stringify(j.map((r) => r.uri))}`);
    assert.ok(tenantCalls.some((r) => r.method === 'POST' && r.uri.endsWith('/backup/config')), 'the tenant config was sent');
    const withQuery = j.filter((r) => r.uri.includes('?show_details='));
    assert.ok(withQuery.length > 0, 'queries were sent');
    const refused = [...tenantCalls, ...withQuery].filter((r) => r.status !== 200);
    assert.deepEqual(refused.map((r) => [r.method, r.uri, r.status]), [], 'every signed Uri matched what was sent');
    await page.close();
  } finally {
    await browser.close();
    await sim.stop();
  }
});
