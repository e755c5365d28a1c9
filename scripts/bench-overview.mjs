// Overview benchmark (prints numbers; not a test). Run after `source scripts/env.sh`:
//   node scripts/bench-overview.mjs
// The requests one overview refresh costs, with 1 and with 50 user tenants (the simulator's
// `--tenants`): the tenant list and the cluster overview, then the archive round and info of the
// tenants on screen only (one page), once their destinations and lag targets are known.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const { startSim, launch, newPage, signIn, waitFor, PASSWORD } = await import(path.join(here, '../tests/e2e/harness.mjs'));
const OVERVIEW = '/api/v1/obcluster/backup/overview';

async function perRefresh(tenants) {
  const names = Array.from({ length: tenants }, (_, i) => `t${i + 1}`).join(',');
  const [sim, browser] = await Promise.all([startSim(['--tenants', names, '--seed-backup']), launch()]);
  try {
    const page = await newPage(browser);
    await signIn(page, sim, PASSWORD, '/');
    await page.locator('table.overview-tenants tr[data-tenant]').first().waitFor();
    // Two full refreshes after the first one (which also reads destinations once).
    await sim.clearJournal();
    await waitFor(async () => (await sim.journal()).filter((r) => r.uri === OVERVIEW).length >= 3, 'three refreshes', 30000);
    const j = await sim.journal();
    const at = j.map((r, i) => (r.uri === OVERVIEW ? i : -1)).filter((i) => i >= 0);
    const cycle = j.slice(at[1] - 1, at[2] - 1).filter((r) => !r.uri.startsWith('/api/v1/task/'));
    const byKind = {};
    for (const r of cycle) {
      const kind = r.uri.replace(/\/tenant\/[^/]+\//, '/tenant/{t}/').split('?')[0];
      byKind[kind] = (byKind[kind] || 0) + 1;
    }
    const shown = await page.locator('table.overview-tenants tr[data-tenant]').count();
    return { tenants, shown, requests: cycle.length, byKind };
  } finally {
    await browser.close();
    await sim.stop();
  }
}

for (const n of [1, 50]) {
  const r = await perRefresh(n);
  console.log(`overview refresh, ${n} user tenant(s), ${r.shown} on screen: ${r.requests} requests per refresh`);
  for (const [k, v] of Object.entries(r.byKind)) console.log(`    ${v} × ${k}`);
}
