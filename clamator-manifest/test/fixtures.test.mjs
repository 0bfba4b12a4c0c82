// The committed fixtures are exactly what the tool produces, and their hashes are honest.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { sha256 } from '../src/index.mjs';
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

test('stripping the schemas gives the hashes-only manifest byte for byte', () => {
  for (const rel of schemaManifests) {
    const manifest = JSON.parse(committed(rel));
    for (const methods of Object.values(manifest.contracts)) {
      for (const entry of Object.values(methods)) {
        delete entry.paramsSchema;
        delete entry.resultSchema;
      }
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
