// The projector at 1920×1080 and 1280×720: a QR code at least 40 % of the height, the
// link and code in big type, nothing that scrolls, a board of hundreds of tables that
// pages itself, the "1 minute left" and "switch tables" states in words and colour, a
// sound toggle and a full-screen button.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECTOR_HD, PROJECTOR_SIZES, launchBrowser, overflows, recordDeviceCalls, screenshotAt, seriousA11yProblems, settle } from '../support/browser';
import { api } from '../support/http';
import { launchServer, type TestServer } from '../support/server';
import { ScreenPage } from './pages';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await launchServer('sqlite');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const SIZES = [PROJECTOR_SIZES.hd, PROJECTOR_SIZES.small];
const TABLES = 150;

/** At each projector size: nothing scrolls, and the table board (if any) fits its box. */
async function fitsAtEverySize(page: Page): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await settle(page);
    expect(await overflows(page), `${size.width}×${size.height}`).toEqual({ x: 0, y: 0 });
    const board = page.getByTestId('table-board');
    if (await board.count()) {
      const fit = await board.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const rows = [...el.querySelectorAll('ol:not([aria-hidden]) > li')].map((li) => li.getBoundingClientRect());
        return { rows: rows.length, lowest: Math.max(...rows.map((r) => r.bottom)), bottom: box.bottom, scroll: el.scrollHeight - el.clientHeight };
      });
      expect(fit.rows).toBeGreaterThan(0);
      expect(fit.lowest).toBeLessThanOrEqual(fit.bottom + 1);
      expect(fit.scroll).toBeLessThanOrEqual(0);
    }
  }
  await page.setViewportSize(PROJECTOR_SIZES.hd);
}

describe('the Screen on a projector', () => {
  it('fits a big event at 1920×1080 and 1280×720, pages the tables, and shows each moment', { timeout: 60_000 }, async () => {
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'City-wide mentoring marathon', rounds: 3, roundSeconds: 62, changeoverSeconds: 45 })).body;
    const participants = [
      ...Array.from({ length: TABLES }, (_, i) => ({ name: `Mentor ${i + 1} Longname-Example`, role: 'mentor', topics: ['design'] })),
      ...Array.from({ length: TABLES }, (_, i) => ({ name: `Mentee ${i + 1} Person`, role: 'mentee', topics: ['design'] })),
    ];
    expect((await http.post(`/api/events/${event.id}/participants`, { participants }, event.organizerKey)).status).toBe(201);

    const context = await browser.newContext(PROJECTOR_HD);
    await recordDeviceCalls(context);
    const page = await context.newPage();
    const screen = new ScreenPage(page);
    await page.goto(event.screenUrl);
    await expect.poll(() => screen.headcount()).toMatch(/150\s*mentors.*150\s*mentees/s);

    // ---- Lobby: the QR code, the link and the code, big.
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await settle(page);
      const qr = (await page.getByTestId('qr').boundingBox())!;
      expect(qr.height, `QR at ${size.width}×${size.height}`).toBeGreaterThanOrEqual(0.4 * size.height);
      const code = (await page.getByTestId('join-code').first().boundingBox())!;
      expect(code.height).toBeGreaterThanOrEqual(0.12 * size.height); // about 13 cm on a 2 m-high projection
      const url = (await page.getByTestId('join-url').boundingBox())!;
      expect(url.height).toBeGreaterThanOrEqual(0.05 * size.height);
      expect(code.x + code.width).toBeLessThanOrEqual(size.width);
      expect(url.x + url.width).toBeLessThanOrEqual(size.width);
    }
    await page.setViewportSize(PROJECTOR_SIZES.hd);
    expect(await screen.decodeQr('screen-big-event-qr')).toBe(event.joinUrl);
    await fitsAtEverySize(page);

    // The controls a person at the laptop needs: sound and full screen, both labelled.
    const sound = page.getByTestId('sound-toggle');
    await sound.click();
    await expect.poll(() => sound.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(async () => (await page.evaluate(() => (window as any).__device.notes)) as number).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Full screen' }).click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
    await page.getByRole('button', { name: 'Exit full screen' }).click();
    await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);
    expect(await seriousA11yProblems(page)).toEqual([]);

    // ---- Talk: 150 tables on a board that pages itself.
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    await page.getByTestId('cue').filter({ hasText: 'Talk' }).waitFor({ timeout: 15_000 });
    const board = page.getByTestId('table-board');
    await expect.poll(async () => Number(await board.getAttribute('data-pages'))).toBeGreaterThan(1);
    await fitsAtEverySize(page);
    // Every table has a place on some page, and no page holds more than fits.
    const perPage = Number(await board.getAttribute('data-per-page'));
    const pages = Number(await board.getAttribute('data-pages'));
    expect(perPage * pages).toBeGreaterThanOrEqual(TABLES);
    expect(perPage * (pages - 1)).toBeLessThan(TABLES);
    expect(await board.locator('ol:not([aria-hidden]) > li').count()).toBeLessThanOrEqual(perPage);
    await screenshotAt(page, 'screen-talk-150-tables', SIZES);
    expect(await seriousA11yProblems(page)).toEqual([]);

    // ---- The last minute of a talk: its own words and colour, and a chime.
    const notesBefore = (await page.evaluate(() => (window as any).__device.notes)) as number;
    await page.getByTestId('cue').filter({ hasText: '1 minute left' }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('screen').getAttribute('data-tone')).toBe('last');
    await expect.poll(async () => (await page.evaluate(() => (window as any).__device.notes)) as number).toBeGreaterThan(notesBefore);
    await screenshotAt(page, 'screen-last-minute', SIZES);
    expect(await seriousA11yProblems(page)).toEqual([]);

    // ---- Switch tables, paused: words and colour again.
    await http.post(`/api/events/${event.id}/actions`, { action: 'skip' }, event.organizerKey);
    await page.getByTestId('cue').filter({ hasText: 'Switch tables' }).waitFor();
    expect(await page.getByTestId('screen').getAttribute('data-tone')).toBe('changeover');
    await fitsAtEverySize(page);
    await http.post(`/api/events/${event.id}/actions`, { action: 'pause' }, event.organizerKey);
    await page.getByTestId('cue').filter({ hasText: 'Paused' }).waitFor();
    await screenshotAt(page, 'screen-changeover-paused', [PROJECTOR_SIZES.small]);

    // ---- The end of a big event still fits.
    await http.post(`/api/events/${event.id}/actions`, { action: 'end' }, event.organizerKey);
    await page.getByRole('heading', { name: 'Thank you!' }).waitFor();
    await fitsAtEverySize(page);
    await context.close();
  });
});
