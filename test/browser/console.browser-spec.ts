import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import { checkedScreens, describeWithChromium, ensureConsoleBuilt, expectAccessible, launchChromium, screenshot, startSeededLedger, type ConsoleLedger } from './support/console-browser.js';

/** An instant as the console takes it, in Vietnam's time: `dd/mm/yyyy hh:mm:ss`. */
function inVietnam(instant: Date): string {
  const local = new Date(instant.getTime() + 7 * 3_600_000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
}

/** About 600 people: every part of the demo's story, seeded in a few seconds. */
const SCALE = 0.03;

describeWithChromium('the web console, in Chromium, over the real API', () => {
  let api: ConsoleLedger;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** Errors thrown in the page: a screen that breaks fails its test even when what it was asked still shows. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    [api, browser] = await Promise.all([startSeededLedger(SCALE), launchChromium()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await api?.ledger.close();
    if (checkedScreens.size > 0) process.stderr.write(`axe (WCAG 2.1 A/AA): no serious or critical violation on ${checkedScreens.size} screens: ${[...checkedScreens].join(', ')}\n`);
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  /** Waits for the screen whose main heading is `text`. */
  async function heading(page: Page, text: string): Promise<void> {
    await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
  }

  async function readDownload(download: Download): Promise<Buffer> {
    const path = await download.path();
    return readFile(path);
  }

  /** A fresh browser profile (its own session storage), at the console's address. */
  async function openConsole(path = '/console/'): Promise<Page> {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`${api.ledger.url}${path}`);
    return page;
  }

  /** Signs in as one of the demo users, from the sign-in screen's choice. */
  async function signInAs(userId: string, path = '/console/'): Promise<Page> {
    const page = await openConsole(path);
    await page.getByRole('button', { name: `Đăng nhập là ${userId}` }).click();
    await page.getByTestId('signed-in-as').filter({ hasText: userId }).waitFor();
    return page;
  }

  describe('serving', () => {
    it('sends / to the console, and the console signs in with a choice of the demo users', async () => {
      const page = await openConsole('/');
      await page.waitForURL('**/console/sign-in');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
      await heading(page, 'Đăng nhập');
      for (const userId of ['lan.operator', 'minh.operator', 'thu.auditor', 'bao.reporter', 'admin']) {
        await expect(page.getByRole('button', { name: `Đăng nhập là ${userId}` }).count()).resolves.toBe(1);
      }
      await expectAccessible(page, 'sign-in');
      await screenshot(page, 'sign-in');
    }, 30_000);
  });

  describe('an operator', () => {
    it('finds Bùi Trung Tài by his name without diacritics and sees his failed-then-paid January', async () => {
      const page = await signInAs('lan.operator');
      await page.waitForURL('**/console/find');
      await expectAccessible(page, 'find');
      await page.getByRole('searchbox', { name: 'Họ tên' }).fill('bui trung tai');
      await page.getByRole('button', { name: 'Tìm' }).click();
      await page.getByRole('link', { name: 'Bùi Trung Tài' }).click();
      await heading(page, 'Bùi Trung Tài');
      const january = page.locator('tr[data-period="2024-01"]');
      await january.waitFor();
      const row = await january.innerText();
      expect(row).toContain('01/2024');
      expect(row).toContain('2.055.000\u00a0₫');
      expect(row).toContain('Đã chi trả');
      expect(row).toContain('chi lại lần 2');
      expect(row).toMatch(/trễ \d+ ngày/);
      await expectAccessible(page, 'person');
      await screenshot(page, 'person');
    }, 30_000);
  });

  describe('the 2024-04 payroll, maker and checker', () => {
    let runPath: string;
    let maker: Page;

    it('is created by one operator, who is not offered its approval', async () => {
      maker = await signInAs('lan.operator');
      await maker.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đợt chi trả' }).click();
      await heading(maker, 'Đợt chi trả');
      await expectAccessible(maker, 'payroll-runs');
      await screenshot(maker, 'payroll-runs');
      await maker.getByRole('textbox', { name: 'Kỳ (tháng)' }).fill('04/2024');
      await maker.getByRole('button', { name: 'Lập đợt chi' }).click();
      await maker.waitForURL('**/console/payroll-runs/*');
      runPath = new URL(maker.url()).pathname;
      await heading(maker, 'Đợt chi tháng 04/2024');
      await maker.getByTestId('created-by').filter({ hasText: 'lan.operator' }).waitFor();
      await expect(maker.getByTestId('not-your-approval').textContent()).resolves.toContain('không được tự duyệt');
      await expect(maker.getByRole('button', { name: 'Duyệt đợt chi' }).count()).resolves.toBe(0);
      await expect(maker.getByRole('button', { name: 'Từ chối đợt chi' }).count()).resolves.toBe(0);
      await expectAccessible(maker, 'payroll-run (awaiting approval)');
    }, 60_000);

    it('is approved by a second operator', async () => {
      const checker = await signInAs('minh.operator', runPath);
      await checker.getByTestId('created-by').filter({ hasText: 'lan.operator' }).waitFor();
      const acknowledge = checker.getByRole('checkbox', { name: /khoản truy lĩnh lớn/ });
      if ((await acknowledge.count()) > 0) await acknowledge.check();
      await expectAccessible(checker, 'payroll-run (approval)');
      await screenshot(checker, 'payroll-run-approval');
      await checker.getByRole('button', { name: 'Duyệt đợt chi' }).click();
      await checker.getByTestId('approved-by').filter({ hasText: 'minh.operator' }).waitFor();
    }, 60_000);

    it('is sent by the first, who downloads a bank file and the Post Office list', async () => {
      await maker.reload();
      await maker.getByRole('button', { name: 'Gửi đợt chi' }).click();
      await maker.getByRole('heading', { name: 'Tệp chi trả' }).waitFor();
      await expectAccessible(maker, 'payroll-run (sent)');
      await screenshot(maker, 'payroll-run-sent');

      const [bankFile] = await Promise.all([maker.waitForEvent('download'), maker.getByRole('button', { name: 'Tải tệp pain.001 (XML) của VBA' }).click()]);
      expect(bankFile.suggestedFilename()).toMatch(/\.xml$/);
      const pain001 = await readDownload(bankFile);
      expect(pain001.toString('utf8')).toContain('pain.001.001.09');

      const [cashList] = await Promise.all([maker.waitForEvent('download'), maker.getByRole('button', { name: 'Tải danh sách ký nhận (PDF) của Bưu điện (tiền mặt)' }).click()]);
      expect(cashList.suggestedFilename()).toMatch(/\.pdf$/);
      expect((await readDownload(cashList)).subarray(0, 5).toString('latin1')).toBe('%PDF-');

      const [bankCsv] = await Promise.all([maker.waitForEvent('download'), maker.getByRole('button', { name: 'Tải tệp CSV của VBA' }).click()]);
      expect((await readDownload(bankCsv)).length).toBeGreaterThan(0);
    }, 60_000);

    it('made again, reads again only the people whose records changed, and links the run the others stand as', async () => {
      await maker.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đợt chi trả' }).click();
      await heading(maker, 'Đợt chi trả');
      await maker.getByRole('textbox', { name: 'Kỳ (tháng)' }).fill('04/2024');
      await maker.getByRole('button', { name: 'Lập đợt chi' }).click();
      await maker.waitForURL((url) => url.pathname.startsWith('/console/payroll-runs/') && url.pathname !== runPath);
      await heading(maker, 'Đợt chi tháng 04/2024');
      await expect(maker.getByText(/chỉ đọc lại những người có hồ sơ thay đổi/).textContent()).resolves.toMatch(/\d+ người còn lại giữ nguyên như đợt trước/);
      await expectAccessible(maker, 'payroll-run (a rerun)');
      await maker.getByRole('link', { name: 'Xem đợt chi trước' }).click();
      await maker.waitForURL(`**${runPath}`);
      await maker.getByTestId('approved-by').filter({ hasText: 'minh.operator' }).waitFor();
    }, 60_000);
  });

  describe('an auditor', () => {
    it('opens a person’s history, event by event, and sees them as of a past instant', async () => {
      const tai = api.demo.province.featured.bankTransferRetried;
      const page = await signInAs('thu.auditor', `/console/people/${tai.beneficiaryId}`);
      await heading(page, 'Bùi Trung Tài');
      await page.locator('tr[data-period="2024-04"]').waitFor(); // April's payment, sent by the run above
      await page.getByRole('link', { name: 'Lịch sử sự kiện (kiểm toán)' }).click();
      await heading(page, 'Lịch sử sự kiện');
      await page.getByText('Đăng ký người hưởng', { exact: true }).waitFor();
      await expectAccessible(page, 'audit history');
      await screenshot(page, 'audit-history');

      await page.getByRole('textbox', { name: 'Thời điểm' }).fill(inVietnam(api.seededAt));
      await page.getByRole('button', { name: 'Xem', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: /^Bùi Trung Tài lúc / }).waitFor();
      await page.locator('tr[data-period="2024-01"]').waitFor();
      // Before the 2024-04 run was created, he had no April payment.
      await expect(page.locator('tr[data-period="2024-04"]').count()).resolves.toBe(0);
      await expectAccessible(page, 'person as of');
    }, 60_000);

    it('takes a digest and verifies it, with a plain verdict', async () => {
      const page = await signInAs('thu.auditor', '/console/audit/digest');
      await heading(page, 'Dấu xác thực');
      const [digest] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Lấy và tải dấu xác thực' }).click()]);
      await page.getByTestId('digest-taken').waitFor();
      expect(JSON.parse((await readDownload(digest)).toString('utf8'))).toMatchObject({ algorithm: expect.any(String), signature: expect.any(String), position: expect.any(String) });
      await page.locator('input[type=file]').setInputFiles(await digest.path());
      await page.getByRole('button', { name: 'Kiểm chứng' }).click();
      await page.getByTestId('verdict').filter({ hasText: 'Nhật ký nguyên vẹn.' }).waitFor();
      await expectAccessible(page, 'digest (verified)');
      await screenshot(page, 'audit-digest-verified');
    }, 60_000);

    it('reads the global log, runs the replay check and reads the access log', async () => {
      const page = await signInAs('thu.auditor', '/console/audit/log');
      await heading(page, 'Nhật ký chung');
      await page.locator('ol.events li').first().waitFor();
      await expectAccessible(page, 'global log');
      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Kiểm tra dựng lại' }).click();
      await page.getByRole('button', { name: 'Chạy kiểm tra' }).click();
      await page.getByTestId('replay-verdict').filter({ hasText: 'Khớp hoàn toàn' }).waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'replay check');
      await page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Nhật ký truy cập' }).click();
      await page.locator('tbody tr').first().waitFor();
      await expectAccessible(page, 'access log');
      // An auditor changes nothing: no operator's screens are offered.
      await expect(page.getByRole('navigation', { name: 'Điều hướng chính' }).getByRole('link', { name: 'Đăng ký hưởng' }).count()).resolves.toBe(0);
    }, 60_000);
  });

  describe('an operator with files back from the paying agents', () => {
    it('uploads a bank result file and reads its reconciliation', async () => {
      const page = await signInAs('lan.operator', '/console/imports');
      await heading(page, 'Tệp kết quả');
      await page.getByRole('radio', { name: 'Kết quả ngân hàng' }).check();
      await page.locator('input[type=file]').setInputFiles(join(api.examples, '2024-03-VBA-camt054.xml'));
      await page.getByRole('button', { name: 'Nhập tệp' }).click();
      const result = page.getByTestId('import-result');
      await result.waitFor();
      const summary = await result.innerText();
      expect(summary).toContain('camt.054');
      expect(summary).toContain('Đã có từ trước');
      expect(summary).toContain('Không khớp');
      await expectAccessible(page, 'imports (uploaded)');
      await screenshot(page, 'imports');

      await result.getByRole('link', { name: 'Xem bảng đối chiếu' }).click();
      await heading(page, 'Bảng đối chiếu');
      await page.getByRole('combobox', { name: 'Lọc theo kết quả' }).selectOption('UNMATCHED');
      await page.locator('tbody tr').filter({ hasText: 'Không khớp' }).first().waitFor();
      await expect(page.locator('tbody tr').filter({ hasText: 'Đã có từ trước' }).count()).resolves.toBe(0);
      await expectAccessible(page, 'import reconciliation');
      await screenshot(page, 'import-reconciliation');
    }, 60_000);

    it('imports the population database’s answers; the reported death waits for another operator', async () => {
      const maker = await signInAs('lan.operator', '/console/imports');
      await maker.getByRole('radio', { name: 'Trả lời của CSDL dân cư' }).check();
      await maker.locator('input[type=file]').setInputFiles(join(api.examples, 'identity-check-answers.csv'));
      await maker.getByRole('button', { name: 'Nhập tệp' }).click();
      await maker.getByTestId('import-result').waitFor();

      const checker = await signInAs('minh.operator', '/console/death-reports');
      await heading(checker, 'Báo tử chờ xem xét');
      await checker.getByRole('button', { name: 'Xác nhận' }).first().waitFor();
      await expectAccessible(checker, 'death reports');
    }, 60_000);
  });

  describe('forms', () => {
    it('show the API’s field errors beside their fields', async () => {
      const page = await signInAs('lan.operator', '/console/enroll');
      await heading(page, 'Đăng ký hưởng');
      await page.getByRole('textbox', { name: 'Số định danh cá nhân' }).fill('12345');
      await page.getByRole('textbox', { name: 'Họ tên (có dấu)' }).fill('Nguyễn Thị Mai');
      await page.getByRole('textbox', { name: 'Ngày sinh' }).fill('02/09/1950');
      await page.getByRole('textbox', { name: 'Hưởng từ tháng' }).fill('04/2024');
      await page.getByRole('textbox', { name: 'Số quyết định' }).fill('12/QĐ-UBND');
      await page.getByRole('textbox', { name: 'Ngày quyết định' }).fill('20/03/2024');
      await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
      const nationalId = page.getByRole('textbox', { name: 'Số định danh cá nhân' });
      await page.locator('[aria-invalid="true"]').first().waitFor();
      await expect(nationalId.getAttribute('aria-invalid')).resolves.toBe('true');
      const describedBy = (await nationalId.getAttribute('aria-describedby')) ?? '';
      const message = await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).innerText();
      expect(message).toMatch(/nationalId/);
      await expect(page.getByRole('textbox', { name: 'Họ tên (có dấu)' }).getAttribute('aria-invalid')).resolves.toBeNull();
      await expectAccessible(page, 'enroll (field errors)');
      await screenshot(page, 'enroll-field-errors');
    }, 30_000);
  });

  describe('late payments', () => {
    it('lists the payments made late or still unpaid past their due date', async () => {
      const page = await signInAs('lan.operator', '/console/late-payments');
      await heading(page, 'Chi trả trễ hạn');
      await page.locator('table.payments tbody tr').first().waitFor();
      await expect(page.getByRole('button', { name: 'Tải CSV' }).count()).resolves.toBe(0); // the report routes are not an operator's
      await expectAccessible(page, 'late payments');
    }, 30_000);
  });

  describe('an analyst', () => {
    it('sees coverage per district and monthly totals on the dashboard, and downloads a chart’s numbers', async () => {
      const page = await signInAs('bao.reporter');
      await page.waitForURL('**/console/dashboard');
      const started = Date.now();
      for (const chart of ['chart-coverage', 'chart-monthly', 'chart-late', 'chart-duplicates', 'chart-overpayments']) {
        await page.getByTestId(chart).locator('canvas').waitFor();
      }
      process.stderr.write(`dashboard: five charts drawn ${Date.now() - started} ms after sign-in\n`);
      await expectAccessible(page, 'dashboard');
      await screenshot(page, 'dashboard');
      const coverage = page.getByTestId('chart-coverage');
      await coverage.locator('summary').click();
      await expect(coverage.locator('tbody tr').filter({ hasText: 'Rạch Giá' }).count()).resolves.toBeGreaterThan(0);
      const monthly = page.getByTestId('chart-monthly');
      await monthly.locator('summary').click();
      await monthly.locator('tbody tr').filter({ hasText: '03/2024' }).first().waitFor();
      await expectAccessible(page, 'dashboard (numbers shown)');

      const [csv] = await Promise.all([page.waitForEvent('download'), monthly.getByRole('button', { name: /^Tải CSV/ }).click()]);
      const text = (await readDownload(csv)).toString('utf8');
      expect(text.split('\n')[0]).toMatch(/period/);
      expect(text).toContain('2024-03');
      // A reporter runs no payroll: the operators' and auditors' screens are not offered.
      const nav = page.getByRole('navigation', { name: 'Điều hướng chính' });
      await expect(nav.getByRole('link', { name: 'Đợt chi trả' }).count()).resolves.toBe(0);
      await expect(nav.getByRole('link', { name: 'Dấu xác thực' }).count()).resolves.toBe(0);
    }, 60_000);
  });

  describe('the language switch', () => {
    it('shows the console in English, and back in Vietnamese', async () => {
      const page = await signInAs('lan.operator');
      await page.getByRole('button', { name: 'Ngôn ngữ: English' }).click();
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
      await heading(page, 'Find a person');
      await expect(page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Payroll runs' }).count()).resolves.toBe(1);
      await expectAccessible(page, 'find (English)');
      await page.getByRole('button', { name: 'Language: Tiếng Việt' }).click();
      await heading(page, 'Tìm người hưởng');
    }, 30_000);
  });
});
