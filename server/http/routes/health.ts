import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Ready means the store answers: a load balancer should not send phones here otherwise.
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Ready when the store is reachable' } }, async (_request, reply) => {
    const ok = await app.events.ping();
    return reply.status(ok ? 200 : 503).send(ok ? { ok: true } : { ok: false, message: 'The store (Redis) is not reachable.' });
  });
}
