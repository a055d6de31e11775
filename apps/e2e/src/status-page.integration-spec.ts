import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseStorageNamespace, relativeAddressIn } from '@lakemirror/object-store';
import { holdBack } from '@lakemirror/test-environment';
import { waitFor } from '@lakemirror/testing';
import { Browser, chromium } from 'playwright-core';
import { PipelineUnderTest, commitObjects, waitUntilMirrored } from './pipeline.fixture';

// Debian's Chromium (scripts/lib.sh ensure_chromium), driven by Playwright without a browser download of its own.
const CHROMIUM = process.env.LAKEMIRROR_CHROMIUM ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(process.env.LAKEMIRROR_TEST_RESULTS_DIR ?? path.resolve(__dirname, '../../../.lakemirror/test-results'), 'screenshots');

// What the test runs in the page (the e2e project compiles without the DOM's types).
interface BrowserWindow {
  getComputedStyle(element: unknown): { borderTopStyle: string };
}

// The status page as a person sees it, in a real browser, against the whole pipeline: a commit
// whose object is held back from region B shows as lag, in flight, with the missing key named.
describe('the status page in a browser', () => {
  // Lag sampled every second, so that the day's sparkline has points within the test.
  const pipeline = new PipelineUnderTest({ LAKEMIRROR_LAG_SAMPLE_INTERVAL_MS: '1000', LAKEMIRROR_STALL_AFTER_SECONDS: '3', LAKEMIRROR_RETRY_ATTEMPTS: '3' });
  const { source, regionB } = pipeline.env;
  let repository: string;
  let mirror: string;
  let missingKey: string;
  let browser: Browser;

  const pageUrl = () => `${pipeline.api.url}/service/replication/v1/ui/status`;
  const credentials = () => ({ username: pipeline.env.config.source.lakefs.accessKeyId, password: pipeline.env.config.source.lakefs.secretAccessKey.reveal() });

  beforeAll(async () => {
    await pipeline.start('api', 'scanner', 'verifier', 'promoter');
    repository = await pipeline.createSourceRepository('e2e-page');
    await commitObjects(source.lakefs, repository, 'main', 'base', 10);
    mirror = await pipeline.createMirror(repository);
    await waitUntilMirrored(pipeline, repository, mirror);

    const namespace = parseStorageNamespace(`s3://${source.bucket}/mirrors/${repository}`);
    await source.lakefs.uploadObject(repository, 'main', 'late/object.csv', 'arrives late');
    const address = (await source.lakefs.statObject(repository, 'main', 'late/object.csv')).physical_address;
    missingKey = `${namespace.prefix}/${relativeAddressIn(namespace, address)}`;
    await holdBack(regionB.s3, { bucket: regionB.bucket, key: missingKey });
    await commitObjects(source.lakefs, repository, 'main', 'on-time', 5);
    await waitFor(
      `the status to name ${missingKey} as missing`,
      async () => (await pipeline.status(repository, mirror)).in_flight.some((c) => c.missing_objects.some((m) => m.key === missingKey)),
      { timeoutMs: 60_000 },
    );
    await waitFor(
      'a lag sample of main behind its source',
      async () => {
        const rows = await pipeline.db.query(`SELECT 1 FROM lag_samples WHERE mirror_id = $1 AND branch = 'main' AND lag_commits > 0`, [mirror]);
        return rows.length > 0;
      },
      { timeoutMs: 30_000 },
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await pipeline.stop();
    await pipeline.deleteRepositories(repository, mirror);
  });

  it('shows the mirror, its branch, the lag now and over the day, and the missing object, to a caller with credentials', async () => {
    const context = await browser.newContext({ httpCredentials: credentials(), viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/content security policy/i.test(message.text())) blocked.push(message.text());
    });
    const response = await page.goto(pageUrl());
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'/);

    const section = page.locator(`section[data-mirror="${mirror}"]`);
    await expect(section.locator('h2').textContent()).resolves.toContain(`mirror of ${repository} in region region-b`);
    const main = section.locator('tr[data-branch="main"]');
    expect(await main.isVisible()).toBe(true);
    expect(await main.locator('td.lag').textContent()).toMatch(/^\d+ commits? behind, \d+/);
    // The day's lag: a line (or a first point) drawn from the samples.
    expect(await main.locator('svg.sparkline polyline, svg.sparkline circle').count()).toBeGreaterThan(0);
    expect(await main.locator('svg.sparkline').getAttribute('aria-label')).toMatch(/^lag over the last .+: highest .+ samples\)$/);
    const missing = section.locator('table.missing code', { hasText: missingKey });
    expect(await missing.isVisible()).toBe(true);
    expect(await section.locator('table.in-flight progress').count()).toBeGreaterThan(0);
    // The inline style sheet applied: its hash is the one the policy allows.
    const borderOf = (element: unknown) => (globalThis as unknown as BrowserWindow).getComputedStyle(element).borderTopStyle;
    expect(await section.evaluate(borderOf)).toBe('solid');
    expect(blocked).toEqual([]);

    await mkdir(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'status-page.png'), fullPage: true });
    await context.close();
  });

  it('asks for credentials (401 with a basic challenge) and shows nothing without them', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Headless Chromium has no one to ask for credentials: it answers the challenge by giving up the navigation.
    const challenged = page.waitForResponse(pageUrl());
    await expect(page.goto(pageUrl())).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    const response = await challenged;
    expect(response.status()).toBe(401);
    expect(response.headers()['www-authenticate']).toMatch(/^Basic realm="lakemirror"/);
    expect(await response.text()).not.toContain(mirror);
    await context.close();

    const wrong = await fetch(pageUrl(), { headers: { authorization: `Basic ${Buffer.from(`${credentials().username}:wrong-secret`).toString('base64')}` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(mirror);
  });
});
