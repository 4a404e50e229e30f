// The Socket.IO server's options for phones and screens.
/** How phones connect (bench:fanout's floor connects the same way, so both are measured alike). */
export const SOCKET_OPTIONS = {
  // Websocket only: no long-polling, so a plain round-robin proxy needs no sticky sessions.
  transports: ['websocket' as const],
  // No compression (the default): seat messages are small JSON, and deflate would cost
  // the server CPU for each of thousands of phones at every change.
  perMessageDeflate: false,
  pingInterval: 10_000,
  pingTimeout: 8_000,
  maxHttpBufferSize: 64 * 1024,
  // The web client is built with Vite and bundles socket.io-client itself.
  serveClient: false,
};
