// Assembles the server: HTTP API, OpenAPI docs, the built client, Socket.IO and the
// phase ticker, around one Store.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Config } from './config';
import { EventService } from './events/eventService';
import { trustRule } from './http/clientAddress';
import { registerErrorHandler } from './http/errorHandler';
import { RequestLog } from './http/requestLog';
import { registerSecurity } from './http/security';
import { eventRoutes } from './http/routes/events';
import { healthRoutes } from './http/routes/health';
import { peopleRoutes } from './http/routes/people';
import { ratingRoutes } from './http/routes/ratings';
import { useZodValidation } from './http/zodValidation';
import { openCounters } from './limits/counters';
import { Limiter } from './limits/limiter';
import { PhaseTicker } from './phaseTicker';
import { Realtime } from './realtime/realtime';
import type { Store } from './store/Store';

declare module 'fastify' {
  interface FastifyInstance {
    events: EventService;
    realtime: Realtime;
    config: Config;
    limiter: Limiter;
  }
}

export const CLIENT_DIST = fileURLToPath(new URL('../client/dist', import.meta.url));

export interface AppOptions {
  config: Config;
  store: Store;
  /** Where logs go (tests read them to check they carry no names or secrets). Default: stdout. */
  logStream?: { write(line: string): void };
}

export async function buildApp({ config, store, logStream }: AppOptions): Promise<FastifyInstance> {
  const trust = trustRule(config.trustProxy);
  const app = Fastify({
    // Not one line per phone request at info: see http/requestLog.ts.
    logController: new RequestLog(),
    logger: { level: config.logLevel, ...(logStream ? { stream: logStream } : {}) },
    // X-Forwarded-For is believed only from the proxies TRUST_PROXY names (none by default):
    // otherwise any client could write its own address and slip past every per-address limit.
    trustProxy: trust,
  });
  useZodValidation(app);
  registerErrorHandler(app);
  const counters = await openCounters(config.redisUrl, config.redisPrefix);
  await registerSecurity(app, config, counters);
  app.decorate('config', config);
  const limiter = new Limiter(counters, config);
  app.decorate('limiter', limiter);

  const events = new EventService(store, config);
  app.decorate('events', events);

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Tablehop API', version: '1', description: 'Speed-mentoring rounds: events, people, the clock, ratings.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  // The docs page brings its own inline bootstrap; staticCSP gives it a policy with hashes.
  // That policy asks to upgrade to https, which breaks the page on a LAN's plain http (as it
  // would the app: see security.ts), so the directive is taken out.
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .split(';')
        .map((directive) => directive.trim())
        .filter((directive) => directive && directive !== 'upgrade-insecure-requests')
        .join('; '),
  });

  await app.register(healthRoutes);
  await app.register(eventRoutes);
  await app.register(peopleRoutes);
  await app.register(ratingRoutes);

  const clientBuilt = existsSync(join(CLIENT_DIST, 'index.html'));
  if (clientBuilt) await app.register(fastifyStatic, { root: CLIENT_DIST });
  app.setNotFoundHandler((request, reply) => {
    const page = request.method === 'GET' && !request.url.startsWith('/api/') && !request.url.startsWith('/socket.io');
    // The client's routes (/j/CODE, /control/…) belong to the single page: answer them with index.html.
    if (page && clientBuilt) return reply.type('text/html').sendFile('index.html');
    if (page) return reply.type('text/plain').send('Tablehop is running, but the web client is not built yet: run "npm run build", then reload.');
    return reply.status(404).send({ message: `There is no ${request.method} ${request.url.split('?')[0]} here.` });
  });

  const realtime = await Realtime.attach(app.server, events, app.log, {
    redisUrl: config.redisUrl,
    redisPrefix: config.redisPrefix,
    limiter,
    trust,
    limits: config,
  });
  app.decorate('realtime', realtime);
  const ticker = new PhaseTicker(events, config.tickMs, app.log);
  app.addHook('onReady', async () => ticker.start());
  app.addHook('preClose', async () => {
    ticker.stop();
    realtime.close();
  });
  app.addHook('onClose', async () => {
    await realtime.closeAdapter();
    await counters.close();
    await store.close();
  });
  return app;
}
