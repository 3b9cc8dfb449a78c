/**
 * End-to-end support: the console built, the real app listening on a random port, Debian's chromium driven by
 * playwright-core, and for each step a screenshot kept in test-artifacts/e2e/ and an axe-core check that finds no
 * serious or critical accessibility violation.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { startTestService, type TestService } from './app';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = fs.existsSync(CHROMIUM_PATH);

/** Fails in CI (where `.ci/run` installs chromium), skips with a warning on a machine without it. */
export function describeInBrowser(name: string, body: () => void): void {
  if (!chromiumAvailable && process.env.CI) {
    throw new Error(`chromium must be installed in CI (.ci/run installs it); not found at ${CHROMIUM_PATH}`);
  }
  if (!chromiumAvailable) {
    console.warn(`chromium is not installed (${CHROMIUM_PATH}): \`apt-get install chromium\` to run the end-to-end tests`);
  }
  (chromiumAvailable ? describe : describe.skip)(name, body);
}

const ROOT = path.join(__dirname, '..', '..');
const WEB = path.join(ROOT, 'web');
const BUILT_INDEX = path.join(WEB, 'dist', 'index.html');
const BUILD_LOCK = path.join(WEB, '.build-lock');
const BUILD_LOCK_WAIT_MS = 180_000;

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function webIsStale(): boolean {
  if (!fs.existsSync(BUILT_INDEX)) return true;
  // With the service's modules the console imports (dependency-free, shared with the server).
  const shared = [path.join(ROOT, 'src', 'loans', 'identifiers.ts'), path.join(ROOT, 'src', 'subsidy', 'parameter-names.ts')];
  const sources = [path.join(WEB, 'src'), path.join(WEB, 'index.html'), path.join(WEB, 'vite.config.mjs'), ...shared];
  return Math.max(...sources.filter((source) => fs.existsSync(source)).map(newestMtime)) > fs.statSync(BUILT_INDEX).mtimeMs;
}

function lockHolderAlive(): boolean {
  const pid = Number(fs.readFileSync(path.join(BUILD_LOCK, 'pid'), 'utf8').trim() || '0');
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds web/dist when it is missing or older than its sources, so `npx jest test/e2e` tests what is in web/src.
 * Test files run in parallel workers: one builds (holding a lock folder), the others wait for it.
 */
export async function ensureWebBuilt(): Promise<void> {
  const deadline = Date.now() + BUILD_LOCK_WAIT_MS;
  while (webIsStale()) {
    try {
      fs.mkdirSync(BUILD_LOCK);
    } catch {
      // Another worker builds; a lock left by a killed run (its process gone) is taken over.
      if (fs.existsSync(path.join(BUILD_LOCK, 'pid')) && !lockHolderAlive()) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`waited ${BUILD_LOCK_WAIT_MS} ms for another build of web/ (${BUILD_LOCK})`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      fs.writeFileSync(path.join(BUILD_LOCK, 'pid'), String(process.pid));
      if (webIsStale()) {
        // jest sets NODE_ENV=test, which vite would pass on to React and antd: a development build whose ids are all
        // "test-id" (every dialog labelled by the first). The console is tested as it ships.
        execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', 'web', '--logLevel', 'error'], {
          cwd: ROOT,
          stdio: 'inherit',
          env: { ...process.env, NODE_ENV: 'production' },
        });
      }
    } finally {
      fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
  }
}

export interface Console {
  service: TestService;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The real app on a fresh test database, serving web/dist, and a headless chromium. */
export async function startConsole(): Promise<Console> {
  await ensureWebBuilt();
  const service = await startTestService();
  const server = service.app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    service,
    baseUrl,
    browser,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await service.close();
    },
  };
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** An antd element in its exit animation (`ant-message-fade-leave`, `ant-zoom-leave`…). */
const LEAVING = '[class*="-leave"]';
const ARTIFACTS = path.join(ROOT, 'test-artifacts', 'e2e');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * One scenario's record: `step(page, name)` waits for the page to settle, keeps a screenshot
 * (test-artifacts/e2e/<scenario>/<nn>-<name>.png) and fails on any serious or critical axe violation.
 */
export function scenario(name: string) {
  const folder = path.join(ARTIFACTS, name);
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  let count = 0;
  return async function step(page: Page, stepName: string): Promise<string> {
    count += 1;
    const file = path.join(folder, `${String(count).padStart(2, '0')}-${stepName}.png`);
    await page.waitForLoadState('networkidle');
    // Let antd's entrance animations (modals, messages) finish, so the picture and axe's colours are the final ones.
    await page.waitForTimeout(350);
    // And their exits: a message antd fades out (after 3 s on screen) is half transparent while it goes, its colours
    // those of no page. Wait for it to be gone (0.3 s), and leave out of axe's run any that starts to go meanwhile.
    // (A locator's wait, not waitForFunction: that evaluates a string, which the console's CSP refuses.)
    await page.locator(LEAVING).first().waitFor({ state: 'detached', timeout: 2_000 }).catch(() => undefined);
    await page.screenshot({ path: file, fullPage: true });
    // Evaluated through the DevTools protocol, not as an inline <script>: the console's CSP allows no inline script.
    if ((await page.evaluate('typeof window.axe')) === 'undefined') await page.evaluate(AXE_SOURCE);
    const violations = (await page.evaluate(
      `axe.run({ exclude: [['${LEAVING}']] }, { resultTypes: ['violations'] }).then((result) => result.violations)`,
    )) as AxeViolation[];
    const blocking = violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
    fs.writeFileSync(file.replace(/\.png$/, '.axe.json'), JSON.stringify(violations, null, 2));
    if (blocking.length > 0) {
      const described = blocking
        .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n')}`)
        .join('\n');
      throw new Error(`axe-core: ${blocking.length} serious or critical violation(s) at step "${stepName}" (${file}):\n${described}`);
    }
    return file;
  };
}

/** A browser test file's console: started before its tests, closed after them; page errors fail the running test. */
export interface ConsoleSuite {
  /** The console (after `start()`'s beforeAll has run). */
  readonly console: Console;
  /** Registers the hooks; called first in the file's describeInBrowser body. */
  start(): void;
  /** A new browser context in Chinese whose uncaught page errors fail the test that opened it. */
  newContext(): Promise<BrowserContext>;
  /** Signs in with `token` in `context` (a new one when none is given) and waits for the dashboard. */
  signIn(token: string, context?: BrowserContext): Promise<Page>;
}

/** Made at the top of a file, so that its helpers can reach the console; `start()` inside describeInBrowser. */
export function consoleSuite(options: { viewport?: { width: number; height: number } } = {}): ConsoleSuite {
  let started: Console | undefined;
  let pageErrors: string[] = [];
  const suite: ConsoleSuite = {
    get console() {
      if (!started) throw new Error('the console starts in the beforeAll of consoleSuite().start()');
      return started;
    },
    start() {
      beforeAll(async () => {
        started = await startConsole();
      });
      afterAll(() => started?.close());
      beforeEach(() => {
        pageErrors = [];
      });
      afterEach(() => {
        expect(pageErrors).toEqual([]);
      });
    },
    async newContext() {
      const viewport = options.viewport ?? { width: 1440, height: 900 };
      const context = await suite.console.browser.newContext({ locale: 'zh-CN', viewport, acceptDownloads: true });
      context.on('weberror', (error) => pageErrors.push(error.error().message));
      return context;
    },
    async signIn(token, context) {
      return signIn(context ?? (await suite.newContext()), suite.console.baseUrl, token);
    },
  };
  return suite;
}

/**
 * A visible button by its label, once it is not busy; antd writes a space between the two characters of a
 * two-character label ("登 记"). Found by its text, not its accessible name: after a quick call antd's loading icon
 * can stay in the button, collapsed and invisible, with its label "loading" (its leave animation never ends when
 * there is nothing to animate), which would make the name "loading 登 记" for good.
 */
export const button = (scope: Page | Locator, name: string): Locator => {
  const escaped = [...name].map((character) => character.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const text = escaped.length === 2 ? `${escaped[0]} ?${escaped[1]}` : escaped.join('');
  return scope
    .locator('button:not(.ant-btn-loading), [role="button"]:not(.ant-btn-loading)')
    .filter({ visible: true })
    .filter({ hasText: new RegExp(`^\\s*${text}\\s*$`) });
};

/**
 * Waits for a dialog to close once its form was sent (the console closes it when the API accepts it) or cancelled. If
 * it stays open, the failure says what it shows, a problem from the API or a field's message, not only that it was
 * still there.
 */
export async function closes(dialog: Locator): Promise<void> {
  try {
    await dialog.waitFor({ state: 'hidden' });
  } catch (error) {
    const shown = await dialog.innerText({ timeout: 1_000 }).catch(() => '(its text could not be read)');
    throw new Error(`the dialog stayed open, showing: ${shown.replace(/\s+/g, ' ').slice(0, 600)}`, { cause: error });
  }
}

/** Types `date` (YYYY-MM-DD) into the date picker labelled `label`. */
export async function fillDate(scope: Page | Locator, label: string, date: string): Promise<void> {
  const input = scope.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  // Tab, not Enter: the picker takes the typed date on blur, and Enter in a form of one field would submit it.
  await input.press('Tab');
}

/**
 * Picks the option of the antd Select labelled `label` (or the select itself) whose text holds `option`, again if a
 * click during the list's opening animation did not take: done once the select's box shows it (as its title).
 */
export async function choose(page: Page, scope: Page | Locator, label: string | Locator, option: string): Promise<void> {
  const select = typeof label === 'string' ? scope.getByLabel(label) : label;
  // The select's own box (the list is rendered outside it, in document.body).
  const box = select.locator('xpath=ancestor-or-self::*[contains(concat(" ", normalize-space(@class), " "), " ant-select ")][1]');
  const chosen = box.getByTitle(option).first();
  for (let attempt = 0; attempt < 3 && !(await chosen.isVisible()); attempt += 1) {
    if (!(await page.locator('.ant-select-dropdown:visible').count())) await select.click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click();
    await page.waitForTimeout(300);
  }
  // No Escape afterwards: in a dialog it would close the dialog, not the list (which closes by itself on a choice).
  await chosen.waitFor();
}

/** Signs in on the console at `baseUrl` with `token` in a new page of `context`, and waits for the dashboard. */
export async function signIn(context: BrowserContext, baseUrl: string, token: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.getByLabel('访问令牌').fill(token);
  // antd writes a space between the two characters of a two-character button label.
  await page.getByRole('button', { name: '登 录' }).or(page.getByRole('button', { name: '登录' })).click();
  await page.getByRole('heading', { name: '总览' }).waitFor();
  return page;
}

/** Opens a page from the menu and waits for its heading. */
export async function openFromMenu(page: Page, menu: string, heading: string): Promise<void> {
  await page.getByRole('menuitem', { name: menu }).click();
  await page.getByRole('heading', { name: heading }).waitFor();
}
