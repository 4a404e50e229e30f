// Browser safety headers, CORS and per-IP rate limits. See SECURITY.md for the why.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { createClient } from 'redis';
import type { Config } from '../config';
import { redisRateLimitStore } from './rateLimitStore';

export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // No inline scripts anywhere: typed text can never become code.
        scriptSrc: ["'self'"],
        // Svelte sets style attributes for the countdown ring and sizes.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Events run on plain http on a LAN address; upgrading would break every request.
        upgradeInsecureRequests: null,
      },
    },
    // Same reason: HSTS on a LAN address would lock phones out of http for months.
    strictTransportSecurity: false,
  });

  // Closed unless configured: the API serves its own pages, not other sites.
  if (config.corsOrigins.length) await app.register(cors, { origin: config.corsOrigins });

  let store: ReturnType<typeof redisRateLimitStore> | undefined;
  if (config.redisUrl) {
    // Counters shared by every instance, so a round-robin proxy does not multiply the limits.
    const client = createClient({ url: config.redisUrl, disableOfflineQueue: true, socket: { reconnectStrategy: (r) => Math.min(100 * 2 ** r, 2000) } });
    client.on('error', () => {});
    await client.connect();
    app.addHook('onClose', async () => {
      if (client.isOpen) await client.quit().catch(() => {});
    });
    store = redisRateLimitStore(client, config.redisPrefix);
  }
  await app.register(rateLimit, {
    global: false,
    // If Redis is away, the request fails on the store anyway (503); don't add a second error.
    skipOnError: true,
    ...(store ? { store } : {}),
    // Every limited route counts per minute (see the routes' config).
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests from this network: at most ${context.max} a minute. Try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s.`,
    }),
  });
}
