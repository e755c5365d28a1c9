// Issue 14, point 5 end to end: strings the console did not write are contained. A tenant named
// "\u202Etxt.exe", an agent version and a path with a U+202E in them (typed by the user, echoed
// back by the agent in its error texts) and a 10,000-character tenant name and path (no spaces):
// every place that shows them (the sign-in page's agent line, overview rows, the tenant picker,
// the history page and the document title, the form's preview and messages, the review's change
// table and body, the task view's header, failure banner, timeline and logs, the task list, the
// error panel) shows the U+202E as a visible escape ⟨U+202E⟩ (its own element, `.ctl`), isolated
// (`<bdi>`), so the text after the string is still after it, in the DOM and on screen; long values
// are shortened with the whole value a button away, and no page is wider than the viewport (at
// 1440 and 390 px), shortened or shown in full. What the user typed stays exactly as typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSim, launch, newPage, signIn, waitFor } from './harness.mjs';

const RLO = '\u202E';
const ESC = '⟨U+202E⟩';
const HOSTILE = `${RLO}txt.exe`;
// 10,000 characters, no spaces; its end is recognisable.
const LONG = 'x'.repeat(9990) + 'TAILMARKER';
const VERSION = `4.5.0.0-2026${RLO}0508-build`;
const WIDTHS = [1440, 390];

let sim;
let browser;
before(async () => {
  [sim, browser] = await Promise.all([
    startSim(['--tenants', `t1,${HOSTILE},${LONG}`, '--agent-version', VERSION, '--task-ticks', '1', '--seed-history', HOSTILE]),
    launch(),
  ]);
});
after(async () => {
  await browser?.close();
  await sim?.stop();
});

async function openAt(width, path) {
  const page = await newPage(browser);
  await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  await signIn(page, sim, undefined, path);
  return page;
}

/** The page is no wider than its viewport, at every width of WIDTHS (the viewport is resized). */
async function assertFits(page, what) {
  const before = page.viewportSize();
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: before.height });
    // Two frames: layout after the resize.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const { sw, vw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, vw: window.innerWidth }));
    assert.ok(sw <= vw, `${what}: the page is ${sw} px wide in a ${vw} px viewport`);
  }
  await page.setViewportSize(before);
}

/**
 * In the element `locator` finds, `first` comes before `second`: in its text, and on screen
 * (left of it on the same line, or on a later line: the text reads left to right). A stray
 * U+202E reverses what follows it, which puts `second` to the left.
 */
async function assertReadsInOrder(locator, first, second, what) {
  const r = await locator.evaluate((el, [a, b]) => {
    const box = (needle) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = n.data.indexOf(needle);
        if (i < 0) continue;
        const range = document.createRange();
        range.setStart(n, i);
        range.setEnd(n, i + needle.length);
        const rects = [...range.getClientRects()];
        return { left: rects[0].left, top: rects[0].top };
      }
      return null;
    };
    return { a: box(a), b: box(b), text: el.textContent };
  }, [first, second]);
  assert.ok(r.a && r.b, `${what}: “${first}” and “${second}” are shown: ${r.text.slice(0, 300)}`);
  assert.ok(r.text.indexOf(first) < r.text.indexOf(second), `${what}: “${second}” follows “${first}” in the text`);
  const sameLine = Math.abs(r.a.top - r.b.top) < 4;
  assert.ok(sameLine ? r.a.left < r.b.left : r.b.top > r.a.top,
    `${what}: “${second}” is laid out after “${first}” (${JSON.stringify({ a: r.a, b: r.b })})`);
}

/** No U+202E reaches the DOM's text (it would act), and an escape is shown as its own element. */
async function assertEscaped(locator, what) {
  const r = await locator.evaluate((el) => ({ text: el.textContent, ctl: [...el.querySelectorAll('.ctl')].map((c) => c.textContent) }));
  assert.ok(!r.text.includes('\u202E'), `${what}: no raw U+202E in the text`);
  assert.ok(r.ctl.includes('⟨U+202E⟩'), `${what}: the U+202E is shown as an escape: ${r.text.slice(0, 200)}`);
  // The escape looks different from the text around it.
  const style = await locator.locator('.ctl').first().evaluate((c) => {
    const s = getComputedStyle(c);
    const p = getComputedStyle(c.parentElement);
    return { bg: s.backgroundColor, pbg: p.backgroundColor, font: s.fontFamily, pfont: p.fontFamily };
  });
  assert.ok(style.bg !== style.pbg || style.font !== style.pfont, `${what}: the escape has a style of its own`);
}

test('the sign-in page: a U+202E in the agent version is shown, and the identity still follows it', async () => {
  const page = await newPage(browser);
  await page.goto(sim.url('/'));
  const line = page.locator('.agent-line');
  await line.waitFor();
  const agentLine = await line.textContent();
  assert.ok(agentLine.includes(`version 4.5.0.0-2026${ESC}0508-build, identity CLUSTER AGENT`), agentLine);
  await assertEscaped(line, 'agent line');
  await assertReadsInOrder(line, '0508-build', 'CLUSTER AGENT', 'agent line');
  await assertFits(page, 'sign-in page');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('tenant names: overview rows, the tenant picker, the history page and its title', async () => {
  const page = await openAt(1440, '/');
  const row = page.locator(`tr[data-tenant="${HOSTILE}"]`);
  await row.waitFor();
  const th = row.locator('th');
  assert.equal(await th.textContent(), `${ESC}txt.exe`);
  await assertEscaped(th, 'overview row');
  assert.equal(await th.locator('bdi').count(), 1, 'the name is isolated');
  // The row reads name, then its protection: the cells keep their order on screen.
  const [nameBox, nextBox] = await Promise.all([th.boundingBox(), row.locator('td').first().boundingBox()]);
  assert.ok(nameBox.x + nameBox.width <= nextBox.x + 1, 'the next cell is right of the name');

  // The 10,000-character name: shortened to its head and tail, the whole one a click away.
  const long = page.locator(`tr[data-tenant="${LONG}"]`);
  const longTh = long.locator('th');
  const shown = await longTh.textContent();
  assert.ok(shown.length < 600, `shortened (${shown.length} characters shown)`);
  assert.ok(shown.startsWith('xxxx') && shown.includes('TAILMARKER'), 'its head and tail are shown');
  assert.match(shown, /Show all 10000 characters/);
  await assertFits(page, 'overview, long name shortened');
  await longTh.locator('button.more').click();
  assert.ok((await longTh.locator('bdi').textContent()) === LONG, 'the whole name once asked for');
  assert.equal(await longTh.locator('button.more').getAttribute('aria-expanded'), 'true');
  await assertFits(page, 'overview, long name in full');

  // The picker: an <option> holds plain text, with the escape in it.
  await page.getByRole('link', { name: 'Tenant backup' }).click();
  const option = page.locator(`#tenant-picker option[value="${HOSTILE}"]`);
  await option.waitFor({ state: 'attached' });
  assert.equal(await option.textContent(), `${ESC}txt.exe (1004)`);
  assert.ok(!(await page.locator('#tenant-picker').textContent()).includes(RLO));
  await assertFits(page, 'tenant form with the picker');

  // The history page of the tenant: heading and document title, its seeded jobs.
  // (Followed from its overview row: loading the URL afresh would ask for the password again.)
  await page.getByRole('navigation').getByRole('link', { name: 'Overview', exact: true }).click();
  await page.locator(`tr[data-tenant="${HOSTILE}"]`).getByRole('link', { name: 'History' }).click();
  const h1 = page.locator('h1');
  await h1.filter({ hasText: 'Backup history' }).waitFor();
  assert.equal(await h1.textContent(), `Backup history: ${ESC}txt.exe`);
  await assertEscaped(h1, 'history heading');
  assert.equal(await page.title(), `Backup history: ${ESC}txt.exe · obshell console`);
  await page.locator('table.history-jobs tr[data-job]').first().waitFor();
  await assertFits(page, 'history page');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the tenant form: typed values stay as typed; preview, review, the agent\'s errors, task view and task list show the U+202E; 10,000 characters do not widen the page', async () => {
  const page = await openAt(1440, `/backup/tenant/${encodeURIComponent(HOSTILE)}`);
  const dataPath = `/denied/${RLO}evil/data`;
  await page.locator('#data-base-path').fill(dataPath);
  assert.equal(await page.locator('#data-base-path').inputValue(), dataPath, 'the input keeps what was typed');
  const preview = page.locator('.uri-preview code').first();
  assert.equal(await preview.textContent(), `file:///denied/${ESC}evil/data`);
  await assertEscaped(preview, 'URI preview');

  // A 10,000-character archive path: the input has it all, the preview a short form.
  const longPath = `/data/${LONG}`;
  await page.locator('#archive-base-path').fill(longPath);
  assert.equal(await page.locator('#archive-base-path').inputValue(), longPath);
  const longPreview = page.locator('.uri-preview code').nth(1);
  assert.match(await longPreview.textContent(), /^file:\/\/\/data\/x+…x+TAILMARKER Show all 10013 characters$/);
  await assertFits(page, 'tenant form with a 10,000-character path');

  // The review: the change table and the body show both, the long one shortened.
  await page.locator('form.backup-form button[type=submit]').click();
  const table = page.locator('.modal table.changes');
  await table.waitFor();
  const dataRow = table.locator('tbody tr').filter({ hasText: 'Data backup destination' });
  await assertEscaped(dataRow, 'review row');
  await assertReadsInOrder(dataRow.locator('td').nth(1), 'evil', 'data', 'review value');
  const archiveRow = table.locator('tbody tr').filter({ hasText: 'Log archive destination' });
  assert.ok((await archiveRow.textContent()).length < 1000, 'the long value is shortened in the table');
  await assertEscaped(page.locator('.modal pre.json'), 'request body');
  assert.match(await page.locator('.modal pre.json').textContent(), /Show all \d+ characters/);
  await assertFits(page, 'review with a 10,000-character value');
  await archiveRow.locator('button.more').click();
  assert.ok((await archiveRow.textContent()).includes(LONG), 'the whole value once asked for');
  await assertFits(page, 'review with a 10,000-character value in full');
  await page.locator('.modal').getByRole('button', { name: 'Back' }).click();

  // Sent with a short archive path under /denied too: the task's write test fails and the agent's
  // error texts echo the path.
  await page.locator('#archive-base-path').fill(`/denied/${RLO}evil/clog`);
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/\d+$/);
  const banner = page.locator('.failure-banner');
  await banner.waitFor({ timeout: 30000 });
  const message = banner.locator('.failure-body');
  await assertEscaped(message, 'failure banner');
  await assertReadsInOrder(message, 'evil', 'permission denied', 'failure banner');

  // The task's name and scope name the tenant.
  const name = page.locator('.dag-name');
  assert.equal(await name.textContent(), `Set obcluster backup config for ${ESC}txt.exe`);
  await assertEscaped(name, 'task name');
  const scope = page.locator('.dag-scope');
  await assertEscaped(scope, 'task scope');
  await assertReadsInOrder(scope, 'txt.exe', 'locked', 'task scope');
  // The failed sub-task's log and the timeline's error line.
  const log = page.locator('.log-view');
  await waitFor(async () => (await log.textContent()).includes('permission denied'), 'the failed log');
  await assertEscaped(log, 'log view');
  await assertReadsInOrder(log.locator('.log-line', { hasText: 'permission denied' }).first(), 'evil', 'permission denied', 'log line');
  const tlError = page.locator('.tl-error').first();
  await assertEscaped(tlError, 'timeline error');
  await assertReadsInOrder(tlError, 'evil', 'permission denied', 'timeline error');
  await assertFits(page, 'task view of the failed task');

  // The task list.
  await page.getByRole('link', { name: /^Tasks/ }).first().click();
  const row = page.locator('table.tasks tbody tr').filter({ hasText: 'txt.exe' }).first();
  await row.waitFor();
  await assertEscaped(row.locator('.task-name'), 'task list name');
  await assertReadsInOrder(row, 'txt.exe', 'Failed', 'task list row');
  await assertFits(page, 'task list');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the error panel: an agent error that echoes a U+202E keeps the rest of its text in order', async () => {
  const page = await openAt(1440, `/backup/tenant/${encodeURIComponent(`${RLO}nope`)}`);
  const panel = page.locator('.error-panel .error-summary').first();
  await panel.waitFor();
  assert.equal(await panel.textContent(), `Tenant '${ESC}nope' does not exist.`);
  await assertEscaped(panel, 'error panel');
  await assertReadsInOrder(panel, 'nope', 'does not exist', 'error panel');
  await assertFits(page, 'error panel');
  await page.close();
});
