// In a real browser: the projector shows a QR code of the join link, a phone joins
// from it, sees its table and a running countdown, and a reload keeps its seat.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/domain';
import { ARTIFACTS, PROJECTOR, launchBrowser, newPhone } from '../support/browser';
import { api, sleep, waitFor } from '../support/http';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer('memory');
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const parseClock = (text: string) => {
  const [m, s] = text.trim().split(':').map(Number);
  return (m ?? 0) * 60 + (s ?? 0);
};

describe('phone and projector in Chromium', () => {
  it('joins from the QR code on a phone and shows its table and a running countdown, even after a reload', async () => {
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Browser night', rounds: 2, roundSeconds: 120, changeoverSeconds: 30, seatsPerTable: 1 })).body;
    await http.post('/api/join', { code: event.code, name: 'Grace Mentor', role: 'mentor', topics: ['design'] });

    // The projector's lobby: a QR code that decodes to the join link.
    const screen = await browser.newContext(PROJECTOR);
    const projector = await screen.newPage();
    await projector.goto(event.screenUrl);
    await projector.getByTestId('join-code').filter({ hasText: event.code }).waitFor();
    const qr = projector.getByTestId('qr');
    await qr.waitFor();
    await sleep(300);
    const shot = PNG.sync.read(await qr.screenshot({ path: `${ARTIFACTS}screen-lobby-qr.png` }));
    const decoded = jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height);
    expect(decoded?.data).toBe(event.joinUrl);

    // A phone follows the QR code and joins in three fields.
    const phone = await newPhone(browser);
    const page = await phone.newPage();
    await page.goto(decoded!.data);
    await page.getByLabel('Your name').fill('Ada <b>Lovelace</b>');
    await page.getByLabel('Topics').fill('design, data');
    await page.getByLabel('What I want help with today').fill('A portfolio review');
    await page.getByRole('button', { name: 'Join' }).click();
    await waitFor(async () => (await projector.getByTestId('headcount').textContent())?.includes('1'), 10_000, 'the head-count to show the new mentee');

    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    const token = await page.evaluate((code) => localStorage.getItem(`tablehop:token:${code}`), event.code);
    expect(token).toBeTruthy();
    const me = (await http.get<MeView>('/api/me', token!)).body;
    expect(me.seat?.table).toBe(1);

    const tableNumber = page.getByTestId('table-number');
    await expect.poll(() => tableNumber.textContent(), { timeout: 10_000 }).toContain('1');
    await expect.poll(() => page.getByText('Grace Mentor').count()).toBeGreaterThan(0);
    const countdown = page.getByTestId('countdown');
    const first = parseClock((await countdown.textContent()) ?? '');
    expect(first).toBeGreaterThan(100);
    expect(first).toBeLessThanOrEqual(120);
    await expect.poll(async () => parseClock((await countdown.textContent()) ?? ''), { timeout: 5000 }).toBeLessThan(first);
    await page.screenshot({ path: `${ARTIFACTS}phone-seated.png` });

    // Markup in a name is shown as text, never run.
    expect(await page.locator('b', { hasText: 'Lovelace' }).count()).toBe(0);

    // A reload mid-round puts the phone straight back on its seat, no second join.
    await page.reload();
    await expect.poll(() => tableNumber.textContent(), { timeout: 5000 }).toContain('1');
    expect(await page.getByLabel('Your name').count()).toBe(0);
    const afterReload = parseClock((await countdown.textContent()) ?? '');
    expect(afterReload).toBeLessThanOrEqual(first);
    expect(afterReload).toBeGreaterThan(90);
    const state = (await http.get(`/api/events/${event.id}/state`)).body;
    expect(state.headcount.mentees).toBe(1);

    await phone.close();
    await screen.close();
  });
});
