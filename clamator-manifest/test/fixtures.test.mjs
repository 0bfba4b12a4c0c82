// The committed fixtures are exactly what the tool produces, and their hashes are honest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { DEFINITIONS, expand, sha256, UNKNOWN_KEYS } from '../src/index.mjs';
import { FIXTURES, listFixtureFiles, renderFixtures } from '../scripts/regenerate-fixtures.mjs';

const rendered = await renderFixtures();
const committed = (rel) => readFileSync(path.join(FIXTURES, rel), 'utf8');

test('regeneration is byte-identical to the committed fixtures', () => {
  const onDisk = [...listFixtureFiles('manifests'), ...listFixtureFiles('samples')].sort();
  assert.deepEqual(onDisk, [...rendered.keys()].sort(), 'the same set of files');
  for (const [rel, text] of rendered) {
    assert.equal(committed(rel), text, `${rel} is stale: run \`npm --prefix clamator-manifest run fixtures\``);
  }
});

const schemaManifests = [...rendered.keys()].filter((k) => k.endsWith('.schema.json'));

test('every hash equals sha256 of JSON.stringify of its schema', () => {
  let checked = 0;
  for (const rel of schemaManifests) {
    const { contracts } = JSON.parse(committed(rel));
    for (const [service, methods] of Object.entries(contracts)) {
      for (const [method, e] of Object.entries(methods)) {
        assert.equal(e.paramsHash, sha256(JSON.stringify(e.paramsSchema)), `${rel} ${service}.${method} params`);
        if (e.resultSchema === null) assert.equal(e.resultHash, null);
        else assert.equal(e.resultHash, sha256(JSON.stringify(e.resultSchema)), `${rel} ${service}.${method} result`);
        checked += 1;
      }
    }
  }
  assert.ok(checked >= 60 * 2, `checked ${checked} methods`);
});

test('stripping every field upstream does not define gives the hashes-only manifest byte for byte', () => {
  for (const rel of schemaManifests) {
    const manifest = JSON.parse(committed(rel));
    for (const methods of Object.values(manifest.contracts)) {
      for (const entry of Object.values(methods)) {
        for (const key of Object.keys(entry)) {
          if (key !== 'paramsHash' && key !== 'resultHash') delete entry[key];
        }
      }
    }
    for (const key of Object.keys(manifest)) {
      if (key.startsWith('x-clamator-')) delete manifest[key];
    }
    const hashesRel = rel.replace('.schema.json', '.hashes.json');
    assert.equal(`${JSON.stringify(manifest, null, 2)}\n`, committed(hashesRel), hashesRel);
  }
});

test('hashes of the schemas the spec quotes', () => {
  const all = JSON.parse(committed('manifests/all.schema.json')).contracts;
  // z.object({}) — manifest.md §2.
  assert.equal(all['launch-control'].heartbeat.paramsHash, '6c9f16e97bc4049d69d6b4679008d06cc12612156d3db99d0dec1fee3d320091');
});

test('services and methods are in localeCompare order, not byte order', () => {
  const all = JSON.parse(committed('manifests/all.schema.json')).contracts;
  const methods = Object.keys(all.result);
  assert.ok(methods.indexOf('getUserId') < methods.indexOf('getUserID'), methods.join(','));
  assert.deepEqual(Object.keys(all), [...Object.keys(all)].sort((a, b) => a.localeCompare(b)));
});

test('the fixture set is large enough and every method has samples', () => {
  const all = JSON.parse(committed('manifests/all.schema.json')).contracts;
  const services = Object.keys(all);
  const methodCount = services.reduce((n, s) => n + Object.keys(all[s]).length, 0);
  assert.ok(services.length >= 6 && methodCount >= 60, `${services.length} services, ${methodCount} methods`);
  for (const service of services) {
    const samples = JSON.parse(committed(`samples/${service}.json`));
    for (const [method, entry] of Object.entries(all[service])) {
      const s = samples.methods[method];
      assert.ok(s.params.some((x) => x.zod), `${service}.${method} has a valid params sample`);
      if (entry.resultSchema !== null) {
        assert.ok(s.results.length > 0, `${service}.${method} has result samples`);
      }
    }
  }
});

test('every typing view expands to its hashed schema', () => {
  let views = 0;
  for (const rel of schemaManifests) {
    const manifest = JSON.parse(committed(rel));
    const definitions = manifest[DEFINITIONS] ?? {};
    for (const [service, methods] of Object.entries(manifest.contracts)) {
      for (const [method, e] of Object.entries(methods)) {
        for (const side of ['params', 'result']) {
          const view = e[`x-clamator-${side}`];
          if (view === null) continue;
          assert.equal(
            JSON.stringify(expand(view, definitions)),
            JSON.stringify(e[`${side}Schema`]),
            `${rel} ${service}.${method} ${side}`,
          );
          views += 1;
        }
      }
    }
  }
  assert.ok(views > 200, `${views} views`);
});

test('exported schemas are named definitions, used by every method and service that uses them', () => {
  const all = JSON.parse(committed('manifests/all.schema.json'));
  const definitions = all[DEFINITIONS];
  for (const name of ['Page', 'Span', 'Note', 'Outline', 'Change', 'Expr']) {
    assert.ok(definitions[name], `${name} is a definition`);
    assert.equal(definitions[name]['x-clamator-anonymous'], undefined);
  }
  const ref = (name) => ({ $ref: `#/${DEFINITIONS}/${name}` });
  assert.deepEqual(all.contracts.talk.post['x-clamator-params'].properties.page, ref('Page'));
  assert.deepEqual(all.contracts.pages.edit['x-clamator-result'].properties.page, ref('Page'));
  assert.deepEqual(definitions.Note.properties.replies.items, ref('Note'));
  // Recursion that is not exported: a definition named by where it is first met.
  const tree = 'talk.thread.result#/properties/tree';
  assert.equal(definitions[tree]['x-clamator-anonymous'], true);
  assert.deepEqual(all.contracts.talk.thread['x-clamator-result'].properties.tree, {
    $ref: `#/${DEFINITIONS}/talk.thread.result#~1properties~1tree`,
  });
  // Unknown keys as Zod treats them.
  assert.equal(definitions.Page[UNKNOWN_KEYS], 'strip');
  assert.equal(definitions.Span[UNKNOWN_KEYS], 'strict');
  assert.equal(definitions.Page.properties.meta.additionalProperties, true);
});
