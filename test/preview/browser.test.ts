import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ensureBuilt, ROOT } from './build.js';
import { startStack, type RunningStack } from './stack.js';

/**
 * The preview page in a real headless Chromium (Debian's chromium, driven by playwright-core): load /, pick three
 * scenario patients, check the cards an EHR would show, accept the reflex ISH suggestion, save screenshots.
 * No Chromium is a failure, never a skip: CI installs it (.ci/run) and a developer must too (apt-get install chromium).
 */
const OUT = path.join(ROOT, 'test-output', 'preview');

function chromiumPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`chromium not found on PATH${process.env.CI ? ' (CI: .ci/run must apt-get install chromium)' : ''}: install it with "apt-get install chromium"`);
  }
}

let stack: RunningStack;
let browser: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  const executablePath = chromiumPath();
  await ensureBuilt(['client']);
  stack = await startStack();
  profile = mkdtempSync(path.join(os.tmpdir(), 'her2-cds-chromium-'));
  // A fresh profile directory per run (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport: { width: 1500, height: 1300 },
  });
  page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.goto(`${stack.baseUrl}/`);
  await page.waitForSelector('body[data-ready="true"]');
  expect(errors).toEqual([]);
  mkdirSync(OUT, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** Picks a scenario (which fires patient-view, as opening a chart does) and waits for that patient's cards. */
async function pick(patientId: string): Promise<Array<{ indicator: string; summary: string }>> {
  await page.selectOption('#scenario', patientId);
  await page.waitForSelector(`#cards[data-state="done"][data-patient="${patientId}"], #cards[data-state="error"]`);
  expect(await page.getAttribute('#cards', 'data-state')).toBe('done');
  return page.$$eval('#cards article.card', (cards) =>
    cards.map((c) => ({ indicator: (c as HTMLElement).dataset.indicator ?? '', summary: c.querySelector('h3.summary')?.textContent ?? '' })),
  );
}

describe('card preview page in headless Chromium', () => {
  it('HER2 2+ awaiting ISH: warning summary, reflex ISH suggestion accepted', async () => {
    const cards = await pick('her2-ihc2-awaiting-ish');
    expect(cards[0]).toEqual({ indicator: 'warning', summary: expect.stringContaining('HER2 unresolved (IHC 2+, ISH pending)') });
    expect(cards.some((c) => c.indicator === 'warning' && /reflex ISH/.test(c.summary))).toBe(true);
    // The interpretation panel and the raw exchange are shown beside the cards.
    expect(await page.textContent('#interpretation')).toContain('equivocal');
    expect(await page.textContent('#raw-request')).toContain('"hook": "patient-view"');
    expect(await page.textContent('#raw-request')).not.toContain('"prefetch"');
    expect(await page.textContent('#raw-response')).toMatch(/^HTTP 200/);
    // Markdown detail rendered as markup (headings, lists, links), not as raw text.
    expect(await page.$$eval('#cards .detail h5', (h) => h.length)).toBeGreaterThan(0);
    const href = await page.getAttribute('#cards .detail a', 'href');
    expect(href).toMatch(/^https:\/\//);
    expect(await page.$eval('#cards .card .source a', (a) => (a as HTMLAnchorElement).href)).toMatch(/^https:\/\//);

    const button = page.locator('#cards button.suggestion', { hasText: 'ISH' }).first();
    await button.click();
    await page.waitForSelector('#actions .action-taken');
    expect(await page.textContent('#actions')).toMatch(/Accepted: Order HER2 ISH/);
    expect(await page.textContent('#actions')).toContain('ServiceRequest');
    expect(await button.isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(OUT, 'her2-ihc2-awaiting-ish.png'), fullPage: true });
    // docs/preview.png (the README's picture) is a copy of this file, refreshed by hand: a test run never
    // changes the committed tree.
  });

  it('HER2-low metastatic triple-negative: info summary and the T-DXd card', async () => {
    const cards = await pick('her2-low-mbc-post-chemo');
    expect(cards[0]).toEqual({ indicator: 'info', summary: expect.stringContaining('HER2-low (IHC 1+) · triple-negative') });
    expect(cards.some((c) => /^T-DXd candidate \(HER2-low\)/.test(c.summary))).toBe(true);
    expect(await page.textContent('#interpretation')).toContain('t-dxd-her2-low');
    await page.screenshot({ path: path.join(OUT, 'her2-low-mbc-post-chemo.png'), fullPage: true });
  });

  it('HER2-ultralow triple-negative: no T-DXd eligibility, IHC 0 re-review card', async () => {
    const cards = await pick('her2-ultralow-tnbc');
    expect(cards[0]).toEqual({ indicator: 'info', summary: expect.stringContaining('HER2-ultralow (IHC 0 with membrane staining) · triple-negative') });
    expect(cards.some((c) => /^T-DXd candidate/.test(c.summary))).toBe(false);
    expect(cards.some((c) => /re-review/.test(c.summary))).toBe(true);
    // The previous patient's accepted action is gone with its cards.
    expect(await page.$$eval('#actions .action-taken', (a) => a.length)).toBe(0);
    await page.screenshot({ path: path.join(OUT, 'her2-ultralow-tnbc.png'), fullPage: true });
  });

  it('order-sign with a draft T-DXd order for a HER2-0 patient: warning card, remove suggestion', async () => {
    await page.selectOption('#service', 'her2-er-pr-order-sign');
    await page.selectOption('#order', 't-dxd');
    const cards = await pick('her2-zero-mbc');
    expect(cards.some((c) => c.indicator === 'warning' && /^T-DXd ordered but HER2 is HER2 IHC 0/.test(c.summary))).toBe(true);
    expect(await page.textContent('#raw-request')).toContain('"code": "2267576"');
    await page.locator('#cards button.suggestion', { hasText: 'Remove the draft T-DXd order' }).click();
    expect(await page.textContent('#actions')).toMatch(/Accepted: Remove the draft T-DXd order/);
    await page.screenshot({ path: path.join(OUT, 'order-sign-t-dxd-her2-zero.png'), fullPage: true });
    await page.selectOption('#service', 'her2-er-pr-patient-view');
  });

  it('renders hostile card text inert in the real browser', async () => {
    const { renderMarkdown } = await import('../../src/embedded/preview/client/markdown.js');
    const html = renderMarkdown('<img src=x onerror="window.__pwned=1"> [x](javascript:window.__pwned=2) <script>window.__pwned=3</script>');
    const pwned = await page.evaluate((markup) => {
      const div = document.createElement('div');
      div.innerHTML = markup;
      document.body.append(div);
      return new Promise((resolve) => setTimeout(() => resolve((window as unknown as { __pwned?: number }).__pwned ?? 0), 200));
    }, html);
    expect(pwned).toBe(0);
  });
});
