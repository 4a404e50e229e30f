// A socket.io-client socket connected with a handshake of the caller's choosing (no
// reconnection: a test sees every refusal); `sockets` collects it for the teardown.
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION } from '../../shared/protocol';

export function connectSocket(url: string, auth: Record<string, unknown>, sockets: Socket[]): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], auth: { v: PROTOCOL_VERSION, ...auth }, forceNew: true, reconnection: false });
    sockets.push(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
