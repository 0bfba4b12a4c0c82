// The typing view: what the hashed schemas lose, for a generator to use (manifest spec §4).
//
// Upstream lowers every method side with `$refStrategy: 'none'`, which inlines every schema and
// turns recursion into `{}`. Next to that hashed schema, each side gets a typing view in which:
// - every exported Zod schema of the contract files (and of the local modules they import) is a
//   `$ref` to one definition named after its export, under the manifest's
//   `x-clamator-definitions`;
// - a recursive schema that is not exported is a definition too, named by where it is first met
//   and marked `x-clamator-anonymous`, so recursion is a `$ref` to it instead of `{}`;
// - every object says how it treats unknown keys (`x-clamator-unknownKeys`: `strip` drops them,
//   `strict` refuses them), which JSON Schema cannot say (both lower to
//   `additionalProperties: false`).
// Expanding the `$ref`s (one met again inside its own expansion becomes `{}`, as upstream's
// lowering does) and dropping the `x-clamator-…` keywords gives the hashed schema exactly; this
// module checks that for every side, so a view that would not is never written.

import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ignoreOverride, zodToJsonSchema } from 'zod-to-json-schema';

import { LOWERING_OPTIONS, quietly } from './lowering.mjs';

export const DEFINITIONS = 'x-clamator-definitions';
export const UNKNOWN_KEYS = 'x-clamator-unknownKeys';
export const ANONYMOUS = 'x-clamator-anonymous';
const REF_PREFIX = `#/${DEFINITIONS}/`;

const isZodSchema = (v) =>
  v !== null &&
  typeof v === 'object' &&
  typeof v._def?.typeName === 'string' &&
  typeof v.safeParse === 'function';

/** Relative module specifiers a source file imports or re-exports statically. */
function relativeImports(text) {
  const found = [];
  const patterns = [
    /\b(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    /\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) found.push(match[1]);
  }
  return found;
}

const isFile = (p) => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The file a relative specifier names, as tsx resolves it (`./model.js` may be `model.ts`). */
function resolveLocal(fromFile, specifier) {
  const base = path.resolve(path.dirname(fromFile), specifier);
  const stem = base.replace(/\.(m?js)$/, '');
  const candidates = [
    base,
    `${stem}.ts`,
    `${stem}.mts`,
    `${stem}.js`,
    `${stem}.mjs`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.js'),
  ];
  return candidates.find(isFile);
}

/**
 * The module namespaces of the contract files and of the local modules they import (followed
 * through relative `import`/`export … from` statements), contract files first.
 */
export async function sourceModules(srcDir, contractFiles, contractNamespaces) {
  const modules = contractFiles.map((file, i) => ({
    file,
    path: path.resolve(srcDir, file),
    namespace: contractNamespaces[i],
  }));
  const known = new Set(modules.map((m) => m.path));
  for (let i = 0; i < modules.length; i++) {
    let text;
    try {
      text = readFileSync(modules[i].path, 'utf8');
    } catch {
      continue;
    }
    for (const specifier of relativeImports(text)) {
      const file = resolveLocal(modules[i].path, specifier);
      if (!file || known.has(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
      known.add(file);
      let namespace;
      try {
        namespace = await import(pathToFileURL(file).href);
      } catch {
        continue;
      }
      modules.push({ file: path.relative(srcDir, file), path: file, namespace });
    }
  }
  return modules;
}

/** The schema as a property: where zod-to-json-schema lowers `.optional()` differently. */
function asProperty(schema) {
  const shape = { x: schema };
  return { _def: { typeName: 'ZodObject', shape: () => shape, catchall: { _def: { typeName: 'ZodNever' } }, unknownKeys: 'strip' } };
}

/**
 * Every exported Zod schema that can be a definition: Map(def → key). A key is the export name;
 * the same schema exported twice keeps its first name; two schemas exported under one name are
 * told apart by their module (`users.Status`). A schema whose lowering depends on where it
 * stands (an `.optional()` lowers differently as a property) cannot be one definition, so it
 * stays inline.
 */
export function exportedSchemas(modules) {
  const names = new Map();
  const taken = new Set();
  for (const { file, namespace } of modules) {
    for (const [exportName, value] of Object.entries(namespace)) {
      if (!isZodSchema(value) || names.has(value._def)) continue;
      let alone;
      let inProperty;
      try {
        alone = JSON.stringify(quietly(() => plain(value)));
        inProperty = JSON.stringify(quietly(() => plain(asProperty(value)).properties?.x));
      } catch {
        // An export no contract can use (it does not lower to JSON): not a definition.
        continue;
      }
      if (alone !== inProperty) continue;
      const stem = path.basename(file).replace(/\.[^.]+$/, '');
      const key = taken.has(exportName) ? `${stem}.${exportName}` : exportName;
      if (taken.has(key)) continue;
      taken.add(key);
      names.set(value._def, key);
    }
  }
  return names;
}

/** zod-to-json-schema's lowering without `$schema`, or `{}` when it gives nothing. */
function plain(schema) {
  const { $schema: _dropped, ...rest } = zodToJsonSchema(schema, LOWERING_OPTIONS);
  return rest;
}

const isAncestor = (ancestor, path) =>
  ancestor.length < path.length && ancestor.every((segment, i) => path[i] === segment);

const escape = (key) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Lowers `schema` for the typing view. Schemas of `names` and `anonymous` become `$ref`s, except
 * `root` itself (a definition's own body) and intersection or pipe members (zod-to-json-schema
 * edits an intersection member's `additionalProperties`, which a `$ref` would hide). Returns the
 * view and the definitions it refers to; `recursion` receives each recursive schema met that has
 * no name yet, with the path where it was first met.
 */
function lowerView(schema, { names, anonymous, root, recursion }) {
  const used = new Set();
  const keyOf = (def) => names.get(def) ?? anonymous.get(def);
  const options = {
    ...LOWERING_OPTIONS,
    override: (def, refs, seen, forceResolution) => {
      const atRoot = def === root && refs.currentPath.length === 1;
      const key = keyOf(def);
      const inMember = refs.currentPath.at(-2) === 'allOf';
      if (key !== undefined && !atRoot && !forceResolution && !inMember) {
        used.add(key);
        return { $ref: `${REF_PREFIX}${escape(key)}` };
      }
      if (seen && !forceResolution && isAncestor(seen.path, refs.currentPath) && key === undefined) {
        recursion?.(seen.def, seen.path, refs.currentPath);
      }
      return ignoreOverride;
    },
    postProcess: (json, def) => {
      if (
        json &&
        def.typeName === 'ZodObject' &&
        def.catchall?._def?.typeName === 'ZodNever' &&
        (def.unknownKeys === 'strip' || def.unknownKeys === 'strict')
      ) {
        json[UNKNOWN_KEYS] = def.unknownKeys;
      }
      return json;
    },
  };
  const view = quietly(() => zodToJsonSchema(root ? { _def: root } : schema, options));
  return { view, used };
}

/** The definition key a `$ref` names, or undefined for any other reference. */
const keyOf$ref = (ref) =>
  typeof ref === 'string' && ref.startsWith(REF_PREFIX)
    ? ref.slice(REF_PREFIX.length).replace(/~1/g, '/').replace(/~0/g, '~')
    : undefined;

/** Keywords whose values are JSON values, not schemas. */
const VALUE_KEYWORDS = new Set(['default', 'const', 'enum', 'examples']);

/** `view` with its `$ref`s expanded and `x-clamator-…` keywords dropped (manifest spec §4). */
export function expand(view, definitions, stack = []) {
  if (Array.isArray(view)) return view.map((v) => expand(v, definitions, stack));
  if (view === null || typeof view !== 'object') return view;
  const out = {};
  for (const [key, value] of Object.entries(view)) {
    const name = key === '$ref' ? keyOf$ref(value) : undefined;
    if (name !== undefined) {
      if (!(name in definitions)) throw new Error(`"$ref": "${value}" names no definition`);
      if (!stack.includes(name)) {
        Object.assign(out, expand(definitions[name], definitions, [...stack, name]));
      }
      continue;
    }
    if (key.startsWith('x-clamator-')) continue;
    if (VALUE_KEYWORDS.has(key)) out[key] = value;
    else if (key === 'properties' || key === 'definitions' || key === '$defs') out[key] = expandEach(value, definitions, stack);
    else out[key] = expand(value, definitions, stack);
  }
  return out;
}

const expandEach = (map, definitions, stack) =>
  Object.fromEntries(Object.entries(map).map(([k, v]) => [k, expand(v, definitions, stack)]));

const pointerOf = (segments) => segments.slice(1).map(escape).join('/');

/** A lowering path as the warnings spell fields: property names, `[]` for items, `{}` for values. */
function fieldPath(segments) {
  const out = [];
  for (let i = 1; i < segments.length; i++) {
    const s = segments[i];
    if (s === 'properties') out.push(segments[++i]);
    else if (s === 'items' || s === 'additionalItems') out.push('[]');
    else if (s === 'additionalProperties') out.push('{}');
  }
  return out.join('.');
}

/** A method's sides: `[side, schema]` for the params and, unless a notification, the result. */
const sidesOf = (method) => [
  ['params', method.params],
  ...(method.notification ? [] : [['result', method.result]]),
];

/**
 * The typing views of every method side of `contracts`, and the definitions they use.
 * `names` maps exported schemas to their keys; `hashed(id)` gives the hashed schema's text of a
 * side (`"service.method side"`). Returns `{ sides, definitions, untyped }`: `sides.get(id)` is a
 * side's view; `untyped` lists the sides whose recursion could not be typed (their view is the
 * hashed schema with annotations only), each as `{ side, fields }`.
 */
export function typingViews(contracts, names, hashed) {
  const anonymous = new Map();
  const sides = new Map();
  const definitions = Object.create(null);
  const untyped = [];
  const bodies = new Map();
  // First pass over a schema: recursive schemas without a name become anonymous definitions.
  const discover = (schema, root, where) => {
    const fresh = [];
    lowerView(schema, {
      names,
      anonymous,
      root,
      recursion: (def, at) => {
        if (anonymous.has(def) || names.has(def)) return;
        const key = `${where}${at.length > 1 ? `#/${pointerOf(at)}` : ''}`;
        anonymous.set(def, key);
        bodies.set(key, def);
        fresh.push(key);
      },
    });
    return fresh;
  };
  // A definition's body: lowered on first use, with its own recursion named first.
  const defineAll = (keys) => {
    const queue = [...keys];
    while (queue.length) {
      const key = queue.shift();
      if (key in definitions) continue;
      const def = bodies.get(key);
      queue.push(...discover(null, def, key));
      const { view, used } = lowerView(null, { names, anonymous, root: def });
      const { $schema: _dropped, ...body } = view;
      if (anonymous.has(def) && names.get(def) === undefined) body[ANONYMOUS] = true;
      definitions[key] = body;
      queue.push(...used);
    }
  };
  for (const [def, key] of names) bodies.set(key, def);
  for (const { service, methods } of contracts) {
    for (const name of Object.keys(methods).sort((a, b) => a.localeCompare(b))) {
      for (const [side, schema] of sidesOf(methods[name])) {
        defineAll(discover(schema, null, `${service}.${name}.${side}`));
        const { view, used } = lowerView(schema, { names, anonymous, root: null });
        defineAll(used);
        sides.set(`${service}.${name} ${side}`, view);
      }
    }
  }
  // Every view must expand to its hashed schema; one that does not falls back to the hashed
  // schema with its annotations only (no names, recursion as `{}`).
  for (const { service, methods } of contracts) {
    for (const [name, method] of Object.entries(methods)) {
      for (const [side, schema] of sidesOf(method)) {
        const id = `${service}.${name} ${side}`;
        let same = false;
        try {
          same = JSON.stringify(expand(sides.get(id), definitions)) === hashed(id);
        } catch {
          same = false;
        }
        if (same) continue;
        const fields = [];
        const { view } = lowerView(schema, {
          names: new Map(),
          anonymous: new Map(),
          root: null,
          recursion: (_def, _at, where) => fields.push(fieldPath(where)),
        });
        sides.set(id, view);
        untyped.push({ side: id, fields });
      }
    }
  }
  const referenced = new Set();
  const mark = (value) => {
    if (Array.isArray(value)) return value.forEach(mark);
    if (value === null || typeof value !== 'object') return;
    for (const [k, v] of Object.entries(value)) {
      const key = k === '$ref' ? keyOf$ref(v) : undefined;
      if (key === undefined) mark(v);
      else if (!referenced.has(key)) {
        referenced.add(key);
        mark(definitions[key]);
      }
    }
  };
  for (const view of sides.values()) mark(view);
  const kept = Object.fromEntries(
    Object.keys(definitions)
      .filter((k) => referenced.has(k))
      .sort((a, b) => a.localeCompare(b))
      .map((k) => [k, definitions[k]]),
  );
  return { sides, definitions: kept, untyped };
}
