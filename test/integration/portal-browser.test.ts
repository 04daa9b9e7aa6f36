import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecordedEmails } from '../../lambdas/adapters/recording-mailer.ts';
import { syncPortalUsers } from '../../lambdas/app/web/invitations.ts';
import { systemPath } from '../../lambdas/core/partners/tree.ts';
import { isSettled, type UploadStatus } from '../../lambdas/core/uploads/upload.ts';
import { requireTool } from '../support/required-tools.ts';
import { parseSmallCsv, startHarness, waitFor, type Harness, type SftpSession } from '../support/local-harness.ts';
import { ACME, csvOf, person } from './eligibility-support.ts';

/**
 * The portal (SPEC §18) in a real browser (Chromium, driven by playwright-core) against local mode:
 * an invited admin signs in, previews and imports a census, reads its errors, downloads the
 * eligible list and approves a removal, with the keyboard where it matters; axe-core checks each
 * page and a 375 px screenshot of each is kept in test-artifacts/.
 */

const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../..', import.meta.url).pathname;
const ARTIFACTS = join(ROOT, 'test-artifacts', 'portal');
const ADMIN = 'hr@acme.example';
const NEW_PASSWORD = 'Portal-Passw0rd-for-tests';

let harness: Harness;
let browser: Browser;
let page: Page;
let sftp: SftpSession;
const dir = mkdtempSync(join(tmpdir(), 'bx-portal-'));
/** What Chromium reported blocked by the portal's Content-Security-Policy, on any page. */
const policyViolations: string[] = [];

async function accessible(name: string): Promise<void> {
  // Evaluated, not added as a <script>: the portal's Content-Security-Policy refuses inline scripts.
  await page.evaluate(readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await (
      globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; help: string }[] }> } }
    ).axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  });
  expect(violations, `${name}: serious accessibility violations`).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS, `${name}-375.png`), fullPage: true });
}

beforeAll(async () => {
  requireTool(existsSync(CHROMIUM), 'chromium', 'chromium');
  // Built from the sources each time, as `npm run build:portal` does: a fresh clone has none, and an old build would test old code.
  execFileSync('npx', ['vite', 'build', 'portal'], { cwd: ROOT, stdio: 'ignore' });
  mkdirSync(ARTIFACTS, { recursive: true });
  harness = await startHarness({ webPort: 0 });
  const acme = await harness.addPartner('acme', 'single-entity', { adminEmails: [ADMIN], approval: 'required' });
  await syncPortalUsers(
    { users: harness.pipeline.portalUsers, mailer: harness.pipeline.deps.mailer },
    acme.partner,
    harness.pipeline.web!.url,
  );
  sftp = await acme.connect();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await (await browser.newContext({ viewport: { width: 375, height: 800 }, acceptDownloads: true })).newPage();
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) policyViolations.push(message.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await harness?.stop();
});

describe('partner portal in Chromium (SPEC §18)', () => {
  it('signs in from the invitation: temporary password, then a new one, with the keyboard', async () => {
    const invitation = (await readRecordedEmails(harness.pipeline.deps.store)).find((m) => m.to.includes(ADMIN));
    const temporary = /temporary password: (\S+)/.exec(invitation?.body ?? '')?.[1] ?? '';
    const response = await page.goto(harness.pipeline.web!.url);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    await accessible('sign-in');
    await page.getByLabel('Email').fill(ADMIN);
    await page.getByLabel('Password').fill(temporary);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Upload a file' }).waitFor();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('acme');
  });

  it('previews a census with its errors as a table, then imports the corrected file, shown in the history as WEB', async () => {
    await accessible('upload');
    const bad = join(dir, 'census.csv');
    writeFileSync(
      bad,
      csvOf([...Array.from({ length: 20 }, (_, i) => person(i + 1)), person(21, ACME, { Email: 'dacus@modigliani@com' })]),
    );
    await page.getByLabel('File (CSV)').setInputFiles(bad);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.getByRole('status').filter({ hasText: 'Preview:' }).waitFor({ timeout: 60_000 });
    const table = page.getByRole('table');
    await expect(table.textContent()).resolves.toContain('is not a valid email address');
    await expect(table.textContent()).resolves.toMatch(/Preview: 20 to add/);
    await accessible('preview');

    const good = join(dir, 'census-fixed.csv');
    writeFileSync(good, csvOf(Array.from({ length: 21 }, (_, i) => person(i + 1))));
    await page.getByLabel('File (CSV)').setInputFiles(good);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: 'Import: Succeeded' }).waitFor({ timeout: 60_000 });

    await page.getByRole('link', { name: 'History' }).click();
    const rows = page.getByRole('row').filter({ hasText: 'census-fixed.csv' });
    await rows.first().waitFor();
    await expect(rows.first().textContent()).resolves.toMatch(/Succeeded.*WEB.*hr@acme\.example/);
    await accessible('history');
    // status.csv is rewritten just after the uploads table settles: wait for its row to settle too.
    const status = await waitFor(
      async () => parseSmallCsv((await sftp.get(`/${systemPath('single-entity', 'employees/upload/status.csv')}`)).toString('utf8')),
      (rows) => rows.some((r) => r.filename?.endsWith('-census-fixed.csv') && isSettled(r.processing_status as UploadStatus)),
      30_000,
    );
    expect(status.find((r) => r.filename?.endsWith('-census-fixed.csv'))).toMatchObject({ source: 'WEB', processing_status: 'Succeeded' });
  }, 120_000);

  it("opens a dry run's errors from the history and downloads them as CSV", async () => {
    await page
      .getByRole('button', { name: /^Errors of .*census\.csv$/ })
      .first()
      .click();
    await page.getByRole('heading', { name: 'Errors of the upload' }).waitFor();
    await expect(page.getByRole('table').textContent()).resolves.toContain('dacus@modigliani@com');
    await accessible('errors');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the report as CSV' }).click(),
    ]);
    const saved = join(dir, 'errors.csv');
    await download.saveAs(saved);
    expect(execFileSync('cat', [saved]).toString('utf8')).toContain('Error Description');
  });

  it('downloads the eligible list', async () => {
    await page.getByRole('link', { name: 'Downloads' }).click();
    const button = page.getByRole('button', { name: /_Eligible-list\.csv$/ });
    await button.waitFor();
    await accessible('downloads');
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const saved = join(dir, 'eligible.csv');
    await download.saveAs(saved);
    expect(execFileSync('cat', [saved]).toString('utf8')).toContain('Person 0021');
  });

  it('approves a pending removal', async () => {
    await page.getByRole('link', { name: 'Upload' }).click();
    const shorter = join(dir, 'without-21.csv');
    writeFileSync(shorter, csvOf(Array.from({ length: 20 }, (_, i) => person(i + 1))));
    await page.getByLabel('File (CSV)').setInputFiles(shorter);
    await page.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: 'Import: Approval_Requested' }).waitFor({ timeout: 60_000 });
    await page.getByRole('link', { name: 'Approvals' }).click();
    const approve = page.getByRole('button', { name: /^Approve the removals of .*without-21\.csv$/ });
    await approve.waitFor();
    await accessible('approvals');
    await approve.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Approved' }).waitFor();
    await waitFor(
      async () => {
        let active = 0;
        for await (const e of harness.pipeline.employees.allOf('acme', ACME)) if (e.active) active += 1;
        return active;
      },
      (n) => n === 20,
      60_000,
    );
  }, 120_000);

  it('reads well on a desktop too', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('row').filter({ hasText: 'without-21.csv' }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'history-1280.png'), fullPage: true });
    // The history table fits the page: nothing of it needs sideways scrolling at desktop width.
    const overflow = await page.evaluate(() => {
      const wrap = (
        globalThis as unknown as { document: { querySelector: (s: string) => { scrollWidth: number; clientWidth: number } | null } }
      ).document.querySelector('.table-wrap');
      return wrap ? wrap.scrollWidth - wrap.clientWidth : -1;
    });
    expect(overflow).toBe(0);
  });

  it("ran every page above under the portal's Content-Security-Policy without one violation (uploads to the bucket included)", () => {
    expect(policyViolations).toEqual([]);
  });
});
