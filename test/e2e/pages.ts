// Small page objects for the browser scenarios: what a person does on each screen,
// through labels and roles where a person would use them.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { ARTIFACTS, overflows, screenshotAt, seriousA11yProblems, settle, type AxeProblem, type Size } from '../support/browser';

/** mm:ss → seconds. */
export const parseClock = (text: string | null) => {
  const [m, s] = (text ?? '').trim().split(':').map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
};

/** The countdown's exact figure on this page (`data-remaining-ms`), or null when none runs. */
export async function remainingMs(page: Page): Promise<number | null> {
  const value = await page.locator('[data-remaining-ms]').first().getAttribute('data-remaining-ms');
  return value ? Number(value) : null;
}

/**
 * Collects what the scenario must show people: a screenshot of every view at every
 * size, and axe-core's serious or critical findings per view (asserted at the end, so a
 * failure lists them all).
 */
export class ViewChecks {
  readonly problems: Record<string, AxeProblem[]> = {};
  readonly screenshots: string[] = [];

  /** Views that scroll sideways at some size (nothing should). */
  readonly sideways: string[] = [];

  async check(page: Page, name: string, sizes: Size[]): Promise<void> {
    const found = await seriousA11yProblems(page);
    if (found.length) this.problems[name] = found;
    this.screenshots.push(...(await screenshotAt(page, name, sizes)));
    const original = page.viewportSize();
    for (const size of sizes) {
      await page.setViewportSize(size);
      await settle(page);
      if ((await overflows(page)).x > 0) this.sideways.push(`${name} at ${size.width}×${size.height}`);
    }
    if (original) await page.setViewportSize(original);
  }
}

export class PhonePage {
  /** Alerts a page raised: markup in a name must never run. */
  readonly alerts: string[] = [];

  constructor(readonly page: Page) {
    page.on('dialog', (dialog) => {
      this.alerts.push(dialog.message());
      void dialog.dismiss();
    });
  }

  get tableNumber(): Locator {
    return this.page.getByTestId('table-number');
  }

  get phase(): Locator {
    return this.page.getByTestId('phase');
  }

  async join(fields: { name: string; topics?: string; goal?: string }): Promise<void> {
    await this.page.getByLabel('Your name').fill(fields.name);
    if (fields.topics) await this.page.getByLabel('Topics').fill(fields.topics);
    if (fields.goal) await this.page.getByLabel('What I want help with today').fill(fields.goal);
    await this.page.getByRole('button', { name: 'Join' }).click();
    await this.page.getByText("You're in!").waitFor();
  }

  token(code: string): Promise<string | null> {
    return this.page.evaluate((code) => localStorage.getItem(`tablehop:token:${code}`), code);
  }

  async waitForPhase(text: string, timeout = 10_000): Promise<void> {
    await expect.poll(() => this.phase.textContent(), { timeout }).toBe(text);
  }

  /** A mentee's one-tap rating of the mentor. */
  async rateMentor(score: number): Promise<void> {
    await this.page.getByRole('group', { name: /^Rate .* from 1/ }).getByRole('button', { name: String(score), exact: true }).click();
  }

  /** A mentor's rating of one mentee: a score, and optionally tags and a private note. */
  async rateMentee(name: string, score: number, extra: { tags?: string[]; note?: string } = {}): Promise<void> {
    const form = this.page.getByRole('form', { name: `Rate ${name}` });
    await form.getByRole('group', { name: /from 1/ }).getByRole('button', { name: String(score), exact: true }).click();
    for (const tag of extra.tags ?? []) await form.getByRole('button', { name: tag, exact: true }).click();
    if (extra.note) {
      await form.getByLabel(/Private note/).fill(extra.note);
      await form.getByRole('button', { name: 'Save note' }).click();
    }
  }

  ratingStatus(): Locator {
    return this.page.getByTestId('rating-status');
  }

  /** "I have to leave", then the confirmation. */
  async leave(): Promise<void> {
    await this.page.getByRole('button', { name: 'I have to leave' }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'I have to leave' }).click();
    await this.page.getByTestId('away').waitFor();
  }

  /** On the end screen: tick "I'd like to follow up with <name>". */
  async followUp(name: string): Promise<void> {
    await this.page.getByRole('checkbox', { name: new RegExp(`follow up with ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).check();
  }
}

export class ControlPage {
  constructor(readonly page: Page) {}

  get phase(): Locator {
    return this.page.getByTestId('phase');
  }

  async start(): Promise<void> {
    await this.page.getByRole('button', { name: 'Start the event' }).click();
  }

  /** "Skip…", then the confirmation. */
  async skip(): Promise<void> {
    await this.page.getByRole('button', { name: 'Skip…' }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'Skip now' }).click();
  }

  async end(): Promise<void> {
    await this.page.getByRole('button', { name: 'End…' }).click();
    await this.page.getByRole('dialog').getByRole('button', { name: 'End the event' }).click();
  }

  /** Space on the page itself (not on a button): pause or resume. */
  async pressSpace(): Promise<void> {
    await this.page.locator('body').focus();
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await this.page.keyboard.press('Space');
  }

  ratingProgress(): Promise<string | null> {
    return this.page.getByTestId('rating-progress').textContent();
  }

  /** Chooses a CSV file and imports it; resolves once the server answered. */
  async importFile(name: string, content: Buffer | string): Promise<void> {
    await this.page.getByLabel('CSV file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
    await this.page.getByRole('button', { name: 'Import', exact: true }).click();
    await this.page.locator('[data-testid="import-result"], [role="alert"]').first().waitFor();
  }

  /** Opens a page linked from Control (door board, badges, report) in a new tab of the same browser. */
  async open(linkName: string): Promise<Page> {
    const href = await this.page.getByRole('link', { name: linkName, exact: true }).first().getAttribute('href');
    const tab = await this.page.context().newPage();
    await tab.goto(new URL(href ?? '/', this.page.url()).href);
    return tab;
  }
}

export class ScreenPage {
  constructor(readonly page: Page) {}

  /** Reads the QR code off a screenshot of the whole screen, as a phone camera would. */
  async decodeQr(name = 'screen-qr-decoded'): Promise<string | null> {
    const shot = PNG.sync.read(await this.page.screenshot({ path: `${ARTIFACTS}${name}.png` }));
    return jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height)?.data ?? null;
  }

  headcount(): Promise<string | null> {
    return this.page.getByTestId('headcount').textContent();
  }

  cue(): Promise<string | null> {
    return this.page.getByTestId('cue').textContent();
  }
}
