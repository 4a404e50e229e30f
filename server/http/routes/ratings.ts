import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RatingSchema } from '../../../shared/schemas';
import { bearer } from '../auth';

export async function ratingRoutes(app: FastifyInstance): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post('/api/ratings', { schema: { body: RatingSchema, tags: ['people'], summary: 'Rate someone you sat with (sending again updates)' } }, async (request, reply) => {
    // The same budgets as a rating over the socket (limits/limiter.ts).
    await app.limiter.take('ratingsPerAddress', request.ip);
    const { event, participant } = await app.events.participantForToken(bearer(request));
    await app.limiter.take('ratingsPerPerson', participant.id);
    await app.events.rate(event.id, participant, request.body);
    return reply.status(201).send({ ok: true, round: request.body.round, targetId: request.body.targetId });
  });
}
