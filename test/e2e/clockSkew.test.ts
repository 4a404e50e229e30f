// Same time everywhere: the projector, Control and three phones — one of them with its
// clock 30 s fast — count down to the same deadline within 100 ms, because each page
// measures its offset to the server's clock instead of trusting its own.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANIZER_LAPTOP, PHONE, PROJECTOR, countdownDeadline, launchBrowser } from '../support/browser';
import { api } from '../support/http';
import { launchServer, type TestServer } from '../support/server';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  server = await launchServer('sqlite');
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await server?.close();
});

const SKEW_MS = 30_000;

async function open(url: string, options: Parameters<Browser['newContext']>[0], skewMs = 0): Promise<Page> {
  const context = await browser.newContext(options);
  contexts.push(context);
  if (skewMs) {
    // This device's clock is wrong: everything it reads from Date.now is off by skewMs.
    await context.addInitScript((skew) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skew;
    }, skewMs);
  }
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-remaining-ms]:not([data-remaining-ms=""])').first().waitFor({ timeout: 10_000 });
  return page;
}

/** Each page's deadline, read at its own next redraw, minus the earliest: how far apart they are. */
async function spread(pages: Page[]): Promise<{ spreadMs: number; deadlines: number[] }> {
  const deadlines = await Promise.all(pages.map((page) => countdownDeadline(page)));
  return { spreadMs: Math.max(...deadlines) - Math.min(...deadlines), deadlines };
}

describe('the same time everywhere', () => {
  it('shows the same remaining time on every page within 100 ms, even on a phone whose clock is 30 s fast', async () => {
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Clock night', rounds: 1, roundSeconds: 120, changeoverSeconds: 30 })).body;
    const people = await Promise.all(
      [
        { name: 'Grace Mentor', role: 'mentor' },
        { name: 'Ada Mentee', role: 'mentee' },
        { name: 'Bob Mentee', role: 'mentee' },
      ].map(async (person) => (await http.post('/api/join', { code: event.code, ...person })).body),
    );
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    const personal = (token: string, role: string) => `${role === 'mentor' ? event.mentorJoinUrl : event.joinUrl}#t=${token}`;

    const phonePage = (i: number, skew = 0) => open(personal(people[i]!.token, i === 0 ? 'mentor' : 'mentee'), PHONE, skew);
    const pages = await Promise.all([
      open(event.screenUrl, PROJECTOR),
      open(event.controlUrl, ORGANIZER_LAPTOP),
      phonePage(0),
      phonePage(1),
      phonePage(2, SKEW_MS),
    ]);
    const skewed = pages[4]!;
    // The shift took: the skewed page's Date.now runs 30 s ahead of the real clock.
    const shift = await skewed.evaluate(() => Date.now() - (performance.timeOrigin + performance.now()));
    expect(shift).toBeGreaterThan(SKEW_MS - 1000);

    // Once each page has measured its offset, all deadlines agree within 100 ms...
    await expect.poll(async () => (await spread(pages)).spreadMs, { timeout: 10_000, interval: 200 }).toBeLessThan(100);
    // ...and keep agreeing, with the server's own deadline too.
    const { phaseEndsAt } = (await http.get(`/api/events/${event.id}/state`)).body;
    for (let reading = 0; reading < 3; reading++) {
      const { spreadMs, deadlines } = await spread(pages);
      expect(spreadMs).toBeLessThan(100);
      for (const deadline of deadlines) expect(Math.abs(deadline - phaseEndsAt)).toBeLessThan(100);
    }
    // The skewed phone shows the same mm:ss as the others (read together, one second apart at most).
    const texts = await Promise.all(pages.slice(2).map((page) => page.getByTestId('countdown').textContent()));
    const seconds = texts.map((t) => Number(t!.split(':')[0]) * 60 + Number(t!.split(':')[1]));
    expect(Math.max(...seconds) - Math.min(...seconds)).toBeLessThanOrEqual(1);
  });
});
