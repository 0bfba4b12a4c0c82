// The `notifications` contract of upstream clamator's cross-language interop scenarios.
import { z } from 'zod';
import { defineContract, defineNotification } from '@clamator/protocol';

export const notifications = defineContract('notifications', {
  ping: defineNotification({ params: z.object({ tag: z.string().optional() }) }),
});
