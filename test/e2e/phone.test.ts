// A phone in a real browser, on flaky venue Wi-Fi: a reload mid-round puts it straight
// back on its seat and timer with no second join; with the network gone it keeps its
// seat and a running countdown under a small "Reconnecting…" note, and a rating made
// offline is sent when the network returns.
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/domain';
import { deviceCalls, launchBrowser, newPhone, recordDeviceCalls, setVisibility } from '../support/browser';
import { api } from '../support/http';
import { launchServer, type TestServer } from '../support/server';
import { PhonePage, parseClock, remainingMs } from './pages';

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

async function runningEvent(rounds = 2) {
  const http = api(server.url);
  const event = (await http.post('/api/events', { name: 'Wi-Fi night', rounds, roundSeconds: 120, changeoverSeconds: 60, seatsPerTable: 1 })).body;
  const mentor = (await http.post('/api/join', { code: event.code, name: 'Grace Mentor', role: 'mentor', topics: ['design'] })).body;
  return { http, event, mentor };
}

describe('a phone in Chromium', () => {
  it('reloads mid-round and is back on its seat and timer, with no second join', async () => {
    const { http, event } = await runningEvent();
    const context = await newPhone(browser);
    await recordDeviceCalls(context);
    const phone = new PhonePage(await context.newPage());
    await phone.page.goto(event.joinUrl);
    await phone.join({ name: 'Ada Lovelace', topics: 'design, data', goal: 'A portfolio review' });
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);

    const token = await phone.token(event.code);
    const me = (await http.get<MeView>('/api/me', token!)).body;
    await expect.poll(() => phone.tableNumber.textContent(), { timeout: 10_000 }).toBe(String(me.seat!.table));
    await expect.poll(() => phone.page.getByTestId('shared-topics').textContent()).toContain('design');
    const before = (await remainingMs(phone.page))!;
    expect(before).toBeGreaterThan(100_000);

    await phone.page.reload();
    await expect.poll(() => phone.tableNumber.textContent(), { timeout: 5000 }).toBe(String(me.seat!.table));
    expect(await phone.page.getByLabel('Your name').count()).toBe(0);
    const after = (await remainingMs(phone.page))!;
    expect(after).toBeLessThan(before);
    expect(after).toBeGreaterThan(before - 10_000);
    expect(parseClock(await phone.page.getByTestId('countdown').textContent())).toBeGreaterThan(100);
    // Still one mentee: the reload did not join again.
    expect((await http.get(`/api/events/${event.id}/state`)).body.headcount.mentees).toBe(1);
    // The screen is kept on again after the reload, and again when the tab comes back.
    await expect.poll(async () => (await deviceCalls(phone.page)).wakeLockRequests).toBe(1);
    await setVisibility(phone.page, 'hidden');
    await setVisibility(phone.page, 'visible');
    await expect.poll(async () => (await deviceCalls(phone.page)).wakeLockRequests).toBe(2);
    await expect.poll(() => phone.tableNumber.textContent()).toBe(String(me.seat!.table));
    await context.close();
  });

  it('keeps its seat and countdown while offline, and sends a rating made offline once back', async () => {
    const { http, event, mentor } = await runningEvent(1);
    const context = await newPhone(browser);
    const phone = new PhonePage(await context.newPage());
    await phone.page.goto(event.joinUrl);
    await phone.join({ name: 'Ada Lovelace' });
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    await http.post(`/api/events/${event.id}/actions`, { action: 'skip' }, event.organizerKey);
    await phone.waitForPhase('Switch tables');
    await phone.page.getByText('That was the last round').waitFor();

    await context.setOffline(true);
    await phone.page.getByTestId('connection-note').filter({ hasText: 'Reconnecting' }).waitFor({ timeout: 20_000 });
    // The last view stays, and the countdown keeps running.
    const offlineAt = (await remainingMs(phone.page))!;
    await expect.poll(async () => (await remainingMs(phone.page))!, { timeout: 3000 }).toBeLessThan(offlineAt - 500);

    await phone.rateMentor(4);
    await expect.poll(() => phone.ratingStatus().textContent()).toContain('when you\'re back online');
    const exported = async () => parse((await http.get(`/api/events/${event.id}/export.csv`, event.organizerKey)).text, { columns: true }) as Record<string, string>[];
    expect((await exported())[0]!.mentee_score).toBe('');

    await context.setOffline(false);
    await expect.poll(() => phone.page.getByTestId('connection-note').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => phone.ratingStatus().textContent(), { timeout: 10_000 }).toContain('Rated 4');
    const [row] = await exported();
    expect(row!.mentor_id).toBe(mentor.participantId);
    expect(row!.mentee_score).toBe('4');
    await context.close();
  });

  it('tells a mentor with nobody at their table so, instead of "you sit out"', async () => {
    const { http, event, mentor } = await runningEvent();
    await http.post(`/api/events/${event.id}/actions`, { action: 'start' }, event.organizerKey);
    const context = await newPhone(browser);
    const phone = new PhonePage(await context.newPage());
    await phone.page.goto(`${event.mentorJoinUrl}#t=${mentor.token}`);
    await expect.poll(() => phone.page.getByRole('heading', { name: 'Nobody at your table this round' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await phone.page.getByText('You sit out this round').count()).toBe(0);
    await context.close();
  });
});
