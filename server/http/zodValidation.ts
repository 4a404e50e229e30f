// Route schemas are the zod schemas from shared/: the same rules the client's forms use.
// A failed check becomes a 400 whose message names the field and how to fix it.
import type { FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import { describeIssues } from '../../shared/schemas';
import { HttpError } from '../errors';

export function useZodValidation(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema }) => (data: unknown) => {
    const result = (schema as ZodType).safeParse(data);
    return result.success ? { value: result.data } : { error: new HttpError(400, describeIssues(result.error)) };
  });
}
