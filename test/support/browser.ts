// Debian's Chromium driven by playwright-core (browser downloads are impossible here),
// plus what every browser scenario needs: device sizes, screenshots into
// test-artifacts/, an axe-core check, and reading a page's countdown to the millisecond.
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // The machine has no outside network: keep Chromium from trying to phone home.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Size {
  width: number;
  height: number;
}

export const PHONE_SIZES = { large: { width: 390, height: 844 }, small: { width: 360, height: 640 } } satisfies Record<string, Size>;
export const PROJECTOR_SIZES = { hd: { width: 1920, height: 1080 }, small: { width: 1280, height: 720 } } satisfies Record<string, Size>;
export const LAPTOP: Size = { width: 1440, height: 900 };

export const PHONE: BrowserContextOptions = { viewport: PHONE_SIZES.large, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const SMALL_PHONE: BrowserContextOptions = { viewport: PHONE_SIZES.small, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const PROJECTOR: BrowserContextOptions = { viewport: PROJECTOR_SIZES.small };
export const PROJECTOR_HD: BrowserContextOptions = { viewport: PROJECTOR_SIZES.hd };
export const ORGANIZER_LAPTOP: BrowserContextOptions = { viewport: LAPTOP };

export async function newPhone(browser: Browser, options: BrowserContextOptions = PHONE): Promise<BrowserContext> {
  return browser.newContext(options);
}

/**
 * Counts what a page asks of the device — vibrations, screen wake locks, chime notes —
 * in `window.__device`, without stopping any of it; `window.__setVisibility('hidden')`
 * plays a tab going to the background (the browser drops wake locks then). Call before
 * the page loads.
 */
export async function recordDeviceCalls(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const device = { vibrations: 0, wakeLockRequests: 0, notes: 0 };
    (window as unknown as { __device: typeof device }).__device = device;
    const vibrate = navigator.vibrate?.bind(navigator);
    Object.defineProperty(navigator, 'vibrate', {
      configurable: true,
      value: (pattern: VibratePattern) => {
        device.vibrations++;
        return vibrate ? vibrate(pattern) : true;
      },
    });
    // Headless Chromium may refuse a real wake lock: answer with a well-behaved stand-in
    // that, like the browser, lets go of the lock when the tab is hidden.
    const held = new Set<EventTarget>();
    const release = (sentinel: EventTarget) => {
      if (held.delete(sentinel)) sentinel.dispatchEvent(new Event('release'));
    };
    Object.defineProperty(navigator, 'wakeLock', {
      configurable: true,
      value: {
        request: async () => {
          if (document.visibilityState !== 'visible') throw new DOMException('The page is not visible.', 'NotAllowedError');
          device.wakeLockRequests++;
          const sentinel = Object.assign(new EventTarget(), { released: false, type: 'screen', onrelease: null, release: async () => release(sentinel) });
          held.add(sentinel);
          return sentinel;
        },
      },
    });
    let visibility: DocumentVisibilityState = 'visible';
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
    (window as unknown as { __setVisibility: (state: DocumentVisibilityState) => void }).__setVisibility = (state) => {
      visibility = state;
      if (state === 'hidden') for (const sentinel of [...held]) release(sentinel);
      document.dispatchEvent(new Event('visibilitychange'));
    };
    const createOscillator = AudioContext.prototype.createOscillator;
    AudioContext.prototype.createOscillator = function (this: AudioContext) {
      device.notes++;
      return createOscillator.call(this);
    };
  });
}

export interface DeviceCalls {
  vibrations: number;
  wakeLockRequests: number;
  notes: number;
}

export const deviceCalls = (page: Page): Promise<DeviceCalls> => page.evaluate(() => ({ ...(window as unknown as { __device: DeviceCalls }).__device }));

/** Plays the tab going to the background or coming back (see `recordDeviceCalls`). */
export const setVisibility = (page: Page, state: 'visible' | 'hidden'): Promise<void> =>
  page.evaluate((state) => (window as unknown as { __setVisibility: (s: string) => void }).__setVisibility(state), state);

/**
 * Screenshots `page` at each size into test-artifacts/<name>-<w>x<h>.png, as a person
 * sees it at a glance (scrolled to the top); a page taller than the window gets a
 * second, whole-page shot (<name>-<w>x<h>-full.png). Puts the viewport back after.
 */
export async function screenshotAt(page: Page, name: string, sizes: Size[]): Promise<string[]> {
  const original = page.viewportSize();
  const paths: string[] = [];
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.evaluate(() => window.scrollTo(0, 0));
    await settle(page);
    const path = `${ARTIFACTS}${name}-${size.width}x${size.height}.png`;
    await page.screenshot({ path });
    paths.push(path);
    const tall = await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight + 1);
    if (tall) {
      const full = `${ARTIFACTS}${name}-${size.width}x${size.height}-full.png`;
      await page.screenshot({ path: full, fullPage: true });
      paths.push(full);
    }
  }
  if (original) {
    await page.setViewportSize(original);
    await settle(page);
  }
  return paths;
}

/** Two animation frames: layout, measurement and the re-render it causes have happened. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))));
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: string | undefined;

export interface AxeProblem {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical findings on the page as it is now (WCAG 2 A/AA rules
 * and best practices). axe is evaluated through the DevTools protocol rather than
 * added as a <script> tag: the server's Content-Security-Policy (script-src 'self')
 * rightly refuses inline scripts, and the pages are tested with it on.
 */
export async function seriousA11yProblems(page: Page): Promise<AxeProblem[]> {
  axeSource ??= await readFile(axePath, 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: any[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: { target: string[] }) => n.target.join(' ')) }));
  });
}

/**
 * The page's countdown as the server-clock deadline it implies, in true epoch ms: waits
 * for the next redraw of `[data-remaining-ms]` and adds the figure to the moment of the
 * redraw, read from `performance` (which a test that shifts `Date.now` leaves alone).
 * Two pages showing the same remaining time give the same deadline.
 */
export async function countdownDeadline(page: Page, selector = '[data-remaining-ms]'): Promise<number> {
  return page.evaluate(
    (selector) =>
      new Promise<number>((resolve, reject) => {
        const element = document.querySelector<HTMLElement>(selector);
        if (!element) return reject(new Error(`no ${selector} on ${location.pathname}`));
        const timer = setTimeout(() => reject(new Error(`${selector} did not change within 2 s`)), 2000);
        const observer = new MutationObserver(() => {
          const at = performance.timeOrigin + performance.now();
          const remaining = Number(element.dataset.remainingMs);
          if (!element.dataset.remainingMs || !Number.isFinite(remaining)) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve(at + remaining);
        });
        observer.observe(element, { attributes: true, attributeFilter: ['data-remaining-ms'] });
      }),
    selector,
  );
}

/** Whether the document is taller or wider than the window (a scrollbar would show). */
export async function overflows(page: Page): Promise<{ x: number; y: number }> {
  // Against the layout viewport (clientWidth): a mobile browser may zoom out to show
  // overflowing content, which would hide it from innerWidth.
  return page.evaluate(() => ({
    x: Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth),
    y: Math.max(0, document.documentElement.scrollHeight - document.documentElement.clientHeight),
  }));
}

/** Opens `url` in a context of its own (added to `contexts` for closing) and waits until its countdown runs. */
export async function openCountingDown(browser: Browser, contexts: BrowserContext[], url: string, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-remaining-ms]:not([data-remaining-ms=""])').first().waitFor({ timeout: 10_000 });
  return page;
}
