// Path parameters shared by the routes.
import { z } from 'zod';

export const EventParams = z.object({ id: z.string().min(1).max(64) });
export type EventParams = z.infer<typeof EventParams>;
export const PersonParams = EventParams.extend({ participantId: z.string().min(1).max(64) });
