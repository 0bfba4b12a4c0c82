// Lowers contracts to JSON Schema, hashes them exactly as @clamator/codegen does, and writes the
// manifest.

import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zodToJsonSchema } from 'zod-to-json-schema';

import { ManifestError } from './errors.mjs';

export const LOWERING_OPTIONS = Object.freeze({ target: 'jsonSchema7', $refStrategy: 'none' });

/** The text a hash is computed over, and the hash: sha256 of JSON.stringify(lowered schema). */
export function lower(schema, where) {
  let text;
  try {
    text = JSON.stringify(zodToJsonSchema(schema, LOWERING_OPTIONS));
  } catch (err) {
    throw new ManifestError(
      `${where}: zod-to-json-schema cannot serialise this schema (${err?.message ?? err}); use a schema that lowers to plain JSON`,
    );
  }
  if (text === undefined) {
    throw new ManifestError(`${where}: zod-to-json-schema produced no schema`);
  }
  return { text, hash: sha256(text), schema: JSON.parse(text) };
}

export function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const byLocale = (a, b) => a.localeCompare(b);

/**
 * Builds the manifest object. With `hashesOnly`, the upstream form (§1 of the manifest spec);
 * otherwise the schema manifest (§3): each method also carries paramsSchema and resultSchema.
 */
export function buildManifest(contracts, { generatedBy, hashesOnly = false }) {
  const out = {};
  const sorted = [...contracts].sort((a, b) => byLocale(a.service, b.service));
  for (const { service, methods } of sorted) {
    const entries = {};
    for (const name of Object.keys(methods).sort(byLocale)) {
      const def = methods[name];
      const params = lower(def.params, `${service}.${name} params`);
      const result = def.notification ? null : lower(def.result, `${service}.${name} result`);
      const entry = { paramsHash: params.hash, resultHash: result ? result.hash : null };
      if (!hashesOnly) {
        entry.paramsSchema = params.schema;
        entry.resultSchema = result ? result.schema : null;
      }
      entries[name] = entry;
    }
    out[service] = entries;
  }
  return { generatedBy, contracts: out };
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
