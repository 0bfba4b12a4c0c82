// The `arith` contract of upstream clamator's cross-language interop scenarios.
import { z } from 'zod';
import { defineContract, defineMethod } from '@clamator/protocol';

const Operands = z.object({ a: z.number(), b: z.number() });
const Sum = z.object({ sum: z.number() });

export const arith = defineContract('arith', {
  add: defineMethod({ params: Operands, result: Sum }),
  slowAdd: defineMethod({
    params: z.object({ a: z.number(), b: z.number(), sleepMs: z.number().int().nonnegative() }),
    result: Sum,
  }),
  divide: defineMethod({ params: Operands, result: z.object({ q: z.number() }) }),
  echoText: defineMethod({
    params: z.object({ text: z.string() }),
    result: z.object({ text: z.string() }),
  }),
});
