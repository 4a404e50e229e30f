// The seat messages of a phase change are written as websocket frames by hand
// (server/realtime/packets.ts): a phone must read each exactly as what socket.emit sends.
import { Decoder, Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import * as ws from 'ws';
import { eventFrames } from '../../server/realtime/packets';

// (@types/ws leaves Receiver, ws's reader of frames, out.)
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => import('node:stream').Writable };

describe('eventFrames', () => {
  it('frames each packet as the engine.io message socket.emit would send, as ws and Socket.IO read it back', async () => {
    const event = { id: 'e1', phase: 'changeover', version: 8 };
    // Payload lengths on both sides of 126 and of 65,536, where the frame header grows.
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
    const frames = eventFrames('seat:changed', `{"event":${JSON.stringify(event)},"nextSeat":`, { source, starts, ends }, '}');

    const receiver = new Receiver({ isServer: false });
    const messages: string[] = [];
    receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push(isBinary ? '(binary)' : data.toString('utf8')));
    for (const frame of frames) receiver.write(frame);
    await new Promise((resolve) => setImmediate(resolve));

    const decoded: unknown[] = [];
    const decoder = new Decoder();
    decoder.on('decoded', (packet: unknown) => decoded.push(packet));
    messages.forEach((message, i) => {
      const data = ['seat:changed', { event, nextSeat: seats[i] }];
      // "4" is engine.io's message type; what follows is the packet Socket.IO's own encoder writes.
      expect(message).toBe(`4${new Encoder().encode({ type: PacketType.EVENT, nsp: '/', data })[0]}`);
      decoder.add(message.slice(1));
      expect(decoded.at(-1)).toEqual({ type: PacketType.EVENT, nsp: '/', data });
    });
    expect(messages).toHaveLength(seats.length);
  });
});
