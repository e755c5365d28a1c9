// Accessibility (WCAG 2.2 A/AA) of every screen a DBA meets, at the widths they use: a 320-px
// reflow width, a 390-px phone and a 1440-px desktop, in English and in Chinese. Per screen and
// width: axe-core's wcag2a/2aa/21a/21aa/22aa rules (its target-size rule, off by default, turned
// on and checked to have run), no horizontal page scroll (WCAG 1.4.10 reflow), and a target-size
// check of our own (WCAG 2.5.8: every visible control ≥ 24 × 24 CSS px or clear of others by the
// spacing exception). One browser and one page per language; the viewport is resized in place.
// Screenshots of every screen and width: A11Y_SHOTS=<dir>.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useSimAndBrowser, signIn, waitFor, trackRequests, networkQuiet, PASSWORD } from './harness.mjs';

const AXE = fs.readFileSync(path.join(process.env.TOOLS_DIR || path.resolve('.tools'), 'node_modules/axe-core/axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [[320, 720], [390, 844], [1440, 900]];
const SHOTS = process.env.A11Y_SHOTS;

let sim;
let browser;
useSimAndBrowser((s, b) => { sim = s; browser = b; });

/** axe's violations on the current page, one readable line each (rule, impact, first targets). */
async function violations(page) {
  // Evaluated through the devtools protocol, so the console's CSP does not apply to axe itself.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate(async (tags) =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: tags }, rules: { 'target-size': { enabled: true } }, resultTypes: ['violations'] }), TAGS);
  const ran = ['passes', 'violations', 'incomplete', 'inapplicable'].some((k) => result[k].some((r) => r.id === 'target-size'));
  const out = result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`
    + ` (${v.nodes[0].failureSummary.replace(/\s+/g, ' ')})`);
  if (!ran) out.push('axe did not run its target-size rule');
  return out;
}

/** Reflow: the page's width against the viewport's, and what sticks out if it is wider. */
const reflow = (page) => page.evaluate(() => {
  const width = document.documentElement.scrollWidth;
  if (width <= innerWidth) return null;
  // The outermost elements reaching past the viewport (not inside another one that does).
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return a.getBoundingClientRect().right <= innerWidth + 0.5;
    }
    return false;
  };
  const out = [];
  // How far an element reaches: its box, or its content where that overflows the box (a word
  // too long for its line).
  const reach = (el) => Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth);
  for (const el of document.querySelectorAll('body *')) {
    if (reach(el) > innerWidth + 0.5 && el.getBoundingClientRect().width > 0 && !out.some((o) => o.contains(el)) && !clipped(el)) out.push(el);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') + [...el.classList].map((c) => `.${c}`).join('');
  return `page ${width} px wide in a ${innerWidth}-px viewport: ${out.slice(0, 4).map((el) => `${name(el)} to ${Math.round(reach(el))}`).join(', ')}`;
});

/** WCAG 2.5.8 on every visible control: 24 × 24 CSS px, or an undersized one whose 24-px circle
 * (centred on it) meets no other control and no other undersized one's circle. Links inside a
 * sentence are exempt (the inline exception). */
const smallTargets = (page) => page.evaluate(() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], [role=checkbox], [role=radio], [role=tab]';
  const name = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')} “${(el.textContent || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 30)}”`;
  const inSentence = (el) => getComputedStyle(el).display === 'inline'
    && [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  const targets = [...document.querySelectorAll(sel)]
    .filter((el) => el.checkVisibility({ visibilityProperty: true }))
    .map((el) => ({ el, r: el.getBoundingClientRect() }))
    .filter(({ r }) => r.width > 0 && r.height > 0 && r.right > 0 && r.bottom + scrollY > 0);
  const small = targets.filter(({ el, r }) => (r.width < 23.95 || r.height < 23.95) && !inSentence(el));
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const distToRect = ([x, y], r) => Math.hypot(Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
  const out = [];
  for (const a of small) {
    const c = centre(a.r);
    const near = targets.find((b) => b !== a && !b.el.contains(a.el) && !a.el.contains(b.el)
      && (distToRect(c, b.r) < 12 || (small.includes(b) && Math.hypot(c[0] - centre(b.r)[0], c[1] - centre(b.r)[1]) < 24)));
    if (near) out.push(`${name(a.el)} ${a.r.width.toFixed(1)}×${a.r.height.toFixed(1)} px, near ${name(near.el)}`);
  }
  return out;
});

/** Boxes that scroll (their content overflows them): each must take the focus (the keyboard
 * scrolls it) and be named; a table's box also shows the cue that there is more sideways (an
 * edge shadow). Dialogs scroll as a whole and are named by their heading. */
const scrollers = (page) => page.evaluate(() => {
  const out = [];
  for (const el of document.querySelectorAll('.obshell-console *')) {
    const cs = getComputedStyle(el);
    const x = /auto|scroll/.test(cs.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const y = /auto|scroll/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if (!(x || y) || el.tagName === 'DIALOG' || !el.checkVisibility()) continue;
    const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
    if (el.tabIndex < 0) out.push(`${name} scrolls but does not take the focus`);
    if (!el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) out.push(`${name} scrolls but has no name`);
    if (x && el.classList.contains('table-scroll') && cs.boxShadow === 'none') out.push(`${name} scrolls sideways without a visible cue`);
  }
  return out;
});

/** Contrast of text hidden from assistive technology (axe skips it; sighted users read it:
 * log line numbers, the timeline's axis): ≥ 4.5:1, or 3:1 for large text, against the nearest
 * opaque background. */
const hiddenTextContrast = (page) => page.evaluate(() => {
  const rgba = (c) => { const m = c.match(/[\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
  const over = (fg, bg) => fg.slice(0, 3).map((v, i) => v * fg[3] + bg[i] * (1 - fg[3]));
  const background = (el) => {
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const c = rgba(getComputedStyle(a).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reduceRight((bg, c) => over(c, bg), [255, 255, 255]);
  };
  const out = [];
  for (const root of document.querySelectorAll('[aria-hidden=true]')) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const cs = getComputedStyle(el);
      const bg = background(el);
      const fg = over(rgba(cs.color), bg);
      const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = parseFloat(cs.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(cs.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} “${el.textContent.trim().slice(0, 20)}” ${ratio.toFixed(2)}:1`);
    }
  }
  return [...new Set(out)];
});

/** Every check at every width for the screen now showing; problems as readable lines. */
async function audit(page, where) {
  const lang = await page.evaluate(() => document.querySelector('.obshell-console[lang]')?.lang);
  const problems = [];
  for (const [width, height] of WIDTHS) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const at = `${where} at ${width} px (${lang})`;
    const wide = await reflow(page);
    if (wide) problems.push(`${at}: ${wide}`);
    for (const t of await smallTargets(page)) problems.push(`${at}: target under 24 px: ${t}`);
    for (const t of await scrollers(page)) problems.push(`${at}: ${t}`);
    for (const t of await hiddenTextContrast(page)) problems.push(`${at}: contrast of text hidden from assistive technology: ${t}`);
    for (const v of await violations(page)) problems.push(`${at}: ${v}`);
    if (SHOTS) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `${where.replace(/\W+/g, '-')}-${lang}-${width}.png`), fullPage: true });
    }
  }
  return problems;
}

/** A page in a context whose browser language is `locale`, counting requests in flight. */
async function langPage(locale) {
  const page = await (await browser.newContext({ locale, viewport: { width: 1440, height: 900 } })).newPage();
  trackRequests(page);
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(String(e)));
  return page;
}

// A page's reads answered (leaving the overview with one in flight is another bug's business).
const quiet = (page) => networkQuiet(page);
const dagState = (page) => page.locator('[id$="dag-state"]').getAttribute('data-state');
const goTo = async (page, href) => {
  await quiet(page);
  await page.locator(`nav a[href$="${href}"]`).first().click();
};

/** Every screen in one language: sign-in, overview, both forms (empty and with errors), the
 * review, a task running, finished and failed (and an operation's confirmation), the task list
 * and a tenant's history. Returns the problems found. */
async function journey(locale) {
  const page = await langPage(locale);
  const problems = [];
  const check = async (where) => problems.push(...await audit(page, where));

  await page.goto(sim.url('/'));
  await page.locator('#signin-password').waitFor();
  await page.locator('.agent-line').waitFor();
  // Standalone, the page's language is the console's.
  assert.deepEqual(await page.evaluate(() => [document.documentElement.lang, document.querySelector('.obshell-console[lang]').lang]), [locale, locale]);
  await check('sign-in');

  await page.locator('#signin-password').fill(PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.locator('table.overview-tenants tr[data-tenant="t1"] .status').first().waitFor();
  await quiet(page);
  await check('overview');

  await goTo(page, '/backup/cluster');
  await page.locator('form.backup-form').waitFor();
  await page.locator('table.current-tenants tbody tr').first().waitFor();
  await quiet(page);
  await check('cluster form');
  await page.locator('#backup-base-path').fill('relative/path');
  await page.locator('#log-archive-concurrency').fill('1000');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('[aria-invalid=true]').first().waitFor();
  await check('cluster form with errors');

  await page.locator('#backup-base-path').fill(`/data/a11y-${locale}`);
  await page.locator('#log-archive-concurrency').fill('');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal pre.json').waitFor();
  await check('review dialog');

  // Running: the scheduler stepped by hand up to RUNNING, then left paused while it is checked.
  await sim.control('scheduler', { paused: true });
  try {
    await page.locator('.modal button.primary').click();
    await page.waitForURL(/\/tasks\/1\d+$/);
    await page.locator('[id$="dag-state"]').waitFor();
    for (let i = 0; (await dagState(page)) !== 'RUNNING'; i++) {
      assert.ok(i < 20, `the DAG is ${await dagState(page)}, not RUNNING`);
      await sim.control('tick', { count: 1 });
      await new Promise((r) => setTimeout(r, 300));
    }
    await page.locator('.tl-lane .tl-select').first().click(); // a sub-task's log open
    await page.locator('.log-line').first().waitFor();
    await check('task view running');
  } finally {
    await sim.control('scheduler', { paused: false });
  }
  await waitFor(async () => (await dagState(page)) === 'SUCCEED', 'the DAG to succeed', 30000);
  await page.locator('.log-line').first().waitFor();
  await check('task view finished');

  await goTo(page, '/tasks');
  await page.locator('table.tasks tbody tr').first().waitFor();
  await check('task list');

  await goTo(page, '/backup/tenant');
  await page.locator('#tenant-picker').selectOption('t1');
  await page.waitForURL(/\/backup\/tenant\/t1$/);
  await page.locator('form.backup-form').waitFor();
  await quiet(page);
  await check('tenant form');
  await page.locator('#data-base-path').fill('relative/path');
  await page.locator('#log-archive-concurrency').fill('1000');
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('[aria-invalid=true]').first().waitFor();
  await check('tenant form with errors');

  await goTo(page, '/');
  await page.locator('table.overview-tenants tr[data-tenant="t1"] a[href$="/history"]').click();
  await page.locator('table.history-jobs tbody tr[data-job], table.history-jobs tbody tr').nth(1).waitFor();
  await quiet(page);
  // (The pager's buttons are named: one page, both disabled.)
  assert.deepEqual(await page.locator('nav.pager button').evaluateAll((bs) => bs.map((b) => [b.textContent.trim(), b.disabled])),
    locale === 'zh-CN' ? [['上一页', true], ['下一页', true]] : [['Previous', true], ['Next', true]]);
  await check('history');

  // Failed: the simulator fails the destination's write test under /denied.
  await goTo(page, '/backup/cluster');
  await page.locator('#backup-base-path').fill(`/denied/a11y-${locale}`);
  await page.locator('form.backup-form button[type=submit]').click();
  await page.locator('.modal button.primary').click();
  await page.waitForURL(/\/tasks\/1\d+$/);
  await page.locator('#failure').waitFor({ timeout: 30000 });
  await check('task view failed');
  await page.locator('#op-retry').click();
  await page.locator('dialog.confirm-dialog').waitFor();
  await check('operation confirmation');
  await page.keyboard.press('Escape');

  assert.deepEqual(page.problems, [], `no page error (${locale})`);
  await page.context().close();
  return problems;
}

test('every screen at 320, 390 and 1440 px, English and Chinese: no WCAG 2.2 A/AA violation, no page scroll sideways, 24-px targets', async () => {
  // A tenant with a backup history: the overview's rows and the history page have content.
  await sim.control('seed-history', { tenant: 't1' });
  const problems = [...await journey('en-US'), ...await journey('zh-CN')];
  if (process.env.A11Y_REPORT) fs.writeFileSync(process.env.A11Y_REPORT, problems.join('\n') + '\n');
  assert.deepEqual(problems, []);
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
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN', '<html lang> follows the language');
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en-US');
  await page.context().close();
});

test('embedded: the console\'s root carries its language, the host\'s <html lang> stays the host\'s', async () => {
  const page = await (await browser.newContext()).newPage();
  // A host page on the console's origin (a stand-in for an ops portal's page).
  await page.route((u) => u.pathname === '/host-a11y.html', (route) => route.fulfill({
    contentType: 'text/html',
    body: '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Host</title></head><body><main><div id="console"></div></main></body></html>',
  }));
  await page.goto(sim.url('/host-a11y.html'));
  await page.evaluate(async () => {
    const { mount } = await import('/embed.js');
    window.handle = await mount(document.getElementById('console'), { lang: 'zh' });
  });
  await page.locator('#console [id$="signin-password"]').waitFor();
  const langs = () => page.evaluate(() => [document.documentElement.lang, document.querySelector('#console .obshell-console[lang]')?.lang]);
  assert.deepEqual(await langs(), ['de', 'zh-CN']);
  await page.locator('#console').getByRole('button', { name: 'English' }).click();
  await waitFor(async () => (await langs())[1] === 'en-US', 'the console in English');
  assert.deepEqual(await langs(), ['de', 'en-US']);
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
