// A projector, a Control page and a phone have an event open in the middle of a round,
// and the event stops existing: deleted by the organizer, or a server that comes back
// without it (a restart on a fresh store, on the same port). Each page says in words
// that the event no longer exists, and no countdown keeps running on stale tables — not
// a "Reconnecting…" that never ends, and no join form inviting people to sign up again.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORGANIZER_LAPTOP, PHONE, PROJECTOR, launchBrowser, openCountingDown, screenshotAt } from '../support/browser';
import { api } from '../support/http';
import { startServer, type TestServer } from '../support/server';
import { serverProcess, type ServerProcess } from '../support/serverProcess';

let browser: Browser;
const contexts: BrowserContext[] = [];
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const open = (url: string, options: BrowserContextOptions) => openCountingDown(browser, contexts, url, options);

/** An event in round 1 with two mentors and two mentees, and the three kinds of page on it. */
async function roomWithPages(base: string) {
  const http = api(base);
  const event = (await http.post('/api/events', { name: 'Tuesday mentoring', rounds: 3, roundSeconds: 600, changeoverSeconds: 120 })).body;
  const people = await Promise.all(
    [
      { name: 'Grace Mentor', role: 'mentor' },
      { name: 'Alan Mentor', role: 'mentor' },
      { name: 'Ada Mentee', role: 'mentee' },
      { name: 'Bob Mentee', role: 'mentee' },
    ].map(async (person) => (await http.post('/api/join', { code: event.code, ...person })).body),
  );
  await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
  const [screen, control, phone] = await Promise.all([
    open(event.screenUrl, PROJECTOR),
    open(event.controlUrl, ORGANIZER_LAPTOP),
    open(`${event.joinUrl}#t=${people[2].token}`, PHONE),
  ]);
  return { http, event, pages: { screen: screen!, control: control!, phone: phone! } };
}

/** What a person sees once the event is gone: the message, and nothing still counting or inviting a new sign-up. */
async function expectGone(page: Page, why: RegExp, title = /“Tuesday mentoring” no longer exists/): Promise<void> {
  const gone = page.getByTestId('event-gone');
  await gone.waitFor({ timeout: 15_000 });
  expect(await gone.textContent()).toMatch(title);
  expect(await gone.textContent()).toMatch(why);
  expect(await page.getByTestId('countdown').count()).toBe(0);
  expect(await page.getByTestId('table-number').count()).toBe(0);
  expect(await page.getByTestId('connection-note').count()).toBe(0);
  expect(await page.getByLabel('Your name').count()).toBe(0);
}

describe('an event that no longer exists', () => {
  it('deleted by the organizer: the projector, Control and the phone each say so and stop counting down', { timeout: 60_000 }, async () => {
    const server: TestServer = await startServer('sqlite');
    cleanups.push(() => server.close());
    const { http, event, pages } = await roomWithPages(server.url);
    expect(await pages.phone.getByTestId('table-number').count()).toBe(1);

    expect((await http.del(`/api/events/${event.id}`, event.organizerKey)).status).toBe(200);
    for (const page of Object.values(pages)) await expectGone(page, /organizer deleted it/);
    expect(await pages.screen.getByTestId('event-gone').textContent()).toMatch(/open the screen link of the new event/);
    expect(await pages.phone.getByTestId('event-gone').textContent()).toMatch(/ask the organizer for the new link/);
    // Nothing to come back to: this laptop forgot the key, the phone its place.
    expect(await pages.control.evaluate((id) => localStorage.getItem(`tablehop:organizer:${id}`), event.id)).toBeNull();
    expect(await pages.phone.evaluate((code) => localStorage.getItem(`tablehop:token:${code}`), event.code)).toBeNull();

    // It stays said: a while later, still no countdown and no reconnecting.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const page of Object.values(pages)) await expectGone(page, /deleted/);
    await screenshotAt(pages.screen, 'event-gone-screen', [PROJECTOR.viewport!]);
    await screenshotAt(pages.phone, 'event-gone-phone', [PHONE.viewport!]);
    await screenshotAt(pages.control, 'event-gone-control', [ORGANIZER_LAPTOP.viewport!]);
  });

  it('a server back without its data: the open pages say the event no longer exists instead of reconnecting for ever', { timeout: 90_000 }, async () => {
    const before: ServerProcess = await serverProcess();
    cleanups.push(() => before.cleanup());
    await before.start();
    const { event, pages } = await roomWithPages(before.url);

    await before.kill();
    for (const page of Object.values(pages)) await expect.poll(() => page.getByTestId('connection-note').count(), { timeout: 15_000 }).toBe(1);

    // The same address answers again, from a store that never heard of the event.
    const after = await serverProcess({ port: before.port });
    cleanups.push(() => after.cleanup());
    await after.start();
    for (const page of Object.values(pages)) await expectGone(page, /restarted without its data/);

    // Reloaded, the phone and the projector still say so, without the name they never got
    // (and the phone shows no join form inviting a second sign-up).
    for (const page of [pages.phone, pages.screen]) {
      await page.reload();
      await expectGone(page, /restarted without its data/, /This event no longer exists/);
    }
  });
});
