// Follow-ups at the end: each person ticks "I'd like to follow up" for people they met;
// only when both ticked does each see the other's email, on their end screen, live. The
// export marks the match. Nobody's email shows otherwise.
import { describe, expect, it } from 'vitest';
import type { MeView } from '../../shared/domain';
import { buildReport } from '../../shared/report';
import { api, waitFor } from '../support/http';
import { me, openEvent, organizer } from '../support/organizer';
import { STORE_KINDS, startServer, type TestServer } from '../support/server';
import { phoneTap } from '../support/sockets';

describe.each(STORE_KINDS)('follow-ups on the %s store', (kind) => {
  let server: TestServer | undefined;

  async function endedEvent() {
    server = await startServer(kind);
    const http = api(server.url);
    const event = await openEvent(http, { rounds: 1, seatsPerTable: 2 });
    const org = organizer(http, event);
    // One table: the mentor meets both mentees; the mentees share the table. Zed never sits down.
    const [mentor, ada] = await org.import([
      { name: 'Mentor Mo', role: 'mentor', email: 'mo@example.org' },
      { name: 'Ada', role: 'mentee', email: 'ada@example.org' },
    ]);
    // Bo joins by QR code: no email.
    const joined = (await http.post('/api/join', { code: event.code, name: 'Bo', role: 'mentee' })).body;
    const bo = { id: joined.participantId as string, token: joined.token as string, name: 'Bo' };
    await org.act('start');
    const zed = (await http.post('/api/join', { code: event.code, name: 'Zed', role: 'mentee' })).body;
    const follow = (who: { token: string }, targetId: string, want = true) => http.post('/api/me/follow-ups', { targetId, follow: want }, who.token);
    return { http, event, org, mentor: mentor!, ada: ada!, bo, zed: { id: zed.participantId as string, token: zed.token as string }, follow };
  }

  const entry = (view: MeView, id: string) => view.followUp!.people.find((p) => p.id === id);

  it('shows emails only once both ticked, live on both end screens, and the export marks the match', async () => {
    const { http, org, mentor, ada, bo, zed, follow } = await endedEvent();
    // Not before the end.
    const early = await follow(ada, mentor.id);
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/open when the event ends/);
    expect((await me(http, ada)).followUp).toBeNull();
    await org.act('end');

    const adaView = await me(http, ada);
    expect(adaView.followUp!.email).toBe('ada@example.org');
    expect(adaView.followUp!.people.map((p) => p.name)).toEqual(['Bo', 'Mentor Mo']);
    expect(adaView.followUp!.people.every((p) => !p.chosen && !p.mutual && p.email === undefined)).toBe(true);
    const mentorPhone = await phoneTap(server!.url, mentor.token);
    const adaPhone = await phoneTap(server!.url, ada.token);

    // Ada ticks the mentor: the mentor learns nothing yet; Ada sees no email yet.
    expect((await follow(ada, mentor.id)).body).toEqual({ targetId: mentor.id, follow: true });
    expect(entry(await me(http, ada), mentor.id)).toMatchObject({ chosen: true, mutual: false });
    expect(entry(await me(http, ada), mentor.id)!.email).toBeUndefined();
    const mentorSees = await me(http, mentor);
    expect(entry(mentorSees, ada.id)).toEqual({ id: ada.id, name: 'Ada', role: 'mentee', chosen: false, mutual: false });
    expect(JSON.stringify(mentorSees)).not.toContain('ada@example.org');

    // The mentor ticks back: both end screens show the other's email, pushed to the phones.
    await follow(mentor, ada.id);
    const pushed = await waitFor(() => adaPhone.all('me:snapshot').find((v: MeView) => entry(v, mentor.id)?.mutual), 5000, "Ada's end screen to show the match");
    expect(entry(pushed, mentor.id)).toMatchObject({ mutual: true, email: 'mo@example.org' });
    const mentorPushed = await waitFor(() => mentorPhone.all('me:snapshot').find((v: MeView) => entry(v, ada.id)?.mutual), 5000, "the mentor's end screen");
    expect(entry(mentorPushed, ada.id)!.email).toBe('ada@example.org');

    // Bo (joined by QR, no email) and Ada tick each other: a match, but Bo has no email to show…
    await follow(bo, ada.id);
    await follow(ada, bo.id);
    expect(entry(await me(http, ada), bo.id)).toEqual({ id: bo.id, name: 'Bo', role: 'mentee', chosen: true, mutual: true });
    // …until Bo adds one on the end screen ("shared only if you both tick").
    expect((await http.post('/api/me/contact', { email: '  bo@example.org ' }, bo.token)).body).toEqual({ email: 'bo@example.org' });
    expect(entry(await me(http, ada), bo.id)!.email).toBe('bo@example.org');
    expect((await me(http, bo)).followUp!.email).toBe('bo@example.org');
    // The mentor never ticked Bo: the mentor does not see Bo's email, Bo does not see the mentor's.
    expect(JSON.stringify(await me(http, mentor))).not.toContain('bo@example.org');
    expect(JSON.stringify(await me(http, bo))).not.toContain('mo@example.org');

    // Taking a tick back takes the email away again.
    await follow(ada, bo.id, false);
    expect(entry(await me(http, bo), ada.id)).toMatchObject({ chosen: true, mutual: false });
    expect(JSON.stringify(await me(http, bo))).not.toContain('ada@example.org');

    // Only people you sat with; not yourself; nothing for someone who never sat down.
    for (const [who, target] of [[ada, ada.id], [zed, mentor.id], [ada, zed.id], [ada, 'nobody']] as const) {
      const refused = await follow(who, target);
      expect(refused.status, `${target}`).toBe(403);
      expect(refused.body.message).toMatch(/only follow up with someone you sat with/);
    }
    for (const body of [{ targetId: mentor.id }, { targetId: mentor.id, follow: 'yes' }, { targetId: mentor.id, follow: true, email: 'x@y.z' }]) {
      expect((await http.post('/api/me/follow-ups', body, ada.token)).status).toBe(400);
    }
    expect((await http.post('/api/me/contact', { email: 'not an email' }, bo.token)).body.message).toMatch(/email must be an email address/);
    expect((await http.post('/api/me/contact', { email: 'x@example.org' })).status).toBe(401);

    const data = await org.exportJson();
    expect(data.pairings.find((p) => p.menteeId === ada.id)!.mutualFollowUp).toBe(true);
    expect(data.pairings.find((p) => p.menteeId === bo.id)!.mutualFollowUp).toBe(false);
    expect(data.followUps).toEqual(
      expect.arrayContaining([
        { fromId: ada.id, toId: mentor.id, mutual: true },
        { fromId: mentor.id, toId: ada.id, mutual: true },
        { fromId: bo.id, toId: ada.id, mutual: false },
      ]),
    );
    expect(data.followUps).toHaveLength(3);
    expect(data.people.find((p) => p.id === bo.id)!.email).toBe('bo@example.org');
    expect(buildReport(data).followUps).toEqual({ ticks: 3, matches: 1 });
  });
});
