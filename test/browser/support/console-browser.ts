import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from '@jest/globals';
import { AxeBuilder } from '@axe-core/playwright';
import { CommandBus } from '@nestjs/cqrs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { EventStore } from '@ledger/event-store';
import { writeDemoResultFiles } from '../../../apps/ledger-api/src/demo/demo-result-files.js';
import { seedDemo, type DemoSeedReport } from '../../../apps/ledger-api/src/demo/seed-demo.js';
import { BeneficiaryIds } from '../../../apps/ledger-api/src/ledger/beneficiary-ids.js';
import { EVENT_STORE } from '../../../apps/ledger-api/src/ledger.tokens.js';
import { ReadModelFreshness } from '../../../apps/ledger-api/src/read-side/read-model-freshness.js';
import { describeWhenAvailable } from '../../../libs/read-models/src/testing/describe-when-available.js';
import { startTestLedger, type TestLedger } from '../../e2e/support/ledger-app.js';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
/** Debian's Chromium, as .ci/run installs it: never a browser downloaded by a test tool. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Where the screenshots go, as test artefacts (the best are copied to docs/console by hand). */
export const SCREENSHOTS = join(REPOSITORY, 'test-results', 'console');

/**
 * Declares the browser tests. Without Chromium they are reported as skipped, loudly, with the
 * reason; in CI (CI=true) they fail instead, because there a missing browser is a broken build.
 */
export function describeWithChromium(title: string, body: () => void): void {
  describeWhenAvailable(
    title,
    {
      tests: 'Browser tests',
      ciTestName: 'needs Chromium (CI=true)',
      ciAdvice: "CI must run the browser tests: .ci/run installs Debian's chromium (or set CHROMIUM_PATH).",
      howToRun: 'Install it (`apt-get install chromium`) or set CHROMIUM_PATH, and run again.',
      skippedTestName: 'needs Chromium',
    },
    existsSync(CHROMIUM) ? { available: true } : { available: false, reason: `no Chromium at ${CHROMIUM}` },
    body,
  );
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

const CONSOLE_SOURCES = ['apps/console', 'libs/api-client/src'];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/**
 * Builds the console (`vite build`) unless dist/console is newer than every source of it. The suite's
 * files run in parallel workers: one builds while the others wait for it (a directory as the lock,
 * since creating one is atomic), then find the build fresh.
 */
export function ensureConsoleBuilt(): void {
  const built = join(REPOSITORY, 'dist', 'console', 'index.html');
  const fresh = () => existsSync(built) && statSync(built).mtimeMs >= Math.max(...CONSOLE_SOURCES.map((path) => newestChange(join(REPOSITORY, path))));
  const lock = join(REPOSITORY, 'dist', '.console-build.lock');
  mkdirSync(join(REPOSITORY, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (fresh()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A build of a worker that died leaves its lock behind: after two minutes, it is stale.
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    if (!fresh()) execFileSync(process.execPath, [join(REPOSITORY, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/console/vite.config.ts', '--logLevel', 'warn'], { cwd: REPOSITORY, stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ConsoleLedger {
  readonly ledger: TestLedger;
  readonly demo: DemoSeedReport;
  /** The result files about the demo's March, as main.ts writes them after seeding. */
  readonly examples: string;
  /** A moment after the seed and before anything a test does: what "as of" a past instant shows. */
  readonly seededAt: Date;
}

/**
 * The real API, in process, on a fresh store seeded with the demo province at a small scale (the
 * featured people, Bùi Trung Tài among them, exist at any scale), its read models caught up.
 */
export async function startSeededLedger(scale: number): Promise<ConsoleLedger> {
  const ledger = await startTestLedger({ LEDGER_RATE_LIMIT_PER_MINUTE: '100000' });
  const store = ledger.app.get<symbol, EventStore>(EVENT_STORE);
  const demo = await seedDemo({ commands: ledger.app.get(CommandBus), store, beneficiaryIds: ledger.app.get(BeneficiaryIds), scale });
  const examples = mkdtempSync(join(tmpdir(), 'ledger-console-examples-'));
  await writeDemoResultFiles(store, examples);
  const head = await store.headPosition();
  if (!(await ledger.app.get(ReadModelFreshness).waitFor(head, 30_000))) throw new Error('The read models did not catch up with the seeded demo');
  const seededAt = new Date();
  // The console reads instants to the second: what a test records from now on lies in a later second.
  await new Promise((resolve) => setTimeout(resolve, 1_000 - (seededAt.getTime() % 1_000)));
  return { ledger, demo, examples, seededAt };
}

/** axe's WCAG 2.1 A and AA rules on the page as it stands: no serious or critical violation. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const grave = violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ screen, rule: violation.id, impact: violation.impact, help: violation.help, nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(' ')) }));
  expect(grave).toEqual([]);
  checkedScreens.add(screen);
}

/** The screens axe has checked, for the suite's closing line. */
export const checkedScreens = new Set<string>();

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The whole page, but no taller than a screen and a half: a long table need not be photographed to its end.
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  const width = page.viewportSize()?.width ?? 1280;
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(height, 1300) } });
}
