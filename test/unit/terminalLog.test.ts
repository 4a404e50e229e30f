// What `npm start` prints: readable lines on a terminal, pino's JSON anywhere else.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalLog } from '../../server/terminalLog';

/** A stand-in stdout that keeps what is written to it. */
function fakeStdout(isTTY: boolean): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written.push(String(chunk));
      done();
    },
  });
  return { stream: Object.assign(stream, { isTTY }) as unknown as NodeJS.WriteStream, written };
}

describe('the terminal log', () => {
  it('turns JSON lines into readable ones on a terminal', async () => {
    const { stream, written } = fakeStdout(true);
    const log = (await terminalLog(stream))!;
    log.write(`${JSON.stringify({ level: 40, time: Date.now(), pid: 1, hostname: 'laptop', msg: 'Redis adapter connection' })}\n`);
    await expect.poll(() => written.join('')).toMatch(/WARN.*Redis adapter connection/);
    expect(written.join('')).not.toMatch(/[{}]|"level"|laptop/);
  });

  it('leaves JSON alone when stdout is not a terminal', async () => {
    expect(await terminalLog(fakeStdout(false).stream)).toBeUndefined();
  });
});
