// config.json naming two clusters (`profiles`): the sign-in page offers a chooser, and every
// request goes to the chosen cluster. nginx (deploy/nginx/console-root.conf as shipped) serves
// the console with cluster A's API at /api/; cluster B's agent is proxied under /b/ the way the
// sub-path template does it (raw request-target, so the signed Uri survives).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSim, launch, waitFor, PASSWORD, ROOT } from './harness.mjs';
import { startNginx } from './nginx.mjs';

const DIST = process.env.OBSHELL_DIST || path.join(ROOT, 'dist');
const hostPort = (sim) => sim.base.replace(/^http:\/\//, '');


let simA;
let simB;
let ng;
let dir;
let browser;
before(async () => {
  simA = await startSim([], { staticDir: null });
  simB = await startSim([], { staticDir: null });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'obshell-dist-'));
  for (const f of fs.readdirSync(DIST)) fs.copyFileSync(path.join(DIST, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({
    profiles: [{ name: 'Cluster A', apiBase: '' }, { name: 'Cluster B', apiBase: '/b' }],
  }));
  ng = await startNginx({
    template: 'console-root.conf',
    dist: dir,
    agent: hostPort(simA),
    extra: `
    location ^~ /b/api/ {
        if ($request_uri !~ "^/b(?<cluster_b_target>/api/.*)$") { return 400; }
        proxy_pass http://${hostPort(simB)}$cluster_b_target;
        proxy_http_version 1.1;
    }`,
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await ng?.stop();
  await simA?.stop();
  await simB?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('the chooser switches the cluster; sign-in and the submission go to the chosen one', async () => {
  const page = await (await browser.newContext()).newPage();
  await simA.clearJournal();
  await simB.clearJournal(); // (the harness asked /api/v1/info to see it was up)
  await page.goto(ng.url('/'));
  const chooser = page.getByLabel('Cluster', { exact: true });
  await chooser.waitFor();
  assert.deepEqual(await chooser.locator('option').allTextContents(), ['Cluster A', 'Cluster B']);
  // Both simulators call themselves 10.0.0.1:2886: their request journals tell them apart.
  const asked = (sim, uri) => sim.journal().then((j) => j.some((r) => r.method === 'GET' && r.uri === uri));
  await waitFor(() => asked(simA, '/api/v1/info'), 'cluster A connected');
  assert.equal(await asked(simB, '/api/v1/info'), false, 'B untouched before it is chosen');

  await simA.clearJournal();
  await chooser.selectOption({ label: 'Cluster B' });
  await waitFor(() => asked(simB, '/api/v1/secret'), 'cluster B connected');
  await page.locator('.agent-line').waitFor();
  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  // Signed in, the overview; the cluster form is one link away.
  await page.getByRole('navigation').getByRole('link', { name: 'Cluster backup' }).click();
  await page.locator('#backup-base-path').fill('/data/cluster-b');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);

  const posted = (sim) => sim.journal().then((j) => j.filter((r) => r.method === 'POST' && r.uri === '/api/v1/obcluster/backup/config'));
  assert.equal((await posted(simB)).length, 1, 'cluster B received the submission');
  assert.deepEqual((await posted(simB))[0].body, { backup_base_uri: 'file:///data/cluster-b', binding: 'OPTIONAL', piece_switch_interval: '1d' });
  assert.deepEqual(await posted(simA), [], 'cluster A received nothing');
  assert.deepEqual((await simA.journal()).filter((r) => r.uri.startsWith('/api/v1/login')), [], 'no sign-in at A');
  await page.context().close();
});
