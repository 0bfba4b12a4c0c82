import { z } from 'zod';
import { defineContract, defineMethod, defineNotification } from '@clamator/protocol';

export const shop = defineContract('shop', {
  addItem: defineMethod({
    params: z.object({ sku: z.string().min(1), quantity: z.number().int().positive() }),
    result: z.object({ total: z.number().int() }),
  }),
  restocked: defineNotification({ params: z.object({ sku: z.string() }) }),
});
