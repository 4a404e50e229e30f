// The seat messages of a phase change are spliced by hand (server/realtime/packets.ts): a
// phone must read each exactly as what socket.emit sends.
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { eventPackets } from '../../server/realtime/packets';

describe('eventPackets', () => {
  it('encodes each packet as Socket.IO’s own encoder does, and Socket.IO reads it back', () => {
    const event = { id: 'e1', phase: 'changeover', version: 8 };
    // Multi-byte characters, quotes and markup in the spliced part, short and long.
    const seats = [
      { round: 3, table: 1, with: [{ id: 'm"1', name: 'Zoë 🎉 <b>', role: 'mentor', topics: ['ai'], sharedTopics: [] }] },
      null,
      { round: 1, table: 2, with: [{ name: 'x'.repeat(300) }] },
      { round: 1, table: 3, with: [{ name: 'ü'.repeat(40_000) }] },
    ];
    const texts = seats.map((s) => Buffer.from(JSON.stringify(s)));
    const source = Buffer.concat([Buffer.from('ignored'), ...texts]);
    const starts = texts.map((_, i) => 7 + texts.slice(0, i).reduce((sum, t) => sum + t.length, 0));
    const ends = starts.map((s, i) => s + texts[i]!.length);
    const packets = eventPackets('seat:changed', `{"event":${JSON.stringify(event)},"nextSeat":`, { source, starts, ends }, '}');

    const decoded: unknown[] = [];
    const decoder = new Decoder();
    decoder.on('decoded', (packet: unknown) => decoded.push(packet));
    packets.forEach((packet, i) => {
      const data = ['seat:changed', { event, nextSeat: seats[i] }];
      expect(packet).toBe(new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data })[0]);
      decoder.add(packet);
      expect(decoded.at(-1)).toEqual({ type: PacketType.EVENT, nsp: '/', data });
    });
    expect(packets).toHaveLength(seats.length);
  });
});
