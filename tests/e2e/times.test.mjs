// Issue 14, point 3 end to end: a browser in America/Los_Angeles against an agent that writes its
// times in +08:00. Every time is shown in the browser's zone (with that zone written), the agent's
// own time (its zone) on hover and as the element's description, both the same instant; the log
// has full timestamps a button away; every live view says when it last heard from the agent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, launch, signIn, PASSWORD } from './harness.mjs';

const ZONE = 'America/Los_Angeles';
let sim;
let browser;
before(async () => {
  [sim, browser] = await Promise.all([startSim(['--seed-history', 't1', '--task-ticks', '1']), launch()]);
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

/** The Unix ms of `2026-05-11 10:00:01[.012] +08:00|UTC|-07:00`. */
function instant(wall) {
  const m = wall.match(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) (UTC|[+-]\d\d:\d\d)$/);
  assert.ok(m, `a date, a time and a zone: “${wall}”`);
  return Date.parse(`${m[1]}T${m[2]}${m[3] === 'UTC' ? 'Z' : m[3]}`);
}

/** The zone Los Angeles has at `ms` (summer time moves it). */
function laOffset(ms) {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, timeZoneName: 'longOffset' })
    .formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName').value; // "GMT-08:00"
  return name.replace('GMT', '');
}

/** A `<time>` shown in Los Angeles time whose hover text is the agent's +08:00 time of it. */
async function assertLocalWithAgent(locator, what) {
  const { text, title, label, datetime } = await locator.evaluate((e) => ({
    text: e.textContent.trim(), title: e.getAttribute('title'), label: e.getAttribute('aria-label'), datetime: e.getAttribute('datetime'),
  }));
  const shown = instant(text);
  assert.ok(text.endsWith(` ${laOffset(shown)}`), `${what}: “${text}” is in Los Angeles time`);
  const agent = title.match(/Agent's time: (.*)$/);
  assert.ok(agent, `${what}: the agent's time on hover: “${title}”`);
  assert.ok(agent[1].endsWith(' +08:00'), `${what}: the agent's time in its zone: “${agent[1]}”`);
  assert.equal(Math.floor(instant(agent[1]) / 1000), Math.floor(shown / 1000), `${what}: the same instant`);
  assert.equal(Math.floor(Date.parse(datetime) / 1000), Math.floor(shown / 1000), `${what}: datetime is the instant`);
  if (label !== null) assert.equal(label, text, `${what}: its name is what is shown`);
}

test('a browser in Los Angeles: the overview, the task view, its log and the task list show its zone, the agent\'s +08:00 on hover', async () => {
  const context = await browser.newContext({ timezoneId: ZONE });
  const page = await context.newPage();
  await signIn(page, sim, PASSWORD, '/');

  // The overview: t1's seeded last backup, with how long ago it ended; the updated stamp.
  const row = page.locator('tr[data-tenant="t1"]');
  const last = row.locator('time.at').first();
  await last.waitFor();
  await assertLocalWithAgent(last, 'overview, last backup');
  await page.locator('.updated .updated-fresh').filter({ hasText: /^Updated \d+ s ago\.$/ }).waitFor();

  // A task: its start in the header; the keyboard reaches the agent's time too (focusable).
  await page.getByRole('navigation').getByRole('link', { name: 'Cluster backup' }).click();
  await page.locator('#backup-base-path').fill('/data/times');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/\d+$/);
  const start = page.locator('.dag-start time');
  await start.waitFor();
  await assertLocalWithAgent(start, 'task view, start');
  assert.equal(await start.getAttribute('tabindex'), '0');
  await page.locator('.task-view .updated .updated-fresh').waitFor();

  // The log: time of day in Los Angeles; full timestamps (date and zone) a button away.
  const logTime = page.locator('.log-view time.log-time').first();
  await logTime.waitFor();
  assert.match(await logTime.textContent(), /^\d\d:\d\d:\d\d\.\d{3}$/);
  const logTitle = await logTime.getAttribute('title');
  assert.match(logTitle, / -0[78]:00 · Agent's time: .* \+08:00$/);
  await page.getByRole('button', { name: 'Full timestamps' }).click();
  const full = (await logTime.textContent()).trim();
  assert.equal(instant(full) % 1000 >= 0, true);
  assert.ok(full.endsWith(` ${laOffset(instant(full))}`), `full log time “${full}” in Los Angeles time`);
  assert.equal(instant(full), instant(logTitle.split(' · ')[0]), 'the full time is the one on hover');

  // The task list: the same start as the view, in the same zone.
  const shownInView = (await start.textContent()).trim();
  const id = page.url().match(/\/tasks\/(\d+)$/)[1];
  await page.getByRole('link', { name: /^Tasks/ }).first().click();
  const listRow = page.locator('table.tasks tbody tr').filter({ has: page.locator(`a[href$="/tasks/${id}"]`) }).first();
  await listRow.waitFor();
  const listStart = listRow.locator('time.at');
  await assertLocalWithAgent(listStart, 'task list, start');
  assert.equal((await listStart.textContent()).trim(), shownInView, 'the list and the view show the same start');
  await page.locator('.updated .updated-fresh').waitFor();
  await context.close();
});

test('the history page: job and archive-round times in the browser\'s zone', async () => {
  const context = await browser.newContext({ timezoneId: ZONE });
  const page = await context.newPage();
  await signIn(page, sim, PASSWORD, '/');
  await page.locator('tr[data-tenant="t1"]').getByRole('link', { name: 'History' }).click();
  const job = page.locator('table.history-jobs tr[data-job]').first();
  await job.waitFor();
  await assertLocalWithAgent(job.locator('time.at').first(), 'history, job start');
  await context.close();
});
