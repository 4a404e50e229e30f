// A TCP port nobody listens on right now, for a process that must be told its port up front
// (a child server restarted on the same port, a throwaway Redis). In-process servers listen
// on port 0 instead.
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('The system gave no free port.'))));
    });
  });
}
