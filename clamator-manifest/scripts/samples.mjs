// Turns candidate values into tagged samples: Zod itself decides whether each candidate is valid,
// and a draft-07 validator whether the lowered JSON Schema accepts its wire form (refinements and
// transforms are invisible to the schema, so the two verdicts can differ).

import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { zodToJsonSchema } from 'zod-to-json-schema';

import { LOWERING_OPTIONS } from '../src/index.mjs';

const ajv = new Ajv({ strict: false, unicodeRegExp: false, allErrors: false });
addFormats(ajv);

const UNKNOWN_KEY = 'zzUnknownKey';

/** The JSON a JavaScript peer would send: Sets and Maps as arrays, Dates as ISO text. */
export function toWire(value) {
  const text = JSON.stringify(value, (_key, v) => {
    if (v instanceof Set) return [...v];
    if (v instanceof Map) return [...v];
    if (typeof v === 'bigint') return Number(v);
    return v;
  });
  return text === undefined ? null : JSON.parse(text);
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Set) && !(v instanceof Map) && !(v instanceof Date);

/** Key-level mutations of one valid object: each required key dropped, an unknown key, nulls. */
function mutations(value, jsonSchema) {
  if (!isPlainObject(value)) return [];
  const required = Array.isArray(jsonSchema.required) ? jsonSchema.required : [];
  const out = [];
  for (const key of required) {
    if (key in value) {
      const { [key]: _dropped, ...rest } = value;
      out.push({ label: `without required "${key}"`, value: rest });
    }
  }
  out.push({ label: `with unknown key "${UNKNOWN_KEY}"`, value: { ...value, [UNKNOWN_KEY]: 1 } });
  for (const [key, v] of Object.entries(value)) {
    if (v !== null && v !== undefined) out.push({ label: `"${key}" set to null`, value: { ...value, [key]: null } });
  }
  return out;
}

function classifyOne(schema, validate, label, value) {
  const wire = toWire(value);
  const parsed = schema.safeParse(value);
  const sample = { label, value: wire, zod: parsed.success, jsonSchema: validate(wire) };
  if (parsed.success) {
    const out = toWire(parsed.data);
    if (JSON.stringify(out) !== JSON.stringify(wire)) sample.parsed = out;
  }
  return sample;
}

function classifySide(schema, candidates, side) {
  const jsonSchema = zodToJsonSchema(schema, LOWERING_OPTIONS);
  const validate = ajv.compile(jsonSchema);
  const labelled = candidates.map((value, i) => ({ label: `${side}[${i}]`, value }));
  const firstValid = candidates.find((v) => schema.safeParse(v).success);
  if (firstValid !== undefined) {
    const index = candidates.indexOf(firstValid);
    for (const m of mutations(firstValid, jsonSchema)) {
      labelled.push({ label: `${side}[${index}] ${m.label}`, value: m.value });
    }
  }
  const seen = new Set();
  const out = [];
  for (const { label, value } of labelled) {
    const sample = classifyOne(schema, validate, label, value);
    const key = JSON.stringify(sample.value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(sample);
  }
  return out;
}

export function classifySamples(contract, candidates, where) {
  const names = Object.keys(contract.methods).sort((a, b) => a.localeCompare(b));
  for (const name of Object.keys(candidates)) {
    if (!(name in contract.methods)) throw new Error(`${where}: "${name}" is not a method of ${contract.service}`);
  }
  const methods = {};
  for (const name of names) {
    const def = contract.methods[name];
    const c = candidates[name];
    if (!c || !Array.isArray(c.params) || c.params.length === 0) {
      throw new Error(`${where}: ${contract.service}.${name} has no params candidates`);
    }
    const entry = { params: classifySide(def.params, c.params, 'params') };
    if (!def.notification) {
      if (!Array.isArray(c.results) || c.results.length === 0) {
        throw new Error(`${where}: ${contract.service}.${name} has no results candidates`);
      }
      entry.results = classifySide(def.result, c.results, 'results');
    }
    methods[name] = entry;
  }
  return { service: contract.service, methods };
}
