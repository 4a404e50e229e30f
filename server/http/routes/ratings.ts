import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RatingSchema } from '../../../shared/schemas';
import { bearer } from '../auth';

export async function ratingRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/api/ratings', { config: { rateLimit: { max: app.config.rateLimitRatings, timeWindow: '1 minute' } }, schema: { body: RatingSchema, tags: ['people'], summary: 'Rate someone you sat with (sending again updates)' } }, async (request, reply) => {
    const { event, participant } = await app.events.participantForToken(bearer(request));
    await app.events.rate(event.id, participant, request.body);
    return reply.status(201).send({ ok: true, round: request.body.round, targetId: request.body.targetId });
  });
}
