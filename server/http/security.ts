// Browser safety headers, CORS and per-IP rate limits. See SECURITY.md for the why.
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import type { Counters } from '../limits/counters';
import { countersRateLimitStore } from './rateLimitStore';

export async function registerSecurity(app: FastifyInstance, config: Config, counters: Counters): Promise<void> {
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

  await app.register(rateLimit, {
    global: false,
    // If Redis is away, the request fails on the store anyway (503); don't add a second error.
    skipOnError: true,
    // The same counters as the Limiter's: in Redis when configured, so every instance counts alike.
    store: countersRateLimitStore(counters),
    // Every limited route counts per minute (see the routes' config).
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      message: `Too many requests from this network: at most ${context.max} a minute. Try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s.`,
    }),
  });
}
