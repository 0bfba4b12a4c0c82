// Turns candidate values into tagged samples: Zod itself decides whether each candidate is valid,
// and a draft-07 validator whether the lowered JSON Schema accepts its wire form (refinements and
// transforms are invisible to the schema, so the two verdicts can differ).

import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { zodToJsonSchema } from 'zod-to-json-schema';

import { DEFINITIONS, LOWERING_OPTIONS, UNKNOWN_KEYS } from '../src/index.mjs';
import { quietly } from '../src/lowering.mjs';

// Patterns compile with the `u` flag, as Ajv's default does; a pattern that is invalid in `u` mode
// (zod-to-json-schema writes `.startsWith('https://')` as `^https\:\/\/`, identity escapes `u` mode
// forbids) compiles without it instead of failing the whole schema. The Rust runtime reads
// patterns the same way.
function uThenPlain(pattern, flags) {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, flags.replace('u', ''));
  }
}
const ajv = new Ajv({ strict: false, allErrors: false, code: { regExp: uThenPlain } });
addFormats(ajv);

const UNKNOWN_KEY = 'zzUnknownKey';

// Keywords that constrain a value without changing its type: a schema without them says what a
// typed peer (Rust, Pydantic) rejects through its types alone.
const VALUE_KEYWORDS = new Set([
  'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'contentEncoding',
]);

/** The schema with value-only keywords removed (array bounds too, unless they fix a tuple's length). */
export function typeLevelSchema(schema) {
  if (Array.isArray(schema)) return schema.map(typeLevelSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out = {};
  const tuple = Array.isArray(schema.items);
  for (const [key, value] of Object.entries(schema)) {
    if (VALUE_KEYWORDS.has(key)) continue;
    if ((key === 'minItems' || key === 'maxItems') && !tuple) continue;
    // Record keys from an enum are a type (an enum key); a key pattern only constrains text.
    if (key === 'propertyNames' && !(value && Array.isArray(value.enum))) continue;
    // Inside `properties` the keys are names, not keywords.
    if (key === 'properties') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeLevelSchema(v)]));
    } else {
      out[key] = typeLevelSchema(value);
    }
  }
  return out;
}

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

/**
 * `value` without the nulls that stand for absent optional properties (what the Python peer
 * sends for an omitted optional field), or undefined when there are none.
 */
export function withoutOptionalNulls(value, schema) {
  let changed = false;
  const walk = (v, s) => {
    if (!s || typeof s !== 'object') return v;
    if (Array.isArray(s.anyOf) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const branch = s.anyOf.find((b) => b && b.properties);
      return branch ? walk(v, branch) : v;
    }
    if (Array.isArray(v)) {
      return s.items && !Array.isArray(s.items) ? v.map((item) => walk(item, s.items)) : v;
    }
    if (v === null || typeof v !== 'object' || !s.properties) return v;
    const required = new Set(s.required ?? []);
    const out = {};
    for (const [k, item] of Object.entries(v)) {
      // A property with a default is sent with its default, not as null, by the Python peer.
      const defaulted = s.properties[k] && typeof s.properties[k] === 'object' && 'default' in s.properties[k];
      if (item === null && k in s.properties && !required.has(k) && !defaulted) {
        changed = true;
        continue;
      }
      out[k] = walk(item, s.properties[k]);
    }
    return out;
  };
  const out = walk(value, schema);
  return changed ? out : undefined;
}

/**
 * The JSON Schema the typing view stands for (manifest spec §4), for Ajv: its definitions under
 * `definitions` (recursion stays recursive), and objects that strip unknown keys open to them.
 * What a generator that follows the typing view must decide.
 */
export function typingSchema(view, definitions) {
  const convert = (node) => {
    if (Array.isArray(node)) return node.map(convert);
    if (node === null || typeof node !== 'object') return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-clamator-')) continue;
      if (key === '$ref' && typeof value === 'string' && value.startsWith(`#/${DEFINITIONS}/`)) {
        out.$ref = `#/definitions/${value.slice(DEFINITIONS.length + 3)}`;
      } else if (key === 'properties') {
        out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, convert(v)]));
      } else {
        out[key] = convert(value);
      }
    }
    if (node[UNKNOWN_KEYS] === 'strip' && out.additionalProperties === false) delete out.additionalProperties;
    return out;
  };
  const root = convert(view);
  root.definitions = Object.fromEntries(Object.entries(definitions).map(([k, v]) => [k, convert(v)]));
  return root;
}

const definitionOf = (ref, definitions) =>
  definitions[ref.slice(DEFINITIONS.length + 3).replace(/~1/g, '/').replace(/~0/g, '~')];

const branchValidators = new Map();
/** Whether `value` is a value of `view` under the typing view's semantics (compiled once). */
function fitsView(value, view, definitions) {
  const key = JSON.stringify(view);
  let validate = branchValidators.get(key);
  if (!validate) {
    validate = ajv.compile(typingSchema(view, definitions));
    branchValidators.set(key, validate);
  }
  return validate(value);
}

/**
 * `value` as a generator that follows the typing view decodes it: keys an object strips (Zod's
 * `z.object()`) are gone. A union takes its first branch that accepts the value, as Zod does;
 * an intersection keeps what any member declares.
 */
export function withoutStrippedKeys(value, view, definitions, depth = 0) {
  if (depth > 64 || view === null || typeof view !== 'object') return value;
  if (typeof view.$ref === 'string' && view.$ref.startsWith(`#/${DEFINITIONS}/`)) {
    return withoutStrippedKeys(value, definitionOf(view.$ref, definitions), definitions, depth + 1);
  }
  if (Array.isArray(view.anyOf)) {
    const branch = view.anyOf.find((b) => fitsView(value, b, definitions));
    return branch ? withoutStrippedKeys(value, branch, definitions, depth + 1) : value;
  }
  if (Array.isArray(view.allOf) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const members = view.allOf.map((m) => (m?.$ref ? definitionOf(m.$ref, definitions) : m));
    const objects = members.filter((m) => m?.properties);
    if (objects.length === members.length) {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        const declaring = objects.find((m) => k in m.properties);
        if (declaring) out[k] = withoutStrippedKeys(v, declaring.properties[k], definitions, depth + 1);
        else if (!objects.every((m) => m[UNKNOWN_KEYS] === 'strip')) out[k] = v;
      }
      return out;
    }
    return withoutStrippedKeys(value, members[0], definitions, depth + 1);
  }
  if (Array.isArray(value)) {
    if (view.items && !Array.isArray(view.items)) return value.map((v) => withoutStrippedKeys(v, view.items, definitions, depth + 1));
    if (Array.isArray(view.items)) return value.map((v, i) => withoutStrippedKeys(v, view.items[i] ?? view.additionalItems, definitions, depth + 1));
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const props = view.properties ?? {};
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (k in props) out[k] = withoutStrippedKeys(v, props[k], definitions, depth + 1);
    else if (view[UNKNOWN_KEYS] === 'strip' && !view.additionalProperties) continue;
    else if (view.additionalProperties && typeof view.additionalProperties === 'object')
      out[k] = withoutStrippedKeys(v, view.additionalProperties, definitions, depth + 1);
    else out[k] = v;
  }
  return out;
}

function classifyOne(schema, jsonSchema, checks, label, value) {
  const wire = toWire(value);
  const parsed = schema.safeParse(value);
  const sample = { label, value: wire, zod: parsed.success, jsonSchema: checks.validate(wire) };
  if (!sample.jsonSchema) {
    sample.typeLevel = !checks.validateTypes(wire);
    const stripped = withoutOptionalNulls(wire, jsonSchema);
    if (stripped !== undefined && checks.validate(stripped)) sample.withoutOptionalNulls = stripped;
  }
  // The typing view's verdict, where it differs: unknown keys a Zod object strips, recursion
  // checked all the way down.
  const typing = checks.validateTyping(wire);
  if (typing !== sample.jsonSchema) {
    sample.typing = typing;
    if (!typing) sample.typingTypeLevel = !checks.validateTypingTypes(wire);
  }
  if (typing) {
    const kept = withoutStrippedKeys(wire, checks.view, checks.definitions);
    if (JSON.stringify(kept) !== JSON.stringify(wire)) sample.typingValue = kept;
  }
  if (parsed.success) {
    const out = toWire(parsed.data);
    if (JSON.stringify(out) !== JSON.stringify(wire)) sample.parsed = out;
  }
  return sample;
}

function classifySide(schema, candidates, side, view, definitions) {
  const jsonSchema = quietly(() => zodToJsonSchema(schema, LOWERING_OPTIONS));
  const typed = typingSchema(view, definitions);
  const checks = {
    validate: ajv.compile(jsonSchema),
    validateTypes: ajv.compile(typeLevelSchema(jsonSchema)),
    validateTyping: ajv.compile(typed),
    validateTypingTypes: ajv.compile(typeLevelSchema(typed)),
    view,
    definitions,
  };
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
    const sample = classifyOne(schema, jsonSchema, checks, label, value);
    const key = JSON.stringify(sample.value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(sample);
  }
  return out;
}

/**
 * The samples of one contract's methods. `typing` is the typing views of the manifest
 * (`typingViews`), whose verdicts are recorded where they differ from the JSON Schema's.
 */
export function classifySamples(contract, candidates, where, typing) {
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
    const view = (side) => typing.sides.get(`${contract.service}.${name} ${side}`);
    const entry = { params: classifySide(def.params, c.params, 'params', view('params'), typing.definitions) };
    if (!def.notification) {
      if (!Array.isArray(c.results) || c.results.length === 0) {
        throw new Error(`${where}: ${contract.service}.${name} has no results candidates`);
      }
      entry.results = classifySide(def.result, c.results, 'results', view('result'), typing.definitions);
    }
    methods[name] = entry;
  }
  return { service: contract.service, methods };
}
