// Shapes that lower to JSON Schema but do not survive a trip through JSON, and checks that only
// Zod runs: a peer in another language sees something else than the TypeScript side works with.
// Warnings, not errors: the manifest is still right about the wire.

const walkers = {
  ZodObject: (def, visit) => {
    const shape = typeof def.shape === 'function' ? def.shape() : def.shape;
    for (const [key, value] of Object.entries(shape ?? {})) visit(value, key);
  },
  ZodArray: (def, visit) => visit(def.type, '[]'),
  ZodSet: (def, visit) => visit(def.valueType, '[]'),
  ZodRecord: (def, visit) => visit(def.valueType, '{}'),
  ZodMap: (def, visit) => visit(def.valueType, '{}'),
  ZodTuple: (def, visit) => {
    def.items.forEach((item, i) => visit(item, String(i)));
    if (def.rest) visit(def.rest, '…');
  },
  ZodUnion: (def, visit) => def.options.forEach((o) => visit(o, null)),
  ZodDiscriminatedUnion: (def, visit) => def.options.forEach((o) => visit(o, null)),
  ZodIntersection: (def, visit) => {
    visit(def.left, null);
    visit(def.right, null);
  },
  ZodPipeline: (def, visit) => visit(def.in, null),
};

function why(schema, nested) {
  const def = schema?._def;
  switch (def?.typeName) {
    case 'ZodFunction':
    case 'ZodSymbol':
      return nested
        ? `is a ${def.typeName === 'ZodFunction' ? 'z.function()' : 'z.symbol()'}: it lowers to nothing, so the field is not in the schema and only TypeScript peers know of it`
        : null;
    case 'ZodDate':
      return 'is a z.date(): it travels as an ISO string, and a peer reads a string';
    case 'ZodBigInt':
      return 'is a z.bigint(): JSON numbers lose precision past 2^53, and JSON.stringify cannot write a BigInt';
    case 'ZodEffects':
      if (def.effect?.type === 'transform')
        return 'has a .transform(): peers see the input shape, TypeScript handlers the transformed one';
      if (def.effect?.type === 'preprocess')
        return 'has a preprocess step: peers must send what it accepts before preprocessing';
      if (def.effect?.type === 'refinement')
        return 'has a .refine() or .superRefine(): only TypeScript peers enforce it (the schema cannot say it, so Rust and Python peers accept what it refuses)';
      return null;
    default:
      return null;
  }
}

/** Warnings for one method side: `field "a.b" …`. */
export function jsonWarnings(schema, where) {
  const out = [];
  const seen = new Set();
  const visit = (node, path) => {
    if (!node?._def || seen.has(node)) return;
    seen.add(node);
    const reason = why(node, path.length > 0);
    if (reason) out.push(`${where}: ${path.length ? `field "${path.join('.')}"` : 'the schema'} ${reason}`);
    const def = node._def;
    const inner = def.innerType ?? def.schema ?? (def.typeName === 'ZodLazy' ? def.getter?.() : undefined);
    if (inner) return visit(inner, path);
    walkers[def.typeName]?.(def, (child, segment) => visit(child, segment === null ? path : [...path, segment]));
  };
  visit(schema, []);
  return out;
}

/**
 * Warnings for every method of `contracts` ([{ service, methods, file }]), and for each side of
 * `untyped` (`{ side: "service.method params", fields: ["a.[]"] }`) whose recursion the typing
 * view could not express.
 */
export function contractWarnings(contracts, untyped = []) {
  const out = [];
  const fileOf = new Map(contracts.map((c) => [c.service, c.file]));
  for (const { service, methods, file } of contracts) {
    for (const [name, def] of Object.entries(methods)) {
      const at = `${file ? `${file}: ` : ''}${service}.${name}`;
      out.push(...jsonWarnings(def.params, `${at} params`));
      if (!def.notification) out.push(...jsonWarnings(def.result, `${at} result`));
    }
  }
  for (const { side, fields } of untyped) {
    const file = fileOf.get(side.split('.')[0]);
    for (const field of fields) {
      out.push(
        `${file ? `${file}: ` : ''}${side}: ${field ? `field "${field}"` : 'the schema'} is recursive in a way the typing view cannot name: Rust and Python peers accept any value there`,
      );
    }
  }
  return out;
}
