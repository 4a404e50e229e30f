// The organizer's workflow in real Chromium, one browser context per person: a roster file
// is refused with its bad rows named, then imported from Control; the badge page prints
// on one A4 page and each badge's QR code opens that person's own seat on a phone; the
// door board lists every seat by table and by name; the organizer moves a mentee before the
// start (and is told why a later move would be unfair); a mentor leaves from their phone and
// comes back; two rounds run; the report shows real charts
// (and prints on white); two people who met tick each other and both see the other's
// email; finally the event is deleted from Control.
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventExport, MeView } from '../../shared/domain';
import { LAPTOP, PHONE, PHONE_SIZES, launchBrowser } from '../support/browser';
import { api } from '../support/http';
import { launchServer, type TestServer } from '../support/server';
import { ControlPage, PhonePage, ViewChecks } from './pages';

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

async function context(options: Parameters<Browser['newContext']>[0]): Promise<BrowserContext> {
  const created = await browser.newContext(options);
  contexts.push(created);
  return created;
}

/** What a phone camera reads off an element. */
async function scanQr(page: Page, selector: string): Promise<string | null> {
  const shot = PNG.sync.read(await page.locator(selector).screenshot());
  return jsQR(new Uint8ClampedArray(shot.data), shot.width, shot.height)?.data ?? null;
}

/** Whether the page prints on white with dark text. */
async function printsOnWhite(page: Page): Promise<{ background: string; color: string }> {
  await page.emulateMedia({ media: 'print' });
  const colours = await page.evaluate(() => {
    const main = document.querySelector('main')!;
    return { background: getComputedStyle(document.body).backgroundColor, color: getComputedStyle(main).color };
  });
  await page.emulateMedia({ media: 'screen' });
  return colours;
}

const ROSTER = [
  'name,role,topics,goal,email',
  'Marie Curie,mentor,data;design,,marie@example.org',
  'Alan Turing,mentor,hiring;product,,alan@example.org',
  'Ada <b>Lovelace</b>,mentee,design;data,A portfolio review,ada@example.org',
  'Bob Stone,mentee,hiring,,',
  'Cleo Park,mentee,product;data,Moving into product,cleo@example.org',
].join('\n');

describe('the organizer workflow in Chromium', () => {
  it('imports a roster, prints badges whose QR codes open each seat, runs two rounds, reports, and matches a mutual follow-up', { timeout: 180_000 }, async () => {
    const views = new ViewChecks();
    const http = api(server.url);
    const event = (await http.post('/api/events', { name: 'Sponsor night', rounds: 2, roundSeconds: 900, changeoverSeconds: 900, seatsPerTable: 1 })).body;

    // ---- Control: a bad file is refused whole, with the rows to fix; then the good one.
    const organizer = await (await context({ viewport: LAPTOP, deviceScaleFactor: 2 })).newPage();
    await organizer.goto(event.controlUrl);
    const control = new ControlPage(organizer);
    await organizer.getByRole('heading', { name: 'Sponsor night' }).waitFor();
    await control.importFile('bad.csv', `${ROSTER}\nAda Again,mentee,,,ADA@example.org\nNo Role,guest,,,\n`);
    const refusal = (await organizer.getByRole('alert').textContent()) ?? '';
    expect(refusal).toMatch(/Nothing was imported: 2 row\(s\) need fixing — row 7: email ada@example.org is already used on row 4; row 8: role must be/);
    expect(await organizer.getByTestId('roster-row').count()).toBe(0);
    await control.importFile('roster.csv', ROSTER);
    expect(await organizer.getByTestId('import-result').textContent()).toMatch(/Imported 5 people\s*\(2 mentors, 3 mentees\)/);
    await expect.poll(() => organizer.getByTestId('roster-row').count()).toBe(5);
    await views.check(organizer, 'control-imported', [LAPTOP]);

    // ---- Before the start: Bob is to sit with Alan (table 2) in round 1.
    await organizer.getByRole('button', { name: 'Change: Bob Stone' }).click();
    const bobDialog = organizer.getByRole('dialog', { name: 'Bob Stone' });
    await bobDialog.getByLabel('Table for round 1').selectOption('2');
    await bobDialog.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => bobDialog.getByRole('status').textContent()).toMatch(/Bob Stone sits at table 2 in round 1, if the seat rules still allow it/);
    await views.check(organizer, 'control-move-dialog', [LAPTOP]);
    await bobDialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => organizer.getByTestId('pin').textContent()).toMatch(/moves to table 2 in round 1/);

    // ---- Badges: five on one A4 page; each QR code is that person's own link.
    const badges = await control.open('Badges');
    await expect.poll(() => badges.getByTestId('badge').count()).toBe(5);
    expect(await badges.getByTestId('badge-count').textContent()).toMatch(/5 badges · 1 A4 page, 8 per page/);
    const pdf = (await badges.pdf({ format: 'A4', printBackground: true })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page\b(?!s)/g)).toHaveLength(1);
    expect(await printsOnWhite(badges)).toEqual({ background: 'rgb(255, 255, 255)', color: 'rgb(0, 0, 0)' });
    await views.check(badges, 'badges', [LAPTOP]);
    const links = new Map<string, string>();
    for (const name of ['Marie Curie', 'Alan Turing', 'Ada <b>Lovelace</b>', 'Bob Stone', 'Cleo Park']) {
      const url = await scanQr(badges, `[aria-label="Badge for ${name}"] svg`);
      expect(url, name).toMatch(new RegExp(`^${server.url}/(j|m)/${event.code}#t=`));
      links.set(name, url!);
    }

    // ---- Each phone opens its badge's link: straight to its place, no form.
    const phones = new Map<string, PhonePage>();
    for (const [name, url] of links) {
      const phone = new PhonePage(await (await context(PHONE)).newPage());
      await phone.page.goto(url);
      await phone.page.getByText("You're in!").waitFor();
      expect(await phone.page.getByLabel('Your name').count()).toBe(0);
      phones.set(name, phone);
    }
    const phone = (name: string) => phones.get(name)!;
    const tokenOf = (name: string) => new URL(links.get(name)!).hash.replace('#t=', '');
    const meOf = async (name: string) => (await http.get<MeView>('/api/me', tokenOf(name))).body;

    // ---- Round 1: Bob sits where he was moved. The door board has every seat, by table and by name.
    await control.start();
    await Promise.all([...phones.values()].map((p) => p.waitForPhase('Talk')));
    await expect.poll(() => phone('Bob Stone').tableNumber.textContent()).toBe('2');
    const board = await control.open('Door board');
    await board.getByRole('heading', { name: 'Round 1 of 2 — now' }).waitFor();
    const adaSeat = (await meOf('Ada <b>Lovelace</b>')).seat;
    const byName = board.getByRole('region', { name: 'Round 1 of 2 — now' }).locator('.by-name li');
    expect(await byName.count()).toBe(5);
    const adaLine = await byName.filter({ hasText: 'Ada <b>Lovelace</b>' }).textContent();
    expect(adaLine).toContain(adaSeat ? `table ${adaSeat.table}` : 'sits out this round');
    const names = (await byName.locator('.who').allTextContents()).map((n) => n.trim());
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })));
    expect((await printsOnWhite(board)).background).toBe('rgb(255, 255, 255)');
    await views.check(board, 'door-board', [LAPTOP]);

    // ---- Changeover 1: ratings; a mentor leaves from the phone and comes back.
    await control.skip();
    await Promise.all([...phones.values()].map((p) => p.waitForPhase('Switch tables')));
    for (const name of ['Ada <b>Lovelace</b>', 'Bob Stone', 'Cleo Park']) {
      if ((await meOf(name)).seat) await phone(name).rateMentor(5);
    }
    const marieMentee = (await meOf('Marie Curie')).seat!.with[0]!.name;
    await phone('Marie Curie').rateMentee(marieMentee, 4, { tags: ['prepared'], note: 'Send her the reading list' });
    await expect.poll(() => phone('Marie Curie').ratingStatus().textContent()).toContain('Rated 4');

    const alan = phone('Alan Turing');
    await alan.leave();
    await expect.poll(() => organizer.getByTestId('next-plan').getByRole('row').count()).toBe(2); // header + Marie's table only
    await views.check(alan.page, 'phone-away-mentor', [PHONE_SIZES.large]);
    await alan.page.getByRole('button', { name: "I'm back" }).click();
    await alan.page.getByTestId('away').waitFor({ state: 'detached' });
    await expect.poll(() => organizer.getByTestId('next-plan').getByRole('row').count()).toBe(3);

    // ---- A move the rules forbid is refused with a sentence: the mentee sitting out next round
    // cannot take the seat of the one who sat out round 1 (who would then sit out twice).
    const next = await Promise.all(['Ada <b>Lovelace</b>', 'Bob Stone', 'Cleo Park'].map(async (name) => ({ name, view: await meOf(name) })));
    const out = next.find((n) => n.view.nextSeat === null)!;
    const fresh = next.find((n) => n.view.met.length === 0)!;
    await organizer.getByRole('button', { name: `Change: ${out.name}` }).click();
    const dialog = organizer.getByRole('dialog', { name: out.name });
    await dialog.getByLabel('Table for round 2').selectOption(String(fresh.view.nextSeat!.table));
    await dialog.getByRole('button', { name: 'Move', exact: true }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(new RegExp(`${fresh.name.replace(/[<>/]/g, '.')} would have to sit out with fewer sessions \\(0\\)`));
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect((await meOf(fresh.name)).nextSeat).not.toBeNull();

    // ---- Round 2, then the end.
    await control.skip();
    await Promise.all([...phones.values()].map((p) => p.waitForPhase('Talk')));
    await control.skip();
    await Promise.all([...phones.values()].map((p) => p.waitForPhase('Switch tables')));
    await control.end();
    await Promise.all([...phones.values()].map((p) => p.page.getByText('Thanks for joining!').waitFor()));

    // ---- The report: real charts, the figures from the export, on white when printed.
    const report = await control.open('Report');
    await report.getByTestId('figure-exchanges').waitFor();
    const data = (await http.get<EventExport>(`/api/events/${event.id}/export.json`, event.organizerKey)).body;
    expect(await report.getByTestId('figure-exchanges').textContent()).toBe(String(data.pairings.length));
    expect(await report.getByTestId('figure-repeats').textContent()).toBe('0');
    expect(await report.getByTestId('chart-distribution').locator('svg rect.bar').count()).toBe(10);
    // Every mentee rated mentor 5 in round 1: the bar for score 5 holds them.
    const menteeRatings = data.pairings.filter((p) => p.menteeRating).length;
    expect(await report.getByTestId('chart-distribution').locator('svg text.value').nth(8).textContent()).toBe(String(menteeRatings));
    expect(await report.getByTestId('chart-mentors').locator('svg rect.bar').count()).toBe(2);
    expect(await report.getByTestId('chart-topics').locator('svg rect.bar').count()).toBeGreaterThan(3);
    const printed = await printsOnWhite(report);
    expect(printed.background).toBe('rgb(255, 255, 255)');
    await report.emulateMedia({ media: 'print' });
    const barFill = await report.getByTestId('chart-distribution').locator('svg rect.bar').first().evaluate((bar) => getComputedStyle(bar).fill);
    expect(barFill).toBe('rgb(31, 78, 121)');
    await report.emulateMedia({ media: 'screen' });
    await views.check(report, 'report', [LAPTOP]);

    // ---- Follow-ups: Ada and her round-1 mentor tick each other; both see the other's email.
    const ada = phone('Ada <b>Lovelace</b>');
    const adaView = await meOf('Ada <b>Lovelace</b>');
    const mentorMet = adaView.followUp!.people.find((p) => p.role === 'mentor')!;
    const mentorPhone = phone(mentorMet.name);
    const mentorEmail = mentorMet.name === 'Marie Curie' ? 'marie@example.org' : 'alan@example.org';
    await ada.followUp(mentorMet.name);
    await expect.poll(async () => (await meOf('Ada <b>Lovelace</b>')).followUp!.people.find((p) => p.id === mentorMet.id)!.chosen).toBe(true);
    // One side only: no email anywhere yet.
    expect(await ada.page.getByText(mentorEmail).count()).toBe(0);
    expect(await mentorPhone.page.getByText('ada@example.org').count()).toBe(0);
    await mentorPhone.followUp('Ada <b>Lovelace</b>');
    await ada.page.getByRole('link', { name: mentorEmail }).waitFor();
    await mentorPhone.page.getByRole('link', { name: 'ada@example.org' }).waitFor();
    await views.check(ada.page, 'phone-follow-up-match', [PHONE_SIZES.large, PHONE_SIZES.small]);
    // Bob joined from a badge without an email; he adds one on his end screen.
    const bob = phone('Bob Stone');
    await bob.page.getByLabel('Your email for follow-ups').fill('bob@example.org');
    await bob.page.getByRole('button', { name: 'Save' }).click();
    await bob.page.getByText('Saved.').waitFor();
    const exported = (await http.get<EventExport>(`/api/events/${event.id}/export.json`, event.organizerKey)).body;
    expect(exported.pairings.filter((p) => p.mutualFollowUp).map((p) => [p.mentorId, p.menteeId])).toEqual([[mentorMet.id, adaView.participant.id]]);
    expect(exported.people.find((p) => p.name === 'Bob Stone')!.email).toBe('bob@example.org');
    await expect.poll(() => report.getByTestId('figure-matches').textContent(), { timeout: 10_000 }).toBe('1');

    // ---- Delete the event from Control, after asking. (Left alone, it would go by itself: RETENTION_DAYS is 1 in tests.)
    expect(await organizer.getByText(/deleted by itself\s+1 day after it ends/).count()).toBe(1);
    await organizer.getByRole('button', { name: 'Delete this event now…' }).click();
    await organizer.getByRole('dialog').getByRole('button', { name: 'Delete everything' }).click();
    await organizer.getByRole('heading', { name: 'The event is deleted' }).waitFor();
    expect((await http.get(`/api/events/${event.id}/state`)).status).toBe(404);
    expect(await organizer.evaluate((id) => [localStorage.getItem(`tablehop:organizer:${id}`), localStorage.getItem(`tablehop:links:${id}`)], event.id)).toEqual([null, null]);

    // ---- Markup in a name stayed text; no serious accessibility finding; nothing scrolls sideways.
    for (const p of phones.values()) expect(p.alerts).toEqual([]);
    expect(await badges.locator('main b').count()).toBe(0);
    expect(views.problems).toEqual({});
    expect(views.sideways).toEqual([]);
  });
});
