// The seat messages of a phase change are written as packet text by hand (server/realtime/packets.ts):
// a phone must decode them exactly as what socket.emit would have sent.
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { eventPacket } from '../../server/realtime/packets';

describe('eventPacket', () => {
  it('is the packet socket.emit writes, and decodes to the same event and payload', () => {
    const message = { event: { id: 'e1', phase: 'talk', round: 2, version: 7 }, seat: { round: 2, table: 4, with: [{ id: 'm"1', name: 'Ada <b>', role: 'mentor', topics: ['ai'], sharedTopics: [] }] }, nextSeat: null };
    const packet = eventPacket('seat:changed', JSON.stringify(message));
    const [standard] = new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data: ['seat:changed', message] });
    expect(packet).toBe(standard);

    const decoded = new Promise<unknown>((resolve) => {
      const decoder = new Decoder();
      decoder.on('decoded', (p: unknown) => resolve(p));
      decoder.add(packet);
    });
    return expect(decoded).resolves.toEqual({ type: PacketType.EVENT, nsp: '/', data: ['seat:changed', message] });
  });
});
