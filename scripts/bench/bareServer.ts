// The floor for bench:fanout: a bare Socket.IO server that broadcasts one seat message
// (JSON text taken from a phone) to every phone at once. Parent says "broadcast" over IPC.
// Phones connect to it exactly as to Tablehop (same transport, heartbeat and limits), so
// the two differ only in what the server does with a change.
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { SOCKET_OPTIONS } from '../../server/realtime/socketOptions';

const http = createServer();
const io = new Server(http, SOCKET_OPTIONS);
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.send?.({ type: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (message: { type: 'broadcast' | 'close'; payload?: string }) => {
  if (message.type === 'broadcast') io.emit('bare:seat', { ...(JSON.parse(message.payload ?? '{}') as object), sentAt: Date.now() });
  if (message.type === 'close') io.close(() => process.exit(0));
});
