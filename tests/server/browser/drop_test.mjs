// Browser test: drops a bill on billwise serve's page in headless chromium and checks that
// the amount due (as `billwise analyze` reads it), a finding and a letter download (a PDF)
// appear, that the bill shows up under "My cases" with a calendar download, and that the
// "Before treatment" form prices 99213 at ZIP 10001 ($101.06 in the office, 2025) and
// downloads the good-faith-estimate request. Usage: node drop_test.mjs BILLWISE_BINARY BILL.pdf CHROMIUM
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, basename } from 'node:path';
import { chromium } from 'playwright-core';

const [binary, billPath, chromiumPath] = process.argv.slice(2);
const want = JSON.parse(execFileSync(binary, ['--no-store', 'analyze', billPath, '--format', 'json']).toString());
const wantAmount = '$' + want.amount_due.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// A case file of its own: nothing of this test lands in the user's.
const dataDir = mkdtempSync(join(tmpdir(), 'billwise-cases-'));
const server = spawn(binary, ['--db', join(dataDir, 'cases.db'), 'serve', '--port', '0'],
                     { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((resolve, reject) => {
  let text = '';
  server.stdout.on('data', d => {
    text += d;
    const m = text.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(Number(m[1]));
  });
  server.on('exit', code => reject(new Error(`billwise serve exited with ${code}`)));
});

const profileDir = mkdtempSync(join(tmpdir(), 'billwise-chromium-'));
let failed = false;
const fail = m => { console.error('FAIL:', m); failed = true; };
const context = await chromium.launchPersistentContext(profileDir, {
  executablePath: chromiumPath,
  headless: true,
  acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = context.pages()[0] || await context.newPage();
  const problems = [];
  page.on('console', m => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', e => problems.push(String(e)));
  await page.goto(`http://127.0.0.1:${port}/`);

  // Drop the file on the drop zone, as a file manager drag would.
  const bytes = readFileSync(billPath).toString('base64');
  await page.evaluate(({ bytes, name }) => {
    const raw = Uint8Array.from(atob(bytes), c => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([raw], name, { type: 'application/pdf' }));
    document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, { bytes, name: basename(billPath) });

  const amount = page.locator('.card .amount-due').first();
  await amount.waitFor({ timeout: 120000 });
  const shown = (await amount.textContent()).trim();
  if (shown !== wantAmount) fail(`amount due shown ${shown}, want ${wantAmount}`);
  const findings = await page.locator('.card .finding').count();
  if (want.findings.length > 0 && findings < 1) fail('no finding shown');
  if (findings !== want.findings.length) fail(`${findings} findings shown, want ${want.findings.length}`);
  if ((await page.locator('.card svg.chart rect').count()) < 2) fail('no charge/reference chart');

  const button = page.locator('.card .letters button[data-kind]:not([data-kind="all"])').first();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120000 }), button.click()]);
  const pdf = readFileSync(await download.path());
  if (pdf.subarray(0, 5).toString() !== '%PDF-') fail(`download ${download.suggestedFilename()} is not a PDF`);
  console.log(`shown amount due ${shown}, ${findings} findings, downloaded ${download.suggestedFilename()} ` +
              `(${pdf.length} bytes)`);

  // My cases: the dropped bill is filed under its provider and account.
  const caseRow = page.locator('#cases-list tr[data-case]').first();
  await caseRow.waitFor({ timeout: 30000 });
  const rowText = await caseRow.textContent();
  if (want.account_number && !rowText.includes(want.account_number)) fail(`case row "${rowText}" lacks the account`);
  if (!rowText.includes(wantAmount)) fail(`case row "${rowText}" lacks the balance ${wantAmount}`);
  const [ics] = await Promise.all([page.waitForEvent('download', { timeout: 30000 }), page.click('#due-ics')]);
  const calendar = readFileSync(await ics.path()).toString();
  if (!calendar.startsWith('BEGIN:VCALENDAR')) fail(`calendar download is not iCalendar: ${calendar.slice(0, 40)}`);

  // Before treatment: price 99213 in Manhattan.
  await page.fill('#estimate-form input[name="codes"]', '99213');
  await page.fill('#estimate-form input[name="zip"]', '10001');
  await page.click('#estimate-form button[type="submit"]');
  const office = page.locator('#estimate-result .service[data-code="99213"] tr[data-setting="office"] .setting-amount');
  await office.waitFor({ timeout: 30000 });
  const officeAmount = (await office.textContent()).trim();
  if (officeAmount !== '$101.06') fail(`99213 at ZIP 10001 in the office shown ${officeAmount}, want $101.06`);
  const cheapest = (await page.locator('#estimate-result .cheapest-setting').first().textContent()).trim();
  if (cheapest !== 'Office') fail(`cheapest setting shown ${cheapest}, want Office`);
  if ((await page.locator('#estimate-result .questions li').count()) < 1) fail('no question to ask shown');
  const [gfe] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#gfe-download')]);
  const gfePdf = readFileSync(await gfe.path());
  if (gfePdf.subarray(0, 5).toString() !== '%PDF-') fail(`good-faith-estimate request ${gfe.suggestedFilename()} is not a PDF`);
  console.log(`case row "${rowText.trim()}", calendar ${calendar.length} bytes, 99213 office ${officeAmount}, ` +
              `cheapest ${cheapest}, downloaded ${gfe.suggestedFilename()} (${gfePdf.length} bytes)`);
  if (problems.length) fail('page errors: ' + problems.join(' | '));
} finally {
  await context.close();
  server.kill('SIGTERM');
  rmSync(profileDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
