// Ctrl-C (SIGINT) and SIGTERM (a service manager, `docker stop`) close the server
// properly: it stops taking requests (503 meanwhile), hangs up on sockets (phones
// reconnect to another instance or after a restart), stops the phase ticker and closes
// the store, then exits 0. A second signal, or a close that hangs, exits at once.
import type { FastifyInstance } from 'fastify';

/** How long a close may take before the process gives up waiting and exits anyway. */
export const SHUTDOWN_TIMEOUT_MS = 10_000;

export function closeOnSignals(app: FastifyInstance, timeoutMs = SHUTDOWN_TIMEOUT_MS): void {
  let closing = false;
  // pino writes JSON asynchronously: wait for the last lines to leave before exiting, or
  // a line still on its way lands after (or without) the ones written at exit.
  const exit = (code: number) => {
    const logger = app.log as { flush?: (done: () => void) => void };
    if (typeof logger.flush !== 'function') process.exit(code);
    else logger.flush(() => process.exit(code));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      app.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    app.log.info(`${signal}: closing (send it again to exit at once)`);
    const timer = setTimeout(() => {
      app.log.error(`Still closing after ${timeoutMs / 1000} s: exiting anyway`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    app.close().then(
      () => {
        app.log.info('Closed');
        exit(0);
      },
      (error: unknown) => {
        app.log.error({ err: error }, 'Closing failed');
        exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
