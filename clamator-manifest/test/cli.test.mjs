// The command line: what it writes, and every refusal (non-zero exit, a message, nothing written).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/clamator-manifest.mjs', import.meta.url));
const HEADER = `import { z } from 'zod';\nimport { defineContract, defineMethod, defineNotification } from '@clamator/protocol';\n`;
const ARITH = `${HEADER}export const arith = defineContract('arith', {
  add: defineMethod({ params: z.object({ a: z.number().int(), b: z.number().int() }), result: z.object({ sum: z.number().int() }) }),
  ping: defineNotification({ params: z.object({}) }),
});\n`;

function srcDir(files) {
  const dir = mkdtempSync(path.join(tmpdir(), 'clamator-manifest-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

function run(args) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function refuses(files, message, extra = []) {
  const dir = srcDir(files);
  const out = path.join(dir, 'out', 'manifest.json');
  const r = run(['--src', dir, '--out', out, ...extra]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, message);
  assert.equal(existsSync(out), false, 'nothing written');
  assert.equal(existsSync(path.dirname(out)), false, 'not even the folder');
}

test('writes the schema manifest with upstream hashes', () => {
  const dir = srcDir({ 'arith.ts': ARITH });
  const out = path.join(dir, 'm.json');
  const r = run(['--src', dir, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(out, 'utf8');
  assert.ok(text.endsWith('}\n') && !text.endsWith('\n\n'));
  const m = JSON.parse(text);
  assert.equal(m.generatedBy, 'clamator-manifest v0.1.0');
  // manifest.md §2's observed hashes.
  assert.equal(m.contracts.arith.add.paramsHash, 'e5d51ce338d3a4663c3aad0cc8c2fa88767a2ccfe5db2ab9c6a45d65b64ba131');
  assert.equal(m.contracts.arith.ping.paramsHash, '6c9f16e97bc4049d69d6b4679008d06cc12612156d3db99d0dec1fee3d320091');
  assert.equal(m.contracts.arith.ping.resultHash, null);
  assert.equal(m.contracts.arith.ping.resultSchema, null);
  assert.deepEqual(Object.keys(m.contracts.arith.add), [
    'paramsHash',
    'resultHash',
    'paramsSchema',
    'resultSchema',
    'x-clamator-params',
    'x-clamator-result',
  ]);
});

test('--hashes-only writes the upstream form with the given generatedBy', () => {
  const dir = srcDir({ 'arith.ts': ARITH });
  const out = path.join(dir, 'm.json');
  const r = run(['--src', dir, '--out', out, '--hashes-only', '--generated-by', '@clamator/codegen v0.1.9']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(
    readFileSync(out, 'utf8'),
    `{
  "generatedBy": "@clamator/codegen v0.1.9",
  "contracts": {
    "arith": {
      "add": {
        "paramsHash": "e5d51ce338d3a4663c3aad0cc8c2fa88767a2ccfe5db2ab9c6a45d65b64ba131",
        "resultHash": "4ae7f2c4bfaa06d44262d095f81415a845d0df08b6b10e542234e5933cc02af8"
      },
      "ping": {
        "paramsHash": "6c9f16e97bc4049d69d6b4679008d06cc12612156d3db99d0dec1fee3d320091",
        "resultHash": null
      }
    }
  }
}
`,
  );
});

test('loads .mjs and .js contracts and CommonJS-style default exports', () => {
  const js = `import { z } from 'zod';\nimport { defineContract, defineMethod } from '@clamator/protocol';\n`;
  const dir = srcDir({
    'a.mjs': `${js}export default { one: defineContract('one', { m: defineMethod({ params: z.object({}), result: z.string() }) }) };\n`,
    'b.js': `${js}export const two = defineContract('two', { m: defineMethod({ params: z.object({}), result: z.string() }) });\n`,
    'notes.txt': 'not a contract file',
    'types.d.ts': 'export type X = 1;\n',
  });
  const out = path.join(dir, 'm.json');
  const r = run(['--src', dir, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(out, 'utf8')).contracts), ['one', 'two']);
});

test('no contracts found', () => {
  refuses({ 'util.ts': 'export const x = 1;\n' }, /no contracts found in .* \(looked for exports shaped \{ service, methods \} in 1 /);
});

test('two files defining the same service differently', () => {
  refuses({ 'a.ts': ARITH, 'b.ts': ARITH }, /service "arith" is defined differently in a\.ts and b\.ts/);
});

test('a method without result', () => {
  refuses(
    { 'x.ts': `${HEADER}export const c = defineContract('x', { m: defineMethod({ params: z.object({}) }) });\n` },
    /x\.ts: failed to import: method "m" must include result schema/,
  );
});

test('a notification with a result', () => {
  refuses(
    { 'x.ts': `${HEADER}export const c = defineContract('x', { n: defineNotification({ params: z.object({}), result: z.string() }) });\n` },
    /x\.ts: failed to import: notification "n" must not include result/,
  );
});

test('a hand-rolled contract object is checked too', () => {
  refuses(
    { 'x.ts': `import { z } from 'zod';\nexport const c = { service: 'x', methods: { m: { params: z.object({}) } } };\n` },
    /x\.ts: service "x": method "m" must include result schema/,
  );
  refuses(
    { 'x.ts': `import { z } from 'zod';\nexport const c = { service: 'Bad_Name', methods: {} };\n` },
    /x\.ts: invalid service name "Bad_Name" \(must match \^\[a-z\]\[a-z0-9-\]\*\$\)/,
  );
});

test('a bad service name in defineContract', () => {
  refuses(
    { 'x.ts': `${HEADER}export const c = defineContract('Arith', {});\n` },
    /invalid service name "Arith" \(must match \^\[a-z\]\[a-z0-9-\]\*\$\)/,
  );
});

test('a schema zod-to-json-schema cannot serialise is named as service.method side', () => {
  refuses(
    {
      'x.ts': `${HEADER}export const c = defineContract('big', { count: defineMethod({ params: z.object({ n: z.bigint().positive() }), result: z.object({}) }) });\n`,
    },
    /big\.count params: zod-to-json-schema cannot serialise this schema \(.*BigInt/,
  );
});

test('a file that fails to import is named', () => {
  refuses({ 'good.ts': ARITH, 'broken.ts': `import { nothing } from './missing.ts';\nexport const x = nothing;\n` }, /broken\.ts: failed to import: /);
  refuses({ 'syntax.ts': 'export const = ;\n' }, /syntax\.ts: failed to import: /);
});

test('an unreadable --src', () => {
  const r = run(['--src', '/nonexistent/contracts', '--out', path.join(tmpdir(), 'never.json')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot read --src \/nonexistent\/contracts/);
});

test('usage errors exit 2; --help exits 0', () => {
  assert.equal(run([]).code, 2);
  assert.match(run(['--src', 'x']).stderr, /--src and --out are required/);
  assert.equal(run(['--bogus']).code, 2);
  const help = run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: clamator-manifest --src <dir> --out <manifest.json>/);
});

const manifestOf = (files, extra = []) => {
  const dir = srcDir(files);
  const out = path.join(dir, 'out.json');
  const r = run(['--src', dir, '--out', out, ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return { manifest: JSON.parse(readFileSync(out, 'utf8')), stderr: r.stderr };
};
const arithOnly = manifestOf({ 'arith.ts': ARITH }).manifest;

test("upstream's layout: contracts in their files, an index re-exporting them, package.json type module", () => {
  // interop/contracts is laid out as upstream's interop folder; its manifest is committed.
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'clamator-manifest-')), 'm.json');
  const r = run(['--src', path.join(root, 'interop/contracts'), '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(path.join(root, 'interop/contracts.schema.json'), 'utf8'));
  assert.match(r.stderr, /\(2 services, 5 methods\)/);
});

test('re-exports count once: export *, a named re-export, an object default export', () => {
  for (const reexport of [
    `export * from './arith.js';\n`,
    `export { arith } from './arith.js';\n`,
    `import { arith } from './arith.js';\nexport default { arith };\n`,
    `import { arith } from './arith.js';\nexport default arith;\n`,
  ]) {
    const { manifest, stderr } = manifestOf({ 'arith.ts': ARITH, 'index.ts': reexport });
    assert.deepEqual(manifest, arithOnly, reexport);
    assert.match(stderr, /\(1 service, 2 methods\)/);
  }
});

/** `manifest` without the typing view: what upstream's fields say. */
function hashedOnly(manifest) {
  const copy = structuredClone(manifest);
  delete copy['x-clamator-definitions'];
  for (const methods of Object.values(copy.contracts)) {
    for (const entry of Object.values(methods)) {
      delete entry['x-clamator-params'];
      delete entry['x-clamator-result'];
    }
  }
  return copy;
}

test('helper files: shared schemas imported by contracts load without a package.json', () => {
  const { manifest } = manifestOf({
    'common.ts': `import { z } from 'zod';\nexport const Int = z.number().int();\n`,
    'arith.ts': ARITH.replace("import { z } from 'zod';\n", "import { z } from 'zod';\nimport { Int } from './common.js';\n").replaceAll('z.number().int()', 'Int'),
  });
  assert.deepEqual(hashedOnly(manifest), hashedOnly(arithOnly), 'the same schemas, from a helper');
  // The typing view names the helper's export wherever it is used.
  assert.deepEqual(manifest['x-clamator-definitions'], { Int: { type: 'integer' } });
  assert.deepEqual(manifest.contracts.arith.add['x-clamator-params'].properties.a, {
    $ref: '#/x-clamator-definitions/Int',
  });
});

test('the typing view: named, shared and recursive types, unknown-key modes, no raw zod-to-json-schema lines', () => {
  const { manifest, stderr } = manifestOf({
    'model.ts': `import { z } from 'zod';
export const Span = z.object({ start: z.number(), end: z.number() }).strict();
export type Note = { text: string; replies: Note[] };
export const Note: z.ZodType<Note> = z.lazy(() => z.object({ text: z.string(), replies: z.array(Note) }));
export const Maybe = z.string().optional();
`,
    'docs.ts': `${HEADER}import { Note, Span, Maybe } from './model.js';
type Tree = { label: string; children: Tree[] };
const Tree: z.ZodType<Tree> = z.lazy(() => z.object({ label: z.string(), children: z.array(Tree) }));
export const docs = defineContract('docs', {
  post: defineMethod({ params: z.object({ at: Span, note: Note, tag: Maybe }), result: z.object({ tree: Tree }) }),
});
`,
    'talk.ts': `${HEADER}import { Note } from './model.js';
export const talk = defineContract('talk', { thread: defineMethod({ params: z.object({}), result: z.array(Note) }) });
`,
  });
  assert.doesNotMatch(stderr, /Recursive reference detected/);
  const defs = manifest['x-clamator-definitions'];
  assert.deepEqual(Object.keys(defs), ['docs.post.result#/properties/tree', 'Note', 'Span']);
  assert.equal(defs.Span['x-clamator-unknownKeys'], 'strict');
  assert.equal(defs.Note['x-clamator-unknownKeys'], 'strip');
  assert.deepEqual(defs.Note.properties.replies.items, { $ref: '#/x-clamator-definitions/Note' });
  const post = manifest.contracts.docs.post['x-clamator-params'];
  assert.deepEqual(post.properties.note, { $ref: '#/x-clamator-definitions/Note' });
  // An exported `.optional()` lowers differently as a property: it stays inline.
  assert.deepEqual(post.properties.tag, { type: 'string' });
  assert.deepEqual(manifest.contracts.talk.thread['x-clamator-result'].items, { $ref: '#/x-clamator-definitions/Note' });
});

test('files in subfolders are read only when a top-level file imports them', () => {
  const dir = srcDir({ 'arith.ts': ARITH });
  mkdirSync(path.join(dir, 'more'));
  writeFileSync(path.join(dir, 'more', 'other.ts'), ARITH.replaceAll("'arith'", "'other'"));
  const out = path.join(dir, 'out.json');
  const r = run(['--src', dir, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(out, 'utf8')).contracts), ['arith']);
});

test('Zod 4 schemas are refused with the fix, never exported as {}', () => {
  refuses(
    { 'four.ts': ARITH.replace("from 'zod'", "from 'zod/v4'") },
    /four\.ts: arith\.add params: this schema was built with Zod 4\. .*Import Zod 3/,
  );
});

test('a schema that lowers to {} must be any, unknown or void', () => {
  refuses(
    { 'x.ts': `${HEADER}export const c = defineContract('x', { m: defineMethod({ params: z.object({}), result: z.function() }) });\n` },
    /x\.ts: x\.m result: a ZodFunction lowers to the empty schema \{\}, which accepts anything/,
  );
  const { manifest } = manifestOf({
    'x.ts': `${HEADER}export const c = defineContract('x', { m: defineMethod({ params: z.unknown().optional(), result: z.any() }) });\n`,
  });
  assert.ok(manifest.contracts.x.m, 'any and unknown are fine');
});

test('shapes that do not survive JSON are warned about, naming method and field, and still exported', () => {
  const { manifest, stderr } = manifestOf({
    'x.ts': `${HEADER}export const c = defineContract('x', {
  m: defineMethod({
    params: z.object({ when: z.date(), rows: z.array(z.object({ csv: z.string().transform((s) => s.split(',')) })).optional() }),
    result: z.object({ id: z.bigint() }),
  }),
  ok: defineMethod({ params: z.object({ a: z.string() }), result: z.object({}) }),
});\n`,
  });
  assert.ok(manifest.contracts.x.m);
  const warnings = stderr.split('\n').filter((l) => l.includes('warning:'));
  assert.deepEqual(warnings.map((w) => w.replace(/:[^:]*$/, '')), [
    'clamator-manifest: warning: x.ts: x.m params: field "when" is a z.date()',
    'clamator-manifest: warning: x.ts: x.m params: field "rows.[].csv" has a .transform()',
    'clamator-manifest: warning: x.ts: x.m result: field "id" is a z.bigint()',
  ]);
});

test('checks only Zod runs, and fields that lower to nothing, are warned about with their place', () => {
  const { stderr } = manifestOf({
    'x.ts': `${HEADER}export const c = defineContract('x', {
  m: defineMethod({
    params: z.object({ range: z.object({ from: z.number(), to: z.number() }).refine((r) => r.from <= r.to), onDone: z.function() }),
    result: z.object({ pin: z.string().superRefine(() => {}) }),
  }),
});\n`,
  });
  const warnings = stderr.split('\n').filter((l) => l.includes('warning:'));
  assert.deepEqual(warnings.map((w) => w.replace(/ (has|is) .*$/, '')), [
    'clamator-manifest: warning: x.ts: x.m params: field "range"',
    'clamator-manifest: warning: x.ts: x.m params: field "onDone"',
    'clamator-manifest: warning: x.ts: x.m result: field "pin"',
  ]);
  assert.match(warnings[0], /\.refine\(\) or \.superRefine\(\): only TypeScript peers enforce it/);
  assert.match(warnings[1], /z\.function\(\): it lowers to nothing/);
});
