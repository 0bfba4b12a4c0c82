// Lowers contracts to JSON Schema, hashes them exactly as @clamator/codegen does, and writes the
// manifest.

import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zodToJsonSchema } from 'zod-to-json-schema';

import { ManifestError } from './errors.mjs';
import { LOWERING_OPTIONS, quietly } from './lowering.mjs';
import { DEFINITIONS, exportedSchemas, typingViews } from './typing.mjs';

export { LOWERING_OPTIONS };

/** Zod types that rightly lower to `{}`: anything goes. */
const SCHEMALESS = new Set(['ZodAny', 'ZodUnknown', 'ZodVoid']);

/** The Zod type under wrappers that do not change what the schema accepts on the wire. */
function baseTypeName(schema, depth = 0) {
  const def = schema?._def;
  if (!def || depth > 50) return def?.typeName;
  const inner = def.innerType ?? def.schema ?? (def.typeName === 'ZodLazy' ? def.getter?.() : undefined);
  return inner ? baseTypeName(inner, depth + 1) : def.typeName;
}

/** The text a hash is computed over, and the hash: sha256 of JSON.stringify(lowered schema). */
export function lower(schema, where) {
  if (schema !== null && typeof schema === 'object' && '_zod' in schema) {
    throw new ManifestError(
      `${where}: this schema was built with Zod 4. clamator hashes schemas with zod-to-json-schema, which lowers only Zod 3 schemas (a Zod 4 one becomes an empty schema {}). Import Zod 3: \`import { z } from 'zod'\` with zod@3 (3.25.x) in the contracts' folder, or no zod there (then this tool's zod 3.25.76 is used); not 'zod/v4' or zod@4`,
    );
  }
  let text;
  try {
    text = JSON.stringify(quietly(() => zodToJsonSchema(schema, LOWERING_OPTIONS)));
  } catch (err) {
    throw new ManifestError(
      `${where}: zod-to-json-schema cannot serialise this schema (${err?.message ?? err}); use a schema that lowers to plain JSON`,
    );
  }
  if (text === undefined) {
    throw new ManifestError(`${where}: zod-to-json-schema produced no schema`);
  }
  const lowered = JSON.parse(text);
  const typeName = baseTypeName(schema);
  if (Object.keys(lowered).every((k) => k === '$schema') && !SCHEMALESS.has(typeName)) {
    throw new ManifestError(
      `${where}: a ${typeName ?? 'non-Zod value'} lowers to the empty schema {}, which accepts anything; only z.any(), z.unknown() and z.void() may. Is it a Zod 3 schema?`,
    );
  }
  return { text, hash: sha256(text), schema: JSON.parse(text) };
}

export function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const byLocale = (a, b) => a.localeCompare(b);

/**
 * Builds the manifest object. With `hashesOnly`, the upstream form (§1 of the manifest spec);
 * otherwise the schema manifest (§3): each method also carries paramsSchema and resultSchema,
 * and the typing view (§4: `x-clamator-params`, `x-clamator-result` and the manifest's
 * `x-clamator-definitions`), whose names are the exports of `modules` (the contract files and
 * the local modules they import, as `sourceModules` finds them). Returns `{ manifest, untyped }`:
 * `untyped` lists the sides whose recursion could not be typed.
 */
export function buildManifestWithTyping(contracts, { generatedBy, hashesOnly = false, modules = [] }) {
  const out = {};
  const sorted = [...contracts].sort((a, b) => byLocale(a.service, b.service));
  // Lowered first: a schema that cannot be is refused with its place before anything else.
  const lowered = new Map();
  for (const { service, methods, file } of sorted) {
    const at = file ? `${file}: ` : '';
    for (const name of Object.keys(methods)) {
      const def = methods[name];
      lowered.set(`${service}.${name}`, {
        params: lower(def.params, `${at}${service}.${name} params`),
        result: def.notification ? null : lower(def.result, `${at}${service}.${name} result`),
      });
    }
  }
  const typing = hashesOnly
    ? null
    : typingViews(sorted, exportedSchemas(modules), (id) => {
        const [method, side] = id.split(' ');
        return lowered.get(method)[side].text;
      });
  for (const { service, methods } of sorted) {
    const entries = {};
    for (const name of Object.keys(methods).sort(byLocale)) {
      const { params, result } = lowered.get(`${service}.${name}`);
      const entry = { paramsHash: params.hash, resultHash: result ? result.hash : null };
      if (typing) {
        entry.paramsSchema = params.schema;
        entry.resultSchema = result ? result.schema : null;
        entry['x-clamator-params'] = typing.sides.get(`${service}.${name} params`);
        entry['x-clamator-result'] = result ? typing.sides.get(`${service}.${name} result`) : null;
      }
      entries[name] = entry;
    }
    out[service] = entries;
  }
  const manifest = { generatedBy, contracts: out };
  if (typing && Object.keys(typing.definitions).length > 0) {
    manifest[DEFINITIONS] = typing.definitions;
  }
  return { manifest, untyped: typing?.untyped ?? [] };
}

/** {@link buildManifestWithTyping}'s manifest alone. */
export function buildManifest(contracts, options) {
  return buildManifestWithTyping(contracts, options).manifest;
}

export function renderManifest(manifest) {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Writes `text` to `file` all at once: a temporary file beside it, then a rename. */
export function writeAtomically(file, text) {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ManifestError(`cannot write ${file}: ${err.message}`);
  }
}
