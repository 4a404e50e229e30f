// Rating someone you sat with: a phone's own call, with its participant token.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { RatingSchema } from '../../../shared/schemas';
import { participantRoutes } from '../auth';

export const ratingRoutes = participantRoutes(async (app: FastifyInstance) => {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/ratings',
    {
      // The same budgets as a rating over the socket (limits/limiter.ts): this network's before
      // the token is checked, the person's after.
      preHandler: async (request) => app.limiter.take('ratingsPerAddress', request.ip),
      schema: { body: RatingSchema, tags: ['people'], summary: 'Rate someone you sat with (sending again updates)' },
    },
    async (request, reply) => {
      const { event, participant } = request;
      await app.limiter.take('ratingsPerPerson', participant.id);
      await app.events.rate(event.id, participant, request.body);
      return reply.status(201).send({ ok: true, round: request.body.round, targetId: request.body.targetId });
    },
  );
});
